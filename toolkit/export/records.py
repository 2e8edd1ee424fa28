"""Records as published: canonical I-JSON, each record's normalised data, JSON Lines, the data
version, and `Published`, what the export files of one graph share.

JSON is I-JSON (RFC 7493): UTF-8 without BOM, unique keys, only integers within ±(2**53 - 1),
keys sorted wherever their order carries no meaning, lists kept in record order, one final newline.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from functools import cache, cached_property
from typing import Any, BinaryIO

import orjson
from pydantic import BaseModel

from toolkit.export.spool import Digest
from toolkit.format.urls import schema_url
from toolkit.link import Graph
from toolkit.link.describe import Links
from toolkit.link.forecasts import ForecastReport, forecast_report
from toolkit.models import Article, EntityBase, RefFact, TextFact

__all__ = [
    "NULLABLE_MODELS",
    "Published",
    "articles_jsonl",
    "data_version",
    "dumps",
    "entities_jsonl",
    "jsonl",
    "record_data",
    "version_of",
    "write_jsonl",
]


_JSON_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_STRICT_INTEGER


def dumps(value: Any, *, indent: bool = True) -> bytes:
    """Canonical published JSON: sorted keys, UTF-8 (not ASCII-escaped), final newline.

    `indent=False` gives one compact line (for JSON Lines), still with sorted keys. I-JSON is
    enforced: an integer beyond ±(2**53 - 1), a lone surrogate or a non-string key raises
    `ValueError`. (The record formats have no fractional numbers, so no NaN can arise; the
    scores' are means over non-empty lists, finite by construction.)
    """
    option = _JSON_OPTIONS | orjson.OPT_INDENT_2 if indent else _JSON_OPTIONS
    try:
        return orjson.dumps(value, option=option) + b"\n"
    except orjson.JSONEncodeError as exc:
        raise ValueError(f"cannot publish as I-JSON: {exc}") from exc


def jsonl(rows: Iterable[Any]) -> bytes:
    """JSON Lines: one compact `dumps` a line."""
    return b"".join(dumps(row, indent=False) for row in rows)


def write_jsonl(rows: Iterable[Any], out: BinaryIO) -> None:
    """`jsonl(rows)` into `out`, a line at a time."""
    for row in rows:
        out.write(dumps(row, indent=False))


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


class Published:
    """One graph as the export files publish it: the pieces several files publish (each
    record's data, each link's role in words, the forecasts), in one place. Callers must not
    change what comes back."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.links = Links(graph)
        #: The records, sorted by ID.
        self.articles = [graph.articles[k] for k in sorted(graph.articles)]
        self.entities = [graph.entities[k] for k in sorted(graph.entities)]

    @cached_property
    def forecasts(self) -> ForecastReport:
        """The scenarios scored as forecasts (`toolkit.link.forecasts`), computed once."""
        return forecast_report(self.graph)

    def data(self, model: Article | EntityBase) -> dict[str, Any]:
        """`record_data(model)`: made again on each call (two seconds for 10,000 articles),
        since keeping every record's data for the files that publish it took gigabytes."""
        return record_data(model)


def articles_jsonl(graph: Graph, published: Published | None = None) -> bytes:
    """Every article record, one a line, sorted by ID."""
    published = published or Published(graph)
    return jsonl(published.data(a) for a in published.articles)


def entities_jsonl(graph: Graph, published: Published | None = None) -> bytes:
    """Every entity record, one a line, sorted by ID."""
    published = published or Published(graph)
    return jsonl(published.data(e) for e in published.entities)


def data_version(graph: Graph, published: Published | None = None) -> str:
    """A content hash of the records: SHA-256 over articles.jsonl, entities.jsonl, redirects.

    It changes exactly when published data changes, so a consumer can tell whether to refetch.
    """
    published = published or Published(graph)
    articles = articles_jsonl(graph, published)
    return version_of(articles, entities_jsonl(graph, published), graph.redirects)


def version_of(
    articles: bytes | Digest, entities: bytes | Digest, redirects: dict[str, str]
) -> str:
    """`data_version` from the JSON Lines already made (or their digests)."""
    digest = hashlib.sha256()
    for part in (articles, entities, dumps(dict(sorted(redirects.items())), indent=False)):
        if isinstance(part, Digest):
            digest.update(bytes.fromhex(part.sha256))
        else:
            digest.update(hashlib.sha256(part).digest())
    return "sha256:" + digest.hexdigest()


def entity_facts(entity: EntityBase) -> Iterator[tuple[str, TextFact | RefFact]]:
    """(name, fact) of every fact an entity states, in its kind's field order."""
    facts = getattr(entity, "facts", None)
    if facts is None:
        return
    for name in type(facts).model_fields:
        fact = getattr(facts, name)
        if isinstance(fact, TextFact | RefFact):
            yield name, fact
