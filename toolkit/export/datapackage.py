"""The Frictionless Data Package (v2) descriptor of the downloads (`datapackage.json`)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from toolkit.export.changes import CHANGE_FIELDS
from toolkit.export.forecasts import FORECAST_COLUMNS, column_name
from toolkit.export.parquet import PARQUET_TABLES, PARQUET_TITLES, parquet_columns
from toolkit.export.records import Published, data_version
from toolkit.export.spool import Digest
from toolkit.export.statements import STATEMENT_COLUMNS
from toolkit.format.schemas import SCHEMA_NAMES
from toolkit.format.urls import (
    API_PREFIX,
    CHANGES_NAME,
    SCHEMA_PREFIX,
    SITE_URL,
    SQLITE_NAME,
    feed_path,
    feed_pattern,
    parquet_name,
    schema_url,
)
from toolkit.link import Graph
from toolkit.link.likelihood import MAPPINGS

__all__ = ["CODE_LICENSE", "DATA_LICENSE", "Digest", "datapackage"]

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


#: suffix → (format, media type, frictionless resource type or None). The v2 profile lists
#: only "table" as a resource `type`, but frictionless reads a resource with none by its
#: path: `*.schema.json` as a Table Schema and JSON Lines as a table of rows (which the
#: records are not). "json" and "text" are the types frictionless knows for reading such a
#: file whole, so the package validates with the reference implementation.
_MEDIA = {
    ".json": ("json", "application/json", "json"),
    ".jsonl": ("jsonl", "application/jsonl", "text"),
    ".csv": ("csv", "text/csv", None),
    ".db": ("sqlite", "application/vnd.sqlite3", None),
    ".atom": ("atom", "application/atom+xml", "text"),
    # "file": checked by size and hash; frictionless would need fastparquet to read the rows.
    ".parquet": ("parquet", "application/vnd.apache.parquet", "file"),
}

#: Binary formats: a resource in one has no text encoding.
_BINARY = ("sqlite", "parquet")


#: How the CSV downloads are written (RFC 4180, as toolkit/export/statements.py writes them).
_CSV_DIALECT = {"header": True, "delimiter": ",", "quoteChar": '"', "lineTerminator": "\r\n"}


def _resource(path: str, data: bytes | Digest, **extra: Any) -> dict[str, Any]:
    digest = data if isinstance(data, Digest) else Digest.of(data)
    suffix = Path(path).suffix
    format_, media, type_ = _MEDIA[suffix]
    if path.endswith(".schema.json"):
        media = "application/schema+json"
    name = Path(path).name.replace(".", "-").lower()
    resource: dict[str, Any] = {
        "name": name,
        "path": path,
        "format": format_,
        "mediatype": media,
        "bytes": digest.size,
        "hash": "sha256:" + digest.sha256,
    }
    if type_ is not None:
        resource["type"] = type_
    if format_ not in _BINARY:
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


_FIELD_DOCS: dict[str, tuple[str, str]] = {
    "question_id": ("string", "`<article>/scenarios/<scenario>`: the scenario, once per corpus."),
    "article_id": ("string", "The article the scenario is in."),
    "scenario_id": ("string", "The scenario's ID within its article."),
    "author_id": ("string", "The author credited (one row per author); empty when unsigned."),
    "forecast_date": ("string", "The article's publication date, maybe partial (YYYY[-MM])."),
    "title": ("string", "The scenario's title."),
    "wording": ("string", "The source's own hedge, verbatim."),
    "term": ("string", "The ICD 203 term the wording supports; empty when none."),
    "voice": ("string", "`author` (the author's own forecast) or `attributed`."),
    "status": ("string", "`open`, `happened` or `did-not-happen`."),
    "outcome": ("integer", "1 if it happened, 0 if it did not; empty while open."),
    "unscored_reason": ("string", "Why it is not scored: attributed, no-estimate, open."),
    "hit": ("boolean", "Whether the term leaned the way things went; empty unless scored."),
}


def _mapping_doc(column: str) -> tuple[str, str]:
    kind, _, rest = column.partition("_")
    for mapping in MAPPINGS:
        name = column_name(mapping)
        if rest.startswith(name):
            end = rest.removeprefix(name).lstrip("_")
            what = "Probability" if kind == "p" else "Brier score (p - o)^2"
            where = {"low": ", the band's low edge", "high": ", the band's high edge"}.get(
                end, {"best": ", the best inside the band", "worst": ", the worst"}.get(end, "")
            )
            return "number", f"{what} under {mapping.title}{where}; empty when not mapped."
    raise KeyError(column)


def _forecasts_table_schema() -> dict[str, Any]:
    """The Table Schema of `forecasts.csv`, for `datapackage.json`."""
    fields = []
    for column in FORECAST_COLUMNS:
        kind, doc = _FIELD_DOCS[column] if column in _FIELD_DOCS else _mapping_doc(column)
        field: dict[str, Any] = {"name": column, "type": kind, "description": doc}
        if kind == "boolean":
            field["trueValues"], field["falseValues"] = ["true"], ["false"]
        fields.append(field)
    return {"fields": fields, "missingValues": [""]}


def _parquet_resource(table: str) -> dict[str, Any]:
    title, description = PARQUET_TITLES[table]
    return {
        "title": title,
        "description": description + " Readable as is by DuckDB, Spark, pandas and polars.",
        "x-columns": [
            {"name": name, "type": kind} for name, kind in parquet_columns(table).items()
        ],
    }


def datapackage(
    files: Mapping[str, bytes | Digest],
    graph: Graph,
    base_url: str = SITE_URL,
    version: str | None = None,
    published: Published | None = None,
) -> dict[str, Any]:
    """A Frictionless Data Package (v2) describing every download in `files`.

    `files` maps site-relative paths to bytes (as `api_files` returns them) or to their
    `Digest`s; resources give
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
            "the schema version, the data version and the change file's URL (null when the "
            "change file is not published).",
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
            "dialect": _CSV_DIALECT,
            "schema": _statements_table_schema(),
        },
        f"{API_PREFIX}forecasts.csv": {
            "title": "Forecasts",
            "description": "Every scenario as a forecast, one row per scenario and author, shaped "
            "like GJP Data: forecast date, ICD 203 term, probability and Brier score under each "
            "mapping, outcome. Cells that would start a spreadsheet formula are prefixed with `'`.",
            "type": "table",
            "dialect": _CSV_DIALECT,
            "schema": _forecasts_table_schema(),
        },
        f"{API_PREFIX}forecasts.jsonl": {
            "title": "Forecasts (JSON Lines)",
            "description": "The rows of forecasts.csv as JSON objects, one a line.",
        },
        f"{API_PREFIX}scores.json": {
            "title": "Forecast scores",
            "description": "The scoring method, the calibration table per ICD 203 term and each "
            "author's counts and mean Brier scores (null below the stated minimum).",
        },
        f"{API_PREFIX}{CHANGES_NAME}": {
            "title": "Changes",
            "description": "One JSON object a line per record-level change in the git history "
            "of the records, oldest first (commit order, then kind, ID and op): "
            + " ".join(f"`{key}`: {doc}" for key, doc in CHANGE_FIELDS.items()),
        },
        f"{API_PREFIX}{SQLITE_NAME}": {
            "title": "SQLite database",
            "description": "Articles, entities, mentions, key points, events, scenarios, "
            "assessments, facts, evidence, forecasts and their scores with keys and full-text search; opens in Datasette "
            "as it is.",
        },
        feed_path("site"): {
            "title": "Atom feed",
            "description": "The newest articles, new or updated, as an Atom feed (RFC 4287). "
            "Each entity that articles refer to has a feed of its own, and so has each author: "
            "`x-feeds` gives their paths, `{id}` standing for the entity's ID (they are not "
            "listed: there are thousands).",
            "x-feeds": {scope: feed_pattern(scope) for scope in ("entity", "author")},
        },
    }
    for table in PARQUET_TABLES:
        described[f"{API_PREFIX}{parquet_name(table)}"] = _parquet_resource(table)
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
        "x-data-version": version or data_version(graph, published),
        "resources": resources,
    }
