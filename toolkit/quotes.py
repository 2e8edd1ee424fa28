"""Resolve evidence anchors (TextQuoteSelectors) against a source snapshot.

Matching ignores differences in white space and typographic quotes; offsets (`start`/`end`)
count code points in the NFC-normalised snapshot, as PRODUCT.md specifies.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from toolkit.models import Anchor

__all__ = ["Resolution", "Snapshot", "normalise"]

_TYPOGRAPHIC = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"', "\u00a0": " "}
)
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """NFC, straight quotes, one space for any run of white space."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text).translate(_TYPOGRAPHIC))


@dataclass(frozen=True)
class Resolution:
    status: Literal["found", "ambiguous", "orphaned", "offset-mismatch"]
    count: int = 0
    start: int = -1
    end: int = -1
    hint: str = ""


class Snapshot:
    """A source text prepared for quote look-ups."""

    def __init__(self, text: str) -> None:
        self.nfc = unicodedata.normalize("NFC", text)
        # Build the normalised text with a map from its offsets back to NFC offsets.
        chars: list[str] = []
        origin: list[int] = []
        previous_space = False
        for index, char in enumerate(self.nfc.translate(_TYPOGRAPHIC)):
            if char.isspace():
                if previous_space:
                    continue
                char, previous_space = " ", True
            else:
                previous_space = False
            chars.append(char)
            origin.append(index)
        origin.append(len(self.nfc))
        self.text = "".join(chars)
        self._origin = origin

    def _occurrences(self, needle: str) -> list[int]:
        found, start = [], self.text.find(needle)
        while start != -1:
            found.append(start)
            start = self.text.find(needle, start + 1)
        return found

    def resolve(self, anchor: Anchor) -> Resolution:
        quote = normalise(anchor.quote).strip()
        if not quote:
            return Resolution("orphaned", hint="The quote is only white space.")
        hits = self._occurrences(quote)
        if anchor.prefix:
            prefix = normalise(anchor.prefix).rstrip()
            hits = [h for h in hits if self.text[:h].rstrip().endswith(prefix)]
        if anchor.suffix:
            suffix = normalise(anchor.suffix).lstrip()
            hits = [h for h in hits if self.text[h + len(quote) :].lstrip().startswith(suffix)]
        if anchor.start is not None:
            at_offset = [h for h in hits if self._origin[h] == anchor.start]
            if not at_offset:
                return Resolution("offset-mismatch", count=len(hits), hint=self._offset_hint(hits))
            hits = at_offset
        if not hits:
            return Resolution("orphaned", hint=self._closest(quote, anchor))
        if len(hits) > 1:
            return Resolution("ambiguous", count=len(hits), hint=self._ambiguity_hint(hits))
        start = self._origin[hits[0]]
        end = self._origin[hits[0] + len(quote) - 1] + 1
        if anchor.end is not None and anchor.end != end:
            return Resolution("offset-mismatch", count=1, hint=f"The quote spans {start}–{end}.")
        return Resolution("found", count=1, start=start, end=end)

    def mentions_name(self, name: str) -> bool:
        """True when `name` occurs as whole words (case-sensitive) in the snapshot."""
        needle = normalise(name).strip()
        if len(needle) < 2:
            return False
        pattern = r"(?<!\w)" + re.escape(needle) + r"(?!\w)"
        return re.search(pattern, self.text) is not None

    def _offset_hint(self, hits: list[int]) -> str:
        if not hits:
            return "The quote does not occur at all; fix the quote first."
        starts = ", ".join(str(self._origin[h]) for h in hits[:5])
        return f"The quote starts at offset {starts}; fix or remove `start`/`end`."

    def _ambiguity_hint(self, hits: list[int]) -> str:
        first = hits[0]
        before = self.text[max(0, first - 30) : first]
        return f'Add a `prefix` (or `suffix`) to say which one, e.g. "prefix": "{before}".'

    def _closest(self, quote: str, anchor: Anchor) -> str:
        if (anchor.prefix or anchor.suffix) and self._occurrences(quote):
            return "The quote occurs, but not with this prefix/suffix: check them."
        matcher = difflib.SequenceMatcher(None, self.text, quote, autojunk=False)
        match = matcher.find_longest_match(0, len(self.text), 0, len(quote))
        if match.size >= 12:
            found = self.text[match.a : match.a + min(match.size, 60)]
            return (
                f"Copy the words exactly from the snapshot; the longest part that matches "
                f"is “{found}”."
            )
        return "Copy the words exactly from records/sources/<article-id>.txt."
