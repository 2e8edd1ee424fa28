"""Downstream exports: the static JSON API, JSON Lines, statements CSV, SQLite, Data Package.

Everything here is pure: functions take a `Graph` (validated models plus derived backlinks) and
return bytes; the CLI and the site builder decide where to write them (atomically). Output is
deterministic: the same records give the same bytes on every run, machine and hash seed.

JSON is I-JSON (RFC 7493): UTF-8 without BOM, unique keys, only integers within ±(2**53 - 1),
keys sorted wherever their order carries no meaning, lists kept in record order, one final newline.

Example:
    >>> from toolkit.api import load_corpus
    >>> corpus = load_corpus("tests/fixtures/corpus")          # doctest: +SKIP
    >>> files = api_files(corpus.graph)                         # doctest: +SKIP
    >>> sorted(files)[:2]                                       # doctest: +SKIP
    ['api/v1/articles.jsonl', 'api/v1/articles/strike-debate.json']
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import sqlite3
import tempfile
from collections.abc import Callable, Hashable, Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, cast

import orjson
from pydantic import BaseModel

from toolkit.format.schemas import SCHEMA_NAMES, dump_schema
from toolkit.format.urls import (
    API_PREFIX,
    API_VERSION,
    SCHEMA_PREFIX,
    SITE_URL,
    SQLITE_NAME,
    json_path,
    page_path,
    schema_url,
)
from toolkit.link import Backlink, Graph
from toolkit.models import (
    SCHEMA_VERSION,
    Anchor,
    Article,
    Editorial,
    EntityBase,
    Provenance,
    RefFact,
    TextFact,
)
from toolkit.models.schema import generate_schemas

__all__ = [
    "API_PREFIX",
    "API_VERSION",
    "SITE_URL",
    "api_files",
    "article_document",
    "articles_jsonl",
    "data_version",
    "datapackage",
    "describe_link",
    "document_order",
    "dumps",
    "entities_jsonl",
    "entity_document",
    "export_sqlite",
    "index_document",
    "record_data",
    "statements_csv",
]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

CODE_LICENSE = {
    "name": "MIT",
    "path": "https://opensource.org/license/mit",
    "title": "MIT License",
}
DATA_LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0",
}


# --- serialisation --------------------------------------------------------------------------


_JSON_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_STRICT_INTEGER


def dumps(value: Any, *, indent: bool = True) -> bytes:
    """Canonical published JSON: sorted keys, UTF-8 (not ASCII-escaped), final newline.

    `indent=False` gives one compact line (for JSON Lines), still with sorted keys. I-JSON is
    enforced: an integer beyond ±(2**53 - 1), a lone surrogate or a non-string key raises
    `ValueError`. (The record formats have no fractional numbers, so no NaN can arise.)
    """
    option = _JSON_OPTIONS | orjson.OPT_INDENT_2 if indent else _JSON_OPTIONS
    try:
        return orjson.dumps(value, option=option) + b"\n"
    except orjson.JSONEncodeError as exc:
        raise ValueError(f"cannot publish as I-JSON: {exc}") from exc


def _jsonl(rows: Iterable[Any]) -> bytes:
    return b"".join(dumps(row, indent=False) for row in rows)


# --- URLs -----------------------------------------------------------------------------------


def _urls(kind: str, record_id: str, base_url: str) -> dict[str, str]:
    return {
        "url": base_url + page_path(kind, record_id),
        "json_url": base_url + json_path(kind, record_id),
    }


# --- records --------------------------------------------------------------------------------


def record_data(model: Article | EntityBase) -> dict[str, Any]:
    """A validated record as published, in a normalised shape that validates against its schema.

    Every list and object field is present (empty when the record leaves it out); an optional
    value that is not known is absent, except where the format gives `null` a meaning
    ("not stated", e.g. `source.url`). `$schema` names the published schema (the committed
    files point editors at a relative path that means nothing outside the repository).
    """
    # pydantic dumps the tree natively (many times faster than walking it here); only the
    # nulls that mean something are put back (tests/test_export.py holds it to a plain walk of the models).
    data = model.model_dump(by_alias=True, exclude_none=True)
    if isinstance(model, Article):
        _restore_nulls(model.source, data["source"])
        for scenario, dumped in zip(model.scenarios, data["scenarios"], strict=True):
            _restore_nulls(scenario.likelihood, dumped["likelihood"])
        data["$schema"] = schema_url("article")
    else:
        data["$schema"] = schema_url("entity")
    return data


#: The models whose `nullable_fields` `record_data` restores (a test holds this to the list
#: of models that have any).
NULLABLE_MODELS = ("Source", "Likelihood")


def _restore_nulls(model: BaseModel, dumped: dict[str, Any]) -> None:
    for name, key, nullable in _published_fields(type(model)):
        if nullable and getattr(model, name) is None:
            dumped[key] = None


@cache
def _published_fields(model: type[BaseModel]) -> tuple[tuple[str, str, bool], ...]:
    """(attribute, JSON key, whether null is published) for each field, in format order."""
    nullable: frozenset[str] = getattr(model, "nullable_fields", frozenset())
    return tuple(
        (name, info.alias or name, name in nullable) for name, info in model.model_fields.items()
    )


def _sorted_records(graph: Graph) -> tuple[list[Article], list[EntityBase]]:
    articles = [graph.articles[k] for k in sorted(graph.articles)]
    entities = [graph.entities[k] for k in sorted(graph.entities)]
    return articles, entities


T = TypeVar("T")


def _memo(graph: Graph, table: str, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, once per `key` in the graph's memo `table` (several files and pages
    publish the same pieces; callers must not change what comes back)."""
    found: dict[Hashable, Any] = graph.memo.setdefault(table, {})
    if key not in found:
        found[key] = compute()
    return cast(T, found[key])


def _record_data(graph: Graph, model: Article | EntityBase) -> dict[str, Any]:
    """`record_data`, computed once per record of `graph` (several files publish it).
    Callers must not change the dict."""
    key = ("article/" if isinstance(model, Article) else "entity/") + model.id
    return _memo(graph, "record_data", key, lambda: record_data(model))


def articles_jsonl(graph: Graph) -> bytes:
    """Every article record, one a line, sorted by ID."""
    return _jsonl(_record_data(graph, a) for a in _sorted_records(graph)[0])


def entities_jsonl(graph: Graph) -> bytes:
    """Every entity record, one a line, sorted by ID."""
    return _jsonl(_record_data(graph, e) for e in _sorted_records(graph)[1])


def data_version(graph: Graph) -> str:
    """A content hash of the records: SHA-256 over articles.jsonl, entities.jsonl, redirects.

    It changes exactly when published data changes, so a consumer can tell whether to refetch.
    """
    return _data_version(articles_jsonl(graph), entities_jsonl(graph), graph.redirects)


def _data_version(articles: bytes, entities: bytes, redirects: dict[str, str]) -> str:
    digest = hashlib.sha256()
    for part in (articles, entities, dumps(dict(sorted(redirects.items())), indent=False)):
        digest.update(hashlib.sha256(part).digest())
    return "sha256:" + digest.hexdigest()


# --- derived links --------------------------------------------------------------------------


def _co_mentions(graph: Graph, entity_id: str, base_url: str) -> list[dict[str, Any]]:
    counter: dict[str, int] = dict(graph.co_mentions.get(entity_id, {}))
    ranked = sorted(counter.items(), key=lambda pair: (-pair[1], pair[0]))
    return [
        {"id": other, "articles": count, **_urls("entity", other, base_url)}
        for other, count in ranked
    ]


def document_order(record: BaseModel, pointer: str) -> tuple[int, ...]:
    """A sort key that puts JSON pointers into `record` in the order the record is written:
    fields in the order the format defines them, list items by index."""
    node: Any = record
    key: list[int] = []
    for part in pointer.strip("/").split("/") if pointer else []:
        if isinstance(node, BaseModel):
            fields = _field_positions(type(node))
            name = _field_name(type(node), part)
            key.append(fields.get(name, len(fields)))
            node = getattr(node, name, None)
        elif isinstance(node, list) and part.isdigit():
            key.append(int(part))
            node = node[int(part)] if int(part) < len(node) else None
        else:
            key.append(-1)
            node = None
    return tuple(key)


@cache
def _field_positions(model: type[BaseModel]) -> dict[str, int]:
    return {name: index for index, name in enumerate(model.model_fields)}


def _article_links(graph: Graph) -> dict[str, list[tuple[str, Backlink]]]:
    """Article ID → (entity ID, backlink) for every reference it makes, in document order.
    Computed once per graph; callers must not change it."""
    if "article_links" not in graph.memo:
        graph.memo["article_links"] = _compute_article_links(graph)
    links: dict[str, list[tuple[str, Backlink]]] = graph.memo["article_links"]
    return links


def _compute_article_links(graph: Graph) -> dict[str, list[tuple[str, Backlink]]]:
    found: dict[str, list[tuple[str, Backlink]]] = {}
    for entity_id, links in graph.backlinks.items():
        for link in links:
            if link.source_kind == "article":
                found.setdefault(link.source, []).append((entity_id, link))
    for article_id, pairs in found.items():
        article = graph.articles[article_id]
        pairs.sort(key=lambda pair: (document_order(article, pair[1].pointer), pair[0]))
    return dict(sorted(found.items()))


def _link_order(graph: Graph) -> dict[Backlink, int]:
    """Each article backlink's place in its article, in document order (`_article_links`)."""
    if "link_order" not in graph.memo:
        graph.memo["link_order"] = {
            link: index
            for pairs in _article_links(graph).values()
            for index, (_, link) in enumerate(pairs)
        }
    order: dict[Backlink, int] = graph.memo["link_order"]
    return order


_DESCRIBING = ("role", "text", "title", "description", "degree", "label_in_source")


def _link_key(link: Backlink) -> tuple[str, str, str]:
    """What identifies a backlink within a graph: one reference per pointer in a record."""
    return (link.source_kind, link.source, link.pointer)


def describe_link(graph: Graph, link: Backlink) -> tuple[str, tuple[str, ...]]:
    """The role in words and the quotes for a backlink, looking at the innermost item when the
    graph gives none (an author's bio entries: the position held, the degree, …)."""
    return _memo(graph, "describe_link", _link_key(link), lambda: _describe_link(graph, link))


def _describe_link(graph: Graph, link: Backlink) -> tuple[str, tuple[str, ...]]:
    role, quotes = link.role, link.quotes
    if link.source_kind == "entity":
        role = link.relation.label  # a fact: its name says it all
    if role and quotes:
        return role, quotes
    record: Article | EntityBase | None = (
        graph.articles.get(link.source)
        if link.source_kind == "article"
        else graph.entities.get(link.source)
    )
    node = _item_in(graph, link)[0] if record is not None else None
    if not role:
        for attribute in _DESCRIBING:
            value = getattr(node, attribute, None)
            if isinstance(value, str) and value:
                role = value
                break
        else:
            role = link.relation.label
    if not quotes and isinstance(node, Provenance):
        quotes = tuple(anchor.quote for anchor in node.evidence)
    return role, quotes


def _entity_summary(graph: Graph, entity: EntityBase) -> dict[str, Any]:
    return {"id": entity.id, "kind": getattr(entity, "kind", ""), "name": entity.name}


def entity_document(graph: Graph, entity_id: str, base_url: str = SITE_URL) -> dict[str, Any]:
    """`api/v1/entities/<id>.json`: the record (valid against entity.schema.json) plus links.

    `articles` lists the articles that mention the entity, each with every role it plays there
    (the relation, the section — key point, actor, event, scenario, assessment… — the item's ID,
    the role in words and the quotes); `entities` lists the other entities whose facts point
    at it; `co_mentions` ranks the entities named in the same articles.
    """
    entity = graph.entities[entity_id]
    links = graph.backlinks.get(entity_id, [])
    by_article: dict[str, list[Backlink]] = {}
    from_entities: list[dict[str, Any]] = []
    for link in links:
        if link.source_kind == "article":
            by_article.setdefault(link.source, []).append(link)
        elif link.source in graph.entities:
            source = graph.entities[link.source]
            from_entities.append(
                {
                    **_entity_summary(graph, source),
                    **_role_entry(graph, link),
                    "reverse": link.relation.reverse,
                    **_urls("entity", link.source, base_url),
                }
            )
    articles = [
        {
            "id": article_id,
            "title": graph.articles[article_id].source.title,
            "roles": [
                _role_entry(graph, link)
                for link in sorted(by_article[article_id], key=_link_order(graph).__getitem__)
            ],
            **_urls("article", article_id, base_url),
        }
        for article_id in sorted(by_article)
    ]
    return {
        "api_version": API_VERSION,
        "type": "entity",
        "id": entity_id,
        "schema": schema_url("entity"),
        "schema_version": SCHEMA_VERSION,
        **_urls("entity", entity_id, base_url),
        "record": _record_data(graph, entity),
        "articles": articles,
        "entities": sorted(from_entities, key=lambda e: (e["id"], e["pointer"])),
        "co_mentions": _co_mentions(graph, entity_id, base_url),
        "redirects_from": sorted(old for old, new in graph.redirects.items() if new == entity_id),
    }


def _role_entry(graph: Graph, link: Backlink) -> dict[str, Any]:
    """A backlink as the entity and article documents list it (computed once per link;
    callers must not change the dict)."""
    return _memo(graph, "role_entry", _link_key(link), lambda: _compute_role_entry(graph, link))


def _compute_role_entry(graph: Graph, link: Backlink) -> dict[str, Any]:
    role, quotes = describe_link(graph, link)
    return {
        "relation": link.relation.name,
        "label": link.relation.label,
        "section": link.section,
        "item": link.item,
        "role": role,
        "pointer": link.pointer,
        "quotes": list(quotes),
    }


def article_document(
    graph: Graph,
    article_id: str,
    base_url: str = SITE_URL,
    links: dict[str, list[tuple[str, Backlink]]] | None = None,
) -> dict[str, Any]:
    """`api/v1/articles/<id>.json`: the record (valid against article.schema.json) plus the
    entities it refers to, each with its name, kind and URLs.

    `links` is `_article_links(graph)`, passed in when exporting many articles at once.
    """
    article = graph.articles[article_id]
    referenced: dict[str, list[dict[str, Any]]] = {}
    links = _article_links(graph) if links is None else links
    for entity_id, link in links.get(article_id, []):
        referenced.setdefault(entity_id, []).append(_role_entry(graph, link))
    entities = [
        {
            **_entity_summary(graph, graph.entities[entity_id]),
            "roles": roles,
            **_urls("entity", entity_id, base_url),
        }
        for entity_id, roles in sorted(referenced.items())
    ]
    return {
        "api_version": API_VERSION,
        "type": "article",
        "id": article_id,
        "schema": schema_url("article"),
        "schema_version": SCHEMA_VERSION,
        **_urls("article", article_id, base_url),
        "record": _record_data(graph, article),
        "entities": entities,
    }


def index_document(
    graph: Graph, base_url: str = SITE_URL, version: str | None = None
) -> dict[str, Any]:
    """`api/v1/index.json`: every article and entity with its page and JSON URLs."""
    articles, entities = _sorted_records(graph)
    mention_counts = {
        entity_id: len(graph.articles_mentioning(entity_id)) for entity_id in graph.entities
    }
    return {
        "api_version": API_VERSION,
        "schema_version": SCHEMA_VERSION,
        "data_version": version or data_version(graph),
        "site": base_url,
        "counts": {
            "articles": len(articles),
            "entities": len(entities),
            "mentions": sum(
                1
                for links in graph.backlinks.values()
                for link in links
                if link.source_kind == "article"
            ),
            "redirects": len(graph.redirects),
        },
        "schemas": {name: schema_url(name) for name in SCHEMA_NAMES},
        "downloads": {
            "articles_jsonl": base_url + API_PREFIX + "articles.jsonl",
            "entities_jsonl": base_url + API_PREFIX + "entities.jsonl",
            "statements_csv": base_url + API_PREFIX + "statements.csv",
            "sqlite": base_url + API_PREFIX + SQLITE_NAME,
            "datapackage": base_url + "datapackage.json",
        },
        "articles": [
            {
                "id": a.id,
                "title": a.source.title,
                "published": a.source.published.value if a.source.published else None,
                "authors": [author.person for author in a.authors],
                **_urls("article", a.id, base_url),
            }
            for a in articles
        ],
        "entities": [
            {
                **_entity_summary(graph, e),
                "article_count": mention_counts[e.id],
                **_urls("entity", e.id, base_url),
            }
            for e in entities
        ],
        "redirects": dict(sorted(graph.redirects.items())),
    }


# --- statements -----------------------------------------------------------------------------

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


def _safe_cell(value: str) -> str:
    """Neutralise spreadsheet formulas: a cell starting with = + - @ tab or CR gets a `'`."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _quotes(anchors: Iterable[Anchor]) -> str:
    return "\n".join(anchor.quote for anchor in anchors)


def _statements(graph: Graph) -> Iterator[dict[str, str]]:
    articles, entities = _sorted_records(graph)
    links_by_article = _article_links(graph)
    for article in articles:
        for entity_id, link in links_by_article.get(article.id, []):
            node = _item_in(graph, link)[0]
            editorial = getattr(node, "editorial", None)
            role, quotes = describe_link(graph, link)
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
    for entity in entities:
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
        facts = getattr(entity, "facts", None)
        if facts is None:
            continue
        for name in type(facts).model_fields:
            fact = getattr(facts, name)
            if not isinstance(fact, TextFact | RefFact):
                continue
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


def _item_in(graph: Graph, link: Backlink) -> tuple[BaseModel, str]:
    """`_item_at` for the record a backlink comes from (computed once per link)."""
    records: dict[str, Any] = graph.articles if link.source_kind == "article" else graph.entities
    return _memo(
        graph, "item", _link_key(link), lambda: _item_at(records[link.source], link.pointer)
    )


def _item_at(record: BaseModel, pointer: str) -> tuple[BaseModel, str]:
    """The innermost model on the way to `pointer`, and its own JSON pointer."""
    node: Any = record
    found: tuple[BaseModel, str] = (record, "")
    walked = ""
    for part in pointer.strip("/").split("/"):
        walked += f"/{part}"
        if isinstance(node, list):
            node = node[int(part)] if part.isdigit() and int(part) < len(node) else None
        elif isinstance(node, BaseModel):
            node = getattr(node, _field_name(type(node), part), None)
        else:
            break
        if isinstance(node, BaseModel):
            found = (node, walked)
    return found


def _field_name(model: type[BaseModel], key: str) -> str:
    """The attribute behind a JSON key (the key itself unless it is an alias, like `$schema`)."""
    return _attributes(model).get(key, key)


@cache
def _attributes(model: type[BaseModel]) -> dict[str, str]:
    """JSON key → attribute, for every field of `model`."""
    found = {name: name for name in model.model_fields}
    for name, info in model.model_fields.items():
        if info.alias and info.alias not in found:
            found[info.alias] = name
    return found


def statements_csv(graph: Graph) -> bytes:
    """`statements.csv`: one row per record–entity–property–value, with its evidence quotes.

    Article rows: each reference an article makes (property = the relation, value = the role in
    words). Entity rows: kind, name, aliases, description, identifiers and facts. Quotes are
    joined by newlines. Cells that a spreadsheet would run as a formula start with `'`.
    """
    buffer = io.StringIO()
    # CRLF as RFC 4180 says; it also makes the writer quote any cell holding \r or \n, so a
    # carriage return cannot start a new row (and with it an unneutralised formula cell).
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(STATEMENT_COLUMNS)
    for row in _statements(graph):
        writer.writerow([_safe_cell(row[column]) for column in STATEMENT_COLUMNS])
    return buffer.getvalue().encode("utf-8")


# --- SQLite ---------------------------------------------------------------------------------


def _anchors(node: BaseModel, pointer: str = "") -> Iterator[tuple[str, int, Anchor]]:
    """(pointer of the evidence list, index, anchor) for every anchor, in document order."""
    for name, info in type(node).model_fields.items():
        key = info.alias or name
        value = getattr(node, name)
        if isinstance(value, BaseModel):
            yield from _anchors(value, f"{pointer}/{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, Anchor):
                    yield f"{pointer}/{key}", index, item
                elif isinstance(item, BaseModel):
                    yield from _anchors(item, f"{pointer}/{key}/{index}")


def _evidence_rows(record: BaseModel, kind: str, record_id: str) -> Iterator[dict[str, Any]]:
    """Every evidence anchor in a record, with the pointer of the item that carries it."""
    for pointer, index, anchor in _anchors(record):
        item_pointer = pointer.removesuffix("/evidence")
        yield {
            "record_kind": kind,
            "record_id": record_id,
            "article_id": record_id if kind == "article" else None,
            "entity_id": record_id if kind == "entity" else None,
            "item_pointer": item_pointer,
            "pointer": f"{pointer}/{index}",
            "section": item_pointer.strip("/").split("/")[0],
            "quote": anchor.quote,
            "prefix": anchor.prefix,
            "suffix": anchor.suffix,
            "start": anchor.start,
            "end": anchor.end,
        }


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _sqlite_tables(graph: Graph, base_url: str) -> dict[str, list[dict[str, Any]]]:
    articles, entities = _sorted_records(graph)
    tables: dict[str, list[dict[str, Any]]] = {
        "entities": [],
        "articles": [],
        "mentions": [],
        "key_points": [],
        "events": [],
        "scenarios": [],
        "assessments": [],
        "facts": [],
        "evidence": [],
    }
    for entity in entities:
        tables["entities"].append(
            {
                "id": entity.id,
                "kind": getattr(entity, "kind", ""),
                "name": entity.name,
                "aliases": _json_text(entity.aliases),
                "description": entity.description,
                "disambiguation": entity.disambiguation,
                "wikidata": entity.identifiers.wikidata,
                "article_count": len(graph.articles_mentioning(entity.id)),
                "url": base_url + page_path("entity", entity.id),
                "json_url": base_url + json_path("entity", entity.id),
                "record": _json_text(_record_data(graph, entity)),
            }
        )
        facts = getattr(entity, "facts", None)
        if facts is not None:
            for name in type(facts).model_fields:
                fact = getattr(facts, name)
                if not isinstance(fact, TextFact | RefFact):
                    continue
                value = fact.value
                target = graph.resolve(value) if isinstance(fact, RefFact) else None
                tables["facts"].append(
                    {
                        "entity_id": entity.id,
                        "property": name,
                        "value": value,
                        "value_entity_id": target if target in graph.entities else None,
                        "article_id": fact.article if fact.article in graph.articles else None,
                        "editorial_basis": fact.editorial.basis if fact.editorial else None,
                    }
                )
        tables["evidence"].extend(_evidence_rows(entity, "entity", entity.id))
    for article in articles:
        source = article.source
        publisher = source.publisher.entity if source.publisher else None
        tables["articles"].append(
            {
                "id": article.id,
                "title": source.title,
                "subtitles": _json_text(source.subtitles),
                "source_url": source.url,
                "published": source.published.value if source.published else None,
                "publisher_id": graph.resolve(publisher) if publisher else None,
                "language": source.language,
                "rights": source.rights,
                "authors": _json_text([a.person for a in article.authors]),
                "url": base_url + page_path("article", article.id),
                "json_url": base_url + json_path("article", article.id),
                "record": _json_text(_record_data(graph, article)),
            }
        )
        for index, point in enumerate(article.key_points):
            tables["key_points"].append(
                {
                    "id": f"{article.id}/key_points/{index}",
                    "article_id": article.id,
                    "position": index,
                    "text": point.text,
                    "voice": point.voice,
                    "attributed_to": _known(graph, point.attributed_to),
                    "mentions": _json_text([graph.resolve(m) for m in point.mentions]),
                }
            )
        for index, event in enumerate(article.events):
            tables["events"].append(
                {
                    "id": f"{article.id}/events/{event.id}",
                    "article_id": article.id,
                    "local_id": event.id,
                    "position": index,
                    "date": event.date.value if event.date else None,
                    "date_label": event.date.label_in_source if event.date else None,
                    "description": event.description,
                    "actors": _json_text([graph.resolve(e) for e in event.actors]),
                    "places": _json_text([graph.resolve(e) for e in event.places]),
                    "weapon_systems": _json_text([graph.resolve(e) for e in event.weapon_systems]),
                }
            )
        for index, scenario in enumerate(article.scenarios):
            tables["scenarios"].append(
                {
                    "id": f"{article.id}/scenarios/{scenario.id}",
                    "article_id": article.id,
                    "local_id": scenario.id,
                    "position": index,
                    "title": scenario.title,
                    "conditions": _json_text(scenario.conditions),
                    "outcomes": _json_text(scenario.outcomes),
                    "actors": _json_text([graph.resolve(e) for e in scenario.actors]),
                    "timeframe": scenario.timeframe,
                    "likelihood_wording": scenario.likelihood.wording,
                    "likelihood_estimate": scenario.likelihood.estimate,
                    "resolution_status": scenario.resolution.status,
                    "resolution_note": scenario.resolution.note,
                    "voice": scenario.voice,
                    "attributed_to": _known(graph, scenario.attributed_to),
                }
            )
        for index, assessment in enumerate(article.assessments):
            tables["assessments"].append(
                {
                    "id": f"{article.id}/assessments/{assessment.id}",
                    "article_id": article.id,
                    "local_id": assessment.id,
                    "position": index,
                    "text": assessment.text,
                    "subjects": _json_text([graph.resolve(e) for e in assessment.subjects]),
                    "stance": assessment.stance,
                    "voice": assessment.voice,
                    "attributed_to": _known(graph, assessment.attributed_to),
                }
            )
        tables["evidence"].extend(_evidence_rows(article, "article", article.id))
    for article_id, pairs in _article_links(graph).items():
        for entity_id, link in pairs:
            role, _ = describe_link(graph, link)
            _, item_pointer = _item_in(graph, link)
            tables["mentions"].append(
                {
                    "article_id": article_id,
                    "entity_id": entity_id,
                    "relation": link.relation.name,
                    "label": link.relation.label,
                    "role": role,
                    "section": link.section,
                    "item": link.item,
                    **_item_keys(link),
                    "pointer": link.pointer,
                    "item_pointer": item_pointer,
                }
            )
    for position, row in enumerate(tables["mentions"], start=1):
        row["id"] = position
    for position, row in enumerate(tables["facts"], start=1):
        row["id"] = position
    for position, row in enumerate(tables["evidence"], start=1):
        row["id"] = position
    return tables


def _known(graph: Graph, entity_id: str | None) -> str | None:
    if entity_id is None:
        return None
    target = graph.resolve(entity_id)
    return target if target in graph.entities else None


def _item_keys(link: Backlink) -> dict[str, str | None]:
    """Keys of the key_points / events / scenarios row a mention sits in (foreign keys)."""
    keys: dict[str, str | None] = {
        "key_point_id": None,
        "event_id": None,
        "scenario_id": None,
        "assessment_id": None,
    }
    if link.section == "key_points":
        keys["key_point_id"] = f"{link.source}/key_points/{link.pointer.split('/')[2]}"
    elif link.section == "events":
        keys["event_id"] = f"{link.source}/events/{link.item}"
    elif link.section == "scenarios":
        keys["scenario_id"] = f"{link.source}/scenarios/{link.item}"
    elif link.section == "assessments":
        keys["assessment_id"] = f"{link.source}/assessments/{link.item}"
    return keys


_SQLITE_SPEC: dict[str, dict[str, Any]] = {
    "entities": {"pk": "id", "fks": [], "fts": ["name", "aliases", "description"]},
    "articles": {
        "pk": "id",
        "fks": [("publisher_id", "entities", "id")],
        "fts": ["title", "subtitles"],
    },
    "key_points": {
        "pk": "id",
        "fks": [("article_id", "articles", "id"), ("attributed_to", "entities", "id")],
        "fts": ["text"],
    },
    "events": {
        "pk": "id",
        "fks": [("article_id", "articles", "id")],
        "fts": ["description"],
    },
    "scenarios": {
        "pk": "id",
        "fks": [("article_id", "articles", "id"), ("attributed_to", "entities", "id")],
        "fts": ["title", "conditions", "outcomes"],
    },
    "assessments": {
        "pk": "id",
        "fks": [("article_id", "articles", "id"), ("attributed_to", "entities", "id")],
        "fts": ["text"],
    },
    "mentions": {
        "pk": "id",
        "fks": [
            ("article_id", "articles", "id"),
            ("entity_id", "entities", "id"),
            ("key_point_id", "key_points", "id"),
            ("event_id", "events", "id"),
            ("scenario_id", "scenarios", "id"),
            ("assessment_id", "assessments", "id"),
        ],
        "fts": ["role"],
    },
    "facts": {
        "pk": "id",
        "fks": [
            ("entity_id", "entities", "id"),
            ("value_entity_id", "entities", "id"),
            ("article_id", "articles", "id"),
        ],
        "fts": [],
    },
    "evidence": {
        "pk": "id",
        "fks": [("article_id", "articles", "id"), ("entity_id", "entities", "id")],
        "fts": ["quote"],
        "indexes": [["record_id", "item_pointer"]],
    },
}

#: Column types where the first row cannot tell (every value may be None).
_COLUMN_TYPES: dict[str, dict[str, type]] = {
    "entities": {"disambiguation": str, "wikidata": str},
    "articles": {"source_url": str, "published": str, "publisher_id": str},
    "key_points": {"attributed_to": str},
    "events": {"date": str, "date_label": str},
    "scenarios": {
        "timeframe": str,
        "likelihood_wording": str,
        "likelihood_estimate": str,
        "resolution_note": str,
        "attributed_to": str,
    },
    "assessments": {"attributed_to": str},
    "mentions": {
        "key_point_id": str,
        "event_id": str,
        "scenario_id": str,
        "assessment_id": str,
    },
    "facts": {"value_entity_id": str, "article_id": str, "editorial_basis": str},
    "evidence": {
        "article_id": str,
        "entity_id": str,
        "prefix": str,
        "suffix": str,
        "start": int,
        "end": int,
    },
}


def export_sqlite(graph: Graph, base_url: str = SITE_URL) -> bytes:
    """A SQLite database of the corpus, built with sqlite-utils, as bytes.

    Tables: articles, entities, mentions (article × entity × relation × role), key_points,
    events, scenarios, assessments, facts, evidence; primary and foreign keys; full-text
    search (FTS5) on names, aliases and texts. `datasette stratlas.db` browses it as it is.

    The bytes are the same on every run with the same SQLite library: tables, rows and indexes
    go in in a fixed order, in a private temporary file that is VACUUMed at the end.
    """
    import sqlite_utils

    tables = _sqlite_tables(graph, base_url)
    handle, name = tempfile.mkstemp(prefix="stratlas-", suffix=".db")
    os.close(handle)
    path = Path(name)
    try:
        connection = sqlite3.connect(path)
        try:
            # A private temporary file: no need for durability while it is built.
            connection.execute("PRAGMA synchronous=OFF")
            connection.execute("PRAGMA journal_mode=MEMORY")
            connection.execute(f"PRAGMA user_version={int(SCHEMA_VERSION.split('.')[0])}")
            db = sqlite_utils.Database(connection)
            inserts: list[tuple[str, list[tuple[Any, ...]]]] = []
            for table, spec in _SQLITE_SPEC.items():
                rows = tables[table]
                columns = _columns(rows, _COLUMN_TYPES.get(table, {}))
                db.table(table).create(
                    columns, pk=spec["pk"], foreign_keys=spec["fks"], not_null={spec["pk"]}
                )
                names = ", ".join(f'"{column}"' for column in columns)
                marks = ", ".join("?" for _ in columns)
                inserts.append(
                    (
                        f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
                        [tuple(map(row.get, columns)) for row in rows],
                    )
                )
            with connection:
                for statement, values in inserts:
                    connection.executemany(statement, values)
            for table, spec in _SQLITE_SPEC.items():
                for column, _, _ in spec["fks"]:
                    db.table(table).create_index([column], find_unique_name=True)
                for columns in spec.get("indexes", []):
                    db.table(table).create_index(columns, find_unique_name=True)
                if spec["fts"]:
                    db.table(table).enable_fts(
                        spec["fts"], create_triggers=False, tokenize="unicode61"
                    )
            connection.commit()
            connection.execute("PRAGMA journal_mode=DELETE")
            connection.execute("VACUUM")
        finally:
            connection.close()
        return path.read_bytes()
    finally:
        path.unlink(missing_ok=True)


def _columns(rows: list[dict[str, Any]], hints: dict[str, type]) -> dict[str, type]:
    columns: dict[str, type] = {}
    for row in rows:
        for key, value in row.items():
            if key not in columns and value is not None:
                columns[key] = type(value)
    for key, kind in hints.items():
        columns.setdefault(key, kind)
    # The primary key first, then the rest in the order the rows give them.
    ordered = {"id": columns.pop("id", str)}
    for row in rows[:1]:
        ordered.update({k: columns[k] for k in row if k in columns})
    ordered.update(columns)
    return ordered


# --- Data Package ---------------------------------------------------------------------------

_MEDIA = {
    ".json": ("json", "application/json"),
    ".jsonl": ("jsonl", "application/jsonl"),
    ".csv": ("csv", "text/csv"),
    ".db": ("sqlite", "application/vnd.sqlite3"),
}


def _resource(path: str, data: bytes, **extra: Any) -> dict[str, Any]:
    suffix = Path(path).suffix
    format_, media = _MEDIA[suffix]
    if path.endswith(".schema.json"):
        media = "application/schema+json"
    name = Path(path).name.replace(".", "-").lower()
    resource: dict[str, Any] = {
        "name": name,
        "path": path,
        "format": format_,
        "mediatype": media,
        "bytes": len(data),
        "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
    }
    if format_ != "sqlite":
        resource["encoding"] = "utf-8"
    resource.update(extra)
    return resource


def _statements_table_schema() -> dict[str, Any]:
    descriptions = {
        "record_kind": "`article` or `entity`: the kind of record the statement comes from.",
        "record_id": "ID of the record the statement comes from.",
        "entity_id": "The entity the statement is about.",
        "property": "The relation (article rows) or the entity property / fact name.",
        "value": "The value: an article's words for the entity's role, or the property value.",
        "value_entity_id": "When the value is itself an entity, its (current) ID.",
        "pointer": "JSON pointer of the value inside the record.",
        "evidence": "Quotes from the source snapshot backing the statement, one per line.",
        "evidence_article_id": "The article whose snapshot the quotes come from.",
        "editorial_basis": "Set when the statement is an editorial addition: on what basis.",
    }
    return {
        "fields": [
            {"name": column, "type": "string", "description": descriptions[column]}
            for column in STATEMENT_COLUMNS
        ],
        "missingValues": [""],
    }


def datapackage(
    files: dict[str, bytes], graph: Graph, base_url: str = SITE_URL, version: str | None = None
) -> dict[str, Any]:
    """A Frictionless Data Package (v2) describing every download in `files`.

    `files` maps site-relative paths to bytes (as `api_files` returns them); resources give
    media types, sizes, SHA-256 hashes, licences (data CC-BY-4.0, schemas MIT) and schema links.
    """
    resources: list[dict[str, Any]] = []
    schemas = {
        "articles": schema_url("article"),
        "entities": schema_url("entity"),
    }
    described: dict[str, dict[str, Any]] = {
        f"{API_PREFIX}index.json": {
            "title": "Index",
            "description": "Every article and entity with its page URL and JSON URL, counts, "
            "the schema version and the data version.",
        },
        f"{API_PREFIX}articles.jsonl": {
            "title": "Articles",
            "description": "Every article record, one JSON object a line, sorted by ID.",
            "jsonSchema": schemas["articles"],
        },
        f"{API_PREFIX}entities.jsonl": {
            "title": "Entities",
            "description": "Every entity record, one JSON object a line, sorted by ID.",
            "jsonSchema": schemas["entities"],
        },
        f"{API_PREFIX}statements.csv": {
            "title": "Statements",
            "description": "One row per record–entity–property–value with its evidence quotes. "
            "Cells that would start a spreadsheet formula are prefixed with `'`.",
            "type": "table",
            "dialect": {
                "header": True,
                "delimiter": ",",
                "quoteChar": '"',
                "lineTerminator": "\r\n",
            },
            "schema": _statements_table_schema(),
        },
        f"{API_PREFIX}{SQLITE_NAME}": {
            "title": "SQLite database",
            "description": "Articles, entities, mentions, key points, events, scenarios, "
            "assessments, facts and evidence with keys and full-text search; opens in Datasette "
            "as it is.",
        },
    }
    for name in SCHEMA_NAMES:
        described[f"{SCHEMA_PREFIX}{name}.schema.json"] = {
            "title": f"{name.capitalize()} JSON Schema",
            "description": f"JSON Schema (draft 2020-12) of {name} records; `$id` is its URL.",
            "licenses": [CODE_LICENSE],
        }
    for path, extra in described.items():
        if path in files:
            resources.append(_resource(path, files[path], **extra))
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "stratlas",
        "title": "Stratlas",
        "description": "Validated, cross-linked, machine-readable records of security and "
        "foreign-policy analysis: articles, the entities they name, and the evidence.",
        "homepage": base_url,
        "keywords": ["security", "foreign policy", "analysis", "knowledge graph"],
        "licenses": [DATA_LICENSE],
        "sources": [{"title": "Stratlas records", "path": base_url}],
        "x-data-version": version or data_version(graph),
        "resources": resources,
    }


# --- everything -----------------------------------------------------------------------------


def api_files(graph: Graph, *, base_url: str = SITE_URL, sqlite: bool = True) -> dict[str, bytes]:
    """Every downstream file, keyed by its path relative to the site root.

    `api/v1/index.json`, `api/v1/articles/<id>.json`, `api/v1/entities/<id>.json`,
    `api/v1/articles.jsonl`, `api/v1/entities.jsonl`, `api/v1/statements.csv`,
    `api/v1/stratlas.db` (unless `sqlite=False`), `schema/v1/<name>.schema.json` and
    `datapackage.json`. Page URLs are `articles/<id>/` and `entities/<id>/` under `base_url`.

    Example:
        >>> files = api_files(graph)                                # doctest: +SKIP
        >>> json.loads(files["api/v1/index.json"])["counts"]        # doctest: +SKIP
        {'articles': 2, 'entities': 12, 'mentions': 40, 'redirects': 0}
    """
    if not base_url.endswith("/"):
        base_url += "/"
    articles = articles_jsonl(graph)
    entities = entities_jsonl(graph)
    version = _data_version(articles, entities, graph.redirects)
    files: dict[str, bytes] = {
        f"{API_PREFIX}index.json": dumps(index_document(graph, base_url, version)),
        f"{API_PREFIX}articles.jsonl": articles,
        f"{API_PREFIX}entities.jsonl": entities,
        f"{API_PREFIX}statements.csv": statements_csv(graph),
    }
    links = _article_links(graph)
    for article_id in sorted(graph.articles):
        files[json_path("article", article_id)] = dumps(
            article_document(graph, article_id, base_url, links)
        )
    for entity_id in sorted(graph.entities):
        files[json_path("entity", entity_id)] = dumps(entity_document(graph, entity_id, base_url))
    if sqlite:
        files[f"{API_PREFIX}{SQLITE_NAME}"] = export_sqlite(graph, base_url)
    for name, schema in generate_schemas().items():
        dumps(schema)  # raises unless the schema is I-JSON
        # The same bytes as the committed schema/<name>.schema.json (key order kept).
        files[f"{SCHEMA_PREFIX}{name}.schema.json"] = dump_schema(schema).encode("utf-8")
    files["datapackage.json"] = dumps(datapackage(files, graph, base_url, version))
    return dict(sorted(files.items()))
