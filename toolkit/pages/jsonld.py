"""schema.org JSON-LD for the site's pages (pure; the pages embed it, the theme's head prints it).

The JSON is written with `<`, `>`, `&`, U+2028 and U+2029 as `\\uXXXX` escapes, so no record
text can end the HTML comment that carries it in the page body or the `<script>` element the
theme copies it into.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from toolkit.format.urls import absolute, json_path, page_path
from toolkit.link import Graph
from toolkit.models import Article, EntityBase

__all__ = ["SCHEMA_TYPES", "article_jsonld", "dump_jsonld", "entity_jsonld", "json_url", "page_url"]

#: Entity kind → schema.org type (schema.org has no weapon type: Product + additionalType).
SCHEMA_TYPES: dict[str, tuple[str, str | None]] = {
    "person": ("Person", None),
    "state": ("Country", None),
    "government": ("GovernmentOrganization", None),
    "organization": ("Organization", None),
    "armed-force": ("GovernmentOrganization", "https://www.wikidata.org/wiki/Q772547"),
    "alliance": ("Organization", "https://www.wikidata.org/wiki/Q1127126"),
    "weapon-system": ("Product", "https://www.wikidata.org/wiki/Q728"),
    "place": ("Place", None),
    "outlet": ("NewsMediaOrganization", None),
    "event": ("Event", None),
}

_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def page_url(kind: str, record_id: str) -> str:
    """The published URL of an article's or entity's page."""
    return absolute(page_path(kind, record_id))


def json_url(kind: str, record_id: str) -> str:
    """The published URL of an article's or entity's JSON document."""
    return absolute(json_path(kind, record_id))


def dump_jsonld(data: dict[str, Any]) -> Markup:
    """Compact, key-sorted JSON safe to print inside an HTML comment or `<script>` element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in _ESCAPES.items():
        text = text.replace(char, escape)
    return Markup(text)


def _ref(graph: Graph, entity_id: str) -> dict[str, Any]:
    entity = graph.entities.get(graph.resolve(entity_id))
    if entity is None:
        return {"@type": "Thing", "identifier": entity_id}
    kind = str(getattr(entity, "kind", ""))
    schema_type, extra = SCHEMA_TYPES.get(kind, ("Thing", None))
    node: dict[str, Any] = {
        "@type": schema_type,
        "@id": page_url("entity", entity.id),
        "name": entity.name,
        "url": page_url("entity", entity.id),
    }
    if extra:
        node["additionalType"] = extra
    return node


def entity_jsonld(
    graph: Graph, entity: EntityBase, shown: Sequence[str] | None = None
) -> dict[str, Any]:
    """The entity as a schema.org node (Person, Country, Organization, Place, Product…).

    `subjectOf` names the articles its page shows (`shown`, in page order; by default every
    article that names it): the rest are on the further pages of its lists, and listing
    thousands here would make one page megabytes (toolkit/pages/paginate.py)."""
    data: dict[str, Any] = {"@context": "https://schema.org", **_ref(graph, entity.id)}
    data["identifier"] = entity.id
    data["description"] = entity.description
    if entity.aliases:
        data["alternateName"] = list(entity.aliases)
    if entity.identifiers.wikidata:
        data["sameAs"] = [f"https://www.wikidata.org/wiki/{entity.identifiers.wikidata}"]
    data["subjectOf"] = [
        {
            "@type": "AnalysisNewsArticle",
            "@id": page_url("article", article_id),
            "headline": graph.articles[article_id].source.title,
        }
        for article_id in (graph.articles_mentioning(entity.id) if shown is None else shown)
    ]
    data["mainEntityOfPage"] = page_url("entity", entity.id)
    return data


def article_jsonld(graph: Graph, article: Article) -> dict[str, Any]:
    """The article as a schema.org `AnalysisNewsArticle` with its authors and mentions."""
    source = article.source
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "AnalysisNewsArticle",
        "@id": page_url("article", article.id),
        "identifier": article.id,
        "headline": source.title,
        "inLanguage": source.language,
        "url": page_url("article", article.id),
        "mainEntityOfPage": page_url("article", article.id),
        "encoding": {
            "@type": "MediaObject",
            "contentUrl": json_url("article", article.id),
            "encodingFormat": "application/json",
        },
    }
    if article.authors:  # an unsigned article has no author, not an empty list of them
        data["author"] = [_ref(graph, author.person) for author in article.authors]
    if article.key_points:
        data["abstract"] = " ".join(point.text for point in article.key_points)
    if source.subtitles:
        data["alternativeHeadline"] = source.subtitles[0]
    if source.publisher is not None:
        data["publisher"] = _ref(graph, source.publisher.entity)
    if source.published is not None:
        data["datePublished"] = source.published.value
    if source.url is not None:
        data["isBasedOn"] = source.url
    mentioned: list[str] = []
    for field in ("actors", "weapon_systems", "places"):
        for mention in getattr(article, field):
            target = graph.resolve(mention.entity)
            if target not in mentioned:
                mentioned.append(target)
    data["mentions"] = [_ref(graph, entity_id) for entity_id in mentioned]
    return data
