"""What the pages show, derived from the graph: anchors, mentions, related entities, orderings.

Pure data for the templates (`environment.py` renders them); nothing here escapes or formats text.

Over 300 lines since schema 1.1 (speakers and stated capabilities of a mention, the timeline's
shared events); the entity page's mentions are the next piece to move out, with issue 18's
pagination.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from toolkit.checks.dates import claim_bounds
from toolkit.format.vocab import ENTITY_KINDS
from toolkit.link import Backlink, Graph
from toolkit.link.describe import item_at, mention_words
from toolkit.link.forecasts import ForecastReport, forecast_report
from toolkit.link.graph import SECTIONS
from toolkit.models import (
    Article,
    Attribution,
    EntityBase,
    Event,
    Fact,
    RefFact,
    WeaponSystemMention,
)
from toolkit.text.excerpt import RELATED

__all__ = ["PageMention", "Related", "SiteView", "article_anchors", "verbatim"]

#: Article sections that hold items, and the prefix of their HTML ids on the article page
#: (the section's label, hyphenated: "key-point").
_ANCHOR_PREFIX = {
    section: label.replace(" ", "-")
    for section, label in SECTIONS.items()
    if section not in ("source", "facts")
}
#: Sections whose items tie several entities together (for "related entities").
_SHARED_SECTIONS = ("key_points", "events", "scenarios", "assessments")


def verbatim(quote: str, text: str) -> bool:
    """Whether a quote is word for word the claim it backs (white space aside)."""
    return bool(text) and quote.split() == text.split()


def article_anchors(article: Article) -> dict[str, str]:
    """`/section/index` → the HTML id of that item on the article page (unique per page)."""
    anchors: dict[str, str] = {}
    used: set[str] = set()
    for section, prefix in _ANCHOR_PREFIX.items():
        for index, item in enumerate(getattr(article, section)):
            name = str(index + 1)
            if section != "key_points":
                for attribute in ("id", "entity", "person"):
                    name = getattr(item, attribute, None) or name
            anchor = f"{prefix}-{name}"
            while anchor in used:
                anchor += "-x"
            used.add(anchor)
            anchors[f"/{section}/{index}"] = anchor
    return anchors


def sentence(label: str) -> str:
    """A label as the start of a sentence (first letter upper case)."""
    return label[:1].upper() + label[1:]


@dataclass(frozen=True)
class PageMention:
    """One place an article refers to an entity, as the entity's page shows it."""

    label: str  # what the entity is there ("Actor in an event")
    text: str  # the item's words (role, key point, event, scenario title, bio line)
    anchor: str  # id of the item on the article page, "" for the page top
    quotes: tuple[str, ...]  # the evidence, without quotes that merely repeat `text`
    verbatim: bool = False  # whether `text` itself is a quote from the source
    speaker: Speaker | None = None  # whose claim it is, when the item is attributed
    capabilities: tuple[PageCapability, ...] = ()  # a weapon system's stated capabilities


@dataclass(frozen=True)
class Speaker:
    """Who an attributed claim is from: a named entity, or a group in the source's words (with
    the entity it belongs to)."""

    entity: str | None
    group: str | None = None


@dataclass(frozen=True)
class PageCapability:
    text: str
    speaker: Speaker | None
    quotes: tuple[str, ...]


def speaker_of(node: object) -> Speaker | None:
    """The speaker of an item in the attributed voice, as the article page shows it."""
    if not isinstance(node, Attribution) or node.voice != "attributed":
        return None
    if node.attributed_group is not None:
        return Speaker(node.attributed_group.entity, node.attributed_group.label_in_source)
    return Speaker(node.attributed_to)


#: Sections whose items speak in a voice or state capabilities: the entity page says whose.
_SPOKEN = frozenset({"key_points", "scenarios", "assessments", "weapon_systems"})


@dataclass(frozen=True)
class Related:
    entity: EntityBase
    articles: int  # articles naming both
    shared: int  # key points, events, scenarios and assessments naming both


class SiteView:
    """Lookups the templates share during one render (computed once, on first use)."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._anchors: dict[str, dict[str, str]] = {}
        #: (an item's words, its quotes) → the quotes that do not merely repeat the words.
        self._unrepeated: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {}

    def entity(self, entity_id: str) -> EntityBase | None:
        return self.graph.entities.get(self.graph.resolve(entity_id))

    @staticmethod
    def kind(entity: EntityBase) -> str:
        return str(getattr(entity, "kind", ""))

    def anchors(self, article: Article) -> dict[str, str]:
        if article.id not in self._anchors:
            self._anchors[article.id] = article_anchors(article)
        return self._anchors[article.id]

    # --- orderings ----------------------------------------------------------------------

    def by_date(self, ids: Iterable[str]) -> list[str]:
        """Article IDs, newest first (undated last), then by title."""
        return sorted(ids, key=self._date_keys.__getitem__)

    @cached_property
    def _date_keys(self) -> dict[str, tuple[str, str, str]]:
        keys = {}
        for article_id, article in self.graph.articles.items():
            source = article.source
            published = source.published.value if source.published else ""
            keys[article_id] = (_newest_first(published), source.title.casefold(), article_id)
        return keys

    @cached_property
    def forecasts(self) -> ForecastReport:
        """The scenarios scored as forecasts (toolkit/link/forecasts.py)."""
        return forecast_report(self.graph)

    @cached_property
    def by_kind(self) -> dict[str, list[EntityBase]]:
        groups: dict[str, list[EntityBase]] = {kind: [] for kind in ENTITY_KINDS}
        for entity in self.graph.entities.values():
            groups.setdefault(self.kind(entity), []).append(entity)
        for members in groups.values():
            members.sort(key=lambda e: (e.name.casefold(), e.id))
        return groups

    @cached_property
    def timeline(self) -> list[tuple[Event, list[tuple[Article, Event, str]]]]:
        """The timeline's entries, oldest first: an article's event on its own, or every
        account of one shared event (`event`) together, under the first account's date."""
        entries: list[tuple[Event, list[tuple[Article, Event, str]]]] = []
        shared: dict[str, list[tuple[Article, Event, str]]] = {}
        for row in self.events:
            event_id = row[1].event
            if event_id is None:
                entries.append((row[1], [row]))
            elif event_id in shared:
                shared[event_id].append(row)
            else:
                shared[event_id] = [row]
                entries.append((row[1], shared[event_id]))
        return entries

    @cached_property
    def events(self) -> list[tuple[Article, Event, str]]:
        """Every event of every article with its anchor, oldest first (undated last)."""
        rows = [
            (article, event, self.anchors(article)[f"/events/{index}"])
            for article in self.graph.articles.values()
            for index, event in enumerate(article.events)
        ]
        return sorted(rows, key=lambda r: (event_date_key(r[1]), r[0].id, r[2]))

    def article_events(self, article: Article) -> list[tuple[Event, str]]:
        return self._events_by_article.get(article.id, [])

    @cached_property
    def _events_by_article(self) -> dict[str, list[tuple[Event, str]]]:
        grouped: dict[str, list[tuple[Event, str]]] = defaultdict(list)
        for article, event, anchor in self.events:
            grouped[article.id].append((event, anchor))
        return grouped

    def groups(self, relation: str) -> list[tuple[EntityBase, list[Article]]]:
        """Authors (`author`) or publishers (`publisher`) with their articles, by name."""
        grouped: dict[str, set[str]] = defaultdict(set)
        for entity_id, links in self.graph.backlinks.items():
            for link in links:
                if link.relation.name == relation and link.source_kind == "article":
                    grouped[entity_id].add(link.source)
        rows = [
            (self.graph.entities[e], [self.graph.articles[a] for a in self.by_date(grouped[e])])
            for e in grouped
        ]
        return sorted(rows, key=lambda row: (row[0].name.casefold(), row[0].id))

    def scenario_count(self) -> int:
        return sum(len(article.scenarios) for article in self.graph.articles.values())

    def article_count(self, entity_id: str) -> int:
        return len(self.graph.articles_mentioning(entity_id))

    # --- one entity ---------------------------------------------------------------------

    def facts(self, entity: EntityBase) -> list[tuple[str, Fact, bool]]:
        """(label, fact, whether its value is an entity ID) for each fact the entity has."""
        facts = getattr(entity, "facts", None)
        if facts is None:
            return []
        found = []
        for name in type(facts).model_fields:
            fact = getattr(facts, name)
            if isinstance(fact, Fact):
                label = name.replace("_", " ").capitalize()
                found.append((label, fact, isinstance(fact, RefFact)))
        return found

    def mentions(self, entity_id: str) -> list[tuple[Article, list[PageMention]]]:
        """Every article that refers to the entity (authorship aside), newest first."""
        grouped: dict[str, list[PageMention]] = defaultdict(list)
        for link in self.graph.backlinks.get(entity_id, []):
            if link.source_kind == "article" and not link.authorship:
                grouped[link.source].append(self._mention(link))
        return [(self.graph.articles[a], grouped[a]) for a in self.by_date(grouped)]

    def _mention(self, link: Backlink) -> PageMention:
        article = self.graph.articles[link.source]
        parts = link.pointer.strip("/").split("/")
        anchor = self.anchors(article).get("/" + "/".join(parts[:2]), "")
        text, quotes = mention_words(article, link)
        shown = self._unrepeated.get((text, quotes))
        if shown is None:  # once per item, not once per entity it names: the texts are long
            shown = tuple(q for q in quotes if not verbatim(q, text))
            self._unrepeated[(text, quotes)] = shown
        label = sentence(link.relation.label)
        speaker: Speaker | None = None
        capabilities: tuple[PageCapability, ...] = ()
        if parts[0] in _SPOKEN and len(parts) > 1 and parts[1].isdigit():
            node = item_at(article, "/" + "/".join(parts[:2]))[0]
            speaker = speaker_of(node)
            if isinstance(node, WeaponSystemMention) and parts[2:] == ["entity"]:
                capabilities = tuple(
                    PageCapability(c.text, speaker_of(c), tuple(a.quote for a in c.evidence))
                    for c in node.stated_capabilities
                )
        return PageMention(
            label, text, anchor, shown, len(shown) < len(quotes), speaker, capabilities
        )

    def referenced_by(self, entity_id: str) -> list[tuple[EntityBase, str]]:
        """Entities whose facts point at this one, with the fact's label."""
        return [
            (self.graph.entities[link.source], link.relation.label)
            for link in self.graph.backlinks.get(entity_id, [])
            if link.source_kind == "entity"
        ]

    def authored(self, entity_id: str) -> list[tuple[Article, str]]:
        """The articles `entity_id` wrote, newest first, with the anchor of the bio on each."""
        return self._authored.get(entity_id, [])

    @cached_property
    def _authored(self) -> dict[str, list[tuple[Article, str]]]:
        found: dict[str, list[tuple[Article, str]]] = defaultdict(list)
        for article_id in self.by_date(self.graph.articles):
            article = self.graph.articles[article_id]
            anchors = self.anchors(article)
            for index, author in enumerate(article.authors):
                found[self.graph.resolve(author.person)].append(
                    (article, anchors[f"/authors/{index}"])
                )
        return found

    @cached_property
    def _shared(self) -> dict[str, Counter[str]]:
        """entity → how many key points, events, scenarios and assessments it shares with
        each other entity (counted once for the whole corpus)."""
        items: dict[tuple[str, str], set[str]] = defaultdict(set)
        for target, links in self.graph.backlinks.items():
            for link in links:
                parts = link.pointer.strip("/").split("/")
                if link.source_kind == "article" and parts[0] in _SHARED_SECTIONS:
                    items[(link.source, "/".join(parts[:2]))].add(target)
        shared: dict[str, Counter[str]] = defaultdict(Counter)
        for members in items.values():
            for member in members:
                shared[member].update(members - {member})
        return shared

    def related(self, entity_id: str) -> tuple[list[Related], int]:
        """The `RELATED` entities named in the same articles that are most closely tied to
        this one, first the closest, and how many there are in all (the page lists no more:
        one article naming a thousand entities would list each on every other's page)."""
        shared = self._shared.get(entity_id, Counter())
        counts = self.graph.co_mentions.get(entity_id, Counter())
        entities = self.graph.entities
        others = [other for other in counts if other in entities]

        def closest(other: str) -> tuple[int, int, str, str]:
            return (-shared[other], -counts[other], entities[other].name.casefold(), other)

        top = heapq.nsmallest(RELATED, others, key=closest)
        return [Related(entities[o], counts[o], shared[o]) for o in top], len(others)


def event_date_key(event: Event) -> tuple[str, str]:
    """Oldest first, as the ranges partial dates are: by the latest day a date can mean, then
    the more precise first, so that "November 2024" comes after "5 November 2024" (undated
    last)."""
    if event.date is None:
        return ("9999-99-99", "")
    claim = {"value": event.date.value}
    if event.date.earliest:
        claim["earliest"] = event.date.earliest
    if event.date.latest:
        claim["latest"] = event.date.latest
    bounds = claim_bounds(claim) or (event.date.value, event.date.value)
    return (bounds[1], _newest_first(bounds[0]))


def _newest_first(date: str) -> str:
    """A sort key that puts later (and more precise) dates first and missing dates last."""
    return "".join(chr(0x7F - ord(c)) for c in date.ljust(10, "-")) if date else "\x7f"
