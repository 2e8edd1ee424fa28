"""The entities a records tree already holds, how the scaffold names them, and new-ID checks.

A name is looked up case-blind, without a leading "the", with straight apostrophes (`fold`); a
name that matches no entity becomes a placeholder ID (`todo-` and a slug of the name).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import ScaffoldError
from toolkit.format.ids import RESERVED_IDS, is_valid_id, suggest_id
from toolkit.format.placeholders import PLACEHOLDER_ID_PREFIX

__all__ = [
    "APOSTROPHES",
    "STRAIGHT",
    "KnownEntity",
    "check_new_id",
    "fold",
    "known_entities",
    "lookup",
    "placeholder_id",
    "taken_path",
]

#: Typographic quotes and the no-break space, made plain for comparing names.
STRAIGHT = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\u00a0": " "})
APOSTROPHES = re.compile(r"['’‘]")


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


def fold(name: str) -> str:
    """Compare names case-blind, without a leading article, with straight apostrophes."""
    text = " ".join(name.translate(STRAIGHT).split()).casefold()
    return text.removeprefix("the ")


def lookup(name: str, entities: Iterable[KnownEntity], kinds: tuple[str, ...] = ()) -> str | None:
    wanted = fold(name)
    for entity in entities:
        if kinds and entity.kind not in kinds:
            continue
        if any(fold(n) == wanted for n in entity.names):
            return entity.id
    return None


def placeholder_id(name: str) -> str:
    slug = suggest_id(APOSTROPHES.sub("", name))
    return (PLACEHOLDER_ID_PREFIX + slug)[:80].rstrip("-")


def check_new_id(record_id: str, entities: Iterable[KnownEntity]) -> None:
    if not is_valid_id(record_id):
        raise ScaffoldError(
            f"`{record_id}` is not a valid ID: use a lower-case slug of letters, digits and "
            "single hyphens, at most 80 characters"
        )
    if record_id in RESERVED_IDS:
        raise ScaffoldError(f"`{record_id}` is a reserved name; pick another ID with --id")
    if any(e.id == record_id for e in entities):
        raise ScaffoldError(f"`{record_id}` is already an entity's ID; pick another with --id")


def taken_path(records: Path, record_id: str) -> Path | None:
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
