"""Characters a reader does not see: one table, and where each may stand.

A name or title with a bidi control shows other text than it holds (U+202E turns "Tarsis
evil" into "Tarsis live"); one with a zero-width character looks like another name that it
does not match in search. Short display text (names, aliases, titles, labels) may hold none of
the table's characters but tab and line breaks (white space readers see), a joiner (ZWJ/ZWNJ)
between letters of a script that needs it or within an emoji sequence, and one variation
selector right after a visible character. Other text is warned about only for controls (but
tab and line breaks) and bidi controls: a quote keeps what its source says, and an Arabic or
Hebrew quote may need its marks.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "INVISIBLE",
    "Invisible",
    "Kind",
    "char_name",
    "in_display_text",
    "in_text",
    "may_hold_invisible",
]


class Kind(StrEnum):
    CONTROL = "control character"
    BIDI = "bidi control"
    ZERO_WIDTH = "zero-width or invisible character"
    JOINER = "zero-width joiner"
    VARIATION = "variation selector"
    TAG = "tag character"

    @staticmethod
    def of(char: str) -> Kind:
        """The kind of a character of the table."""
        return _KIND[char]


@dataclass(frozen=True)
class Invisible:
    """A range of code points (`first`..`last`, both included) of one kind."""

    first: int
    last: int
    kind: Kind

    def chars(self) -> Iterator[str]:
        return (chr(code) for code in range(self.first, self.last + 1))


#: Every character the checks look for. Ranges from Unicode's Bidi_Control and
#: Default_Ignorable_Code_Point properties, the C0/C1 controls, and the Hangul fillers and
#: Mongolian vowel separator that render as nothing (UTS #39, "invisible" identifiers).
INVISIBLE: tuple[Invisible, ...] = (
    Invisible(0x0000, 0x001F, Kind.CONTROL),
    Invisible(0x007F, 0x009F, Kind.CONTROL),  # DEL and the C1 controls
    Invisible(0x00AD, 0x00AD, Kind.ZERO_WIDTH),  # soft hyphen
    Invisible(0x034F, 0x034F, Kind.ZERO_WIDTH),  # combining grapheme joiner
    Invisible(0x061C, 0x061C, Kind.BIDI),  # Arabic letter mark
    Invisible(0x115F, 0x1160, Kind.ZERO_WIDTH),  # Hangul choseong/jungseong fillers
    Invisible(0x17B4, 0x17B5, Kind.ZERO_WIDTH),  # Khmer inherent vowels
    Invisible(0x180B, 0x180D, Kind.VARIATION),  # Mongolian free variation selectors
    Invisible(0x180E, 0x180E, Kind.ZERO_WIDTH),  # Mongolian vowel separator
    Invisible(0x180F, 0x180F, Kind.VARIATION),
    Invisible(0x200B, 0x200B, Kind.ZERO_WIDTH),  # zero-width space
    Invisible(0x200C, 0x200D, Kind.JOINER),  # zero-width non-joiner, joiner
    Invisible(0x200E, 0x200F, Kind.BIDI),  # left-to-right, right-to-left marks
    Invisible(0x202A, 0x202E, Kind.BIDI),  # embeddings, overrides, pop
    Invisible(0x2060, 0x2064, Kind.ZERO_WIDTH),  # word joiner, invisible operators
    Invisible(0x2066, 0x2069, Kind.BIDI),  # isolates, pop isolate
    Invisible(0x206A, 0x206F, Kind.ZERO_WIDTH),  # deprecated format characters
    Invisible(0x3164, 0x3164, Kind.ZERO_WIDTH),  # Hangul filler
    Invisible(0xFE00, 0xFE0F, Kind.VARIATION),
    Invisible(0xFEFF, 0xFEFF, Kind.ZERO_WIDTH),  # zero-width no-break space (BOM)
    Invisible(0xFFA0, 0xFFA0, Kind.ZERO_WIDTH),  # halfwidth Hangul filler
    Invisible(0xFFF9, 0xFFFB, Kind.ZERO_WIDTH),  # interlinear annotation (hides what follows)
    Invisible(0x1BCA0, 0x1BCA3, Kind.ZERO_WIDTH),  # shorthand format controls
    Invisible(0x1D173, 0x1D17A, Kind.ZERO_WIDTH),  # musical formatting characters
    Invisible(0xE0000, 0xE007F, Kind.TAG),
    Invisible(0xE0100, 0xE01EF, Kind.VARIATION),
)

_KIND = {char: row.kind for row in INVISIBLE for char in row.chars()}


def _class(chars: Iterable[str]) -> str:
    """A regex character class of `chars`, as ranges: a class listing hundreds of single
    characters is matched one by one, a hundred times slower."""
    codes = sorted(map(ord, chars))
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges) + "]"


#: Tab and line breaks are white space that readers see (as space, in a name).
_SEEN = "\t\n\r"
#: What short display text may not hold (but for the joiners and selectors that fit).
_ANY = re.compile(_class(c for c in _KIND if c not in _SEEN))
#: Controls other than tab and line breaks, and bidi controls: warned about in any text.
_WARNED = re.compile(
    _class(c for c, kind in _KIND.items() if c not in _SEEN and kind in (Kind.BIDI, Kind.CONTROL))
)
#: What JSON text as orjson writes it holds for a control below U+0020 (an escape; tab and
#: line breaks do not count) or U+007F.
_ESCAPES = re.compile(r"\\[ubf]|\x7f")
#: The table's other characters, and every astral one (a class of the table's astral ranges
#: is matched three times slower, and astral characters are rare in records).
_WIDE = re.compile(
    _class(c for c in _KIND if "\x7f" < c <= "\uffff")[:-1] + "\U00010000-\U0010ffff]"
)

#: Blocks of scripts whose spelling needs ZWJ/ZWNJ between letters: Arabic (and Persian,
#: Urdu), Syriac, N'Ko, the Indic scripts from Devanagari to Sinhala, Myanmar, Khmer,
#: Mongolian, and Arabic's supplements and presentation forms.
_JOINING_SCRIPTS = (
    (0x0600, 0x08FF),
    (0x0900, 0x0DFF),
    (0x1000, 0x109F),
    (0x1780, 0x18AF),
    (0xA8E0, 0xA8FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFE),
)


def char_name(char: str) -> str:
    """`U+202E RIGHT-TO-LEFT OVERRIDE`, as findings name a character."""
    name = unicodedata.name(char, "") or f"<{_KIND.get(char, Kind.CONTROL)}>"
    return f"U+{ord(char):04X} {name}"


def may_hold_invisible(json_text: str) -> bool:
    """False when JSON text (as orjson writes it) cannot hold a character of the table: a
    cheap test before the walk over a record's strings (substring tests, and a regex only
    for text that is not ASCII)."""
    # One regex pass, and only for text holding a backslash or DEL (four substring scans of
    # every record cost ~5 % of validation).
    if ("\\" in json_text or "\x7f" in json_text) and _ESCAPES.search(json_text):
        return True
    return not json_text.isascii() and _WIDE.search(json_text) is not None


def _joins_letters(text: str, at: int) -> bool:
    before, after = text[at - 1 : at], text[at + 1 : at + 2]
    if not before or not after:
        return False
    return all(
        unicodedata.category(c)[0] in "LM"
        and any(first <= ord(c) <= last for first, last in _JOINING_SCRIPTS)
        for c in (before, after)
    )


def _joins_emoji(text: str, at: int) -> bool:
    """ZWJ in an emoji sequence (🏳️‍🌈): a symbol, maybe with its variation selector, before;
    a symbol after."""
    before = text[:at].rstrip("\ufe0f")[-1:]
    after = text[at + 1 : at + 2]
    return (
        text[at] == "\u200d"
        and bool(before)
        and bool(after)
        and all(unicodedata.category(c) in ("So", "Sk") for c in (before, after))
    )


def _allowed_in_display_text(text: str, at: int) -> bool:
    kind = _KIND[text[at]]
    if kind is Kind.JOINER:
        return _joins_letters(text, at) or _joins_emoji(text, at)
    if kind is Kind.VARIATION:
        # One selector right after a visible character: a run of them can smuggle data.
        before = text[at - 1 : at]
        return bool(before) and before not in _KIND and not before.isspace()
    return False


def in_display_text(text: str) -> Iterator[tuple[int, str]]:
    """(offset, character) of each character a name, alias, title or label may not hold."""
    for match in _ANY.finditer(text):
        if not _allowed_in_display_text(text, match.start()):
            yield match.start(), match.group()


def in_text(text: str) -> Iterator[tuple[int, str]]:
    """(offset, character) of each control (other than tab and line breaks) or bidi control
    in other text."""
    for match in _WARNED.finditer(text):
        yield match.start(), match.group()
