"""Resolve evidence anchors (TextQuoteSelectors) against a source snapshot.

Matching ignores differences in white space and typographic quotes; offsets (`start`/`end`)
count code points in the NFC-normalised snapshot, as PRODUCT.md specifies. The whole-word
matching of names at the end serves `Snapshot.mentions_name` and `names.NameIndex` alike.

Over 300 lines because `Snapshot` keeps what it counted and indexed (occurrences, anchors
with context, counts) beside the resolution that uses it; the closest-match search is in
`closest`, and the name matching should move to `names` next.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any, Literal

from toolkit.runtime import native as speedups
from toolkit.text import closest
from toolkit.text.closest import HINT_BUDGET, HINT_QUOTE
from toolkit.text.needles import locate_each

if TYPE_CHECKING:
    from pydantic import BaseModel


__all__ = [
    "WORD",
    "Resolution",
    "Snapshot",
    "has_phrase",
    "is_word",
    "name_tokens",
    "normalise",
    "phrase_pattern",
]

_TYPOGRAPHIC = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"', "\u00a0": " "}
)
_TYPOGRAPHIC_PAIRS = tuple((chr(code), plain) for code, plain in _TYPOGRAPHIC.items())


def _collapse(text: str) -> str:
    """One space for every run of white space (str.split is far faster than a regex)."""
    if not text:
        return text
    lead = " " if text[0].isspace() else ""
    trail = " " if text[-1].isspace() and text.strip() else ""
    return lead + " ".join(text.split()) + trail


def _straighten(text: str) -> str:
    # str.replace per mark is many times faster than str.translate with a dict table.
    for mark, plain in _TYPOGRAPHIC_PAIRS:
        if mark in text:
            text = text.replace(mark, plain)
    return text


def normalise(text: str) -> str:
    """NFC, straight quotes, one space for any run of white space."""
    # Printable ASCII without '"' or a double space: nothing to change. The common case and
    # the hot path of validation (four scans in C, several times faster than a regex).
    if text.isascii() and text.isprintable() and '"' not in text and "  " not in text:
        return text
    return _collapse(_straighten(unicodedata.normalize("NFC", text)))


@dataclass(frozen=True)
class Resolution:
    status: Literal["found", "ambiguous", "orphaned", "offset-mismatch"]
    count: int = 0
    start: int = -1  # NFC code-point offsets, when asked for (`resolve(..., offsets=True)`)
    end: int = -1
    hint: str = ""
    at: int = -1  # where a found quote starts in `Snapshot.text` (the normalised text)


#: The most occurrences of a quote that `Snapshot._beside` indexes (more: searched in C,
#: once per anchor: a bound on the memory of the index).
INDEXED = 100_000


class Snapshot:
    """A source text prepared for quote look-ups."""

    def __init__(self, text: str) -> None:
        self.raw = text  # the file's text (the corpus holds it anyway): for `line_col`
        self.nfc = unicodedata.normalize("NFC", text)
        native = speedups.native("straighten_collapse")
        self.text = native(self.nfc) if native else _collapse(_straighten(self.nfc))
        # Look-ups cached for the snapshot's lifetime: many anchors may quote the same words.
        self._found: dict[str, list[int]] = {}
        self._resolved: dict[tuple[Any, ...], Resolution] = {}
        self._beside_index: dict[tuple[str, int, bool], dict[str, list[int]]] = {}
        self._counts: dict[str, int] = {}  # occurrences of needles counted by `count_all`
        self._firsts: dict[str, int] = {}  # and where each first occurs (-1: nowhere)
        self._edges: dict[str, int] = {}  # and whether it starts (1) | ends (2) in a word
        self._hints_left = HINT_BUDGET

    @cached_property
    def _origin(self) -> list[int]:
        """Map from offsets in the normalised text back to NFC offsets (built on demand)."""
        origin: list[int] = []
        previous_space = False
        for index, char in enumerate(_straighten(self.nfc)):
            if char.isspace():
                if previous_space:
                    continue
                previous_space = True
            else:
                previous_space = False
            origin.append(index)
        origin.append(len(self.nfc))
        return origin

    def _occurrences(self, needle: str) -> list[int]:
        """Where `needle` starts (overlaps included), listed once per snapshot and needle."""
        found = self._found.get(needle)
        if found is None:
            # A needle counted already is not searched for past its last occurrence.
            count = self._counts.get(needle, -1)
            found, start = [], self.text.find(needle) if count else -1
            while start != -1:
                found.append(start)
                start = self.text.find(needle, start + 1) if len(found) != count else -1
            self._found[needle] = found
        return found

    def count_all(self, needles: list[str]) -> list[int]:
        """How many times each (normalised) needle occurs, counted in one pass over the
        text for all of them (`locate_each`), and kept, with where each first occurs
        (`first`): a quote found nowhere is never searched for again, which keeps a record
        with many misquotes linear."""
        # Each needle once: the kernel checks every needle that shares a hit's first
        # characters, so n copies of one quote would cost n × its occurrences.
        distinct = list(dict.fromkeys(needles))
        counts, firsts, edges = locate_each(self.text, distinct)
        self._counts.update(zip(distinct, counts, strict=True))
        self._firsts.update(zip(distinct, firsts, strict=True))
        self._edges.update(zip(distinct, edges, strict=True))
        return [self._counts[needle] for needle in needles]

    def unsettled(self, needles: list[str], also: list[str]) -> list[int]:
        """The indices of the needles that do not occur exactly once, on word boundaries
        (empty ones included), counted in one pass with `also` (`count_all`)."""
        self.count_all(needles + also)
        counts, edges = self._counts, self._edges
        return [
            at
            for at, needle in enumerate(needles)
            if counts[needle] != 1 or edges[needle] or not needle
        ]

    def edges(self, needle: str) -> int:
        """Of a needle that `count_all` counted, at its first occurrence: 1 when it starts
        inside a word of `text`, | 2 when it ends inside one (`locate_each`)."""
        return self._edges[needle]

    def count(self, needle: str) -> int:
        """How many times a normalised needle occurs (kept from `count_all`, or counted)."""
        counted = self._counts.get(needle)
        return counted if counted is not None else self.count_all([needle])[0]

    def first(self, needle: str) -> int:
        """Where a needle that `count_all` counted first occurs in `text` (-1: nowhere)."""
        return self._firsts[needle]

    def cuts_word(self, at: int, size: int) -> tuple[bool, bool]:
        """Whether the `size` characters of `text` from `at` start inside a word, and
        whether they end inside one (a word character on both sides of the edge)."""
        text = self.text
        end = at + size
        starts = at > 0 and size > 0 and is_word(text[at]) and is_word(text[at - 1])
        ends = 0 < end < len(text) and size > 0 and is_word(text[end - 1]) and is_word(text[end])
        return starts, ends

    def _beside(self, quote: str, context: str, before: bool) -> list[int]:
        """Where `quote` occurs right after `context` (`before`) or right before it,
        directly or across one space (the normalised text has no other white space).

        Looked up in an index of the quote's occurrences by the text of the context's length
        beside each, built once per quote, side and length: each anchor then costs its own
        hits, not a pass over every occurrence. A quote that occurs more than INDEXED times
        is searched for together with its context instead (one scan of the text in C)."""
        found = self._occurrences(quote)
        if len(found) > INDEXED:
            if not before:
                joined = self._occurrences(quote + context)
                return sorted([*joined, *self._occurrences(quote + " " + context)])
            joined = self._occurrences(context + quote)
            spaced = self._occurrences(context + " " + quote)
            size = len(context)
            return sorted([h + size for h in joined] + [h + size + 1 for h in spaced])
        key = (quote, len(context), before)
        index = self._beside_index.get(key)
        if index is None:
            index = self._beside_index[key] = {}
            text, size, after = self.text, len(context), len(quote)
            for hit in found:
                if before:
                    edges = [text[hit - size : hit]] if hit >= size else []
                    if hit > size and text[hit - 1] == " ":
                        edges.append(text[hit - 1 - size : hit - 1])
                else:
                    end = hit + after
                    edges = [text[end : end + size]]
                    if end < len(text) and text[end] == " ":
                        edges.append(text[end + 1 : end + 1 + size])
                for edge in edges:
                    index.setdefault(edge, []).append(hit)
        return index.get(context, [])

    def resolve(self, anchor: Mapping[str, Any] | BaseModel, offsets: bool = False) -> Resolution:
        """Where an anchor (a model or its JSON object) points in this snapshot; `offsets`
        asks for the NFC code-point offsets of a found quote (costlier)."""
        if not isinstance(anchor, Mapping):
            anchor = anchor.model_dump(exclude_none=True)
        key = (
            anchor["quote"],
            anchor.get("prefix"),
            anchor.get("suffix"),
            anchor.get("start"),
            anchor.get("end"),
            offsets,
        )
        resolution = self._resolved.get(key)
        if resolution is None:
            resolution = self._resolved[key] = self._resolve(*key)
        return resolution

    def _resolve(
        self,
        raw_quote: str,
        raw_prefix: str | None,
        raw_suffix: str | None,
        start: int | None,
        end: int | None,
        offsets: bool,
    ) -> Resolution:
        quote = normalise(raw_quote).strip()
        if not quote:
            return Resolution("orphaned", hint="The quote is only white space.")
        prefix = normalise(raw_prefix).rstrip() if raw_prefix else ""
        suffix = normalise(raw_suffix).lstrip() if raw_suffix else ""
        if prefix:
            hits = self._beside(quote, prefix, before=True)
            if suffix:
                followed = set(self._beside(quote, suffix, before=False))
                hits = [h for h in hits if h in followed]
        elif suffix:
            hits = self._beside(quote, suffix, before=False)
        else:
            hits = self._occurrences(quote)
        if start is not None:
            at_offset = [h for h in hits if self._origin[h] == start]
            if not at_offset:
                return Resolution("offset-mismatch", count=len(hits), hint=self._offset_hint(hits))
            hits = at_offset
        if not hits:
            return Resolution("orphaned", hint=self._closest(quote, bool(raw_prefix or raw_suffix)))
        if len(hits) > 1:
            return Resolution("ambiguous", count=len(hits), hint=self._ambiguity_hint(hits))
        if start is None and end is None and not offsets:
            return Resolution("found", count=1, at=hits[0])
        found_start = self._origin[hits[0]]
        found_end = self._origin[hits[0] + len(quote) - 1] + 1
        if end is not None and end != found_end:
            return Resolution(
                "offset-mismatch", count=1, hint=f"The quote spans {found_start}–{found_end}."
            )
        return Resolution("found", count=1, start=found_start, end=found_end, at=hits[0])

    def occurs_once(self, quote: str) -> bool:
        """Whether the quote occurs exactly once: what `resolve` calls "found" for an anchor
        that is only a quote (the common case, answered without building a `Resolution`)."""
        return self.once_at(quote) != -1

    def once_at(self, quote: str) -> int:
        """Where in `text` a quote that `occurs_once` starts; -1 when it occurs never or
        more than once."""
        needle = normalise(quote).strip()
        counted = self._counts.get(needle)
        if counted is not None:
            return self._firsts[needle] if counted == 1 and needle else -1
        find = self.text.find
        first = find(needle) if needle else -1
        return first if first != -1 and find(needle, first + 1) == -1 else -1

    def all_bare_and_once(self, anchors: list[dict[str, Any]] | None) -> bool:
        """Whether there are anchors and each is a bare quote that `occurs_once`: the hot
        path of validation (a plain loop: a generator and a call per anchor cost more than
        the search)."""
        if not anchors:
            return False
        find = self.text.find
        for anchor in anchors:
            if len(anchor) != 1:
                return False
            needle = normalise(anchor["quote"]).strip()
            first = find(needle) if needle else -1
            if first == -1 or find(needle, first + 1) != -1:
                return False
        return True

    def mentions_name(self, name: str) -> bool:
        """True when `name` occurs as whole words (case-sensitive) in the snapshot."""
        tokens = name_tokens(name)
        if len("".join(tokens)) < 2 or not any(WORD.fullmatch(t) for t in tokens):
            return False  # what NameIndex skips
        return has_phrase(phrase_pattern(tuple(tokens)), self.text)

    @cached_property
    def _line_starts(self) -> tuple[list[int], list[int]]:
        """Where each line starts in the NFC text and in the file's text (NFC keeps line
        breaks: the two have the same lines). Built once, for `line_col`."""
        return _starts(self.nfc), _starts(self.raw)

    def line_col(self, at: int) -> tuple[int, int]:
        """The 1-based line and column (code points) in the snapshot file of offset `at` of
        `text`: where a reader's editor shows it."""
        offset = self._origin[at]
        nfc_starts, raw_starts = self._line_starts
        line = bisect.bisect_right(nfc_starts, offset)
        column = offset - nfc_starts[line - 1]
        raw_start = raw_starts[line - 1]
        raw_line = self.raw[raw_start : raw_start + column * 4 + 4]  # NFD at most ~4× longer
        if not raw_line.isascii() and not unicodedata.is_normalized("NFC", raw_line):
            # A line the file holds in another form (decomposed accents): its own code
            # points, the shortest prefix whose NFC is `column` long (a binary search: the
            # NFC of a longer prefix is never shorter).
            column = bisect.bisect_left(
                range(len(raw_line) + 1),
                column,
                key=lambda size: len(unicodedata.normalize("NFC", raw_line[:size])),
            )
        return line, column + 1

    def _offset_hint(self, hits: list[int]) -> str:
        if not hits:
            return "The quote does not occur at all; fix the quote first."
        starts = ", ".join(str(self._origin[h]) for h in hits[:5])
        return f"The quote starts at offset {starts}; fix or remove `start`/`end`."

    def _ambiguity_hint(self, hits: list[int]) -> str:
        first = hits[0]
        before = self.text[max(0, first - 30) : first]
        return f'Add a `prefix` (or `suffix`) to say which one, e.g. "prefix": "{before}".'

    def _closest(self, quote: str, has_context: bool) -> str:
        if has_context and self._occurrences(quote):
            return "The quote occurs, but not with this prefix/suffix: check them."
        if not self._hints_left:
            return (
                "Copy the words exactly from records/sources/<article-id>.txt (the closest "
                f"match is shown for the first {HINT_BUDGET} misquotes of a snapshot only)."
            )
        self._hints_left -= 1
        start, size = closest.longest_common(self.text, quote[:HINT_QUOTE])
        if size >= 12:
            found = self.text[start : start + min(size, 60)]
            return (
                f"Copy the words exactly from the snapshot; the longest part that matches "
                f"is “{found}”."
            )
        return "Copy the words exactly from records/sources/<article-id>.txt."


def _starts(text: str) -> list[int]:
    """The offsets where the lines of `text` start."""
    starts = [0]
    at = text.find("\n")
    while at != -1:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts


_TOKEN = re.compile(r"\w+|[^\w\s]")
WORD = re.compile(r"\w+")


def name_tokens(text: str) -> list[str]:
    """The words and punctuation marks of a name, normalised."""
    return _TOKEN.findall(normalise(text))


def is_word(char: str) -> bool:
    """What the regex `\\w` matches."""
    return char.isalnum() or char == "_"


@cache
def phrase_pattern(tokens: tuple[str, ...]) -> re.Pattern[str]:
    """The pattern of a name with punctuation: its tokens, with white space allowed around
    the punctuation and required between two words, and no word character after it. (What
    comes before is checked by `has_phrase`: a look-behind here would cost the regex engine
    its fast scan for the literal start, ~30× slower.)"""
    parts = [re.escape(tokens[0])]
    for previous, token in itertools.pairwise(tokens):
        both_words = is_word(previous[-1]) and is_word(token[0])
        parts.append(r"\s+" if both_words else r"\s*")
        parts.append(re.escape(token))
    return re.compile("".join(parts) + r"(?!\w)")


def has_phrase(pattern: re.Pattern[str], text: str) -> bool:
    """Whether `pattern` matches somewhere not just after a word character (every start is
    tried, overlapping ones too)."""
    match = pattern.search(text)
    while match is not None:
        start = match.start()
        if not start or not is_word(text[start - 1]):
            return True
        match = pattern.search(text, start + 1)
    return False
