"""Every published path and URL: site pages, the JSON API, the schemas, the Atom feeds
(datasette's `Urls`).

The API and schema paths carry the schema's major version (`api/v1/`, `schema/v1/`), derived
from `SCHEMA_VERSION`: a major bump moves every page link, JSON-LD URL and export together.
"""

from __future__ import annotations

from toolkit.format.ids import is_valid_id
from toolkit.format.vocab import SCHEMA_VERSION

__all__ = [
    "API_PREFIX",
    "API_VERSION",
    "CHANGES_NAME",
    "FEEDS_PREFIX",
    "SCHEMA_BASE_URL",
    "SCHEMA_PREFIX",
    "SITE_URL",
    "SQLITE_NAME",
    "absolute",
    "feed_path",
    "feed_pattern",
    "folder",
    "json_path",
    "page_path",
    "parquet_name",
    "schema_url",
]

#: Root of the published site; pages, the API and the schemas hang off it.
SITE_URL = "https://stratlas.github.io/stratlas/"
#: Major version of the API and of the schema URLs.
API_VERSION = "v" + SCHEMA_VERSION.split(".", 1)[0]
API_PREFIX = f"api/{API_VERSION}/"
SCHEMA_PREFIX = f"schema/{API_VERSION}/"
#: Published home of the schemas (each schema's `$id` is under it).
SCHEMA_BASE_URL = SITE_URL + SCHEMA_PREFIX
SQLITE_NAME = "stratlas.db"
#: The change file, under `API_PREFIX` (and in `stratlas export`'s folder).
CHANGES_NAME = "changes.jsonl"
#: The Atom feeds (toolkit/export/feeds.py): outside the API, as they are for feed readers and
#: not versioned with the record format.
FEEDS_PREFIX = "feeds/"


def folder(kind: str) -> str:
    """The site and API folder of a record kind."""
    return "articles" if kind == "article" else "entities"


def page_path(kind: str, record_id: str) -> str:
    """`articles/<id>/`: a record's page, relative to the site root."""
    return f"{folder(kind)}/{record_id}/"


def json_path(kind: str, record_id: str) -> str:
    """`api/v1/articles/<id>.json`: a record's JSON document, relative to the site root."""
    return f"{API_PREFIX}{folder(kind)}/{record_id}.json"


def feed_path(scope: str, record_id: str = "") -> str:
    """`feeds/articles.atom` (scope `site`), `feeds/entities/<id>.atom` (`entity`) or
    `feeds/authors/<id>.atom` (`author`), relative to the site root."""
    if scope == "site":
        return f"{FEEDS_PREFIX}articles.atom"
    if not is_valid_id(record_id):  # never a path outside feeds/
        raise ValueError(f"no such feed: {scope} {record_id!r}")
    return feed_pattern(scope).format(id=record_id)


def feed_pattern(scope: str) -> str:
    """`feeds/entities/{id}.atom` or `feeds/authors/{id}.atom`: where the feeds of a scope
    are, `{id}` standing for the entity's ID."""
    folders = {"entity": "entities", "author": "authors"}
    if scope not in folders:
        raise ValueError(f"no such feed: {scope}")
    return f"{FEEDS_PREFIX}{folders[scope]}/{{id}}.atom"


def parquet_name(table: str) -> str:
    """`<table>.parquet`: a Parquet table, under `API_PREFIX` (and in `stratlas export`'s
    folder)."""
    return f"{table}.parquet"


def schema_url(name: str) -> str:
    """The published URL of `schema/v1/<name>.schema.json`."""
    return f"{SCHEMA_BASE_URL}{name}.schema.json"


def absolute(path: str, base_url: str = SITE_URL) -> str:
    return base_url + path
