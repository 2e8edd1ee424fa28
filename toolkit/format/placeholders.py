"""Placeholders that `stratlas new` leaves in a draft, and how to find them again.

Kept apart from the scaffolder (which needs the models) so that the `draft-incomplete` check
costs validation nothing on records that hold no placeholder.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from toolkit.format.pointers import escape_pointer

__all__ = [
    "PLACEHOLDER_ID_PREFIX",
    "PLACEHOLDER_PREFIXES",
    "PLACEHOLDER_URL",
    "TODO",
    "find_placeholders",
    "may_hold_placeholders",
]

TODO = "TODO:"
PLACEHOLDER_ID_PREFIX = "todo-"
PLACEHOLDER_URL = "https://todo.invalid/"
#: How every placeholder string starts.
PLACEHOLDER_PREFIXES = (TODO, PLACEHOLDER_ID_PREFIX, PLACEHOLDER_URL)

#: How a placeholder can start in JSON text; text with any escape is always walked.
_MARKS = ('"TODO:', '"todo-', '"https://todo.invalid/', "\\u")


def may_hold_placeholders(text: str) -> bool:
    """False when the JSON text cannot hold a placeholder (a cheap test before the walk)."""
    # Plain substring tests: many times faster than one regex alternation over the text.
    return any(mark in text for mark in _MARKS)


def _walk_strings(data: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    stack: list[tuple[Any, str]] = [(data, pointer)]
    while stack:
        value, where = stack.pop()
        if isinstance(value, dict):
            items = [(f"{where}/{escape_pointer(k)}", v) for k, v in value.items()]
            stack.extend((v, p) for p, v in reversed(items))
        elif isinstance(value, list):
            stack.extend((v, f"{where}/{i}") for i, v in reversed(list(enumerate(value))))
        elif isinstance(value, str):
            yield where, value


def find_placeholders(data: Any) -> Iterator[tuple[str, str, str]]:
    """Every placeholder in parsed record data, as (JSON pointer, message, hint)."""
    for pointer, value in _walk_strings(data):
        if value.startswith(TODO):
            what = value[len(TODO) :].strip() or "complete this value"
            yield (
                pointer,
                f"unfinished: {what}",
                "Replace the whole TODO text (or delete the entry it belongs to).",
            )
        elif value.startswith(PLACEHOLDER_ID_PREFIX):
            yield pointer, *_id_placeholder(pointer, value)
        elif value.startswith(PLACEHOLDER_URL):
            yield (
                pointer,
                "unfinished: give the address of the original article, or null when unknown",
                "Write it as published, e.g. https://www.19fortyfive.com/2024/11/…",
            )


def _id_placeholder(pointer: str, value: str) -> tuple[str, str]:
    words = value[len(PLACEHOLDER_ID_PREFIX) :].replace("-", " ")
    field = pointer.rsplit("/", 1)[-1]
    if field == "id":
        return (
            f"unfinished: give this entry its own ID instead of `{value}`",
            "A short lower-case slug, unique within the article, e.g. `atacms-authorisation`.",
        )
    kind = {
        "person": "person",
        "institution": "organization",
        "organization": "organization",
        "outlet": "outlet",
        "entity": "outlet" if pointer.startswith("/source/publisher") else "KIND",
    }.get(field, "KIND")
    return (
        f"unfinished: `{value}` stands for “{words}”: put the ID of that entity here",
        f"Find it in records/entities/, or create it with "
        f'`stratlas new entity {kind} "NAME"`, which prints its ID.',
    )
