"""Invisible characters: what a reader cannot see may not stand in what readers see and search.

Short display text (names, aliases, titles, labels: the schema's unconstrained strings of at
most `DISPLAY_LENGTH` characters) may hold no character of `toolkit.text.invisible`'s table
beyond the joiners and variation selectors that scripts and emoji need (`name-invisible`, an
error). Other text is warned about only for controls and bidi controls (`text-invisible`):
a quote keeps what its source says.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

import orjson

from toolkit.checks.context import Context
from toolkit.checks.registry import check
from toolkit.findings import Finding
from toolkit.format.pointers import escape_pointer
from toolkit.format.schemas import published_schemas
from toolkit.format.shape import Shape, record_shape, shapes_of
from toolkit.load import Corpus, RecordFile
from toolkit.text.invisible import Kind, char_name, in_display_text, in_text, may_hold_invisible

__all__ = ["DISPLAY_LENGTH", "display_keys", "invisible"]

#: The length limit of short display text (the models' `ShortText`, an article's headline):
#: an unconstrained string of at most this many characters is a name, title or label.
DISPLAY_LENGTH = 300

_NAME_HINT = (
    "Delete the character: names, aliases, titles and labels are what readers see and search. "
    "A joiner (U+200C/U+200D) may stand only between letters of a script that needs it."
)
_TEXT_HINT = (
    "Delete it unless the source has it: it is not shown, or it changes how the text "
    "around it is shown."
)


def _strings(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for branch in node.get("anyOf", []):
        yield from _strings(branch)
    if node.get("type") == "string":
        yield node
    elif node.get("type") == "array" and isinstance(node.get("items"), dict):
        yield from _strings(node["items"])


def _is_display(node: dict[str, Any]) -> bool:
    strings = list(_strings(node))
    return bool(strings) and all(
        string.get("maxLength") == DISPLAY_LENGTH
        and not {"pattern", "enum", "const", "format"} & set(string)
        for string in strings
    )


@cache
def display_keys(schema_name: str, definition: str) -> frozenset[str]:
    """The keys of one object definition (the article itself: "Article") that hold short
    display text, or lists of it."""
    schema = published_schemas()[schema_name]
    body = schema if definition == "Article" else schema.get("$defs", {}).get(definition, {})
    properties: dict[str, Any] = body.get("properties", {})
    return frozenset(key for key, node in properties.items() if _is_display(node))


def _all_strings(value: Any, pointer: str) -> Iterator[tuple[str, str]]:
    stack: list[tuple[Any, str]] = [(value, pointer)]
    while stack:
        node, where = stack.pop()
        if isinstance(node, str):
            yield where, node
        elif isinstance(node, dict):
            stack.extend((v, f"{where}/{escape_pointer(k)}") for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, f"{where}/{i}") for i, v in enumerate(node))


def _describe(found: list[tuple[int, str]]) -> str:
    offset, char = found[0]
    what = f"{char_name(char)} at offset {offset}"
    more = len(found) - 1
    return what + (f" (and {more} more)" if more else "")


def _record_findings(
    record: RecordFile, data: dict[str, Any], schema: str, root: Shape
) -> Iterator[Finding]:
    shapes = shapes_of(schema)
    stack: list[tuple[dict[str, Any], Shape, str]] = [(data, root, "")]
    while stack:
        node, shape, pointer = stack.pop()
        display = display_keys(schema, shape.name)
        children = {key: (shapes[child], is_list) for key, child, is_list in shape.children}
        for key, value in node.items():
            where = f"{pointer}/{escape_pointer(key)}"
            if key in display:
                for at, text in _all_strings(value, where):
                    found = list(in_display_text(text))
                    if found:
                        kind = Kind.of(found[0][1])
                        yield record.at(
                            "name-invisible",
                            f"`{key}` holds {_describe(found)}, a {kind} that readers do not see",
                            at,
                            _NAME_HINT,
                        )
            elif key in children:
                child, is_list = children[key]
                items = value if is_list and isinstance(value, list) else [value]
                for index, item in enumerate(items):
                    if isinstance(item, dict):
                        stack.append((item, child, f"{where}/{index}" if is_list else where))
            else:
                for at, text in _all_strings(value, where):
                    found = list(in_text(text))
                    if found:
                        yield record.at(
                            "text-invisible",
                            f"The text holds {_describe(found)}, a {Kind.of(found[0][1])}",
                            at,
                            _TEXT_HINT,
                        )


@check(codes=("name-invisible", "text-invisible"))
def invisible(corpus: Corpus, context: Context) -> Iterator[Finding]:
    """Characters readers do not see: refused in short display text, warned about (controls
    and bidi controls) in any other text."""
    for record in corpus.records:
        data = record.data
        if data is None or not may_hold_invisible(orjson.dumps(data).decode()):
            continue
        typed = record_shape(record.kind, data)
        if typed is None:
            continue
        yield from _record_findings(record, data, *typed)
