"""`stratlas find NAME`: the registered entities a name may mean, best first.

A contributor who meets a name in an article needs the ID of its entity, or to know there is
none yet, without grepping `records/entities/`. Names are compared as the scaffold compares them
(`fold`: case-blind, no leading "the", straight apostrophes), against every entity's name and
aliases, and also against its ID (a pasted ID finds its entity).

Ranking, in tiers so that a closer kind of match always comes first whatever the fuzzy ratio:
an exact name (1.0), then a name holding the query as whole words ("Biden" in "Joe Biden",
0.9), then one with a word starting with it ("Oresh" in "Oreshnik", 0.8), then a fuzzy match
("Orechnik", "Zelensky" for "Zelenskyy": up to 0.75). The fuzzy ratio is rapidfuzz's (already a
dependency; in C++, so a corpus of thousands of entities answers at once), taken against the
whole name and against each run of as many words as the query has, so that a misspelt surname
still finds the full name. Ties go to the entity's own name before an alias, then by ID, so
the order never depends on the order files were read in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal

from toolkit.authoring.scaffold.known import KnownEntity, fold

__all__ = ["EntityMatch", "Field", "find_entities"]

#: Below this fuzzy ratio (0 to 1) a name is not proposed: "Paris" is not "Russia".
FUZZY_CUTOFF = 0.72
_WORD = re.compile(r"[\w'-]+")
Field = Literal["name", "alias", "id"]


@dataclass(frozen=True)
class EntityMatch:
    """One entity the query may mean, and the form of it that matched."""

    id: str
    kind: str
    name: str
    #: The name, alias or ID that matched, as registered.
    matched: str
    #: What `matched` is: the entity's name, one of its aliases, or its ID.
    field: Field
    #: 1.0 exact; 0.9 whole words; 0.8 a word's start; below that, fuzzy.
    score: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _score(query: str, name: str) -> float:
    """How well the folded `query` matches the folded `name` (0 when not at all)."""
    if query == name:
        return 1.0
    words = _WORD.findall(name)
    wanted = _WORD.findall(query)
    if not wanted:
        return 0.0
    size = len(wanted)
    runs = [words[i : i + size] for i in range(len(words) - size + 1)]
    if wanted in runs:
        return 0.9
    if len(query) >= 3 and any(
        run[:-1] == wanted[:-1] and run[-1].startswith(wanted[-1]) for run in runs
    ):
        return 0.8
    from rapidfuzz import fuzz

    best = fuzz.ratio(query, name)
    for run in runs:
        best = max(best, fuzz.ratio(query, " ".join(run)))
    ratio = best / 100
    # Scaled under the tiers above: a fuzzy match never outranks a real one.
    return round(ratio * 0.75, 4) if ratio >= FUZZY_CUTOFF else 0.0


def find_entities(
    query: str,
    entities: Iterable[KnownEntity],
    *,
    kinds: tuple[str, ...] = (),
    limit: int = 10,
) -> list[EntityMatch]:
    """The entities whose name, alias or ID matches `query`, best first, at most `limit`."""
    wanted = fold(query)
    if not wanted:
        return []
    found: list[tuple[tuple[float, int, str], EntityMatch]] = []
    for entity in entities:
        if kinds and entity.kind not in kinds:
            continue
        forms: list[tuple[str, Field]] = [(entity.name, "name")]
        forms += [(alias, "alias") for alias in entity.aliases]
        best: tuple[float, int, Field] | None = None
        for rank, (form, field) in enumerate(forms):
            score = _score(wanted, fold(form))
            if score and (best is None or score > best[0]):
                best = (score, rank, field)
        if query.strip() == entity.id and (best is None or best[0] < 1.0):
            best = (1.0, len(forms), "id")
        if best is None:
            continue
        score, rank, field = best
        matched = entity.id if field == "id" else forms[rank][0]
        match = EntityMatch(entity.id, entity.kind, entity.name, matched, field, score)
        # Sorted by: score (higher first), the name before its aliases, then the ID.
        found.append(((-score, 0 if field == "name" else 1, entity.id), match))
    found.sort(key=lambda item: item[0])
    return [match for _, match in found[: max(limit, 0)]]
