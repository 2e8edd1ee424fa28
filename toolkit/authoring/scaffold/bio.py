"""The "About the Author" paragraph read into a structured bio.

Each bio sentence is read as one of: degrees, books, outlets written for, editorial roles, or a
position; a sentence the scaffold cannot read becomes a TODO position that quotes it. Names of
institutions and outlets are looked up among the registered entities, and become placeholder IDs
when none matches.
"""

from __future__ import annotations

import re
from typing import Any

from toolkit.authoring.scaffold.known import KnownEntity, lookup, placeholder_id
from toolkit.authoring.scaffold.layout import Anchors, Layout, Line, sentences
from toolkit.format.placeholders import TODO

__all__ = ["read_bio"]

_HONORIFIC = re.compile(
    r"^(Dr\.|Prof\.|Professor|Mr\.|Mrs\.|Ms\.|Mx\.|Sir|Dame|Gen\.|Lt\. Gen\.|Maj\. Gen\.|"
    r"Col\.|Adm\.|Amb\.|Ambassador|Rev\.|Hon\.)\s+"
)
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


def read_bio(
    layout: Layout, anchors: Anchors, entities: list[KnownEntity]
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
        for sentence in sentences(paragraph):
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
    sentence: Line,
    anchors: Anchors,
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
                "outlet": lookup(org, entities, _OUTLETS) or placeholder_id(org),
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
    match: re.Match[str], sentence: Line, anchors: Anchors, entities: list[KnownEntity]
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
        "organization": lookup(org, entities, _BODIES) or placeholder_id(org),
    }
    if match.group("since"):
        position["since"] = int(match.group("since"))
    return position


def _degrees(sentence: Line, anchors: Anchors, entities: list[KnownEntity]) -> list[dict[str, Any]]:
    degrees = []
    for index, match in enumerate(_DEGREE.finditer(sentence.text)):
        # The first quote keeps the sentence's lead-in ("He received his BS …"): that is what
        # says it is a degree; later items are quoted on their own.
        start = sentence.start if index == 0 else sentence.start + match.start()
        institution = re.sub(r"^the\s+", "", match.group("inst").strip())
        degree: dict[str, Any] = {
            "evidence": [anchors.at(start, sentence.start + match.end())],
            "degree": _degree_name(match.group("degree")),
            "institution": lookup(institution, entities, _INSTITUTIONS)
            or placeholder_id(institution),
        }
        if match.group("year"):
            degree["year"] = int(match.group("year"))
        degrees.append(degree)
    return degrees


def _books(sentence: Line, offset: int, anchors: Anchors) -> list[dict[str, Any]]:
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
            if lookup(text[pieces[index][0] : pieces[last][1]], entities, _OUTLETS):
                best = last
                break
        items.append((pieces[index][0], pieces[best][1]))
        index = best + 1
    return [(s, e) for s, e in items if text[s:e].strip()]


_LIST_SEPARATOR = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")


def _outlets(
    sentence: Line, offset: int, anchors: Anchors, entities: list[KnownEntity]
) -> list[dict[str, Any]]:
    outlets = []
    by_id = {e.id: e for e in entities}
    for index, (start, end) in enumerate(_split_list(sentence.text, offset, entities)):
        label = sentence.text[start:end]
        entity_id = lookup(label, entities, _OUTLETS)
        # As for degrees, the first quote keeps the lead-in ("He has contributed … including").
        quote_start = sentence.start if index == 0 else sentence.start + start
        outlet: dict[str, Any] = {
            "evidence": [anchors.at(quote_start, sentence.start + end)],
            "outlet": entity_id or placeholder_id(label),
        }
        if entity_id is None or by_id[entity_id].name != label:
            outlet["label_in_source"] = label
        outlets.append(outlet)
    return outlets
