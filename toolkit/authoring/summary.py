"""What a drafted article record holds, counted: the line `stratlas new article` prints after
writing a draft, so that a contributor sees at a glance what the scaffold found."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["draft_counts", "draft_summary"]


def draft_counts(record: Mapping[str, Any]) -> list[tuple[int, str]]:
    """(count, singular noun) for each part of the draft, in the record's order."""
    bio = record["authors"][0].get("bio", {})
    return [
        (len(record["key_points"]), "key point"),
        (len(bio.get("positions", [])), "position"),
        (len(bio.get("education", [])), "degree"),
        (len(bio.get("books", [])), "book"),
        (len(bio.get("outlets", [])), "outlet"),
        (len(bio.get("editorial_roles", [])), "editorial role"),
        (len(record["actors"]), "actor"),
        (len(record["weapon_systems"]), "weapon system"),
        (len(record["places"]), "place"),
        (
            sum(len(m.get("stated_capabilities", [])) for m in record["weapon_systems"]),
            "stated capability",
        ),
        (sum(1 for e in record["events"] if "date" in e), "dated event"),
        (
            sum(1 for k in record["key_points"] if k["voice"] == "attributed"),
            "attributed key point",
        ),
    ]


def draft_summary(record: Mapping[str, Any]) -> str:
    """The counts in words: "3 key points, 1 position, 0 degrees, …"."""
    return ", ".join(f"{n} {_plural(noun, n)}" for n, noun in draft_counts(record))


def _plural(noun: str, count: int) -> str:
    if count == 1:
        return noun
    return noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
