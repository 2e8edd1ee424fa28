"""ID rules shared by every stage: the slug pattern (as a full match) and reserved names."""

from __future__ import annotations

import re

__all__ = ["RESERVED_IDS", "is_valid_id", "suggest_id"]

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

#: Names that collide with site paths or with operating-system device names.
RESERVED_IDS = frozenset(
    {
        "index",
        "search",
        "assets",
        "404",
        "sitemap",
        "api",
        "schema",
        "tags",
        "articles",
        "entities",
        "javascripts",
        "stylesheets",
        "con",
        "nul",
        "aux",
        "prn",
    }
    | {f"com{i}" for i in range(10)}
    | {f"lpt{i}" for i in range(10)}
)


def is_valid_id(value: str) -> bool:
    """A lower-case slug of at most 80 characters (full match: no trailing newline)."""
    return len(value) <= 80 and _SLUG.fullmatch(value) is not None


def suggest_id(text: str) -> str:
    """A valid ID made from free text (for hints and scaffolding)."""
    from slugify import slugify

    return slugify(text, max_length=80, word_boundary=True) or "record"
