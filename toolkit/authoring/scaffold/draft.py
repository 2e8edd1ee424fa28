"""Draft records: the article drafted from its text, the entity from its name, and their writes.

The draft assembles what `layout`, `mentions`, `bio` and `propose` read, and fills the rest
with the placeholders `find_placeholders` recognises, so that validation says what is left to
complete.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.authoring.scaffold.bio import read_bio
from toolkit.authoring.scaffold.known import (
    APOSTROPHES,
    KnownEntity,
    check_new_id,
    known_entities,
    lookup,
    placeholder_id,
    taken_path,
)
from toolkit.authoring.scaffold.layout import Anchors, clean_article_text, read_layout
from toolkit.authoring.scaffold.mentions import NameFinder, read_key_points
from toolkit.authoring.scaffold.propose import read_sentences
from toolkit.errors import ScaffoldError
from toolkit.format.ids import suggest_id
from toolkit.format.placeholders import PLACEHOLDER_ID_PREFIX, PLACEHOLDER_URL, TODO
from toolkit.format.vocab import ENTITY_KINDS, SCHEMA_VERSION

__all__ = [
    "ArticleDraft",
    "EntityDraft",
    "draft_article",
    "draft_entity",
    "write_article_draft",
    "write_entity_draft",
]


# --- the article draft ----------------------------------------------------------------------


@dataclass
class ArticleDraft:
    """A drafted article: its record data, its source snapshot and what the scaffold did."""

    id: str
    record: dict[str, Any]
    snapshot: str
    notes: list[str] = field(default_factory=list)


def draft_article(
    raw_text: str, entities: list[KnownEntity], article_id: str | None = None
) -> ArticleDraft:
    """Draft an article record from the article's text and the registered entities."""
    snapshot = clean_article_text(raw_text)
    if not snapshot.strip():
        raise ScaffoldError("the article text is empty")
    layout = read_layout(snapshot)
    anchors = Anchors(snapshot)
    mentions = NameFinder(entities)
    title = layout.title.text.strip() if layout.title else f"{TODO} give the headline"
    if article_id is None:
        article_id = suggest_id(APOSTROPHES.sub("", title))
    check_new_id(article_id, entities)
    notes: list[str] = []

    bio, author_name = read_bio(layout, anchors, entities) if layout.about else ({}, "")
    author_id = lookup(author_name, entities, ("person",)) if author_name else None
    if author_id is None:
        author_id = placeholder_id(author_name or "author")
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

    reading = read_sentences(layout, anchors, mentions, {author_id})
    key_points = [
        reading.voice(point, start, end, number)
        for number, (point, (start, end)) in enumerate(
            read_key_points(layout, anchors, mentions), start=1
        )
    ]
    proposals = reading.mentions()
    events = reading.events()
    notes += reading.notes
    record: dict[str, Any] = {
        "$schema": "../../schema/article.schema.json",
        "id": article_id,
        "schema_version": SCHEMA_VERSION,
        "source": source,
        "authors": [author],
        "key_points": key_points,
        **proposals,
        # The dated events proposed, and the placeholder for those the text gives no date.
        "events": [*events, _EVENT_PLACEHOLDER],
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


def write_article_draft(
    source_file: Path, records: Path, article_id: str | None = None
) -> tuple[ArticleDraft, list[Path]]:
    """Draft an article from `source_file` into the records tree; return the files written."""
    from toolkit.authoring.fmt import canonical_text
    from toolkit.load.files import read_input
    from toolkit.runtime.write import write_text_atomic

    try:
        raw = read_input(source_file).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScaffoldError(f"{source_file}: not UTF-8 text") from exc
    if not records.is_dir():
        raise ScaffoldError(f"{records}: no such records folder")
    draft = draft_article(raw, known_entities(records), article_id)
    taken = taken_path(records, draft.id)
    if taken is not None:
        raise ScaffoldError(f"`{draft.id}` is taken ({taken}); pick another ID with --id")
    snapshot_path = records / "sources" / f"{draft.id}.txt"
    record_path = records / "articles" / f"{draft.id}.json"
    _refuse_unwritable(records, snapshot_path, record_path)
    snapshot_path.parent.mkdir(parents=True, exist_ok=True)
    record_path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(snapshot_path, draft.snapshot)
    write_text_atomic(record_path, canonical_text(draft.record, "article"))
    return draft, [snapshot_path, record_path]


def _refuse_unwritable(records: Path, *paths: Path) -> None:
    """Each draft file is new, in a folder (or one to create) really inside the records:
    checked before writing any."""
    from toolkit.runtime.write import why_not_writable

    for path in paths:
        reason = why_not_writable(path, parents=True, inside=records)
        if reason is not None:
            raise ScaffoldError(reason)


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
    entity_id = entity_id or suggest_id(APOSTROPHES.sub("", name))
    check_new_id(entity_id, ())
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
    taken = taken_path(records, draft.id)
    if taken is not None:
        raise ScaffoldError(f"`{draft.id}` is taken ({taken}); pick another ID with --id")
    others = lookup(name, known_entities(records))
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
    _refuse_unwritable(records, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, canonical_text(draft.record, "entity"))
    return draft, path
