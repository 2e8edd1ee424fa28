"""Count the occurrences of many needles in one text (a kernel of toolkit._native).

Validation asks, for every quote of an article, whether it occurs exactly once in the
source snapshot. One `str.find` scan of the text per quote costs about a millisecond an
article; toolkit._native's `count_each` counts all of them in one pass. `_count_each` below
is its twin and the reference (tests hold the two to the same counts).
"""

from __future__ import annotations

from collections.abc import Sequence

from toolkit.runtime import native

__all__ = ["count_each"]


def count_each(text: str, needles: Sequence[str]) -> list[int]:
    """For each needle, how many times it occurs in `text`, overlapping occurrences
    included (the hits of `text.find(needle, i)` for i = 0, then each hit + 1; an empty
    needle occurs `len(text) + 1` times)."""
    kernel = native.native("count_each")
    return kernel(text, needles) if kernel is not None else _count_each(text, needles)


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
