"""The SQLite database: table spec (keys, foreign keys, full-text search), column types and
the writer (`export_sqlite`); the rows come from `toolkit.export.sqlite_rows`."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from itertools import chain
from pathlib import Path
from typing import Any

from toolkit.export.forecasts import FORECAST_COLUMNS, SCORE_COLUMNS
from toolkit.export.records import Published
from toolkit.export.sqlite_rows import TABLES, Row
from toolkit.format.urls import SITE_URL
from toolkit.link import Graph
from toolkit.models import SCHEMA_VERSION

__all__ = ["export_sqlite", "write_sqlite"]

#: Per table: primary key, foreign keys (column, table, column), full-text-search columns and
#: further indexes; tables are created, filled and indexed in this order.
_SQLITE_SPEC: dict[str, dict[str, Any]] = {
    "entities": {"pk": "id", "fks": [], "fts": ["name", "aliases", "description"]},
    "articles": {
        "pk": "id",
        "fks": [("publisher_id", "entities", "id")],
        "fts": ["title", "subtitles"],
    },
    "key_points": {
        "pk": "id",
        "fks": [
            ("article_id", "articles", "id"),
            ("attributed_to", "entities", "id"),
            ("attributed_group_entity", "entities", "id"),
        ],
        "fts": ["text"],
    },
    "events": {
        "pk": "id",
        "fks": [("article_id", "articles", "id"), ("event_entity", "entities", "id")],
        "fts": ["description"],
    },
    "scenarios": {
        "pk": "id",
        "fks": [
            ("article_id", "articles", "id"),
            ("attributed_to", "entities", "id"),
            ("attributed_group_entity", "entities", "id"),
        ],
        "fts": ["title", "conditions", "outcomes"],
    },
    "assessments": {
        "pk": "id",
        "fks": [
            ("article_id", "articles", "id"),
            ("attributed_to", "entities", "id"),
            ("attributed_group_entity", "entities", "id"),
        ],
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
    "forecasts": {
        "pk": "id",
        "fks": [
            ("question_id", "scenarios", "id"),
            ("article_id", "articles", "id"),
            ("author_id", "entities", "id"),
        ],
        "fts": [],
    },
    "author_scores": {"pk": "id", "fks": [("author_id", "entities", "id")], "fts": []},
    "term_scores": {"pk": "id", "fks": [], "fts": []},
}

#: Column types where the first row cannot tell (its value may be None).
_COLUMN_TYPES: dict[str, dict[str, type]] = {
    "entities": {"disambiguation": str, "wikidata": str},
    "articles": {"source_url": str, "published": str, "publisher_id": str},
    "key_points": {"attributed_to": str, "attributed_group": str, "attributed_group_entity": str},
    "events": {
        "date": str,
        "date_label": str,
        "date_earliest": str,
        "date_latest": str,
        "event_entity": str,
    },
    "scenarios": {
        "due": str,
        "resolved_on": str,
        "timeframe": str,
        "likelihood_wording": str,
        "likelihood_estimate": str,
        "resolution_note": str,
        "attributed_to": str,
        "attributed_group": str,
        "attributed_group_entity": str,
    },
    "assessments": {"attributed_to": str, "attributed_group": str, "attributed_group_entity": str},
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
    "forecasts": dict.fromkeys(FORECAST_COLUMNS, str)
    | dict.fromkeys(("outcome", "hit"), int)
    | {column: float for column in FORECAST_COLUMNS if column.startswith(("p_", "brier_"))},
    "author_scores": {"author_id": str, "unscored_share": float}
    | {column: float for column in SCORE_COLUMNS},
    "term_scores": {"observed": float, "against_band": str}
    | {column: float for column in SCORE_COLUMNS},
}


def export_sqlite(
    graph: Graph, base_url: str = SITE_URL, published: Published | None = None
) -> bytes:
    """`write_sqlite` into a private temporary file, as bytes."""
    handle, name = tempfile.mkstemp(prefix="stratlas-", suffix=".db")
    os.close(handle)
    path = Path(name)
    try:
        path.unlink()
        write_sqlite(graph, path, base_url, published)
        return path.read_bytes()
    finally:
        path.unlink(missing_ok=True)


def write_sqlite(
    graph: Graph, path: Path, base_url: str = SITE_URL, published: Published | None = None
) -> None:
    """A SQLite database of the corpus, built with sqlite-utils, at `path` (a new file).

    Tables: articles, entities, mentions (article × entity × relation × role), key_points,
    events, scenarios, assessments, facts, evidence, forecasts, author_scores, term_scores;
    primary and foreign keys; full-text search (FTS5) on names, aliases and texts.
    `datasette stratlas.db` browses it as it is.

    Rows go in as they are made, table by table (all of them at once would hold gigabytes
    at 10,000 articles). The bytes are the same on every run with the same SQLite library:
    tables, rows and indexes go in in a fixed order, and the file is VACUUMed at the end.
    """
    import sqlite_utils

    published = published or Published(graph)
    connection = sqlite3.connect(path)
    try:
        # A file nobody reads before it is finished: no need for durability while it is built.
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute("PRAGMA journal_mode=MEMORY")
        connection.execute(f"PRAGMA user_version={int(SCHEMA_VERSION.split('.')[0])}")
        db = sqlite_utils.Database(connection)
        with connection:
            for table, spec in _SQLITE_SPEC.items():
                rows = iter(TABLES[table](published, base_url))
                first = next(rows, None)
                columns = _columns(first, _COLUMN_TYPES.get(table, {}))
                db.table(table).create(
                    columns, pk=spec["pk"], foreign_keys=spec["fks"], not_null={spec["pk"]}
                )
                if first is None:
                    continue
                names = ", ".join(f'"{column}"' for column in columns)
                marks = ", ".join("?" for _ in columns)
                connection.executemany(
                    f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
                    (tuple(map(row.get, columns)) for row in chain((first,), rows)),
                )
        for table, spec in _SQLITE_SPEC.items():
            for column, _, _ in spec["fks"]:
                db.table(table).create_index([column], find_unique_name=True)
            for columns in spec.get("indexes", []):
                db.table(table).create_index(columns, find_unique_name=True)
            if spec["fts"]:
                db.table(table).enable_fts(spec["fts"], create_triggers=False, tokenize="unicode61")
        connection.commit()
        connection.execute("PRAGMA journal_mode=DELETE")
        connection.execute("VACUUM")
    finally:
        connection.close()


def _columns(first: Row | None, hints: dict[str, type]) -> dict[str, type]:
    """The columns of a table whose first row is `first`: the primary key, then the row's
    keys in order, then any hinted column the row lacks. A column's type is its value's in
    the first row, or the hint where that value is None, or text."""
    columns: dict[str, type] = {"id": str}
    for key, value in (first or {}).items():
        columns[key] = type(value) if value is not None else hints.get(key, str)
    for key, kind in hints.items():
        columns.setdefault(key, kind)
    return columns
