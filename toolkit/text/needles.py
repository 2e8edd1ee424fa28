"""Count the occurrences of many needles in one text (a kernel of toolkit._native).

Validation asks, for every quote of an article, whether it occurs exactly once in the
source snapshot. One `str.find` scan of the text per quote costs about a millisecond an
article; toolkit._native's `count_each` counts all of them in one pass. `_count_each` below
is its twin and the reference (tests hold the two to the same counts).

The kernel keys the needles of at least `WINDOW` characters by their first `WINDOW` and checks
each of them wherever those characters occur: a crowd of needles that share them (a hostile
article's quotes all beginning "Delegation …") would cost needles × occurrences. Such crowds
are counted by an Aho-Corasick automaton instead (pyahocorasick), whose work is the text plus
the matches.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from toolkit.runtime import native

__all__ = ["CROWD", "WINDOW", "count_each"]

#: The prefix by which toolkit._native keys its long needles (its `WINDOW`).
WINDOW = 8
#: How many needles may share that prefix before they go to the automaton instead.
CROWD = 8


def count_each(text: str, needles: Sequence[str]) -> list[int]:
    """For each needle, how many times it occurs in `text`, overlapping occurrences
    included (the hits of `text.find(needle, i)` for i = 0, then each hit + 1; an empty
    needle occurs `len(text) + 1` times)."""
    kernel = native.native("count_each")
    if kernel is None:
        return _count_each(text, needles)
    crowds = Counter(needle[:WINDOW] for needle in needles if len(needle) >= WINDOW)
    crowded = {prefix for prefix, count in crowds.items() if count > CROWD}
    if not crowded:
        return list(kernel(text, needles))
    apart = [len(n) >= WINDOW and n[:WINDOW] in crowded for n in needles]
    common = [needle for needle, crowd in zip(needles, apart, strict=True) if not crowd]
    counted = iter(kernel(text, common))
    by_crowd = _count_by_automaton(
        text, [n for n, crowd in zip(needles, apart, strict=True) if crowd]
    )
    return [
        by_crowd[needle] if crowd else next(counted)
        for needle, crowd in zip(needles, apart, strict=True)
    ]


def _count_by_automaton(text: str, needles: Sequence[str]) -> dict[str, int]:
    """Each needle's occurrences (overlapping ones too), in one pass of an automaton."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for needle in needles:
        automaton.add_word(needle, needle)
    automaton.make_automaton()
    counts = dict.fromkeys(needles, 0)
    for _end, needle in automaton.iter(text):
        counts[needle] += 1
    return counts


def _count_each(text: str, needles: Sequence[str]) -> list[int]:
    counts = []
    find = text.find
    for needle in needles:
        count, hit = 0, find(needle)
        while hit != -1:
            count += 1
            hit = find(needle, hit + 1)
        counts.append(count)
    return counts
