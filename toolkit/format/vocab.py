"""Constants of the record format, importable without pydantic (kept light for start-up)."""

from __future__ import annotations

__all__ = [
    "ACTOR_KINDS",
    "ENTITY_KINDS",
    "ICD203_TERMS",
    "ID_PATTERN",
    "SCHEMA_VERSION",
]

SCHEMA_VERSION = "1.0.0"

#: Slug pattern. `(?!\n)` stops Python's `$` from accepting a trailing newline.
ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$(?!\n)"

ICD203_TERMS = (
    "almost-no-chance",
    "very-unlikely",
    "unlikely",
    "roughly-even-chance",
    "likely",
    "very-likely",
    "almost-certain",
)

ENTITY_KINDS = (
    "person",
    "state",
    "government",
    "organization",
    "armed-force",
    "alliance",
    "weapon-system",
    "place",
    "outlet",
)
#: Kinds that can act in an article (actors, event actors, scenario actors, attributions).
ACTOR_KINDS = ("person", "state", "government", "organization", "armed-force", "alliance")
