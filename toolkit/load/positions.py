"""Where a JSON pointer is in JSON text (line:col), and what makes JSON text refused.

`_locate` follows one pointer through parsed text (the common case: a late finding in a
valid file). `_Scanner` is the strict loader's reference: a small JSON parser that records
where every value starts and every problem the loader refuses (syntax, duplicate keys,
NaN, numbers past a double, lone surrogates, depth). It runs only when the fast parses find
something wrong, or when a pointer cannot be followed.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from collections.abc import Callable

from toolkit.findings import Finding, make
from toolkit.format.pointers import escape_pointer, split_pointer
from toolkit.load.json import MAX_DEPTH, MAX_SAFE_INTEGER, SURROGATE

__all__ = ["_Scanner", "_locate"]

#: JSON's white space (one pattern for `_locate` and the scanner).
_SPACE = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"')
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_NONFINITE = re.compile(r"-?(?:NaN|Infinity)")
_LITERALS = {"true": True, "false": False, "null": None}


class _SyntaxStop(Exception):
    """Raised inside the scanner at the first syntax error (after it is recorded)."""


_DECODER = json.JSONDecoder()
#: The standard library's string scanner (C): decodes the JSON string starting after a quote.
_SCAN_STRING: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


def _past_space(text: str, offset: int) -> int:
    match = _SPACE.match(text, offset)
    return match.end() if match else offset


def _locate(text: str, pointer: str) -> tuple[int, int] | None:
    """What `_Scanner(text).scan_positions()` gives for `pointer` or its nearest ancestor
    (the key of an object member, the value of an array item; the first of duplicate
    keys), found by following the pointer through JSON text; None if the text is not JSON.
    """
    parts = split_pointer(pointer)
    try:
        offset = _past_space(text, 0)
        found = offset
        for part in parts:
            if text[offset] == "{":
                offset = _past_space(text, offset + 1)
                while text[offset] != "}":
                    key_start = offset
                    key, offset = _SCAN_STRING(text, offset + 1)
                    offset = _past_space(text, _past_space(text, offset) + 1)  # past ':'
                    if key == part:
                        break
                    offset = _past_space(text, _DECODER.raw_decode(text, offset)[1])
                    if text[offset] == ",":
                        offset = _past_space(text, offset + 1)
                else:
                    break  # no such key
                found = key_start
            elif text[offset] == "[" and part.isdigit() and part == str(int(part)):
                offset = _past_space(text, offset + 1)
                for _ in range(int(part)):
                    if text[offset] == "]":
                        break
                    offset = _past_space(text, _DECODER.raw_decode(text, offset)[1])
                    if text[offset] == ",":
                        offset = _past_space(text, offset + 1)
                if text[offset] == "]":
                    break  # no such item
                found = offset
            else:
                break
    except (ValueError, IndexError, RecursionError):
        return None
    line = text.count("\n", 0, found) + 1
    return line, found - (text.rfind("\n", 0, found) + 1) + 1


class _Scanner:
    """A small JSON parser that records where every value starts and what is wrong.

    Written by hand because the one library that maps pointers to positions
    (json-source-map) keeps the last of duplicate keys silently and cannot say where a
    duplicate, a NaN or a lone surrogate is.
    """

    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self.findings: list[Finding] = []
        self.positions: dict[str, tuple[int, int]] = {}
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def scan_positions(self) -> dict[str, tuple[int, int]]:
        try:
            end = self._value(self._skip(0), "", 1)
            end = self._skip(end)
            if end != len(self.text):
                self._syntax(end, "unexpected text after the end of the JSON value")
        except _SyntaxStop:
            pass
        return self.positions

    def _linecol(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def _add(self, code: str, offset: int, message: str, pointer: str, hint: str = "") -> None:
        line, col = self._linecol(offset)
        self.findings.append(
            make(code, message, file=self.file, pointer=pointer, line=line, col=col, hint=hint)
        )

    def _syntax(self, offset: int, message: str, pointer: str = "") -> None:
        self._add(
            "json-syntax",
            offset,
            message,
            pointer,
            "Check for a missing comma, quote or bracket just before this position.",
        )
        raise _SyntaxStop

    def _skip(self, offset: int) -> int:
        return _past_space(self.text, offset)

    def _value(self, offset: int, pointer: str, depth: int) -> int:
        self.positions.setdefault(pointer, self._linecol(offset))
        text = self.text
        if offset >= len(text):
            self._syntax(offset, "the file ends where a value was expected", pointer)
        char = text[offset]
        if char in "{[":
            if depth > MAX_DEPTH:
                self._add(
                    "json-too-deep",
                    offset,
                    f"nested deeper than {MAX_DEPTH} levels",
                    pointer,
                    "Records are shallow; this looks like a broken or hostile file.",
                )
                raise _SyntaxStop
            if char == "{":
                return self._object(offset, pointer, depth)
            return self._array(offset, pointer, depth)
        if char == '"':
            return self._string(offset, pointer)
        for literal in _LITERALS:
            if text.startswith(literal, offset):
                return offset + len(literal)
        nonfinite = _NONFINITE.match(text, offset)
        if nonfinite:
            self._add(
                "json-nonfinite",
                offset,
                f"{nonfinite.group()} is not a JSON number",
                pointer,
                "Write the number out, or use null where the schema allows it.",
            )
            return nonfinite.end()
        number = _NUMBER.match(text, offset)
        if number and number.end() > offset:
            self._number(number, offset, pointer)
            return number.end()
        self._syntax(offset, f"unexpected character {text[offset]!r}", pointer)
        raise AssertionError  # unreachable: _syntax raises

    def _number(self, match: re.Match[str], offset: int, pointer: str) -> None:
        token = match.group()
        if match.group(1) or match.group(2):
            if not math.isfinite(float(token)):
                self._add("json-number-range", offset, f"{token} does not fit a double", pointer)
        elif len(token.lstrip("-")) > 16 or abs(int(token)) > MAX_SAFE_INTEGER:
            # The length test comes first: int() refuses more than 4,300 digits.
            self._add(
                "json-number-range",
                offset,
                f"{token} is beyond ±(2^53−1), the integers a double holds exactly",
                pointer,
                "Write large numbers as strings if the schema allows.",
            )

    def _string(self, offset: int, pointer: str) -> int:
        match = _STRING.match(self.text, offset)
        if not match:
            self._syntax(
                offset, "unterminated string, bad escape or raw control character", pointer
            )
            raise AssertionError  # unreachable
        value = json.loads(match.group())
        if SURROGATE.search(value):
            self._add(
                "json-lone-surrogate",
                offset,
                "the string holds an unpaired surrogate escape (\\ud800–\\udfff)",
                pointer,
                "Remove the escape or pair it with its other half.",
            )
        return match.end()

    def _object(self, offset: int, pointer: str, depth: int) -> int:
        seen: set[str] = set()
        offset = self._skip(offset + 1)
        if self.text.startswith("}", offset):
            return offset + 1
        while True:
            if not self.text.startswith('"', offset):
                self._syntax(offset, "expected a key in double quotes", pointer)
            key_start = offset
            offset = self._string(offset, pointer)
            key = json.loads(self.text[key_start:offset])
            child = f"{pointer}/{escape_pointer(key)}"
            if key in seen:
                self._add(
                    "json-duplicate-key",
                    key_start,
                    f"the key {key!r} appears twice",
                    child,
                    "Merge the two values into one key; JSON keeps only one of them.",
                )
            seen.add(key)
            self.positions.setdefault(child, self._linecol(key_start))
            offset = self._skip(offset)
            if not self.text.startswith(":", offset):
                self._syntax(offset, "expected ':' after the key", child)
            offset = self._value(self._skip(offset + 1), child, depth + 1)
            offset = self._skip(offset)
            if self.text.startswith(",", offset):
                offset = self._skip(offset + 1)
                continue
            if self.text.startswith("}", offset):
                return offset + 1
            self._syntax(offset, "expected ',' or '}'", pointer)

    def _array(self, offset: int, pointer: str, depth: int) -> int:
        offset = self._skip(offset + 1)
        if self.text.startswith("]", offset):
            return offset + 1
        index = 0
        while True:
            offset = self._value(offset, f"{pointer}/{index}", depth + 1)
            offset = self._skip(offset)
            if self.text.startswith(",", offset):
                offset = self._skip(offset + 1)
                index += 1
                continue
            if self.text.startswith("]", offset):
                return offset + 1
            self._syntax(offset, "expected ',' or ']'", pointer)
