"""Which sentence best supports a mention, and which mentions of states name them as places.

The scaffold once quoted the first sentence that held a name; that is often a headline, a key
point or a sentence where the name is in passing ("Russian targets"). A reviewer wants the
sentence that says what the entity is or does, so every sentence holding the name is scored
and the best kept (ties: the earliest, so the choice is deterministic):

- +2 the name leads its sentence or clause (the subject, as a rule, in English news prose);
  +2 more when a verb follows it ("Russia fired", "Biden is said to…");
- +3 an apposition or a definition: "Oreshnik, a new missile", "ATACMS is a …";
- +2 a word of the entity's kind near the name ("the Oreshnik missile", "President Biden",
  "the city of Kyiv"): the sentence says what kind of thing it is;
- +1 a possessive ("Russia's advance"): about the entity, less than about what it does;
- −2 a demonym or plural ("Russian targets"): the scaffold's looser forms, weaker evidence;
- −4 a headline or subtitle, or a fragment without a sentence's final stop; −1 a key point
  (the author's summary: the body says it in context); −1 a sentence over 400 characters.

Each test looks only at the sentence and a few characters around the name (bounded windows),
so scoring is linear in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from toolkit.authoring.scaffold.known import fold
from toolkit.authoring.scaffold.layout import Line
from toolkit.authoring.scaffold.mentions import NameHit

__all__ = ["Candidate", "best_candidate", "names_a_place"]

#: Words that say what kind of thing an entity is, by kind.
KIND_WORDS: dict[str, frozenset[str]] = {
    kind: frozenset(words.split())
    for kind, words in {
        "person": "president minister leader chancellor senator general secretary spokesman "
        "spokeswoman spokesperson commander king premier envoy ambassador candidate",
        "state": "country nation state republic kingdom power",
        "government": "government administration cabinet ministry team",
        "organization": "organization organisation party institute agency company group",
        "armed-force": "forces troops army navy soldiers military units",
        "alliance": "alliance members allies bloc",
        "weapon-system": "missile missiles rocket rockets drone drones system launcher warhead "
        "warheads interceptor munitions ballistic cruise hypersonic",
        "place": "city capital region regions oblast province town village border territory port",
        "outlet": "magazine journal newspaper outlet publication website",
    }.items()
}
_VERB = re.compile(
    r"\s*(?:(?:has|have|had|is|was|are|were|will|would|can|could|may|might|must|should|did|"
    r"does|do|also|now|then|first|again|quickly|already)\b|\w+ed\b|\w+s\b)",
)
_APPOSITION = re.compile(r"(?:,\s+(?:a|an|the)\s|\s+(?:is|was|are|were)\s+(?:a|an|the)\s)")
_POSSESSIVE = re.compile(r"['’]s?\b")
#: A short lead before the subject: "In response, ", "The ", "On Monday, the ".
_LEAD = re.compile(r"(?:^|[,;:]\s*)(?:(?:the|a|an|but|and|yet|so)\s+)?$", re.IGNORECASE)
_WORDS = re.compile(r"[a-z]+")
_PLACE_PREPOSITION = re.compile(
    r"\b(?:in|inside|into|over|across|throughout|within|near|toward|towards)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Candidate:
    """A sentence holding a name: the hit, the sentence, and where the sentence stands."""

    hit: NameHit
    sentence: Line
    #: From the headline or a subtitle.
    heading: bool = False
    #: From the "Key Points:" block.
    key_point: bool = False
    #: Every registered name the sentence holds.
    sentence_hits: list[NameHit] = field(default_factory=list, compare=False)


def _score(text: str, candidate: Candidate) -> int:
    hit, sentence = candidate.hit, candidate.sentence
    before = text[max(sentence.start, hit.start - 40) : hit.start]
    after = text[hit.end : min(sentence.end, hit.end + 40)]
    score = 0
    if _LEAD.search(before) and (hit.start - sentence.start <= 40 or before.rstrip()[-1:] in ",;:"):
        score += 2
        if _VERB.match(after):
            score += 2
    if _APPOSITION.match(after):
        score += 3
    window = text[max(sentence.start, hit.start - 60) : min(sentence.end, hit.end + 60)]
    if KIND_WORDS.get(hit.entity.kind, frozenset()) & set(_WORDS.findall(window.casefold())):
        score += 2
    if _POSSESSIVE.match(after):
        score += 1
    form = fold(text[hit.start : hit.end])
    if form not in {fold(name) for name in hit.entity.names}:
        score -= 2
    if candidate.heading or not sentence.text.rstrip("\"'”’)]").endswith((".", "?", "!", "…")):
        score -= 4
    if candidate.key_point:
        score -= 1
    if len(sentence.text) > 400:
        score -= 1
    return score


def best_candidate(text: str, candidates: list[Candidate]) -> Candidate:
    """The candidate that best says what its entity is or does (the earliest among equals)."""
    return max(
        sorted(candidates, key=lambda c: c.hit.start),
        key=lambda c: _score(text, c),  # max keeps the first of equal scores
    )


def names_a_place(text: str, hit: NameHit) -> bool:
    """Whether the name is used as a place: "in Ukraine", "over Kursk", "into Russia" (not
    "over Ukraine's future": a possessive names what belongs to it)."""
    if _POSSESSIVE.match(text, hit.end):
        return False
    return bool(_PLACE_PREPOSITION.search(text[max(0, hit.start - 20) : hit.start]))
