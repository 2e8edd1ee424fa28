"""The entity graph: the models, with backlinks and co-mentions derived from the declared
references (what each link means in words is `toolkit.link.describe`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from toolkit.format.relations import Reference, Relation, data_references
from toolkit.link.describe import item_facts
from toolkit.load import Corpus
from toolkit.models import Article, EntityBase, entity_adapter

__all__ = ["BYLINE_RELATIONS", "Backlink", "Graph", "build_graph", "models_of"]

#: Which part of an article a pointer's first segment names, singular, for labels.
SECTIONS = {
    "source": "source",
    "authors": "author",
    "key_points": "key point",
    "actors": "actor",
    "weapon_systems": "weapon system",
    "places": "place",
    "events": "event",
    "scenarios": "scenario",
    "assessments": "assessment",
    "facts": "fact",
}


#: References about who wrote and published an article rather than what it discusses: they
#: give backlinks but do not make entities "mentioned together".
BYLINE_RELATIONS = frozenset(
    {"author", "publisher", "bio-position", "bio-education", "bio-outlet", "bio-editorial-role"}
)


@dataclass(frozen=True)
class Backlink:
    """One place where a record refers to an entity."""

    source: str  # the referring record's ID (an article or an entity)
    source_kind: str  # "article" or "entity"
    relation: Relation
    pointer: str  # JSON pointer of the reference inside the referring record
    section: str  # key in SECTIONS, e.g. "events"
    item: str  # the item's local ID or index within its section ("" for the record itself)
    role: str  # what the entity does there, in words
    quotes: tuple[str, ...] = ()  # the evidence that backs the item


@dataclass
class Graph:
    articles: dict[str, Article]
    entities: dict[str, EntityBase]
    redirects: dict[str, str] = field(default_factory=dict)
    backlinks: dict[str, list[Backlink]] = field(default_factory=dict)
    co_mentions: dict[str, Counter[str]] = field(default_factory=dict)

    def resolve(self, entity_id: str) -> str:
        """The current ID for `entity_id` (following redirects)."""
        return self.redirects.get(entity_id, entity_id)

    def articles_mentioning(self, entity_id: str) -> list[str]:
        return sorted(
            {b.source for b in self.backlinks.get(entity_id, []) if b.source_kind == "article"}
        )


def models_of(corpus: Corpus) -> tuple[dict[str, Article], dict[str, EntityBase]]:
    """The valid records of `corpus` as pydantic models: (articles, entities), each by ID,
    sorted. The link stage builds them from the records' data; loading and validation never
    need them."""
    articles: dict[str, Article] = {}
    entities: dict[str, EntityBase] = {}
    adapter = entity_adapter()
    for kind, data in _valid_data(corpus):
        if kind == "article":
            article = Article.model_validate(data)
            articles[article.id] = article
        else:
            entity = adapter.validate_python(data)
            entities[entity.id] = entity
    return dict(sorted(articles.items())), dict(sorted(entities.items()))


def _valid_data(corpus: Corpus) -> Iterator[tuple[str, dict[str, Any]]]:
    """(kind, parsed record) for every record that passed validation, in corpus order."""
    for record in corpus.records:
        data = record.data
        if data is not None:
            yield record.kind, data


def build_graph(corpus: Corpus, redirects: dict[str, str] | None = None) -> Graph:
    """The models of a validated corpus, with backlinks and co-mentions derived."""
    redirects = redirects or {}
    articles, entities = models_of(corpus)
    graph = Graph(articles=articles, entities=entities, redirects=redirects)
    # References come from the same data the models were built from: the models keep every
    # string as given (strict, no coercion) and add no reference by default, so the walk finds
    # what a walk of `model_dump(mode="json")` would, without dumping every record again.
    data = {(kind, record["id"]): record for kind, record in _valid_data(corpus)}
    backlinks: dict[str, list[Backlink]] = defaultdict(list)
    together: dict[str, Counter[str]] = defaultdict(Counter)

    def add(record: Article | EntityBase, kind: str, ref: Reference) -> None:
        target = redirects.get(ref.target, ref.target)
        if target not in graph.entities:
            return
        section, item, role, quotes = item_facts(record, ref.pointer)
        backlinks[target].append(
            Backlink(record.id, kind, ref.relation, ref.pointer, section, item, role, quotes)
        )

    for article in graph.articles.values():
        mentioned: set[str] = set()
        for ref in data_references(data["article", article.id], "article"):
            add(article, "article", ref)
            if ref.relation.name not in BYLINE_RELATIONS:
                mentioned.add(redirects.get(ref.target, ref.target))
        mentioned &= set(graph.entities)
        for entity_id in mentioned:
            together[entity_id].update(mentioned - {entity_id})
    for entity in graph.entities.values():
        for ref in data_references(data["entity", entity.id], "entity"):
            add(entity, "entity", ref)
    graph.backlinks = {k: backlinks[k] for k in sorted(backlinks)}
    graph.co_mentions = {k: together[k] for k in sorted(together)}
    return graph
