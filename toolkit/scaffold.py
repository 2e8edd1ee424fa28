"""Draft records from an article's text (`stratlas new article|entity`).

A draft is a record the schema accepts but validation still fails, on purpose: wherever the
scaffold could not read what a record needs, it leaves a placeholder that the `draft-incomplete`
check reports with what to complete. The placeholders (the convention `find_placeholders`
recognises, and CONTRIBUTING.md explains):

- text that starts with ``TODO:`` — the rest says what to write there;
- an entity ID that starts with ``todo-`` — the rest is a slug of the name to look up or create;
- the address ``https://todo.invalid/…`` — the original's address is still to be given.

What the scaffold reads from the text (the 19FortyFive syndication layout, and the same shapes
elsewhere): the headline, a "Key Points:" block, subtitles, an "About the Author" paragraph,
and the names and aliases of registered entities. Everything it fills carries an evidence anchor
that resolves in the stored snapshot.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.errors import ScaffoldError
from toolkit.format.ids import RESERVED_IDS, is_valid_id, suggest_id
from toolkit.format.placeholders import (
    PLACEHOLDER_ID_PREFIX,
    PLACEHOLDER_URL,
    TODO,
    find_placeholders,
)
from toolkit.models import ACTOR_KINDS, ENTITY_KINDS, SCHEMA_VERSION, Anchor
from toolkit.text.quotes import Snapshot

__all__ = [
    "PLACEHOLDER_ID_PREFIX",
    "PLACEHOLDER_URL",
    "TODO",
    "ArticleDraft",
    "EntityDraft",
    "KnownEntity",
    "ScaffoldError",
    "clean_article_text",
    "draft_article",
    "draft_entity",
    "find_placeholders",
    "known_entities",
    "write_article_draft",
    "write_entity_draft",
]


# --- entities known to the records tree -----------------------------------------------------


@dataclass(frozen=True)
class KnownEntity:
    id: str
    kind: str
    name: str
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def known_entities(records: Path) -> list[KnownEntity]:
    """The entities under `records/entities/` (read leniently: a broken file is skipped)."""
    from toolkit.load import discover

    found = []
    for record in discover(records).records:
        data = record.document.data
        if record.kind != "entity" or not isinstance(data, dict):
            continue
        entity_id, kind, name = data.get("id"), data.get("kind"), data.get("name")
        aliases = data.get("aliases", [])
        if not (isinstance(entity_id, str) and isinstance(kind, str) and isinstance(name, str)):
            continue
        if not isinstance(aliases, list):
            aliases = []
        found.append(
            KnownEntity(entity_id, kind, name, tuple(a for a in aliases if isinstance(a, str)))
        )
    return found


def _fold(name: str) -> str:
    """Compare names case-blind, without a leading article, with straight apostrophes."""
    text = " ".join(name.translate(_STRAIGHT).split()).casefold()
    return text.removeprefix("the ")


def _lookup(name: str, entities: Iterable[KnownEntity], kinds: tuple[str, ...] = ()) -> str | None:
    wanted = _fold(name)
    for entity in entities:
        if kinds and entity.kind not in kinds:
            continue
        if any(_fold(n) == wanted for n in entity.names):
            return entity.id
    return None


def _placeholder_id(name: str) -> str:
    slug = suggest_id(_APOSTROPHES.sub("", name))
    return (PLACEHOLDER_ID_PREFIX + slug)[:80].rstrip("-")


# --- text layout ----------------------------------------------------------------------------

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
_STRAIGHT = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\u00a0": " "})
_APOSTROPHES = re.compile(r"['’‘]")
_HONORIFIC = re.compile(
    r"^(Dr\.|Prof\.|Professor|Mr\.|Mrs\.|Ms\.|Mx\.|Sir|Dame|Gen\.|Lt\. Gen\.|Maj\. Gen\.|"
    r"Col\.|Adm\.|Amb\.|Ambassador|Rev\.|Hon\.)\s+"
)


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
class _Line:
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class _Layout:
    title: _Line | None = None
    key_points: list[_Line] = field(default_factory=list)
    body: list[_Line] = field(default_factory=list)
    subtitles: list[_Line] = field(default_factory=list)
    about: _Line | None = None
    author_name: str = ""
    bio: list[_Line] = field(default_factory=list)


def _lines(text: str) -> list[_Line]:
    lines, offset = [], 0
    for line in text.split("\n"):
        lines.append(_Line(offset, line))
        offset += len(line) + 1
    return lines


def _layout(text: str) -> _Layout:
    layout = _Layout()
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
                layout.key_points.append(_Line(line.start + points.start(1), first))
            while index < len(lines) and _BULLET.match(lines[index].text):
                bullet = lines[index]
                mark = _BULLET.match(bullet.text)
                assert mark is not None
                layout.key_points.append(
                    _Line(bullet.start + mark.end(), bullet.text[mark.end() :])
                )
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


def _sentences(line: _Line) -> list[_Line]:
    """Split a paragraph into sentences, keeping offsets; titles and initials do not end one."""
    spans: list[_Line] = []
    start = 0
    text = line.text
    for match in _BOUNDARY.finditer(text):
        before = text[start : match.start() + 1]
        word = re.search(r"(\w+)\.$", before)
        if word and (word.group(1).casefold() in _ABBREVIATIONS or len(word.group(1)) == 1):
            continue
        end = match.start() + len(match.group().rstrip())
        spans.append(_Line(line.start + start, text[start:end]))
        start = match.end()
    if text[start:].strip():
        spans.append(_Line(line.start + start, text[start:].rstrip()))
    return spans


class _Anchors:
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


# --- entity mentions ------------------------------------------------------------------------

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
class _Hit:
    entity: KnownEntity
    start: int
    end: int


class _Mentions:
    """Find registered entities in text: whole words, longest name first, plurals allowed."""

    def __init__(self, entities: list[KnownEntity]) -> None:
        forms: dict[str, KnownEntity] = {}
        for entity in entities:
            names = list(entity.names)
            names += [n[0].lower() + n[1:] for n in names if n.startswith("The ")]
            names += list(_DEMONYMS.get(entity.name, ()))
            for name in names:
                key = " ".join(name.translate(_STRAIGHT).split())
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

    def find(self, text: str, start: int = 0, end: int | None = None) -> Iterator[_Hit]:
        if self._pattern is None:
            return
        if self._plain[0] is not text:  # translate once per text, not once per sentence
            self._plain = (text, text.translate(_STRAIGHT))
        plain = self._plain[1]
        for match in self._pattern.finditer(plain, start, len(text) if end is None else end):
            form = " ".join(match.group().split())
            entity = self._forms.get(form) or self._forms.get(re.sub(r"e?s$", "", form))
            if entity is None:
                entity = self._forms.get(form[:-1])
            if entity is not None:
                yield _Hit(entity, match.start(), match.end())


# --- key points -----------------------------------------------------------------------------


def _key_points(layout: _Layout, anchors: _Anchors, mentions: _Mentions) -> list[dict[str, Any]]:
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
        points.append(point)
    return points


# --- the author bio -------------------------------------------------------------------------

_INSTITUTIONS = ("organization",)
_OUTLETS = ("outlet", "organization")
_BODIES = ("organization", "outlet", "government", "armed-force", "alliance", "state")
_DEGREE_SENTENCE = re.compile(r"\b(?:received|earned|holds|obtained|completed|took)\b")
_DEGREE = re.compile(
    r"\b(?:his|her|their|a|an)\s+(?P<degree>[^,]+?)\s+(?:from|at)\s+(?P<inst>[^,]+?)"
    r"(?:\s+in\s+(?P<year>\d{4}))?(?=\s*,|\s*\.?\s*$|\s+and\s+(?:his|her|their|a|an)\s)"
)
_BOOK_LEAD = re.compile(
    r"\b(?:is\s+(?:also\s+)?the\s+(?:co-?)?author\s+of|has\s+(?:also\s+)?written|"
    r"(?:his|her|their)\s+books\s+include)\s+"
)
_BOOK = re.compile(
    r"(?P<item>[^()]+?)\s*\((?P<publisher>[^()]*?),\s*(?P<year>\d{4})\)",
)
_LEADING_ADVERB = re.compile(
    r"^(?:and\s+)?(?:(?:most|more)\s+recently|recently|also|most\s+notably|notably)\s+",
    re.IGNORECASE,
)
_OUTLET_SENTENCE = re.compile(
    r"\b(?:contributed|contributes|written\s+for|writes\s+for|wrote\s+for|columnist)\b"
)
_OUTLET_LIST = re.compile(r"\b(?:including|such\s+as|among\s+them|notably)\s+")
_ROLE_WORDS = re.compile(
    r"\b(?:founder|co-founder|cofounder|editor|publisher|editor-in-chief|host)\b",
    re.IGNORECASE,
)
_EDITORIAL = re.compile(
    r"\b(?:is|was|serves\s+as)\s+(?:also\s+)?(?:a\s+|an\s+|the\s+)?(?P<roles>.+?)\s+"
    r"(?:of|at)\s+(?P<org>[A-Z].*?)\.?$"
)
_POSITION = re.compile(
    r"^(?P<subject>.+?)\s+(?:(?:has|have)\s+(?:also\s+)?(?P<pp>[a-z]+)\s+(?P<what>.+?)"
    r"|(?:is|serves\s+as)\s+(?:currently\s+|also\s+)?(?:a|an|the)\s+(?P<title>.+?))"
    r"\s+(?:at|with|for|in)\s+(?P<org>(?:the\s+)?[A-Z].+?)"
    r"(?:\s+since\s+(?P<since>\d{4}))?\.?$"
)
#: Present perfect → present, for roles worded "has taught …" ("teaches …").
_PRESENT = {
    "taught": "teaches",
    "been": "is",
    "led": "leads",
    "held": "holds",
    "run": "runs",
    "written": "writes",
    "built": "builds",
    "overseen": "oversees",
    "headed": "heads",
    "served": "serves",
    "worked": "works",
    "directed": "directs",
    "chaired": "chairs",
    "lectured": "lectures",
    "advised": "advises",
    "managed": "manages",
    "coordinated": "coordinates",
    "researched": "researches",
    "edited": "edits",
    "covered": "covers",
    "studied": "studies",
}


def _degree_name(raw: str) -> str:
    """`Ph. D.` → `Ph.D.`: spaces inside a dotted abbreviation are typesetting, not meaning."""
    return re.sub(r"(?<=\.)\s+(?=[A-Z]\.)", "", raw.strip())


def _bio(
    layout: _Layout, anchors: _Anchors, entities: list[KnownEntity]
) -> tuple[dict[str, Any], str]:
    """The structured bio, and the author's name (as the bio gives it, without honorific)."""
    bio: dict[str, Any] = {}
    name = layout.author_name
    honorific = _HONORIFIC.match(name)
    if honorific and layout.about is not None:
        bio["honorific"] = honorific.group(1)
        bio["honorific_evidence"] = [anchors.at(layout.about.start, layout.about.end)]
        name = name[honorific.end() :].strip()
    sections: dict[str, list[dict[str, Any]]] = {
        "positions": [],
        "education": [],
        "books": [],
        "outlets": [],
        "editorial_roles": [],
    }
    for paragraph in layout.bio:
        for sentence in _sentences(paragraph):
            if not name:
                name = _subject_name(sentence.text)
            if not bio.get("honorific"):
                match = re.match(r"^(?:About the Author:\s*)?" + _HONORIFIC.pattern, sentence.text)
                if match:
                    bio["honorific"] = match.group(1)
                    end = sentence.start + match.end(1)
                    bio["honorific_evidence"] = [anchors.at(sentence.start, end)]
            _read_sentence(sentence, anchors, entities, sections)
    for key, items in sections.items():
        if items:
            bio[key] = items
    return bio, name


def _subject_name(text: str) -> str:
    match = re.match(r"^((?:[A-Z][\w.'’-]*\s+){0,4}[A-Z][\w'’-]+)\s+(?:is|has|was|teaches)\b", text)
    if not match:
        return ""
    honorific = _HONORIFIC.match(match.group(1))
    return match.group(1)[honorific.end() :] if honorific else match.group(1)


def _read_sentence(
    sentence: _Line,
    anchors: _Anchors,
    entities: list[KnownEntity],
    sections: dict[str, list[dict[str, Any]]],
) -> None:
    text = sentence.text
    if _DEGREE_SENTENCE.search(text) and _DEGREE.search(text):
        sections["education"] += _degrees(sentence, anchors, entities)
        return
    lead = _BOOK_LEAD.search(text)
    if lead and _BOOK.search(text, lead.end()):
        sections["books"] += _books(sentence, lead.end(), anchors)
        return
    if _OUTLET_SENTENCE.search(text):
        listed = _OUTLET_LIST.search(text)
        if listed:
            sections["outlets"] += _outlets(sentence, listed.end(), anchors, entities)
            return
    editorial = _EDITORIAL.search(text)
    if editorial and _ROLE_WORDS.search(editorial.group("roles")):
        roles = [r.strip() for r in re.split(r",\s*|\s+and\s+", editorial.group("roles"))]
        org = editorial.group("org").strip()
        sections["editorial_roles"].append(
            {
                "evidence": [anchors.at(sentence.start, sentence.end)],
                "roles": [r for r in roles if r],
                "outlet": _lookup(org, entities, _OUTLETS) or _placeholder_id(org),
            }
        )
        return
    position = _POSITION.match(text)
    if position:
        sections["positions"].append(_position(position, sentence, anchors, entities))
        return
    # A sentence the scaffold cannot read: keep it visible for the contributor to place.
    sections["positions"].append(
        {
            "evidence": [anchors.at(sentence.start, sentence.end)],
            "role": f"{TODO} record this bio sentence where it belongs (a position, "
            f"degree, book, outlet or editorial role), or delete this entry: “{text[:200]}”",
        }
    )


def _position(
    match: re.Match[str], sentence: _Line, anchors: _Anchors, entities: list[KnownEntity]
) -> dict[str, Any]:
    if match.group("pp"):
        participle = match.group("pp")
        verb = _PRESENT.get(participle)
        role = (
            f"{verb} {match.group('what')}" if verb else f"has {participle} {match.group('what')}"
        )
    else:
        role = match.group("title")
    org = re.sub(r"^the\s+", "", match.group("org").strip())
    position: dict[str, Any] = {
        "evidence": [anchors.at(sentence.start, sentence.end)],
        "role": role,
        "organization": _lookup(org, entities, _BODIES) or _placeholder_id(org),
    }
    if match.group("since"):
        position["since"] = int(match.group("since"))
    return position


def _degrees(
    sentence: _Line, anchors: _Anchors, entities: list[KnownEntity]
) -> list[dict[str, Any]]:
    degrees = []
    for index, match in enumerate(_DEGREE.finditer(sentence.text)):
        # The first quote keeps the sentence's lead-in ("He received his BS …"): that is what
        # says it is a degree; later items are quoted on their own.
        start = sentence.start if index == 0 else sentence.start + match.start()
        institution = re.sub(r"^the\s+", "", match.group("inst").strip())
        degree: dict[str, Any] = {
            "evidence": [anchors.at(start, sentence.start + match.end())],
            "degree": _degree_name(match.group("degree")),
            "institution": _lookup(institution, entities, _INSTITUTIONS)
            or _placeholder_id(institution),
        }
        if match.group("year"):
            degree["year"] = int(match.group("year"))
        degrees.append(degree)
    return degrees


def _books(sentence: _Line, offset: int, anchors: _Anchors) -> list[dict[str, Any]]:
    books = []
    for match in _BOOK.finditer(sentence.text, offset):
        item = match.group("item")
        skip = re.match(r"^[\s,;]*(?:and\s+)?", item)
        start = match.start() + (skip.end() if skip else 0)
        item = sentence.text[start : match.start("item") + len(item)].strip()
        label = _LEADING_ADVERB.sub("", item)
        title, _, subtitle = label.partition(": ")
        title = title.strip()
        book: dict[str, Any] = {
            # The quote is the item as listed, with its "(Publisher, Year)".
            "evidence": [anchors.at(sentence.start + start, sentence.start + match.end())],
            "title": title[:1].upper() + title[1:],
        }
        if subtitle.strip():
            book["subtitle"] = subtitle.strip()
        if match.group("publisher").strip():
            book["publisher"] = match.group("publisher").strip()
        book["year"] = int(match.group("year"))
        books.append(book)
    return books


def _split_list(text: str, start: int, entities: list[KnownEntity]) -> list[tuple[int, int]]:
    """Spans of the items of "A, B, and C": an item may hold commas or "and" when a registered
    name does ("Lawyers, Guns and Money")."""
    end = len(text.rstrip().rstrip("."))
    pieces: list[tuple[int, int]] = []
    cursor = start
    for separator in _LIST_SEPARATOR.finditer(text, start, end):
        pieces.append((cursor, separator.start()))
        cursor = separator.end()
    pieces.append((cursor, end))
    items: list[tuple[int, int]] = []
    index = 0
    while index < len(pieces):
        best = index
        for last in range(len(pieces) - 1, index, -1):
            if _lookup(text[pieces[index][0] : pieces[last][1]], entities, _OUTLETS):
                best = last
                break
        items.append((pieces[index][0], pieces[best][1]))
        index = best + 1
    return [(s, e) for s, e in items if text[s:e].strip()]


_LIST_SEPARATOR = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")


def _outlets(
    sentence: _Line, offset: int, anchors: _Anchors, entities: list[KnownEntity]
) -> list[dict[str, Any]]:
    outlets = []
    by_id = {e.id: e for e in entities}
    for index, (start, end) in enumerate(_split_list(sentence.text, offset, entities)):
        label = sentence.text[start:end]
        entity_id = _lookup(label, entities, _OUTLETS)
        # As for degrees, the first quote keeps the lead-in ("He has contributed … including").
        quote_start = sentence.start if index == 0 else sentence.start + start
        outlet: dict[str, Any] = {
            "evidence": [anchors.at(quote_start, sentence.start + end)],
            "outlet": entity_id or _placeholder_id(label),
        }
        if entity_id is None or by_id[entity_id].name != label:
            outlet["label_in_source"] = label
        outlets.append(outlet)
    return outlets


# --- the article draft ----------------------------------------------------------------------


@dataclass
class ArticleDraft:
    """A drafted article: its record data, its source snapshot and what the scaffold did."""

    id: str
    record: dict[str, Any]
    snapshot: str
    notes: list[str] = field(default_factory=list)


def _proposals(
    layout: _Layout,
    anchors: _Anchors,
    mentions: _Mentions,
    exclude: set[str],
) -> dict[str, list[dict[str, Any]]]:
    """Actors, weapon systems and places whose names occur in the article (not its bio)."""
    paragraphs = [*layout.body, *([layout.title] if layout.title else []), *layout.key_points]
    first: dict[str, tuple[_Hit, _Line]] = {}
    order: list[str] = []
    for paragraph in paragraphs:
        for sentence in _sentences(paragraph):
            for hit in mentions.find(anchors.text, sentence.start, sentence.end):
                if hit.entity.id in exclude or hit.entity.id in first:
                    continue
                first[hit.entity.id] = (hit, sentence)
    # Propose in the order the article first names them, reading from the top.
    order = sorted(first, key=lambda i: first[i][0].start)
    sections: dict[str, list[dict[str, Any]]] = {"actors": [], "weapon_systems": [], "places": []}
    for entity_id in order:
        hit, sentence = first[entity_id]
        kind = hit.entity.kind
        if kind in ACTOR_KINDS:
            section = "actors"
        elif kind == "weapon-system":
            section = "weapon_systems"
        elif kind == "place":
            section = "places"
        else:
            continue
        start, end = sentence.start, sentence.end
        if end - start > 1000:
            start, end = max(start, hit.start - 200), min(end, hit.end + 200)
        sections[section].append(
            {
                "evidence": [anchors.at(start, end)],
                "entity": entity_id,
                "role": f"{TODO} say in a few words what part {hit.entity.name} plays in "
                "this article (or delete this entry if it plays none)",
            }
        )
    return sections


def draft_article(
    raw_text: str, entities: list[KnownEntity], article_id: str | None = None
) -> ArticleDraft:
    """Draft an article record from the article's text and the registered entities."""
    snapshot = clean_article_text(raw_text)
    if not snapshot.strip():
        raise ScaffoldError("the article text is empty")
    layout = _layout(snapshot)
    anchors = _Anchors(snapshot)
    mentions = _Mentions(entities)
    title = layout.title.text.strip() if layout.title else f"{TODO} give the headline"
    if article_id is None:
        article_id = suggest_id(_APOSTROPHES.sub("", title))
    _check_new_id(article_id, entities)
    notes: list[str] = []

    bio, author_name = _bio(layout, anchors, entities) if layout.about else ({}, "")
    author_id = _lookup(author_name, entities, ("person",)) if author_name else None
    if author_id is None:
        author_id = _placeholder_id(author_name or "author")
        notes.append(f"no person entity for the author “{author_name}”: create it")
    author: dict[str, Any] = {"person": author_id}
    if bio:
        author["bio"] = bio

    source: dict[str, Any] = {"title": title[:300]}
    subtitles = [line.text.strip()[:300] for line in layout.subtitles]
    if subtitles:
        source["subtitles"] = subtitles
    source["publisher"] = {
        "editorial": {
            "basis": "external-source",
            "note": f"{TODO} say how you know who published the article (or quote the text "
            "that names the publisher as `evidence` instead); set `publisher` to null if unknown",
        },
        "entity": PLACEHOLDER_ID_PREFIX + "publisher",
    }
    source["url"] = PLACEHOLDER_URL + "give-the-original-address-or-null"
    source["published"] = {
        "editorial": {
            "basis": "external-source",
            "note": f"{TODO} give the publication date in `value` (YYYY-MM-DD, or YYYY-MM or "
            "YYYY when that is all that is known) and say where it comes from; set "
            "`published` to null if unknown",
        },
        "value": "9999",
    }
    source["language"] = "en"
    source["rights"] = (
        f"{TODO} say who holds the rights and on what terms the snapshot is kept, e.g. "
        "“© the author and the original publisher. The snapshot is kept only to verify the "
        "quotes in this record and is not republished.”"
    )

    key_points = _key_points(layout, anchors, mentions)
    proposals = _proposals(layout, anchors, mentions, {author_id})
    record: dict[str, Any] = {
        "$schema": "../../schema/article.schema.json",
        "id": article_id,
        "schema_version": SCHEMA_VERSION,
        "source": source,
        "authors": [author],
        "key_points": key_points,
        **proposals,
        "events": [_EVENT_PLACEHOLDER],
        "scenarios": [_SCENARIO_PLACEHOLDER],
        "assessments": [_ASSESSMENT_PLACEHOLDER],
    }
    if not key_points:
        notes.append("no “Key Points:” block found: add the key points by hand")
    if not layout.about:
        notes.append("no “About the Author” paragraph found: fill the author's bio by hand")
    return ArticleDraft(article_id, record, snapshot, notes)


_EVENT_PLACEHOLDER: dict[str, Any] = {
    "id": PLACEHOLDER_ID_PREFIX + "event",
    "description": f"{TODO} describe an event the article reports (what happened; add its "
    "date, actors, places and weapon systems and quote the text as evidence), one entry per "
    "event; delete this entry if the article reports none",
}
_SCENARIO_PLACEHOLDER: dict[str, Any] = {
    "id": PLACEHOLDER_ID_PREFIX + "scenario",
    "voice": "author",
    "title": f"{TODO} name a future the article weighs, one entry per scenario; delete this "
    "entry if it weighs none",
    "outcomes": [f"{TODO} what would follow if it came about"],
    "likelihood": {"wording": None, "estimate": None},
    "resolution": {"status": "open"},
}
_ASSESSMENT_PLACEHOLDER: dict[str, Any] = {
    "id": PLACEHOLDER_ID_PREFIX + "assessment",
    "voice": "author",
    "text": f"{TODO} state one of the author's own judgements in a sentence and quote it as "
    "evidence, one entry per judgement; delete this entry if there are none",
    "subjects": [PLACEHOLDER_ID_PREFIX + "subject"],
    "stance": "neutral",
}


def _check_new_id(record_id: str, entities: Iterable[KnownEntity]) -> None:
    if not is_valid_id(record_id):
        raise ScaffoldError(
            f"`{record_id}` is not a valid ID: use a lower-case slug of letters, digits and "
            "single hyphens, at most 80 characters"
        )
    if record_id in RESERVED_IDS:
        raise ScaffoldError(f"`{record_id}` is a reserved name; pick another ID with --id")
    if any(e.id == record_id for e in entities):
        raise ScaffoldError(f"`{record_id}` is already an entity's ID; pick another with --id")


def _taken(records: Path, record_id: str) -> Path | None:
    for candidate in (
        records / "articles" / f"{record_id}.json",
        records / "entities" / f"{record_id}.json",
        records / "sources" / f"{record_id}.txt",
    ):
        if candidate.exists() or candidate.is_symlink():
            return candidate
    for folder in ("articles", "entities"):
        base = records / folder
        if base.is_dir() and any(p.stem == record_id for p in base.rglob("*.json")):
            return base
    return None


def write_article_draft(
    source_file: Path, records: Path, article_id: str | None = None
) -> tuple[ArticleDraft, list[Path]]:
    """Draft an article from `source_file` into the records tree; return the files written."""
    from toolkit.authoring.fmt import canonical_text
    from toolkit.runtime.write import write_text_atomic

    try:
        raw = source_file.read_bytes().decode("utf-8")
    except OSError as exc:
        raise ScaffoldError(f"{source_file}: cannot read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ScaffoldError(f"{source_file}: not UTF-8 text") from exc
    if not records.is_dir():
        raise ScaffoldError(f"{records}: no such records folder")
    draft = draft_article(raw, known_entities(records), article_id)
    taken = _taken(records, draft.id)
    if taken is not None:
        raise ScaffoldError(f"`{draft.id}` is taken ({taken}); pick another ID with --id")
    snapshot_path = records / "sources" / f"{draft.id}.txt"
    record_path = records / "articles" / f"{draft.id}.json"
    snapshot_path.parent.mkdir(parents=True, exist_ok=True)
    record_path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(snapshot_path, draft.snapshot)
    write_text_atomic(record_path, canonical_text(draft.record, "article"))
    return draft, [snapshot_path, record_path]


# --- the entity draft -----------------------------------------------------------------------


@dataclass
class EntityDraft:
    id: str
    record: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def draft_entity(
    kind: str, name: str, entity_id: str | None = None, aliases: Iterable[str] = ()
) -> EntityDraft:
    """An entity record with the facts to complete marked TODO."""
    if kind not in ENTITY_KINDS:
        raise ScaffoldError(f"unknown kind `{kind}`: use one of {', '.join(ENTITY_KINDS)}")
    name = " ".join(name.split())
    if not name:
        raise ScaffoldError("the name is empty")
    entity_id = entity_id or suggest_id(_APOSTROPHES.sub("", name))
    _check_new_id(entity_id, ())
    record: dict[str, Any] = {
        "$schema": "../../schema/entity.schema.json",
        "id": entity_id,
        "schema_version": SCHEMA_VERSION,
        "name": name,
        "description": f"{TODO} describe {name} in a sentence or two (what it is, where, since "
        "when), in your own words",
        "kind": kind,
    }
    extra = [a for a in dict.fromkeys(" ".join(a.split()) for a in aliases) if a and a != name]
    if extra:
        record["aliases"] = extra
    return EntityDraft(entity_id, record)


def write_entity_draft(
    records: Path,
    kind: str,
    name: str,
    entity_id: str | None = None,
    aliases: Iterable[str] = (),
) -> tuple[EntityDraft, Path]:
    from toolkit.authoring.fmt import canonical_text
    from toolkit.runtime.write import write_text_atomic

    if not records.is_dir():
        raise ScaffoldError(f"{records}: no such records folder")
    draft = draft_entity(kind, name, entity_id, aliases)
    taken = _taken(records, draft.id)
    if taken is not None:
        raise ScaffoldError(f"`{draft.id}` is taken ({taken}); pick another ID with --id")
    others = _lookup(name, known_entities(records))
    if others is not None and entity_id is None:
        raise ScaffoldError(
            f"“{name}” already names `{others}`; use that entity, or, if this is another one "
            "of the same name, pass --id and add a `disambiguation` to both"
        )
    if others is not None:
        draft.notes.append(
            f"“{name}” also names `{others}`: add a `disambiguation` to both saying how they differ"
        )
    path = records / "entities" / f"{draft.id}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, canonical_text(draft.record, "entity"))
    return draft, path
