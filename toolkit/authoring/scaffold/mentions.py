"""Registered entities named in an article's text, and the key points that name them.

`NameFinder` favours recall: besides registered names and aliases it takes demonyms ("Russian
targets"), plurals and a lower-case "the", because what it finds is a proposal a contributor
reviews. The checks' name finder (`NameIndex` in `toolkit.text.names`: identification and
`mention-unreferenced`) takes the registered names and aliases only, because what it finds
becomes a finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from toolkit.authoring.scaffold.known import STRAIGHT, KnownEntity
from toolkit.authoring.scaffold.layout import Anchors, Layout

__all__ = ["NameFinder", "NameHit", "read_key_points"]


#: Adjectival forms of common states and regions, keyed by the entity's registered name.
#: "American-made missiles" and "Russian targets" name the United States and Russia.
_DEMONYMS: dict[str, tuple[str, ...]] = {
    "United States": ("American",),
    "Russia": ("Russian",),
    "Ukraine": ("Ukrainian",),
    "United Kingdom": ("British", "Briton"),
    "France": ("French",),
    "Germany": ("German",),
    "China": ("Chinese",),
    "Japan": ("Japanese",),
    "India": ("Indian",),
    "Iran": ("Iranian",),
    "Israel": ("Israeli",),
    "Poland": ("Polish",),
    "Taiwan": ("Taiwanese",),
    "North Korea": ("North Korean",),
    "South Korea": ("South Korean",),
    "Belarus": ("Belarusian",),
    "Turkey": ("Turkish",),
    "Syria": ("Syrian",),
    "Europe": ("European",),
}


@dataclass(frozen=True)
class NameHit:
    entity: KnownEntity
    start: int
    end: int


class NameFinder:
    """Find registered entities in text: whole words, longest name first, plurals allowed."""

    def __init__(self, entities: list[KnownEntity]) -> None:
        forms: dict[str, KnownEntity] = {}
        for entity in entities:
            names = list(entity.names)
            names += [n[0].lower() + n[1:] for n in names if n.startswith("The ")]
            names += list(_DEMONYMS.get(entity.name, ()))
            for name in names:
                key = " ".join(name.translate(STRAIGHT).split())
                if len(key) >= 2:
                    forms.setdefault(key, entity)
        self._forms = forms
        self._plain: tuple[str, str] = ("", "")
        ordered = sorted(forms, key=len, reverse=True)
        alternatives = "|".join(
            r"\s+".join(re.escape(word) for word in form.split()) for form in ordered
        )
        self._pattern = (
            re.compile(rf"(?<!\w)(?:{alternatives})(?:(?<=[a-z])(?:s|es))?(?!\w)")
            if forms
            else None
        )

    def find(self, text: str, start: int = 0, end: int | None = None) -> Iterator[NameHit]:
        if self._pattern is None:
            return
        if self._plain[0] is not text:  # translate once per text, not once per sentence
            self._plain = (text, text.translate(STRAIGHT))
        plain = self._plain[1]
        for match in self._pattern.finditer(plain, start, len(text) if end is None else end):
            form = " ".join(match.group().split())
            entity = self._forms.get(form) or self._forms.get(re.sub(r"e?s$", "", form))
            if entity is None:
                entity = self._forms.get(form[:-1])
            if entity is not None:
                yield NameHit(entity, match.start(), match.end())


# --- key points -----------------------------------------------------------------------------


def read_key_points(
    layout: Layout, anchors: Anchors, mentions: NameFinder
) -> list[tuple[dict[str, Any], tuple[int, int]]]:
    """Each key point, in the author's voice, with the span of its text."""
    points = []
    for line in layout.key_points:
        text = line.text.strip()
        if not text:
            continue
        start = line.start + line.text.index(text)
        found: list[str] = []
        for hit in mentions.find(anchors.text, start, start + len(text)):
            if hit.entity.id not in found:
                found.append(hit.entity.id)
        point: dict[str, Any] = {
            "evidence": [anchors.at(start, start + len(text))],
            "voice": "author",
            "text": text,
        }
        if found:
            point["mentions"] = found
        points.append((point, (start, start + len(text))))
    return points
