"""The entity graph: the models, with backlinks and co-mentions derived from the declared
references (what each link means in words is `toolkit.link.describe`)."""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from pydantic import BaseModel

from toolkit.format.relations import Reference, Relation, data_references
from toolkit.link.describe import item_facts
from toolkit.load import Corpus, file_digest
from toolkit.models import Article, EntityBase, entity_adapter

__all__ = [
    "BYLINE_RELATIONS",
    "Backlink",
    "CheckedFile",
    "Graph",
    "build_graph",
    "build_graph_from_files",
    "models_of",
]

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


@dataclass(frozen=True, slots=True)
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

    @property
    def authorship(self) -> bool:
        """Whether this is an article's byline naming its author (pages and feeds keep the
        articles a person wrote apart from those that mention them)."""
        return self.source_kind == "article" and self.relation.name == "author"


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

    def articles_referring(self, entity_id: str) -> set[str]:
        """The articles that refer to the entity, authorship aside (its page's "Mentioned in")."""
        links = self.backlinks.get(entity_id, ())
        return {b.source for b in links if b.source_kind == "article" and not b.authorship}

    def articles_authored(self, entity_id: str) -> set[str]:
        """The articles the entity (a person) wrote: their bylines name it, or an old ID of it."""
        return {b.source for b in self.backlinks.get(entity_id, ()) if b.authorship}


def models_of(
    corpus: Corpus, *, read_only: bool = False
) -> tuple[dict[str, Article], dict[str, EntityBase]]:
    """The valid records of `corpus` as pydantic models: (articles, entities), each by ID,
    sorted. The link stage builds them from the records' data; loading and validation never
    need them. `read_only` models share their field sets (`_share_field_sets`)."""
    articles: dict[str, Article] = {}
    entities: dict[str, EntityBase] = {}
    adapter = entity_adapter()
    shared: dict[frozenset[str], _SharedFieldSet] | None = {} if read_only else None
    for kind, data in _valid_data(corpus):
        if kind == "article":
            article = Article.model_validate(data)
            articles[article.id] = article
            if shared is not None:
                _share_field_sets(article, shared)
        else:
            entity = adapter.validate_python(data)
            entities[entity.id] = entity
            if shared is not None:
                _share_field_sets(entity, shared)
    return dict(sorted(articles.items())), dict(sorted(entities.items()))


class _SharedFieldSet(set[str]):
    """The set of fields given, shared by every model given the same ones: a set (pydantic's
    serializer wants one) that refuses to change, as assigning to a field would change it."""

    def _refuse(self, *args: object, **kwargs: object) -> None:
        raise TypeError("the models of this graph are read-only")

    add = discard = remove = clear = update = _refuse
    difference_update = intersection_update = symmetric_difference_update = _refuse


def _share_field_sets(node: object, shared: dict[frozenset[str], _SharedFieldSet]) -> None:
    """Give `node` and every model inside it one shared set of its given fields instead of
    one of its own: pydantic keeps one per model, 216 bytes or more, and an article holds
    about 140 models (0.4 GB at 10,000 articles). What reads the sets (`model_dump`'s
    `exclude_unset`, `model_fields_set`) is unchanged; assigning to a field raises, so only
    graphs nothing changes (the site build's) are made so."""
    if isinstance(node, BaseModel):
        fields = frozenset(node.__pydantic_fields_set__)
        if fields not in shared:
            shared[fields] = _SharedFieldSet(fields)
        object.__setattr__(node, "__pydantic_fields_set__", shared[fields])
        for value in node.__dict__.values():
            if isinstance(value, BaseModel | list):
                _share_field_sets(value, shared)
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, BaseModel | list):
                _share_field_sets(item, shared)


def _valid_data(corpus: Corpus) -> Iterator[tuple[str, dict[str, Any]]]:
    """(kind, parsed record) for every record that passed validation, in corpus order."""
    for record in corpus.records:
        data = record.data
        if data is not None:
            yield record.kind, data


def build_graph(
    corpus: Corpus, redirects: dict[str, str] | None = None, *, read_only: bool = False
) -> Graph:
    """The models of a validated corpus, with backlinks and co-mentions derived; with
    `read_only`, models whose fields cannot be assigned to (and take less memory)."""
    articles, entities = models_of(corpus, read_only=read_only)
    # References come from the same data the models were built from: the models keep every
    # string as given (strict, no coercion) and add no reference by default, so the walk finds
    # what a walk of `model_dump(mode="json")` would, without dumping every record again.
    data = {(kind, record["id"]): record for kind, record in _valid_data(corpus)}

    def references(kind: str, record_id: str) -> list[Reference]:
        return data_references(data[kind, record_id], kind)

    return _linked(articles, entities, references, redirects or {})


#: A record file validation passed: its kind ("article" or "entity"), path and the digest of
#: the bytes it checked (`toolkit.load.file_digest`).
CheckedFile = tuple[str, Path, bytes]


def build_graph_from_files(
    files: Iterable[CheckedFile], redirects: dict[str, str] | None = None
) -> Graph:
    """`build_graph(read_only=True)` for records validated elsewhere (another process), read
    again one at a time: each file's parsed data is dropped once its model and references are
    made, so that only the graph stays. A file whose bytes changed since it was checked is
    refused (`ValueError`)."""
    articles: dict[str, Article] = {}
    entities: dict[str, EntityBase] = {}
    found: dict[tuple[str, str], list[Reference]] = {}
    adapter = entity_adapter()
    shared: dict[frozenset[str], _SharedFieldSet] = {}
    for kind, path, digest in files:
        raw = path.read_bytes()
        if file_digest(raw) != digest:
            raise ValueError(f"{path}: changed while the records were checked; run again")
        data = orjson.loads(raw)
        del raw
        model: Article | EntityBase
        if kind == "article":
            model = articles[data["id"]] = Article.model_validate(data)
        else:
            model = entities[data["id"]] = adapter.validate_python(data)
        _share_field_sets(model, shared)
        found[kind, model.id] = data_references(data, kind)

    def references(kind: str, record_id: str) -> list[Reference]:
        return found.pop((kind, record_id))

    articles, entities = dict(sorted(articles.items())), dict(sorted(entities.items()))
    return _linked(articles, entities, references, redirects or {})


def _linked(
    articles: dict[str, Article],
    entities: dict[str, EntityBase],
    references: Callable[[str, str], list[Reference]],
    redirects: dict[str, str],
) -> Graph:
    """The graph of the models (sorted by ID), given each record's references (by kind and
    ID; asked once per record)."""
    graph = Graph(articles=articles, entities=entities, redirects=redirects)
    backlinks: dict[str, list[Backlink]] = defaultdict(list)
    together: dict[str, Counter[str]] = defaultdict(Counter)

    def add(record: Article | EntityBase, kind: str, ref: Reference) -> None:
        target = redirects.get(ref.target, ref.target)
        if target not in graph.entities:
            return
        section, item, role, quotes = item_facts(record, ref.pointer)
        # Pointers and item IDs repeat from record to record ("/actors/0/entity"): one copy
        # of each instead of one per backlink (600,000 at 10,000 articles).
        pointer, item = sys.intern(ref.pointer), sys.intern(item)
        backlinks[target].append(
            Backlink(record.id, kind, ref.relation, pointer, section, item, role, quotes)
        )

    for article in graph.articles.values():
        mentioned: set[str] = set()
        for ref in references("article", article.id):
            add(article, "article", ref)
            if ref.relation.name not in BYLINE_RELATIONS:
                mentioned.add(redirects.get(ref.target, ref.target))
        mentioned &= set(graph.entities)
        for entity_id in mentioned:
            together[entity_id].update(mentioned - {entity_id})
    for entity in graph.entities.values():
        for ref in references("entity", entity.id):
            add(entity, "entity", ref)
    graph.backlinks = {k: backlinks[k] for k in sorted(backlinks)}
    graph.co_mentions = {k: together[k] for k in sorted(together)}
    return graph
