"""Claims read from sentences: who says it (voice), explicit dates, stated capabilities.

Each reader looks at one sentence (or key point) with patterns that are bounded or anchored on
a cue word, so the work is linear in the text (the hostile-input tests hold the scaffold to it).
What they find are proposals: the draft marks them for review (a TODO text, a `todo-` ID, or a
note the command prints), never a finished claim.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from toolkit.authoring.scaffold.mentions import NameHit

__all__ = [
    "Capability",
    "Speaker",
    "find_capabilities",
    "find_dates",
    "find_speaker",
    "kinds_of",
    "speaker_of_span",
]

# --- voice: who says it ---------------------------------------------------------------------

_REPORTING = (
    r"(?:said|says|say|claimed|claims|claim|stated|states|warned|warns|told|tells|announced|"
    r"announces|insisted|insists|argued|argues|described|describes|called|calls|believes|"
    r"believe|judged|judge|assessed|assess|maintained|maintains|contended|contends|alleged|"
    r"alleges|denied|denies|accused|accuses|noted|notes|boasted|boasts|asserted|asserts)"
)
#: A reporting verb, after at most one auxiliary and one adverb ("has repeatedly claimed").
_SAID = re.compile(
    rf"(?<!\s)\s+(?:(?:has|have|had|also|again|repeatedly|publicly|first|reportedly|later)\s+){{0,2}}"
    rf"{_REPORTING}\b"
)
_ACCORDING = re.compile(r"\baccording\s+to\s+", re.IGNORECASE)
#: People whom a source reports without naming them.
_GROUP_NOUNS = (
    r"officials|analysts|experts|diplomats|sources|commanders|observers|critics|lawmakers|"
    r"legislators|officers|spokesmen|spokespeople|ministers|leaders|aides|advisers|advisors|"
    r"planners|strategists|generals|intelligence|authorities|government|administration|"
    r"military|ministry|kremlin|pentagon"
)
#: The group's words as the source gives them: up to three words, then the group noun.
_GROUP = re.compile(
    rf"(?:\b[\w'’.-]+\s+){{0,3}}?(?:{_GROUP_NOUNS})\b$",
    re.IGNORECASE,
)
_GROUP_AFTER = re.compile(
    rf"(?:[\w'’.-]+\s+){{0,3}}?(?:{_GROUP_NOUNS})\b",
    re.IGNORECASE,
)
_LEADING_WORD = re.compile(r"^(?:the|and|but|while|as|that|when|if)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Speaker:
    """Who a claim is reported from: a registered entity, or a group in the source's words
    (with the entity it belongs to, when one is named in them)."""

    start: int
    end: int
    entity: str | None
    group: str | None = None


def find_speaker(
    text: str, start: int, end: int, hits: list[NameHit], exclude: set[str]
) -> Speaker | None:
    """The speaker of the claim in text[start:end], when it reports someone's words: "X said",
    "according to X", "American officials described". None when it reads as the author's."""
    # Hits by where they start and end: one look-up per cue, however many names there are.
    starting = {h.start: h for h in reversed(hits) if h.entity.id not in exclude}
    ending = {h.end: h for h in hits if h.entity.id not in exclude}
    for match in _ACCORDING.finditer(text, start, end):
        at = match.end()
        # "according to American officials": the officials speak, not the United States.
        group = _GROUP_AFTER.match(text, at, min(end, at + 80))
        if group:
            return _group(text, group.start(), group.end(), hits)
        named = starting.get(at)
        if named is not None and not _demonym(text, named):
            return Speaker(named.start, named.end, named.entity.id)
    for match in _SAID.finditer(text, start, end):
        at = match.start()
        named = ending.get(at)
        if named is not None and not _demonym(text, named):
            return Speaker(named.start, named.end, named.entity.id)
        group = _GROUP.search(text, max(start, at - 60), at)
        if group:
            return _group(text, group.start(), group.end(), hits)
    return None


def speaker_of_span(
    text: str,
    line_start: int,
    line_end: int,
    start: int,
    end: int,
    hits: list[NameHit],
    exclude: set[str],
) -> Speaker | None:
    """The speaker of text[start:end], a clause of the sentence text[line_start:line_end]:
    one who introduces it ("Putin claimed that no air defence can intercept it") or tags it
    ("…cannot be intercepted, Putin said"); not one who speaks in another clause ("It can reach
    Europe, and Putin claimed…")."""
    before = find_speaker(text, line_start, end, hits, exclude)
    if before is not None and before.end <= start:
        return before
    after = find_speaker(text, end, line_end, hits, exclude)
    if after is not None and not text[end : after.start].strip(" ,;:—–\"'”’"):
        return after
    return None


def _demonym(text: str, hit: NameHit) -> bool:
    """ "Russian officials said": the speaker is the officials, not Russia."""
    from toolkit.authoring.scaffold.known import fold

    return fold(text[hit.start : hit.end]) not in {fold(n) for n in hit.entity.names}


def _group(text: str, start: int, end: int, hits: list[NameHit]) -> Speaker:
    words = text[start:end]
    lead = _LEADING_WORD.match(words)
    if lead:
        start += lead.end()
    inside = [h for h in hits if start <= h.start and h.end <= end]
    return Speaker(start, end, inside[0].entity.id if inside else None, text[start:end])


# --- dates ----------------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
#: "November 21, 2024", "21 November 2024", "2024-11-21", "November 2024" (a month). Plain
#: alternatives with bounded repeats: at most one attempt per position, linear in the text.
_DATE = re.compile(
    rf"\b(?:(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH}),?\s+(?P<y2>\d{{4}})"
    rf"|(?P<y3>\d{{4}})-(?P<m3>\d{{2}})-(?P<d3>\d{{2}})"
    rf"|(?P<m4>{_MONTH})\s+(?:of\s+)?(?P<y4>\d{{4}}))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateFound:
    start: int
    end: int
    #: YYYY-MM-DD, or YYYY-MM for a month.
    value: str


def find_dates(text: str, start: int, end: int) -> list[DateFound]:
    """Explicit calendar dates in text[start:end] (not weekdays or "last summer")."""
    found = []
    for match in _DATE.finditer(text, start, end):
        groups = match.groupdict()
        if groups["y3"]:
            year, month, day = int(groups["y3"]), int(groups["m3"]), int(groups["d3"])
        else:
            key = next(k for k in ("m1", "m2", "m4") if groups[k])
            month = _MONTHS[groups[key].rstrip(".").casefold()]
            year = int(groups["y1"] or groups["y2"] or groups["y4"])
            day = int(groups["d1"] or groups["d2"] or 0)
        if not 1000 <= year <= 2999 or not 1 <= month <= 12:
            continue
        if day:
            try:
                datetime.date(year, month, day)
            except ValueError:
                continue
            value = f"{year:04d}-{month:02d}-{day:02d}"
        else:
            value = f"{year:04d}-{month:02d}"
        found.append(DateFound(match.start(), match.end(), value))
    return found


# --- stated capabilities --------------------------------------------------------------------

#: What a weapon can do, as articles word it. Anchored on a cue word, each alternative bounded.
_CAPABILITY = re.compile(
    r"\b(?:(?:can(?:not)?|could|cannot|can't|will)\s+(?:not\s+)?(?:be\s+)?"
    r"(?:reach|strike|hit|carry|fly|travel|evade|penetrate|intercept|intercepted|defeat|destroy|"
    r"deliver|cover|stopped|shot|overwhelm|survive|outrun|defeated)"
    r"|(?:capable|incapable)\s+of|able\s+to|(?:a\s+|maximum\s+|its\s+)?range\s+of|"
    r"ranges?\s+up\s+to|speeds?\s+of|mach\s+\d|payload\s+of)\b",
    re.IGNORECASE,
)
_RANGE_WORD = re.compile(
    r"\b(?:long|short|medium|intermediate|extended|very[- ]long)-range\b", re.IGNORECASE
)
_CLAUSE_END = re.compile(r"[,;:.!?()—–]|\s(?:but|while|although|whereas|yet)\s")
_THAT = re.compile(rf"^.*?\b{_REPORTING}\s+(?:that\s+)?", re.IGNORECASE)
_WEAPON_WINDOW = 80


@dataclass(frozen=True)
class Capability:
    """A stated capability: its words in the source, the span they take."""

    start: int
    end: int
    text: str


def find_capabilities(
    text: str, sentence_start: int, sentence_end: int, hit: NameHit
) -> list[Capability]:
    """Capabilities stated near a weapon's name, in its sentence: a clause with a cue word
    ("can reach", "capable of", "cannot be intercepted") within 80 characters of the name, or a
    range word next to it ("long-range ATACMS missiles")."""
    found: list[Capability] = []
    low, high = (
        max(sentence_start, hit.start - _WEAPON_WINDOW),
        min(sentence_end, hit.end + _WEAPON_WINDOW),
    )
    for match in _CAPABILITY.finditer(text, low, high):
        start, end = _clause(text, sentence_start, sentence_end, match.start(), match.end())
        found.append(Capability(start, end, text[start:end]))
    near = text[max(sentence_start, hit.start - 30) : min(sentence_end, hit.end + 30)]
    for match in _RANGE_WORD.finditer(near):
        offset = max(sentence_start, hit.start - 30)
        start = min(offset + match.start(), hit.start)
        end = max(offset + match.end(), hit.end)
        found.append(Capability(start, end, match.group().lower()))
    return _distinct(found)


def _clause(text: str, low: int, high: int, cue_start: int, cue_end: int) -> tuple[int, int]:
    """The clause around a cue: back to the previous clause mark (at most 100 characters),
    on to the next; without the reporting verb that introduces it ("Putin claimed that")."""
    start = cue_start
    floor = max(low, cue_start - 100)
    while start > floor and text[start - 1] not in ",;:.!?()—–":
        start -= 1
    stop = _CLAUSE_END.search(text, cue_end, min(high, cue_end + 150))
    end = stop.start() if stop else min(high, cue_end + 150)
    clause = text[start:end]
    reported = _THAT.match(clause[: cue_start - start])
    if reported:
        start += reported.end()
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in " .":
        end -= 1
    return start, end


def _distinct(found: Iterable[Capability]) -> list[Capability]:
    seen: set[tuple[int, int]] = set()
    kept = []
    for capability in sorted(found, key=lambda c: (c.start, c.end)):
        if (capability.start, capability.end) not in seen and capability.text.strip():
            seen.add((capability.start, capability.end))
            kept.append(capability)
    return kept


def kinds_of(hits: Iterable[NameHit], kinds: tuple[str, ...]) -> list[str]:
    """The IDs of the entities of these kinds among `hits`, in order, once each."""
    return list(dict.fromkeys(h.entity.id for h in hits if h.entity.kind in kinds))
