"""The draft's proposals from the article's sentences: mentions with their best evidence,
states named as places, stated capabilities on weapon systems, events from explicit dates, and
the voice of key points that report someone's words.

Everything here is a proposal for review, in the scaffold's conventions: a role, description or
capability text that starts with ``TODO:``, a `todo-` ID, or a note `stratlas new article`
prints ("key point 2 reads as attributed to …: check"). The sentences are read once; each
reader looks at one sentence at a time (`evidence`, `claims`), so the work is linear in the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from toolkit.authoring.scaffold.claims import (
    Speaker,
    find_capabilities,
    find_dates,
    find_speaker,
    kinds_of,
    speaker_of_span,
)
from toolkit.authoring.scaffold.evidence import Candidate, best_candidate, names_a_place
from toolkit.authoring.scaffold.known import placeholder_id
from toolkit.authoring.scaffold.layout import Anchors, Layout, Line, sentences
from toolkit.authoring.scaffold.mentions import NameFinder, NameHit
from toolkit.format.placeholders import PLACEHOLDER_ID_PREFIX, TODO
from toolkit.format.vocab import ACTOR_KINDS

__all__ = ["Reading", "read_sentences"]

#: A quote longer than this is cut to the name and 200 characters either side.
_LONGEST_QUOTE = 1000
#: At most this many capabilities proposed per weapon system, and quotes per event.
_MOST_CAPABILITIES = 5
_MOST_EVENT_QUOTES = 3


@dataclass
class _Sentence:
    line: Line
    hits: list[NameHit]
    heading: bool = False
    key_point: bool = False
    title: bool = False


@dataclass
class Reading:
    """The article's sentences (not the bio) with the registered names each holds."""

    anchors: Anchors
    finder: NameFinder
    exclude: set[str]
    sentences: list[_Sentence] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.anchors.text

    def quote(self, start: int, end: int, hit: NameHit | None = None) -> dict[str, str]:
        if end - start > _LONGEST_QUOTE and hit is not None:
            start, end = max(start, hit.start - 200), min(end, hit.end + 200)
        return self.anchors.at(start, end)

    def _body(self) -> list[_Sentence]:
        return [s for s in self.sentences if not s.key_point and not s.title]

    def _title(self) -> list[_Sentence]:
        return [s for s in self.sentences if s.title]

    def _key_points(self) -> list[_Sentence]:
        return [s for s in self.sentences if s.key_point]

    # --- mentions -----------------------------------------------------------------------------

    def mentions(self) -> dict[str, list[dict[str, Any]]]:
        """Actors, weapon systems and places, in the order the article first names them, each
        with the sentence that best says what it is or does; states also as places when the
        text names them as places ("in Ukraine")."""
        found: dict[str, list[Candidate]] = {}
        as_place: dict[str, list[Candidate]] = {}
        for sentence in self.sentences:
            for hit in sentence.hits:
                if hit.entity.id in self.exclude:
                    continue
                candidate = Candidate(
                    hit, sentence.line, sentence.heading, sentence.key_point, sentence.hits
                )
                found.setdefault(hit.entity.id, []).append(candidate)
                if hit.entity.kind == "state" and names_a_place(self.text, hit):
                    as_place.setdefault(hit.entity.id, []).append(candidate)
        # The order the scaffold always proposed in: where the body first names an entity
        # (the headline, then the key points, for one the body does not name).
        first: dict[str, int] = {}
        for part in (self._body, self._title, self._key_points):
            for sentence in part():
                for hit in sentence.hits:
                    first.setdefault(hit.entity.id, hit.start)
        sections: dict[str, list[dict[str, Any]]] = {
            "actors": [],
            "weapon_systems": [],
            "places": [],
        }
        for entity_id in sorted(found, key=first.__getitem__):
            kind = found[entity_id][0].hit.entity.kind
            section = (
                "actors"
                if kind in ACTOR_KINDS
                else {"weapon-system": "weapon_systems", "place": "places"}.get(kind)
            )
            if section is None:
                continue
            entry = self._mention(found[entity_id])
            if section == "weapon_systems":
                capabilities = self._capabilities(found[entity_id])
                if capabilities:
                    entry["stated_capabilities"] = capabilities
            sections[section].append(entry)
        for entity_id in sorted(as_place, key=first.__getitem__):
            sections["places"].append(self._mention(as_place[entity_id], as_place=True))
        return sections

    def _mention(self, candidates: list[Candidate], *, as_place: bool = False) -> dict[str, Any]:
        best = best_candidate(self.text, candidates)
        entity = best.hit.entity
        role = (
            f"{TODO} say in a few words what happens in {entity.name} as a place in this "
            "article (or delete this entry if the article names it only as an actor)"
            if as_place
            else f"{TODO} say in a few words what part {entity.name} plays in this article "
            "(or delete this entry if it plays none)"
        )
        entry: dict[str, Any] = {
            "evidence": [self.quote(best.sentence.start, best.sentence.end, best.hit)],
            "entity": entity.id,
            "role": role,
        }
        # Found only through a looser form ("American officials", "Russian targets"): the
        # validator asks how the source's words mean this entity, so the draft asks first.
        if not any(self.text[c.hit.start : c.hit.end] in entity.names for c in candidates):
            entry["label_in_source"] = self.text[best.hit.start : best.hit.end]
            entry["identification"] = {
                "basis": "inferred-from-source",
                "note": f"{TODO} say why “{entry['label_in_source']}” means {entity.name} here",
            }
        return entry

    def _capabilities(self, candidates: list[Candidate]) -> list[dict[str, Any]]:
        proposals: list[dict[str, Any]] = []
        seen: set[str] = set()
        for candidate in candidates:
            if candidate.heading:
                continue  # a headline's words are the sentences' in short
            line = candidate.sentence
            for capability in find_capabilities(self.text, line.start, line.end, candidate.hit):
                if capability.text.casefold() in seen:
                    continue
                seen.add(capability.text.casefold())
                entry: dict[str, Any] = {
                    "evidence": [self.anchors.at(capability.start, capability.end)]
                }
                speaker = speaker_of_span(
                    self.text,
                    line.start,
                    line.end,
                    capability.start,
                    capability.end,
                    candidate.sentence_hits,
                    self.exclude,
                )
                if speaker is not None:
                    entry["voice"] = "attributed"
                    entry.update(_attribution(speaker))
                    self.notes.append(
                        f"{candidate.hit.entity.id}: the stated capability “{capability.text}” "
                        f"reads as the words of “{self.text[speaker.start : speaker.end]}”: "
                        "check its voice and attribution"
                    )
                entry["text"] = (
                    f"{TODO} check this stated capability, then write it without this mark: "
                    f"{capability.text}"
                )
                proposals.append(entry)
                if len(proposals) == _MOST_CAPABILITIES:
                    return proposals
        return proposals

    # --- events ----------------------------------------------------------------------------

    def events(self) -> list[dict[str, Any]]:
        """One event per explicit date the body or key points give, with the sentences that
        give it, the date's own words, and the entities those sentences name."""
        by_value: dict[str, list[tuple[_Sentence, int, int]]] = {}
        for sentence in self.sentences:
            if sentence.heading:
                continue
            for date in find_dates(self.text, sentence.line.start, sentence.line.end):
                by_value.setdefault(date.value, []).append((sentence, date.start, date.end))
        events = []
        for value, found in by_value.items():
            told = found[:_MOST_EVENT_QUOTES]
            sentence, start, end = told[0]
            label = self.text[start:end]
            hits = [h for s, _, _ in told for h in s.hits if h.entity.id not in self.exclude]
            event: dict[str, Any] = {
                "evidence": [self.quote(s.line.start, s.line.end) for s, _, _ in told],
                "id": f"{PLACEHOLDER_ID_PREFIX}event-{value}",
                "date": {
                    "evidence": [self.anchors.at(start, end)],
                    "value": value,
                    "label_in_source": label,
                },
                "description": f"{TODO} say in a sentence what happened on {label}, in your "
                f"own words (the article: “{_excerpt(sentence.line.text)}”)",
            }
            for key, kinds in (
                ("actors", ACTOR_KINDS),
                ("places", ("place",)),
                ("weapon_systems", ("weapon-system",)),
            ):
                ids = kinds_of(hits, kinds)
                if key == "places":
                    ids += [
                        h.entity.id
                        for h in hits
                        if h.entity.kind == "state"
                        and names_a_place(self.text, h)
                        and h.entity.id not in ids
                    ]
                if ids:
                    event[key] = list(dict.fromkeys(ids))
            events.append(event)
        return events

    # --- voice -----------------------------------------------------------------------------

    def voice(self, point: dict[str, Any], start: int, end: int, number: int) -> dict[str, Any]:
        """The key point text[start:end] with its voice: attributed when it reports someone's
        words, to the entity or group that says them."""
        hits = list(self.finder.find(self.text, start, end))
        speaker = find_speaker(self.text, start, end, hits, self.exclude)
        if speaker is None:
            return point
        voiced = {k: v for k, v in point.items() if k not in ("voice", "text", "mentions")}
        voiced["voice"] = "attributed"
        voiced.update(_attribution(speaker))
        voiced["text"] = point["text"]
        if "mentions" in point:
            voiced["mentions"] = point["mentions"]
        self.notes.append(
            f"key point {number} reads as someone else's words "
            f"(“{self.text[speaker.start : speaker.end]}”): check its voice and attribution"
        )
        return voiced


def _attribution(speaker: Speaker) -> dict[str, Any]:
    """`attributed_to` for a registered speaker; `attributed_group` for speakers the source
    describes in its own words ("American officials"), with the entity they belong to."""
    if speaker.group is None and speaker.entity is not None:
        return {"attributed_to": speaker.entity}
    if speaker.group is None:
        return {"attributed_to": placeholder_id("speaker")}
    group: dict[str, Any] = {"label_in_source": speaker.group}
    if speaker.entity is not None:
        group["entity"] = speaker.entity
    return {"attributed_group": group}


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 160 else text[:159] + "…"


def read_sentences(
    layout: Layout, anchors: Anchors, finder: NameFinder, exclude: set[str]
) -> Reading:
    """Every sentence of the headline, key points and body (not the bio), with its names."""
    reading = Reading(anchors, finder, exclude)
    headings = {id(line) for line in layout.subtitles}
    parts: list[tuple[Line, bool, bool]] = []
    if layout.title:
        parts.append((layout.title, True, False))
    parts += [(line, False, True) for line in layout.key_points]
    parts += [(line, id(line) in headings, False) for line in layout.body]
    for paragraph, heading, key_point in parts:
        for line in sentences(paragraph):
            hits = list(finder.find(anchors.text, line.start, line.end))
            title = paragraph is layout.title
            reading.sentences.append(_Sentence(line, hits, heading, key_point, title))
    return reading
