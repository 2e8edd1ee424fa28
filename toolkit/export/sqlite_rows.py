"""The rows of the SQLite tables, one builder per table, in insertion order; a row's keys are
its columns in database order (`sqlite._columns` takes them from the first row). Lists are JSON
text, entity IDs go through the redirects, and a foreign key that names no record is NULL.

Just over 300 lines since schema 1.1 (groups, date bounds, shared events): the builders are
read together, one per table; the mention and evidence rows are the next piece to move out."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from typing import Any

from pydantic import BaseModel

from toolkit.export.forecasts import author_score_rows, forecast_table_rows, term_score_rows
from toolkit.export.records import Published, entity_facts
from toolkit.format.urls import json_path, page_path
from toolkit.link import Backlink, Graph
from toolkit.models import Anchor, AttributedGroup, RefFact

__all__ = ["TABLES", "Row", "sqlite_tables"]

Row = dict[str, Any]


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _known(graph: Graph, entity_id: str | None) -> str | None:
    target = None if entity_id is None else graph.resolve(entity_id)
    return target if target in graph.entities else None


def _resolved(graph: Graph, entity_ids: list[str]) -> str:
    return _json_text([graph.resolve(e) for e in entity_ids])


def _numbered(rows: Iterable[Row]) -> Iterator[Row]:
    """Give rows without a natural key an `id`: their position, from 1."""
    for position, row in enumerate(rows, start=1):
        row["id"] = position
        yield row


def entity_rows(published: Published, base_url: str) -> Iterator[Row]:
    graph = published.graph
    return (
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
            "record": _json_text(published.data(entity)),
        }
        for entity in published.entities
    )


def article_rows(published: Published, base_url: str) -> Iterator[Row]:
    graph = published.graph
    for article in published.articles:
        source = article.source
        publisher = source.publisher.entity if source.publisher else None
        yield (
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
                "record": _json_text(published.data(article)),
            }
        )


def _group(graph: Graph, group: AttributedGroup | None) -> Row:
    """A described group of speakers (schema 1.1) as two columns: its words, its entity."""
    return {
        "attributed_group": group.label_in_source if group else None,
        "attributed_group_entity": _known(graph, group.entity) if group else None,
    }


def key_point_rows(published: Published, base_url: str) -> Iterator[Row]:
    graph = published.graph
    return (
        {
            "id": f"{article.id}/key_points/{index}",
            "article_id": article.id,
            "position": index,
            "text": point.text,
            "voice": point.voice,
            "attributed_to": _known(graph, point.attributed_to),
            **_group(graph, point.attributed_group),
            "mentions": _resolved(graph, point.mentions),
        }
        for article in published.articles
        for index, point in enumerate(article.key_points)
    )


def event_rows(published: Published, base_url: str) -> Iterator[Row]:
    graph = published.graph
    return (
        {
            "id": f"{article.id}/events/{event.id}",
            "article_id": article.id,
            "local_id": event.id,
            "position": index,
            "date": event.date.value if event.date else None,
            "date_label": event.date.label_in_source if event.date else None,
            "date_earliest": event.date.earliest if event.date else None,
            "date_latest": event.date.latest if event.date else None,
            "event_entity": _known(graph, event.event),
            "description": event.description,
            "actors": _resolved(graph, event.actors),
            "places": _resolved(graph, event.places),
            "weapon_systems": _resolved(graph, event.weapon_systems),
        }
        for article in published.articles
        for index, event in enumerate(article.events)
    )


def scenario_rows(published: Published, base_url: str) -> Iterator[Row]:
    graph = published.graph
    return (
        {
            "id": f"{article.id}/scenarios/{scenario.id}",
            "article_id": article.id,
            "local_id": scenario.id,
            "position": index,
            "title": scenario.title,
            "conditions": _json_text(scenario.conditions),
            "outcomes": _json_text(scenario.outcomes),
            "actors": _resolved(graph, scenario.actors),
            "timeframe": scenario.timeframe,
            "likelihood_wording": scenario.likelihood.wording,
            "likelihood_estimate": scenario.likelihood.estimate,
            "due": scenario.due,
            "resolution_status": scenario.resolution.status,
            "resolution_note": scenario.resolution.note,
            "resolved_on": scenario.resolution.resolved_on,
            "resolution_sources": _json_text(
                [source.model_dump(exclude_none=True) for source in scenario.resolution.sources]
            ),
            "voice": scenario.voice,
            "attributed_to": _known(graph, scenario.attributed_to),
            **_group(graph, scenario.attributed_group),
        }
        for article in published.articles
        for index, scenario in enumerate(article.scenarios)
    )


def assessment_rows(published: Published, base_url: str) -> Iterator[Row]:
    graph = published.graph
    return (
        {
            "id": f"{article.id}/assessments/{assessment.id}",
            "article_id": article.id,
            "local_id": assessment.id,
            "position": index,
            "text": assessment.text,
            "subjects": _resolved(graph, assessment.subjects),
            "stance": assessment.stance,
            "voice": assessment.voice,
            "attributed_to": _known(graph, assessment.attributed_to),
            **_group(graph, assessment.attributed_group),
        }
        for article in published.articles
        for index, assessment in enumerate(article.assessments)
    )


def mention_rows(published: Published, base_url: str) -> Iterator[Row]:
    """Article × entity × relation × role, in document order within each article."""
    return _numbered(_mention_rows(published))


def _mention_rows(published: Published) -> Iterator[Row]:
    links = published.links
    for article_id, pairs in links.article_links.items():
        for entity_id, link in pairs:
            role, _ = links.describe(link)
            _, item_pointer = links.item(link)
            yield (
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


#: The tables a mention may sit in, with the foreign key column that points there.
_ITEM_KEYS = {
    "key_points": "key_point_id",
    "events": "event_id",
    "scenarios": "scenario_id",
    "assessments": "assessment_id",
}


def _item_keys(link: Backlink) -> dict[str, str | None]:
    """Keys of the key_points / events / scenarios / assessments row a mention sits in."""
    keys: dict[str, str | None] = dict.fromkeys(_ITEM_KEYS.values())
    column = _ITEM_KEYS.get(link.section)
    if column is not None:
        # Key points have no local ID: their row is keyed by index.
        item = link.pointer.split("/")[2] if link.section == "key_points" else link.item
        keys[column] = f"{link.source}/{link.section}/{item}"
    return keys


def fact_rows(published: Published, base_url: str) -> Iterator[Row]:
    return _numbered(_fact_rows(published))


def _fact_rows(published: Published) -> Iterator[Row]:
    graph = published.graph
    for entity in published.entities:
        for name, fact in entity_facts(entity):
            value = fact.value
            target = graph.resolve(value) if isinstance(fact, RefFact) else None
            yield (
                {
                    "entity_id": entity.id,
                    "property": name,
                    "value": value,
                    "value_entity_id": target if target in graph.entities else None,
                    "article_id": fact.article if fact.article in graph.articles else None,
                    "editorial_basis": fact.editorial.basis if fact.editorial else None,
                }
            )


def evidence_rows(published: Published, base_url: str) -> Iterator[Row]:
    """Every evidence anchor: the entities' first, then the articles', each in document order."""
    entities = (row for e in published.entities for row in _evidence(e, "entity", e.id))
    articles = (row for a in published.articles for row in _evidence(a, "article", a.id))
    return _numbered(chain(entities, articles))


def _evidence(record: BaseModel, kind: str, record_id: str) -> Iterator[Row]:
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


#: Table → its row builder.
TABLES: dict[str, Callable[[Published, str], Iterable[Row]]] = {
    "entities": entity_rows,
    "articles": article_rows,
    "mentions": mention_rows,
    "key_points": key_point_rows,
    "events": event_rows,
    "scenarios": scenario_rows,
    "assessments": assessment_rows,
    "facts": fact_rows,
    "evidence": evidence_rows,
    "forecasts": forecast_table_rows,
    "author_scores": author_score_rows,
    "term_scores": term_score_rows,
}


def sqlite_tables(published: Published, base_url: str) -> dict[str, list[Row]]:
    """Every table's rows, gathered (for tests; the export streams them)."""
    return {table: list(build(published, base_url)) for table, build in TABLES.items()}
