"""How much of one record's text another page or document may repeat: the one home of the limits.

An event's description shows on the page of every actor it names, a quote under every entity it
backs: copied whole, one valid record of a few dozen KB could add tens of MB to the site. Pages
and API documents other than the record's own show an `excerpt` (at most `TEXT_CHARS`
characters, at most `QUOTES` quotes, at most `RELATED` related entities) and point at the full
text on the record's own page or in its own document.

Text is cut before it is escaped (an escape is never split), at a word boundary when there is
one, and always between two grapheme clusters: never inside a combining sequence, an emoji ZWJ
sequence, an emoji with its modifier, a flag (a pair of regional indicators) or a surrogate pair.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

__all__ = ["ELLIPSIS", "QUOTES", "RELATED", "TEXT_CHARS", "Excerpt", "excerpt", "normalized"]

#: Characters of one text (a description, a role, a quote) shown away from its record.
TEXT_CHARS = 300
#: Quotes shown per item away from its record.
QUOTES = 2
#: Related (co-mentioned) entities listed per entity.
RELATED = 30
#: Ends a text that was cut.
ELLIPSIS = "…"

_ZWJ = "\u200d"


@dataclass(frozen=True)
class Excerpt:
    text: str  # the start of the text, white space normalized, ELLIPSIS added when `cut`
    cut: bool  # whether the text was longer than the limit


def normalized(text: str) -> str:
    """White space as the pages print it: each run one space, none at the ends."""
    return " ".join(text.split())


def excerpt(text: str, limit: int = TEXT_CHARS) -> Excerpt:
    """At most `limit` characters of `text` (plus the ellipsis), white space normalized, cut
    after the last word that fits, or at the last grapheme boundary when no word does."""
    text = _head(text, limit + 1)
    if len(text) <= limit:
        return Excerpt(text, False)
    # A break before a space is always a grapheme boundary (UAX #29: a space extends nothing).
    end = text.rfind(" ", 0, limit + 1)
    if end <= 0:
        end = limit
        while end > 0 and not _boundary(text, end):
            end -= 1
    return Excerpt(text[:end].rstrip() + ELLIPSIS, True)


def _head(text: str, size: int) -> str:
    """`normalized(text)`, or a prefix of it at least `size` long: normalizing reads only as
    much of the text as that takes (a long text shown on many pages is read once in full)."""
    end = 2 * size
    while end < len(text):
        head = normalized(text[:end])  # a prefix of `normalized(text)`: a cut word or space
        if len(head) >= size:
            return head
        end *= 4
    return normalized(text)


def _boundary(text: str, index: int) -> bool:
    """Whether a cut between `text[index - 1]` and `text[index]` leaves grapheme clusters
    whole (conservative: when in doubt, not a boundary)."""
    before, after = text[index - 1], text[index]
    if _extends(after) or before == _ZWJ:
        return False
    if "\ud800" <= before <= "\udbff" and "\udc00" <= after <= "\udfff":
        return False  # a surrogate pair that a decoder left as two code points
    if _regional(after) and _regional(before):
        run = index
        while run > 0 and _regional(text[run - 1]):
            run -= 1
        return (index - run) % 2 == 0  # flags pair up from the start of the run
    if unicodedata.combining(before) == 9 and unicodedata.category(after) == "Lo":
        return False  # a virama joining two consonants (GB9c)
    return not _hangul_joins(before, after)


def _extends(char: str) -> bool:
    """Marks, joiners, variation selectors, emoji modifiers and tags: parts of the cluster
    before them."""
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Mc", "Me")
        or char == _ZWJ
        or 0x1F3FB <= code <= 0x1F3FF
        or 0xE0020 <= code <= 0xE007F
    )


def _regional(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def _hangul_joins(before: str, after: str) -> bool:
    """Conjoining jamo (leading, vowel, trailing) that make one syllable (GB6–GB8)."""
    b, a = ord(before), ord(after)
    syllable = 0xAC00 <= b <= 0xD7A3
    leading = 0x1100 <= b <= 0x115F or 0xA960 <= b <= 0xA97F
    vowel_or_trailing = 0x1160 <= a <= 0x11FF or 0xD7B0 <= a <= 0xD7FF
    return (leading and (0x1100 <= a <= 0x11FF or 0xAC00 <= a <= 0xD7A3)) or (
        (syllable or 0x1160 <= b <= 0x11FF or 0xD7B0 <= b <= 0xD7FF) and vowel_or_trailing
    )
