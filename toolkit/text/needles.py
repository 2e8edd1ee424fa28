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
from collections.abc import Callable, Sequence
from typing import TypeVar

from toolkit.runtime import native

__all__ = ["CROWD", "WINDOW", "count_each", "locate_each"]

T = TypeVar("T")

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
    return _by_kernel(text, needles, kernel, lambda crowd: _count_by_automaton(text, crowd))


def locate_each(text: str, needles: Sequence[str]) -> tuple[list[int], list[int], list[int]]:
    """`count_each`; where each needle first occurs (-1: nowhere), from the same pass; and
    whether that occurrence starts (1) and whether it ends (2) inside a word (a word
    character, `\\w`, on both sides of the edge): the quote check learns where a unique
    quote is, and how it is cut, without searching or looking at it again."""
    kernel = native.native("locate_each")
    if kernel is None:
        return _locate_each(text, needles)
    crowds = Counter(needle[:WINDOW] for needle in needles if len(needle) >= WINDOW)
    if not any(count > CROWD for count in crowds.values()):
        counts, firsts, edges = kernel(text, needles)
        return counts, firsts, edges
    triples = _by_kernel(
        text,
        needles,
        lambda t, n: list(zip(*kernel(t, n), strict=True)),
        lambda crowd: _locate_by_automaton(text, crowd),
    )
    return (
        [count for count, _, _ in triples],
        [first for _, first, _ in triples],
        [edge for _, _, edge in triples],
    )


def _by_kernel(
    text: str,
    needles: Sequence[str],
    kernel: Callable[[str, Sequence[str]], Sequence[T]],
    by_automaton: Callable[[list[str]], dict[str, T]],
) -> list[T]:
    """The kernel's answer for each needle; crowds of needles that share their first
    WINDOW characters answered by the automaton instead."""
    crowds = Counter(needle[:WINDOW] for needle in needles if len(needle) >= WINDOW)
    crowded = {prefix for prefix, count in crowds.items() if count > CROWD}
    if not crowded:
        return list(kernel(text, needles))
    apart = [len(n) >= WINDOW and n[:WINDOW] in crowded for n in needles]
    common = [needle for needle, crowd in zip(needles, apart, strict=True) if not crowd]
    counted = iter(kernel(text, common))
    by_crowd = by_automaton([n for n, crowd in zip(needles, apart, strict=True) if crowd])
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


def _locate_by_automaton(text: str, needles: Sequence[str]) -> dict[str, tuple[int, int, int]]:
    """Each needle's occurrences, first start and its edges, in one pass of an automaton
    (its ends come in order, so a needle's first end is its first start plus its length)."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for needle in needles:
        automaton.add_word(needle, needle)
    automaton.make_automaton()
    found = {needle: (0, -1) for needle in needles}
    for end, needle in automaton.iter(text):
        count, first = found[needle]
        found[needle] = (count + 1, first if count else end - len(needle) + 1)
    return {
        needle: (count, first, _edges(text, first, len(needle)))
        for needle, (count, first) in found.items()
    }


def _locate_each(text: str, needles: Sequence[str]) -> tuple[list[int], list[int], list[int]]:
    """The twin of toolkit._native's `locate_each`."""
    firsts = [text.find(needle) for needle in needles]
    edges = [_edges(text, first, len(n)) for first, n in zip(firsts, needles, strict=True)]
    return _count_each(text, needles), firsts, edges


def _edges(text: str, at: int, size: int) -> int:
    """1 when `text[at:at + size]` starts inside a word, | 2 when it ends inside one."""
    if at < 0 or not size:
        return 0
    end = at + size
    starts = at > 0 and _is_word(text[at]) and _is_word(text[at - 1])
    ends = end < len(text) and _is_word(text[end - 1]) and _is_word(text[end])
    return starts | ends << 1


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


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
