"""The layout of an article's text: cleaning, the parts it is read into, sentences, anchors.

What the scaffold reads (the 19FortyFive syndication layout, and the same shapes elsewhere): the
headline, a "Key Points:" block, subtitles and an "About the Author" paragraph. Offsets count
characters in the cleaned text, which becomes the stored snapshot, so every span the scaffold
quotes becomes an evidence anchor that resolves there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from toolkit.models import Anchor
from toolkit.text.quotes import Snapshot

__all__ = ["Anchors", "Layout", "Line", "clean_article_text", "read_layout", "sentences"]


#: Lines that syndication adds around an article; they are not part of the source.
_BOILERPLATE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^We support our Publishers and Content Creators\b",
        r"\bview this story on their website\b",
        r"^This (?:article|story|piece) (?:first |originally )?appeared (?:in|on|at)\b",
        r"^(?:Originally|First) published (?:in|on|at|by)\b",
        r"^Read the original (?:article|story)\b",
    )
]
#: "Key Points:" with the first point after it, or "Key Points" alone on its line.
_KEY_POINTS = re.compile(r"^\s*Key\s+Points\s*(?::\s*(.*)|:?\s*)$", re.IGNORECASE)
_BULLET = re.compile(r"^\s*[-–—•*]\s*")
_ABOUT = re.compile(r"^\s*About\s+the\s+Author\s*(?::\s*(.*?))?\s*$", re.IGNORECASE)


def clean_article_text(raw: str) -> str:
    """The source snapshot: the text without syndication boilerplate, LF, one final newline."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
    lines = [line for line in text.split("\n") if not any(p.search(line) for p in _BOILERPLATE)]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines) + "\n" if lines else ""


@dataclass
class Line:
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class Layout:
    title: Line | None = None
    key_points: list[Line] = field(default_factory=list)
    body: list[Line] = field(default_factory=list)
    subtitles: list[Line] = field(default_factory=list)
    about: Line | None = None
    author_name: str = ""
    bio: list[Line] = field(default_factory=list)


def _lines(text: str) -> list[Line]:
    lines, offset = [], 0
    for line in text.split("\n"):
        lines.append(Line(offset, line))
        offset += len(line) + 1
    return lines


def read_layout(text: str) -> Layout:
    layout = Layout()
    lines = [line for line in _lines(text) if line.text.strip()]
    index = 0
    in_bio = False
    while index < len(lines):
        line = lines[index]
        index += 1
        if in_bio:
            layout.bio.append(line)
            continue
        about = _ABOUT.match(line.text)
        if about:
            layout.about = line
            layout.author_name = (about.group(1) or "").strip()
            in_bio = True
            continue
        points = _KEY_POINTS.match(line.text)
        if points and not layout.key_points:
            first = points.group(1) or ""
            if first.strip():
                layout.key_points.append(Line(line.start + points.start(1), first))
            while index < len(lines) and _BULLET.match(lines[index].text):
                bullet = lines[index]
                mark = _BULLET.match(bullet.text)
                assert mark is not None
                layout.key_points.append(Line(bullet.start + mark.end(), bullet.text[mark.end() :]))
                index += 1
            continue
        if layout.title is None:
            layout.title = line
            continue
        layout.body.append(line)
        if _is_subtitle(line.text):
            layout.subtitles.append(line)
    for point in layout.key_points:
        point.text = point.text.rstrip()
    return layout


def _is_subtitle(text: str) -> bool:
    """A short line without a sentence's final full stop reads as a section heading."""
    stripped = text.strip()
    return 0 < len(stripped.split()) <= 14 and not stripped.endswith((".", ":", ";", ","))


# --- sentences and anchors ------------------------------------------------------------------

_ABBREVIATIONS = {
    "dr",
    "mr",
    "mrs",
    "ms",
    "mx",
    "prof",
    "st",
    "jr",
    "sr",
    "gen",
    "col",
    "lt",
    "maj",
    "capt",
    "sgt",
    "adm",
    "amb",
    "rev",
    "hon",
    "gov",
    "sen",
    "rep",
    "ph",
    "vs",
    "no",
    "mt",
    "ft",
    "fig",
    "approx",
}
_BOUNDARY = re.compile(r"[.?!…][\"'”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")


def sentences(line: Line) -> list[Line]:
    """Split a paragraph into sentences, keeping offsets; titles and initials do not end one."""
    spans: list[Line] = []
    start = 0
    text = line.text
    for match in _BOUNDARY.finditer(text):
        before = text[start : match.start() + 1]
        word = re.search(r"(\w+)\.$", before)
        if word and (word.group(1).casefold() in _ABBREVIATIONS or len(word.group(1)) == 1):
            continue
        end = match.start() + len(match.group().rstrip())
        spans.append(Line(line.start + start, text[start:end]))
        start = match.end()
    if text[start:].strip():
        spans.append(Line(line.start + start, text[start:].rstrip()))
    return spans


class Anchors:
    """Evidence anchors that resolve to exactly one place in the snapshot."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.snapshot = Snapshot(text)

    def at(self, start: int, end: int) -> dict[str, str]:
        quote = self.text[start:end].strip()
        if self._found({"quote": quote}):
            return {"quote": quote}
        for size in (20, 40, 80, 160, 200):
            prefix = self._prefix(start, size)
            if prefix and self._found({"quote": quote, "prefix": prefix}):
                return {"quote": quote, "prefix": prefix}
        for size in (20, 40, 80, 160, 200):
            suffix = self._suffix(end, size)
            if suffix and self._found({"quote": quote, "suffix": suffix}):
                return {"quote": quote, "suffix": suffix}
        prefix, suffix = self._prefix(start, 200), self._suffix(end, 200)
        anchor = {"quote": quote}
        if prefix:
            anchor["prefix"] = prefix
        if suffix:
            anchor["suffix"] = suffix
        return anchor

    def _found(self, anchor: dict[str, str]) -> bool:
        return self.snapshot.resolve(Anchor.model_validate(anchor)).status == "found"

    def _prefix(self, start: int, size: int) -> str:
        window = self.text[max(0, start - size) : start]
        if start - size > 0 and " " in window:
            window = window[window.index(" ") + 1 :]  # start on a word
        return window if window.strip() else ""

    def _suffix(self, end: int, size: int) -> str:
        window = self.text[end : end + size]
        if end + size < len(self.text) and " " in window:
            window = window[: window.rindex(" ")]
        return window if window.strip() else ""
