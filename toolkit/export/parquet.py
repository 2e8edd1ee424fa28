"""Parquet tables for DuckDB, Spark and pandas: `api/v1/<table>.parquet`.

The rows are those of the other downloads (one place for each table's columns): the SQLite
builders of `toolkit.export.sqlite_rows` for articles, entities, mentions, scenarios and
forecasts, and `statement_rows` for the statements. Each table has a declared Arrow schema, so
that a column's type never depends on which rows a corpus happens to hold; a list that SQLite
keeps as JSON text (aliases, authors, actors…) is a list of strings here.

pyarrow is an optional extra (`pip install 'stratlas[parquet]'`): without it the build leaves
the Parquet files out, and `stratlas export --format parquet` says what to install.

Rows go to the file in row groups of at most `ROW_GROUP_ROWS` rows or about `ROW_GROUP_BYTES`
of text, whichever comes first: a table is never held whole (the articles' `record` column
alone is about 180 MB at 10,000 articles). Files are deterministic for one pyarrow version.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.errors import UsageError
from toolkit.export.forecasts import FORECAST_COLUMNS
from toolkit.export.records import Published
from toolkit.export.sqlite_rows import TABLES
from toolkit.export.statements import STATEMENT_COLUMNS, statement_rows
from toolkit.format.urls import parquet_name

if TYPE_CHECKING:
    import pyarrow

__all__ = [
    "PARQUET_TABLES",
    "PARQUET_TITLES",
    "ROW_GROUP_BYTES",
    "ROW_GROUP_ROWS",
    "arrow_schema",
    "parquet_available",
    "parquet_columns",
    "write_parquet_tables",
]

#: The tables published as Parquet, in the order they are written.
PARQUET_TABLES = ("articles", "entities", "mentions", "scenarios", "forecasts", "statements")

#: Each table's title and what its rows are, for the Data Package.
PARQUET_TITLES = {
    "articles": (
        "Articles (Parquet)",
        "One row per article: the source, its authors (a list) and the whole record as JSON text.",
    ),
    "entities": (
        "Entities (Parquet)",
        "One row per entity with its aliases (a list), the number of "
        "articles that refer to it and the whole record as JSON text.",
    ),
    "mentions": (
        "Mentions (Parquet)",
        "One row per reference from an article to an entity, "
        "with the part of the article that makes it and its JSON Pointer.",
    ),
    "scenarios": (
        "Scenarios (Parquet)",
        "One row per scenario with its conditions, outcomes and actors (lists), likelihood and "
        "resolution.",
    ),
    "forecasts": (
        "Forecasts (Parquet)",
        "The rows of forecasts.csv, typed: probabilities "
        "and Brier scores as doubles, outcomes as integers.",
    ),
    "statements": (
        "Statements (Parquet)",
        "The rows of statements.csv as the records give them: empty cells are nulls, and a "
        "cell that starts like a spreadsheet formula has no `'` before it.",
    ),
}

#: A row group ends at this many rows...
ROW_GROUP_ROWS = 5000
#: ...or once its text reaches about this many bytes: the writer holds about ten times a
#: group's text while it encodes it (measured at 10,000 articles: 16 MiB groups cost 160 MiB).
ROW_GROUP_BYTES = 4 * 1024 * 1024

#: Column types, by their Arrow names: "string", "int64", "double", "bool" or "list<string>".
_Columns = dict[str, str]
_STR, _INT, _FLOAT, _BOOL, _LIST = "string", "int64", "double", "bool", "list<string>"


def _columns(*names: str, kind: str = _STR) -> _Columns:
    return dict.fromkeys(names, kind)


_SCHEMAS: dict[str, _Columns] = {
    "articles": {
        **_columns("id", "title"),
        "subtitles": _LIST,
        **_columns("source_url", "published", "publisher_id", "language", "rights"),
        "authors": _LIST,
        **_columns("url", "json_url", "record"),
    },
    "entities": {
        **_columns("id", "kind", "name"),
        "aliases": _LIST,
        **_columns("description", "disambiguation", "wikidata"),
        "article_count": _INT,
        **_columns("url", "json_url", "record"),
    },
    "mentions": {
        "id": _INT,
        **_columns("article_id", "entity_id", "relation", "label", "role", "section", "item"),
        **_columns("key_point_id", "event_id", "scenario_id", "assessment_id"),
        **_columns("pointer", "item_pointer"),
    },
    "scenarios": {
        **_columns("id", "article_id", "local_id"),
        "position": _INT,
        "title": _STR,
        **_columns("conditions", "outcomes", "actors", kind=_LIST),
        **_columns("timeframe", "likelihood_wording", "likelihood_estimate", "due"),
        **_columns("resolution_status", "resolution_note", "resolved_on"),
        # A list of objects ({url, title…}): JSON text, as in SQLite.
        "resolution_sources": _STR,
        **_columns("voice", "attributed_to", "attributed_group", "attributed_group_entity"),
    },
    "forecasts": {
        "id": _STR,
        **{
            # `hit` is true or false, as in forecasts.csv and forecasts.jsonl (SQLite: 1 or 0).
            column: _INT
            if column == "outcome"
            else _BOOL
            if column == "hit"
            else _FLOAT
            if column.startswith(("p_", "brier_"))
            else _STR
            for column in FORECAST_COLUMNS
        },
    },
    # Empty cells of statements.csv are nulls here.
    "statements": _columns(*STATEMENT_COLUMNS),
}

#: Statement cells that `statements.csv` leaves empty when there is nothing to say.
_STATEMENT_OPTIONAL = ("value_entity_id", "evidence", "evidence_article_id", "editorial_basis")


def parquet_columns(table: str) -> Mapping[str, str]:
    """A table's columns in file order, each with its Arrow type: `string`, `int64`,
    `double`, `bool` or `list<string>`."""
    return _SCHEMAS[table]


def parquet_available() -> bool:
    """Whether pyarrow (the `parquet` extra) is installed."""
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return False
    return True


def _arrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise UsageError("Parquet needs pyarrow: pip install 'stratlas[parquet]'") from None
    return pyarrow


def arrow_schema(table: str) -> pyarrow.Schema:
    """The declared Arrow schema of a Parquet table."""
    pa = _arrow()
    types = {
        _STR: pa.string(),
        _INT: pa.int64(),
        _FLOAT: pa.float64(),
        _BOOL: pa.bool_(),
        _LIST: pa.list_(pa.string()),
    }
    return pa.schema([(name, types[kind]) for name, kind in _SCHEMAS[table].items()])


def _rows(table: str, published: Published, base_url: str) -> Iterable[dict[str, Any]]:
    if table == "statements":
        return (_statement(row) for row in statement_rows(published))
    return TABLES[table](published, base_url)


def _statement(row: dict[str, str]) -> dict[str, str | None]:
    return {k: (None if k in _STATEMENT_OPTIONAL and not v else v) for k, v in row.items()}


def _converters(table: str) -> dict[str, Callable[[Any], Any]]:
    """Per column, what turns a row's value into the Parquet value (lists are JSON text)."""
    return {
        name: (lambda value: None if value is None else json.loads(value))
        for name, kind in _SCHEMAS[table].items()
        if kind == _LIST
    }


def _text_size(row: Mapping[str, Any]) -> int:
    return sum(len(value) for value in row.values() if isinstance(value, str))


def write_parquet_tables(
    published: Published, folder: Path, base_url: str
) -> Iterator[tuple[str, Path]]:
    """Write each of `PARQUET_TABLES` to `folder/<table>.parquet` (new files), one at a
    time: (table, path) as each is finished. Raises `UsageError` without pyarrow."""
    pa = _arrow()
    import pyarrow.parquet as pq

    for table in PARQUET_TABLES:
        schema = arrow_schema(table)
        path = folder / parquet_name(table)
        with pq.ParquetWriter(path, schema, compression="snappy") as writer:
            for batch in _batches(table, published, base_url):
                writer.write_table(pa.Table.from_pydict(batch, schema=schema))
        # pyarrow's allocator keeps what it freed for later; give it back between tables.
        pa.default_memory_pool().release_unused()
        yield table, path


def _batches(table: str, published: Published, base_url: str) -> Iterator[dict[str, list[Any]]]:
    """A table's rows as columns, a row group at a time; at least one (possibly empty) batch,
    so that an empty table still gets a file with its schema."""
    names = list(_SCHEMAS[table])
    convert = _converters(table)
    columns: dict[str, list[Any]] = {name: [] for name in names}
    count = size = 0
    emitted = False
    for row in _rows(table, published, base_url):
        if set(row) != set(names):
            raise ValueError(f"{table}: the rows' columns are not the declared ones")
        for name in names:
            value = row[name]
            columns[name].append(convert[name](value) if name in convert else value)
        count += 1
        size += _text_size(row)
        if count >= ROW_GROUP_ROWS or size >= ROW_GROUP_BYTES:
            yield columns
            emitted = True
            columns = {name: [] for name in names}
            count = size = 0
    if count or not emitted:
        yield columns
