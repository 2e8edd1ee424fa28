"""Every link a record makes to an entity, declared once with the name of its reverse.

Records never hold backlinks: validation, the entity graph, the pages and the exports all
derive both directions from `article_references` and `entity_references`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from toolkit.models import ACTOR_KINDS, ENTITY_KINDS, Article, EntityBase, RefFact

__all__ = ["RELATIONS", "Reference", "Relation", "article_references", "entity_references"]


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
        _rel("nationality", "national", ("state",), "nationality"),
        _rel("capital", "capital-of", _PLACES, "capital"),
        _rel("state", "has-body", ("state",), "state"),
        _rel("country", "home-of", ("state",), "country"),
        _rel("parent", "child", _BODIES, "parent body"),
        _rel("origin-state", "origin-of", ("state",), "state of origin"),
        _rel("located-in", "contains", _PLACES, "located in"),
    )
}


@dataclass(frozen=True)
class Reference:
    """One reference from a record to an entity, at a JSON pointer in that record."""

    pointer: str
    target: str
    relation: Relation


def _refs(pointer: str, targets: list[str], relation: str) -> Iterator[Reference]:
    for index, target in enumerate(targets):
        yield Reference(f"{pointer}/{index}", target, RELATIONS[relation])


def article_references(article: Article) -> Iterator[Reference]:
    """Every entity reference an article makes, in document order."""
    publisher = article.source.publisher
    if publisher is not None:
        yield Reference("/source/publisher/entity", publisher.entity, RELATIONS["publisher"])
    for a, author in enumerate(article.authors):
        base = f"/authors/{a}"
        yield Reference(f"{base}/person", author.person, RELATIONS["author"])
        bio = author.bio
        for i, position in enumerate(bio.positions):
            if position.organization:
                yield Reference(
                    f"{base}/bio/positions/{i}/organization",
                    position.organization,
                    RELATIONS["bio-position"],
                )
        for i, degree in enumerate(bio.education):
            yield Reference(
                f"{base}/bio/education/{i}/institution",
                degree.institution,
                RELATIONS["bio-education"],
            )
        for i, outlet in enumerate(bio.outlets):
            yield Reference(
                f"{base}/bio/outlets/{i}/outlet", outlet.outlet, RELATIONS["bio-outlet"]
            )
        for i, role in enumerate(bio.editorial_roles):
            yield Reference(
                f"{base}/bio/editorial_roles/{i}/outlet",
                role.outlet,
                RELATIONS["bio-editorial-role"],
            )
    for i, point in enumerate(article.key_points):
        yield from _refs(f"/key_points/{i}/mentions", point.mentions, "key-point")
        if point.attributed_to:
            yield Reference(
                f"/key_points/{i}/attributed_to", point.attributed_to, RELATIONS["attributed-to"]
            )
    for field, relation in (
        ("actors", "actor"),
        ("weapon_systems", "weapon-system"),
        ("places", "place"),
    ):
        for i, mention in enumerate(getattr(article, field)):
            yield Reference(f"/{field}/{i}/entity", mention.entity, RELATIONS[relation])
    for i, event in enumerate(article.events):
        yield from _refs(f"/events/{i}/actors", event.actors, "event-actor")
        yield from _refs(f"/events/{i}/places", event.places, "event-place")
        yield from _refs(f"/events/{i}/weapon_systems", event.weapon_systems, "event-weapon-system")
    for i, scenario in enumerate(article.scenarios):
        yield from _refs(f"/scenarios/{i}/actors", scenario.actors, "scenario-actor")
        if scenario.attributed_to:
            yield Reference(
                f"/scenarios/{i}/attributed_to", scenario.attributed_to, RELATIONS["attributed-to"]
            )
    for i, assessment in enumerate(article.assessments):
        yield from _refs(f"/assessments/{i}/subjects", assessment.subjects, "assessment-subject")
        if assessment.attributed_to:
            yield Reference(
                f"/assessments/{i}/attributed_to",
                assessment.attributed_to,
                RELATIONS["attributed-to"],
            )


def entity_references(entity: EntityBase) -> Iterator[Reference]:
    """References from an entity's facts to other entities."""
    facts = getattr(entity, "facts", None)
    if facts is None:
        return
    for name in type(facts).model_fields:
        fact = getattr(facts, name)
        if isinstance(fact, RefFact):
            relation = RELATIONS[name.replace("_", "-")]
            yield Reference(f"/facts/{name}/value", fact.value, relation)
