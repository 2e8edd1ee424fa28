"""Every link a record makes to an entity, declared once with the name of its reverse.

Records never hold backlinks: validation, the entity graph, the pages and the exports all
derive both directions from `article_references` and `entity_references`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from toolkit.format.vocab import ACTOR_KINDS, ENTITY_KINDS

if TYPE_CHECKING:
    from toolkit.models import Article, EntityBase

__all__ = [
    "RELATIONS",
    "Reference",
    "Relation",
    "article_references",
    "data_references",
    "entity_references",
]


@dataclass(frozen=True)
class Relation:
    name: str
    reverse: str
    kinds: tuple[str, ...]
    label: str


def _rel(name: str, reverse: str, kinds: tuple[str, ...], label: str) -> Relation:
    return Relation(name, reverse, kinds, label)


_ANY = ENTITY_KINDS
_PLACES = ("place", "state")
_BODIES = ("organization", "outlet", "government", "armed-force", "alliance", "state")

RELATIONS: dict[str, Relation] = {
    r.name: r
    for r in (
        _rel("author", "authored", ("person",), "author"),
        _rel("publisher", "published", ("outlet", "organization"), "publisher"),
        _rel("bio-position", "position-held-by", _BODIES, "where the author works"),
        _rel("bio-education", "alumnus", ("organization",), "where the author studied"),
        _rel("bio-outlet", "contributor", ("outlet",), "outlet the author writes for"),
        _rel(
            "bio-editorial-role",
            "editor",
            ("outlet", "organization"),
            "the author's editorial role",
        ),
        _rel("key-point", "in-key-point", _ANY, "named in a key point"),
        _rel("actor", "acts-in", ACTOR_KINDS, "actor"),
        _rel("weapon-system", "weapon-system-in", ("weapon-system",), "weapon system"),
        _rel("place", "place-in", _PLACES, "place"),
        _rel("event-actor", "acts-in-event", ACTOR_KINDS, "actor in an event"),
        _rel("event-place", "place-of-event", _PLACES, "place of an event"),
        _rel(
            "event-weapon-system", "used-in-event", ("weapon-system",), "weapon system in an event"
        ),
        _rel("scenario-actor", "acts-in-scenario", ACTOR_KINDS, "actor in a scenario"),
        _rel("assessment-subject", "assessed-in", _ANY, "subject of an assessment"),
        _rel("attributed-to", "said", ACTOR_KINDS, "speaker of an attributed claim"),
        _rel(
            "attributed-group",
            "said-by-group",
            ACTOR_KINDS,
            "described group speaking in an attributed claim",
        ),
        _rel("reported-event", "reported-as", ("event",), "event an account reports"),
        _rel("nationality", "national", ("state",), "nationality"),
        _rel("capital", "capital-of", _PLACES, "capital"),
        _rel("state", "has-body", ("state",), "state"),
        _rel("country", "home-of", ("state",), "country"),
        _rel("parent", "child", _BODIES, "parent body"),
        _rel("origin-state", "origin-of", ("state",), "state of origin"),
        _rel("located-in", "contains", _PLACES, "located in"),
    )
}


class Reference(NamedTuple):
    """One reference from a record to an entity, at a JSON pointer in that record (a named
    tuple: validation makes about a hundred per article, and a frozen dataclass costs
    several times more to create)."""

    pointer: str
    target: str
    relation: Relation


#: Where an article refers to entities: pointer pattern (`*` = any index) → relation.
ARTICLE_REFERENCES: tuple[tuple[str, str], ...] = (
    ("/source/publisher/entity", "publisher"),
    ("/authors/*/person", "author"),
    ("/authors/*/bio/positions/*/organization", "bio-position"),
    ("/authors/*/bio/education/*/institution", "bio-education"),
    ("/authors/*/bio/outlets/*/outlet", "bio-outlet"),
    ("/authors/*/bio/editorial_roles/*/outlet", "bio-editorial-role"),
    ("/key_points/*/mentions/*", "key-point"),
    ("/key_points/*/attributed_to", "attributed-to"),
    ("/key_points/*/attributed_group/entity", "attributed-group"),
    ("/actors/*/entity", "actor"),
    ("/weapon_systems/*/entity", "weapon-system"),
    ("/places/*/entity", "place"),
    ("/events/*/actors/*", "event-actor"),
    ("/events/*/places/*", "event-place"),
    ("/events/*/weapon_systems/*", "event-weapon-system"),
    ("/scenarios/*/actors/*", "scenario-actor"),
    ("/scenarios/*/attributed_to", "attributed-to"),
    ("/scenarios/*/attributed_group/entity", "attributed-group"),
    ("/assessments/*/subjects/*", "assessment-subject"),
    ("/assessments/*/attributed_to", "attributed-to"),
    ("/assessments/*/attributed_group/entity", "attributed-group"),
    ("/weapon_systems/*/stated_capabilities/*/attributed_to", "attributed-to"),
    ("/weapon_systems/*/stated_capabilities/*/attributed_group/entity", "attributed-group"),
    ("/events/*/event", "reported-event"),
)
#: Where an entity refers to others: its reference-valued facts.
ENTITY_REFERENCES: tuple[tuple[str, str], ...] = tuple(
    (f"/facts/{name}/value", name.replace("_", "-"))
    for name in (
        "nationality",
        "capital",
        "state",
        "country",
        "parent",
        "origin_state",
        "located_in",
    )
)


def _compiled(table: tuple[tuple[str, str], ...]) -> list[tuple[list[str], Relation]]:
    return [(pattern.strip("/").split("/"), RELATIONS[name]) for pattern, name in table]


_ARTICLE = _compiled(ARTICLE_REFERENCES)
_ENTITY = _compiled(ENTITY_REFERENCES)


def _data_references(data: Any, table: list[tuple[list[str], Relation]]) -> list[Reference]:
    found: list[Reference] = []
    for parts, relation in table:
        _follow(data, parts, 0, "", relation, found)
    return found


def _follow(
    node: Any,
    parts: list[str],
    depth: int,
    pointer: str,
    relation: Relation,
    found: list[Reference],
) -> None:
    """Collect the string values at `parts[depth:]` below `node` (at `pointer`)."""
    if depth == len(parts):
        if isinstance(node, str):
            found.append(Reference(pointer, node, relation))
        return
    part = parts[depth]
    if part == "*":
        if isinstance(node, list):
            for index, item in enumerate(node):
                _follow(item, parts, depth + 1, f"{pointer}/{index}", relation, found)
    elif isinstance(node, dict):
        child = node.get(part)
        if child is not None:
            _follow(child, parts, depth + 1, f"{pointer}/{part}", relation, found)


def data_references(data: Any, kind: str) -> list[Reference]:
    """Every entity reference in a record's parsed JSON (`kind`: "article" or "entity"),
    grouped by relation in the order of the tables above."""
    return _data_references(data, _ARTICLE if kind == "article" else _ENTITY)


def article_references(article: Article) -> Iterator[Reference]:
    """Every entity reference an article makes (see `data_references`)."""
    yield from data_references(article.model_dump(mode="json", by_alias=True), "article")


def entity_references(entity: EntityBase) -> Iterator[Reference]:
    """References from an entity's facts to other entities."""
    yield from data_references(entity.model_dump(mode="json", by_alias=True), "entity")
