"""`statements.csv`: one row per record–entity–property–value, with its evidence quotes."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from toolkit.export.records import Published, entity_facts
from toolkit.link import Graph
from toolkit.models import Anchor, Editorial, RefFact

__all__ = ["STATEMENT_COLUMNS", "statement_rows", "statements_csv", "write_statements_csv"]

STATEMENT_COLUMNS = (
    "record_kind",
    "record_id",
    "entity_id",
    "property",
    "value",
    "value_entity_id",
    "pointer",
    "evidence",
    "evidence_article_id",
    "editorial_basis",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(value: str) -> str:
    """Neutralise spreadsheet formulas: a cell starting with = + - @ tab or CR gets a `'`."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _quotes(anchors: Iterable[Anchor]) -> str:
    return "\n".join(anchor.quote for anchor in anchors)


def statement_rows(published: Published) -> Iterator[dict[str, str]]:
    """The rows of `statements.csv`, as the records give them (before spreadsheet
    neutralising), in the file's order."""
    return _statements(published)


def _statements(published: Published) -> Iterator[dict[str, str]]:
    graph, links = published.graph, published.links
    for article in published.articles:
        for entity_id, link in links.article_links.get(article.id, []):
            node = links.item(link)[0]
            editorial = getattr(node, "editorial", None)
            role, quotes = links.describe(link)
            yield {
                "record_kind": "article",
                "record_id": article.id,
                "entity_id": entity_id,
                "property": link.relation.name,
                "value": role,
                "value_entity_id": "",
                "pointer": link.pointer,
                "evidence": "\n".join(quotes),
                "evidence_article_id": article.id if quotes else "",
                "editorial_basis": editorial.basis if isinstance(editorial, Editorial) else "",
            }
    for entity in published.entities:
        base = {"record_kind": "entity", "record_id": entity.id, "entity_id": entity.id}
        plain: list[tuple[str, str, str]] = [
            ("kind", getattr(entity, "kind", ""), "/kind"),
            ("name", entity.name, "/name"),
        ]
        plain += [("alias", alias, f"/aliases/{i}") for i, alias in enumerate(entity.aliases)]
        plain.append(("description", entity.description, "/description"))
        if entity.disambiguation:
            plain.append(("disambiguation", entity.disambiguation, "/disambiguation"))
        if entity.identifiers.wikidata:
            plain.append(("wikidata", entity.identifiers.wikidata, "/identifiers/wikidata"))
        for prop, value, pointer in plain:
            yield {
                **base,
                "property": prop,
                "value": value,
                "value_entity_id": "",
                "pointer": pointer,
                "evidence": "",
                "evidence_article_id": "",
                "editorial_basis": "",
            }
        for name, fact in entity_facts(entity):
            target = graph.resolve(fact.value) if isinstance(fact, RefFact) else ""
            yield {
                **base,
                "property": name,
                "value": fact.value,
                "value_entity_id": target,
                "pointer": f"/facts/{name}/value",
                "evidence": _quotes(fact.evidence),
                "evidence_article_id": fact.article or "",
                "editorial_basis": fact.editorial.basis if fact.editorial else "",
            }


def statements_csv(graph: Graph, published: Published | None = None) -> bytes:
    """`write_statements_csv`, as bytes."""
    buffer = io.BytesIO()
    write_statements_csv(graph, buffer, published)
    return buffer.getvalue()


def write_statements_csv(graph: Graph, out: BinaryIO, published: Published | None = None) -> None:
    """`statements.csv` into `out`, row by row: one row per record–entity–property–value, with
    its evidence quotes.

    Article rows: each reference an article makes (property = the relation, value = the role in
    words). Entity rows: kind, name, aliases, description, identifiers and facts. Quotes are
    joined by newlines. Cells that a spreadsheet would run as a formula start with `'`.
    """
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
    # CRLF as RFC 4180 says; it also makes the writer quote any cell holding \r or \n, so a
    # carriage return cannot start a new row (and with it an unneutralised formula cell).
    writer = csv.writer(text, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(STATEMENT_COLUMNS)
    for row in _statements(published or Published(graph)):
        writer.writerow([_safe_cell(row[column]) for column in STATEMENT_COLUMNS])
    text.flush()
    text.detach()  # `out` stays open: it is the caller's
