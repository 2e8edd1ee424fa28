"""Find which of many names (entity names and aliases) occur in a source snapshot."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from toolkit.runtime import native as speedups
from toolkit.text.quotes import WORD, Snapshot, has_phrase, is_word, name_tokens, phrase_pattern

__all__ = ["NameIndex"]


class NameIndex:
    """Finds which of many names occur as whole words in a text.

    Checking every entity name against every snapshot costs articles × names searches; an
    Aho-Corasick automaton of all the names (pyahocorasick, in C) finds every occurrence of
    any of them in one pass over the text. A name of words only is its own key (the words
    with one space: the normalised text has one space for any run of white space); a name
    with punctuation ("U.S.", "Lockheed-Martin") is keyed by its longest word, and its
    pattern, which allows white space around the punctuation, runs only when that occurs.
    """

    def __init__(self, names: list[tuple[str, int, str]], *, native: bool = True) -> None:
        """`names`: (owner, rank, name); a lower rank is the preferred name to report.
        `native=False` uses the automaton even when toolkit._native is built (tests compare
        the two)."""
        by_key: dict[str, list[tuple[tuple[str, ...] | None, str, int, str]]] = {}
        for owner, rank, name in names:
            tokens = name_tokens(name)
            words = [t for t in tokens if WORD.fullmatch(t)]
            if len("".join(tokens)) < 2 or not words:
                continue
            if len(words) == len(tokens):
                by_key.setdefault(" ".join(words), []).append((None, owner, rank, name))
            else:
                longest = max(words, key=len)
                by_key.setdefault(longest, []).append((tuple(tokens), owner, rank, name))
        self._entries = list(by_key.values())
        #: The keys that stand for a name with punctuation (its pattern runs in Python).
        self._with_phrases = {
            number
            for number, entries in enumerate(self._entries)
            if any(phrase is not None for phrase, _, _, _ in entries)
        }
        self._table: Any = None
        self._automaton: Any = None
        if not by_key:
            return
        table_type = speedups.native("NameTable") if native else None
        if table_type is not None:
            # The keys are words joined by one space: whole-word look-ups of the snapshot's
            # word sequences in a hash table, in C, which also picks each owner's best name
            # among those of words only (several times faster than the automaton and a
            # Python loop over its matches).
            self._table = table_type(
                list(by_key),
                [
                    [(owner, (rank, name)) for phrase, owner, rank, name in entries if not phrase]
                    for entries in self._entries
                ],
            )
            return
        import ahocorasick

        self._automaton = ahocorasick.Automaton()
        for number, key in enumerate(by_key):
            self._automaton.add_word(key, (number, len(key)))
        self._automaton.make_automaton()

    def find(self, snapshot: Snapshot) -> dict[str, str]:
        """`{owner: the best-ranked of its names that occurs in the snapshot}`."""
        text = snapshot.text
        found: dict[str, tuple[int, str]]
        if self._table is not None:
            found, keys = self._table.best(text)
            keys = [key for key in keys if key in self._with_phrases]
        elif self._automaton is not None:
            found, keys = {}, self._keys_found(text)
        else:
            return {}
        for key in keys:
            # The key occurs as whole words: each of its names is decided now, once.
            for phrase, owner, rank, name in self._entries[key]:
                if self._table is not None and phrase is None:
                    continue  # decided in C
                if owner in found and found[owner] <= (rank, name):
                    continue  # (rank, name): the same choice whatever order keys come in
                if phrase is None or has_phrase(phrase_pattern(phrase), text):
                    found[owner] = (rank, name)
        return {owner: name for owner, (_, name) in found.items()}

    def placed(self, snapshot: Snapshot) -> dict[str, tuple[str, int]]:
        """`{owner: (name, where it occurs in snapshot.text)}` for the names that occur once
        the text is read leftmost-longest over all names: an occurrence that lies inside (or
        overlaps, further right) the occurrence of another name does not count, so the alias
        "Washington" is not found in "University of Washington". Each owner's best-ranked
        such name, at its first such occurrence.

        Costlier than `find` (a search per name that occurs): asked only of the snapshots
        where `find` saw a name that the article does not reference."""
        text = snapshot.text
        if self._table is not None:
            keys = self._table.find(text)
        elif self._automaton is not None:
            keys = self._keys_found(text)
        else:
            return {}
        matches: list[tuple[int, int, int, str, str]] = []  # (start, -end, rank, name, owner)
        for key in keys:
            for phrase, owner, rank, name in self._entries[key]:
                pattern = phrase_pattern(phrase or tuple(name_tokens(name)))
                matches.extend(
                    (start, -end, rank, name, owner) for start, end in _spans(pattern, text)
                )
        matches.sort()
        best: dict[str, tuple[int, str, int]] = {}
        reach, chosen = 0, (-1, 0)
        for start, negative_end, rank, name, owner in matches:
            if (start, negative_end) != chosen:  # one span may be the name of several owners
                if start < reach:
                    continue  # inside or across a name chosen before
                chosen, reach = (start, negative_end), -negative_end
            if owner not in best or (rank, name) < best[owner][:2]:
                best[owner] = (rank, name, start)
        return {owner: (name, start) for owner, (_, name, start) in best.items()}

    def _keys_found(self, text: str) -> list[int]:
        last = len(text) - 1
        settled: dict[int, None] = {}
        for end, (key, length) in self._automaton.iter(text):
            if key in settled:
                continue
            start = end - length + 1
            if (start and is_word(text[start - 1])) or (end < last and is_word(text[end + 1])):
                continue  # part of a longer word
            settled[key] = None
        return list(settled)


def _spans(pattern: re.Pattern[str], text: str) -> Iterator[tuple[int, int]]:
    """Where `pattern` matches not just after a word character (every start is tried,
    overlapping ones too, as `has_phrase` does)."""
    match = pattern.search(text)
    while match is not None:
        start = match.start()
        if not start or not is_word(text[start - 1]):
            yield start, match.end()
        match = pattern.search(text, start + 1)
