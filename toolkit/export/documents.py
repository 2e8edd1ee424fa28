"""The JSON API documents: the index, one document per article and one per entity.

Each record document is the record as published (valid against its schema) plus the links the
graph derives; paths and URLs come from `toolkit.format.urls` (under its `API_PREFIX`).
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from typing import Any

from toolkit.export.records import Published, data_version
from toolkit.format.schemas import SCHEMA_NAMES
from toolkit.format.urls import (
    API_PREFIX,
    API_VERSION,
    CHANGES_NAME,
    SITE_URL,
    SQLITE_NAME,
    json_path,
    page_path,
    schema_url,
)
from toolkit.link import Backlink, Graph
from toolkit.models import SCHEMA_VERSION, EntityBase
from toolkit.text.excerpt import QUOTES, RELATED, excerpt

__all__ = ["article_document", "entity_document", "index_document"]


def _urls(kind: str, record_id: str, base_url: str) -> dict[str, str]:
    return {
        "url": base_url + page_path(kind, record_id),
        "json_url": base_url + json_path(kind, record_id),
    }


def _entity_summary(entity: EntityBase) -> dict[str, Any]:
    return {"id": entity.id, "kind": getattr(entity, "kind", ""), "name": entity.name}


def _co_mentions(graph: Graph, entity_id: str, base_url: str) -> dict[str, Any]:
    """`co_mentions`: the `RELATED` entities named in the most articles with this one, and
    `co_mentions_total` when there are more (the article documents name them all)."""
    counter: Mapping[str, int] = graph.co_mentions.get(entity_id, {})
    ranked = heapq.nsmallest(RELATED, counter.items(), key=lambda pair: (-pair[1], pair[0]))
    found: dict[str, Any] = {
        "co_mentions": [
            {"id": other, "articles": count, **_urls("entity", other, base_url)}
            for other, count in ranked
        ]
    }
    if len(counter) > RELATED:
        found["co_mentions_total"] = len(counter)
    return found


def _bounded(entry: dict[str, Any]) -> dict[str, Any]:
    """A role as the documents list it: an excerpt of its words and of at most `QUOTES`
    quotes (`toolkit.text.excerpt`). When anything was left out, `truncated` is true and
    `quotes_total` counts every quote; the full text is in the article document's `record`
    at `pointer`. Bounded, one event naming a hundred actors cannot repeat its text a hundred
    times."""
    role = excerpt(entry["role"])
    quotes = [excerpt(quote) for quote in entry["quotes"][:QUOTES]]
    bounded = {**entry, "role": role.text, "quotes": [quote.text for quote in quotes]}
    if len(entry["quotes"]) > QUOTES:
        bounded["quotes_total"] = len(entry["quotes"])
    if role.cut or "quotes_total" in bounded or any(quote.cut for quote in quotes):
        bounded["truncated"] = True
    return bounded


def entity_document(
    graph: Graph, entity_id: str, base_url: str = SITE_URL, published: Published | None = None
) -> dict[str, Any]:
    """An entity's JSON document (`json_path("entity", id)`): the record (valid against
    entity.schema.json) plus links.

    `articles` lists the articles that mention the entity, each with every role it plays there
    (the relation, the section — key point, actor, event, scenario, assessment… — the item's ID,
    the role in words and the quotes, as excerpts: `_bounded`); `entities` lists the other
    entities whose facts point at it; `co_mentions` ranks the entities named in the same
    articles (the first `RELATED`).
    """
    published = published or Published(graph)
    links = published.links
    entity = graph.entities[entity_id]
    by_article: dict[str, list[Backlink]] = {}
    from_entities: list[dict[str, Any]] = []
    for link in graph.backlinks.get(entity_id, []):
        if link.source_kind == "article":
            by_article.setdefault(link.source, []).append(link)
        elif link.source in graph.entities:
            source = graph.entities[link.source]
            from_entities.append(
                {
                    **_entity_summary(source),
                    **links.role_entry(link),
                    "reverse": link.relation.reverse,
                    **_urls("entity", link.source, base_url),
                }
            )
    articles = [
        {
            "id": article_id,
            "title": graph.articles[article_id].source.title,
            "roles": [
                _bounded(links.role_entry(link))
                for link in sorted(by_article[article_id], key=links.link_order.__getitem__)
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
        "record": published.data(entity),
        "articles": articles,
        "entities": sorted(from_entities, key=lambda e: (e["id"], e["pointer"])),
        **_co_mentions(graph, entity_id, base_url),
        "redirects_from": sorted(old for old, new in graph.redirects.items() if new == entity_id),
    }


def article_document(
    graph: Graph, article_id: str, base_url: str = SITE_URL, published: Published | None = None
) -> dict[str, Any]:
    """An article's JSON document (`json_path("article", id)`): the record (valid against
    article.schema.json) plus the entities it refers to, each with its name, kind, URLs and
    roles (as excerpts: `_bounded`; the record holds the full text)."""
    published = published or Published(graph)
    links = published.links
    article = graph.articles[article_id]
    referenced: dict[str, list[dict[str, Any]]] = {}
    for entity_id, link in links.article_links.get(article_id, []):
        referenced.setdefault(entity_id, []).append(_bounded(links.role_entry(link)))
    entities = [
        {
            **_entity_summary(graph.entities[entity_id]),
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
        "record": published.data(article),
        "entities": entities,
    }


def index_document(
    graph: Graph,
    base_url: str = SITE_URL,
    version: str | None = None,
    published: Published | None = None,
    *,
    changes: bool = False,
) -> dict[str, Any]:
    """`index.json` under `API_PREFIX`: every article and entity with its page and JSON URLs,
    counts, the download URLs, the schema version and the data version; `changes`: the URL
    of the change file when it is published (`changes`), else null."""
    published = published or Published(graph)
    mention_counts = {
        entity_id: len(graph.articles_mentioning(entity_id)) for entity_id in graph.entities
    }
    return {
        "api_version": API_VERSION,
        "schema_version": SCHEMA_VERSION,
        "data_version": version or data_version(graph, published),
        "site": base_url,
        "counts": {
            "articles": len(published.articles),
            "entities": len(published.entities),
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
            "forecasts_csv": base_url + API_PREFIX + "forecasts.csv",
            "forecasts_jsonl": base_url + API_PREFIX + "forecasts.jsonl",
            "scores_json": base_url + API_PREFIX + "scores.json",
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
            for a in published.articles
        ],
        "entities": [
            {
                **_entity_summary(e),
                "article_count": mention_counts[e.id],
                **_urls("entity", e.id, base_url),
            }
            for e in published.entities
        ],
        "redirects": dict(sorted(graph.redirects.items())),
        "changes": base_url + API_PREFIX + CHANGES_NAME if changes else None,
    }
