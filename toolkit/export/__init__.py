"""Downstream exports: the static JSON API, JSON Lines, statements CSV, SQLite, Parquet, Atom
feeds, Data Package.

Everything here is pure: functions take a `Graph` (validated models plus derived backlinks) and
return bytes; the CLI and the site builder decide where to write them (atomically). Output is
deterministic: the same records give the same bytes on every run, machine and hash seed.
Paths are relative to the site root, the API's under `toolkit.format.urls.API_PREFIX`.

Only imported when exporting (it imports pydantic through the models), so it may import its
modules here.

Example:
    >>> from toolkit.api import load_corpus
    >>> corpus = load_corpus("tests/fixtures/corpus")          # doctest: +SKIP
    >>> files = api_files(corpus.graph)                         # doctest: +SKIP
    >>> sorted(path for path in files if path.startswith(API_PREFIX + "articles/"))[:1]
    ... # doctest: +SKIP
    ['api/…/articles/strike-debate.json']
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from functools import partial
from pathlib import Path

from toolkit.export.changes import article_dates, changes_jsonl
from toolkit.export.datapackage import datapackage
from toolkit.export.documents import article_document, entity_document, index_document
from toolkit.export.feeds import Dates, iter_feeds
from toolkit.export.forecasts import forecasts_csv, forecasts_jsonl, scores_document
from toolkit.export.parquet import parquet_available, write_parquet_tables
from toolkit.export.records import (
    Published,
    articles_jsonl,
    data_version,
    dumps,
    entities_jsonl,
    record_data,
    version_of,
    write_jsonl,
)
from toolkit.export.spool import Digest, Spooled, spool, spooled
from toolkit.export.sqlite import export_sqlite, write_sqlite
from toolkit.export.statements import statements_csv, write_statements_csv
from toolkit.format.schemas import SCHEMA_NAMES, dump_schema, published_schemas
from toolkit.format.urls import (
    API_PREFIX,
    CHANGES_NAME,
    SCHEMA_PREFIX,
    SITE_URL,
    SQLITE_NAME,
    feed_path,
    json_path,
    parquet_name,
)
from toolkit.link import Graph
from toolkit.load.history import Change
from toolkit.runtime.memory import release_freed_memory

__all__ = [
    "Spooled",
    "api_files",
    "article_document",
    "articles_jsonl",
    "as_bytes",
    "changes_jsonl",
    "data_version",
    "datapackage",
    "dumps",
    "entities_jsonl",
    "entity_document",
    "export_sqlite",
    "index_document",
    "iter_api_files",
    "iter_feeds",
    "record_data",
    "statements_csv",
]


def api_files(
    graph: Graph,
    *,
    base_url: str = SITE_URL,
    sqlite: bool = True,
    bulk: bool = True,
    changes: Sequence[Change] | None = None,
    dates: Dates | None = None,
) -> dict[str, bytes]:
    """Every downstream file, keyed by its path relative to the site root (`iter_api_files`
    gathered and sorted).

    Example:
        >>> files = api_files(graph)                                # doctest: +SKIP
        >>> json.loads(files[API_PREFIX + "index.json"])["counts"]  # doctest: +SKIP
        {'articles': 2, 'entities': 12, 'mentions': 40, 'redirects': 0}
    """
    files = iter_api_files(
        graph, base_url=base_url, sqlite=sqlite, bulk=bulk, changes=changes, dates=dates
    )
    return dict(sorted((path, as_bytes(data)) for path, data in files))


def as_bytes(data: bytes | Spooled) -> bytes:
    """A file `iter_api_files` gives, as bytes."""
    return data.read_bytes() if isinstance(data, Spooled) else data


def iter_api_files(
    graph: Graph,
    *,
    base_url: str = SITE_URL,
    sqlite: bool = True,
    bulk: bool = True,
    changes: Sequence[Change] | None = None,
    dates: Dates | None = None,
) -> Iterator[tuple[str, bytes | Spooled]]:
    """Every downstream file as (path relative to the site root, bytes or a `Spooled` file),
    one at a time: the build writes each as it comes and keeps only its digest for
    `datapackage.json`. The bulk downloads come as `Spooled` files, which are gone once the
    next file is asked for: move or read each before that.

    Under `API_PREFIX`: `index.json`, `articles/<id>.json`, `entities/<id>.json`,
    `articles.jsonl`, `entities.jsonl`, `forecasts.csv`, `forecasts.jsonl`, `scores.json`,
    `statements.csv`, `stratlas.db` (unless `sqlite=False`) and `<table>.parquet` for each of
    `PARQUET_TABLES` (when pyarrow, the `parquet` extra, is installed); `bulk=False` leaves
    out `statements.csv`, the database and the Parquet files, the costly downloads, which the
    live preview skips; and `changes.jsonl` when `changes` (the
    records' history, `toolkit.load.history.record_history`) is given: without it,
    `index.json`'s `changes` is null; under `SCHEMA_PREFIX`: `<name>.schema.json`;
    under `FEEDS_PREFIX`, the Atom feeds (`toolkit.export.feeds`, dated by `dates`: article
    ID → first published, last updated; by default, from `changes`); and
    `datapackage.json`, last. Page URLs are `articles/<id>/` and `entities/<id>/` under
    `base_url`.
    """
    if not base_url.endswith("/"):
        base_url += "/"
    with tempfile.TemporaryDirectory(prefix="stratlas-export-") as temporary:
        yield from _api_files(graph, base_url, sqlite, bulk, changes, Path(temporary), dates)


def _api_files(
    graph: Graph,
    base_url: str,
    sqlite: bool,
    bulk: bool,
    changes: Sequence[Change] | None,
    folder: Path,
    dates: Dates | None,
) -> Iterator[tuple[str, bytes | Spooled]]:
    published = Published(graph)
    digests: dict[str, Digest] = {}
    if dates is None and changes is not None:
        dates = article_dates(changes)

    def out(path: str, data: bytes | Spooled) -> tuple[str, bytes | Spooled]:
        """A file the Data Package may describe: its digest is kept."""
        digests[path] = data.digest if isinstance(data, Spooled) else Digest.of(data)
        return path, data

    articles = spool(
        folder, "articles.jsonl", partial(write_jsonl, map(published.data, published.articles))
    )
    entities = spool(
        folder, "entities.jsonl", partial(write_jsonl, map(published.data, published.entities))
    )
    version = version_of(articles.digest, entities.digest, graph.redirects)
    index = index_document(graph, base_url, version, published, changes=changes is not None)
    yield out(f"{API_PREFIX}index.json", dumps(index))
    yield out(f"{API_PREFIX}articles.jsonl", articles)
    yield out(f"{API_PREFIX}entities.jsonl", entities)
    yield out(f"{API_PREFIX}forecasts.csv", forecasts_csv(published))
    yield out(f"{API_PREFIX}forecasts.jsonl", forecasts_jsonl(published))
    yield out(f"{API_PREFIX}scores.json", dumps(scores_document(published, base_url)))
    if changes is not None:
        yield out(f"{API_PREFIX}{CHANGES_NAME}", changes_jsonl(changes))
    if bulk:
        write = partial(write_statements_csv, graph, published=published)
        yield out(f"{API_PREFIX}statements.csv", spool(folder, "statements.csv", write))
    for article_id in sorted(graph.articles):
        document = article_document(graph, article_id, base_url, published)
        yield json_path("article", article_id), dumps(document)  # not a resource: no digest
    for entity_id in sorted(graph.entities):
        document = entity_document(graph, entity_id, base_url, published)
        yield json_path("entity", entity_id), dumps(document)
    for path, feed in iter_feeds(graph, base_url, dates):
        # The site's feed is a resource; the entities' and authors' (thousands) are a pattern.
        yield out(path, feed) if path == feed_path("site") else (path, feed)
    if sqlite and bulk:
        database = folder / SQLITE_NAME
        write_sqlite(graph, database, base_url, published)
        yield out(f"{API_PREFIX}{SQLITE_NAME}", spooled(database))
    if bulk:
        # Before pyarrow's allocator starts: what the pages and the database freed goes back.
        release_freed_memory()
        tables = write_parquet_tables(published, folder, base_url) if parquet_available() else ()
        for table, made in tables:
            yield out(f"{API_PREFIX}{parquet_name(table)}", spooled(made))
    for name in SCHEMA_NAMES:
        # The committed schema/<name>.schema.json, as validation reads it (generated from the
        # models where a non-editable install lacks schema/); the same bytes either way, which
        # tests/test_schema.py holds.
        schema = published_schemas()[name]
        dumps(schema)  # raises unless the schema is I-JSON
        yield out(f"{SCHEMA_PREFIX}{name}.schema.json", dump_schema(schema).encode("utf-8"))
    yield "datapackage.json", dumps(datapackage(digests, graph, base_url, version, published))
