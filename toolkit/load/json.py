"""Parse record files strictly: Document, load_document, load_json_bytes, strict_reload.

One loader feeds every check. Validation's fast path parses with orjson and counts keys to
catch duplicates (`_trusted_parse`); the strict path is the C parser of the standard library
plus one walk over the result. Only when one of them finds a problem does the positional
scanner (`positions._Scanner`) run, to say exactly where. Positions for later findings are
computed lazily, so files without findings never pay for them.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.findings import Finding, make
from toolkit.format.placeholders import PLACEHOLDER_PREFIXES
from toolkit.load.files import bom_finding, encoding_finding, file_digest, read_bytes
from toolkit.runtime import native as speedups

__all__ = ["Document", "load_document", "load_json_bytes", "strict_reload"]

MAX_DEPTH = 64
MAX_SAFE_INTEGER = 2**53 - 1
#: A lone surrogate in decoded text (valid UTF-8 JSON holds one only as a \uD800 escape).
SURROGATE = re.compile(r"[\ud800-\udfff]")

#: A \uD800–\uDFFF escape: the only way a lone surrogate gets into valid UTF-8 JSON text.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


@dataclass
class Document:
    """A parsed JSON file: its data (None when unusable), text, and JSON-layer findings."""

    file: str
    data: Any = None
    text: str = ""
    findings: list[Finding] = field(default_factory=list)
    #: False when depth and number range were left to the schema (see `load_document`).
    strict: bool = True
    #: The text has a number with a fraction or exponent. JSON Schema counts 2020.0 as an
    #: integer; Stratlas records write integers as integers, so the fast path defers these.
    has_floats: bool = False
    #: Where the text can be read again after `release_text` (for positions of late findings).
    path: Path | None = None
    #: BLAKE2b of the bytes read, when asked for (`load_document(digest=True)`).
    digest: bytes = b""
    #: Whether a string value starts like a `stratlas new` placeholder, when the fast parse
    #: found out (None: not known; `placeholders.may_hold_placeholders` tests the text).
    placeholders: bool | None = None
    _positions: dict[str, tuple[int, int]] | None = field(default=None, repr=False)
    #: The text that gave the first position, until a second one scans it for all.
    _position_text: str | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.data is not None and not self.findings

    def release_text(self) -> None:
        """Forget the text of a file that passed its file-level checks (a large corpus would
        otherwise hold every file twice: as text and as data). Positions re-read it."""
        if self.path is not None:
            self.text = ""

    def _read_again(self) -> str:
        if self.path is None:
            return ""
        try:
            return self.path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return ""

    def position(self, pointer: str) -> tuple[int, int]:
        """1-based (line, col) of the value at `pointer`, or of its nearest ancestor.

        Linear in the file however many findings it has: the file is read again at most
        once, the first position follows its pointer alone, and a second one scans the text
        once for every position (what used to be a read and a walk per finding)."""
        if self._positions is None:
            # Imported here: only a record with findings needs positions (cold start).
            from toolkit.load.positions import _locate, _Scanner

            text = self._position_text
            if text is None:
                text = self.text or self._read_again()
                if not text:
                    return (0, 0)
                if self.data is not None:
                    # Parsed text: follow the pointer alone (the C parser of the standard
                    # library skips what lies before), not a scan of every value in Python.
                    found = _locate(text, pointer)
                    if found is not None:
                        self._position_text = text  # kept until a second position scans
                        return found
            self._positions = _Scanner(text, self.file).scan_positions()
            self._position_text = None
        probe = pointer
        while True:
            if probe in self._positions:
                return self._positions[probe]
            if not probe:
                return (1, 1)
            probe = probe.rsplit("/", 1)[0]


def load_document(
    path: Path, display: str, *, trust_schema: bool = False, digest: bool = False
) -> Document:
    """Read and parse one JSON file; never raises for bad content.

    With `trust_schema`, the checks that the record schema implies (nesting depth, number
    range: every record field is bounded) are left to the caller, which must run the full
    check (`strict_reload`) on any file the schema refuses.
    """
    raw, findings = read_bytes(path, display)
    if raw is None:
        return Document(file=display, findings=findings)
    document = load_json_bytes(raw, display, trust_schema=trust_schema, keep_text=False)
    document.path = path
    if digest:
        document.digest = file_digest(raw)
    return document


def strict_reload(document: Document) -> Document:
    """The full strict load of a document that was loaded with `trust_schema`."""
    if document.strict:
        return document
    text = document.text or document._read_again()
    if not text:
        return document
    reloaded = load_json_bytes(text.encode("utf-8"), document.file)
    reloaded.path = document.path
    return reloaded


def load_json_bytes(
    raw: bytes, display: str, *, trust_schema: bool = False, keep_text: bool = True
) -> Document:
    """Parse JSON text. With `keep_text=False`, a document the fast parse takes whole (with
    toolkit._native) is not decoded at all: orjson checks the UTF-8 itself, and the caller
    sets `Document.path`, from which positions and the strict reload read it again."""
    bom = bom_finding(raw, display)
    if bom is not None:
        return Document(file=display, findings=[bom])
    parsed = _trusted_parse(raw) if trust_schema else None
    if parsed is not None and not keep_text and parsed[2] is not None:
        data, has_floats, placeholders = parsed
        return Document(
            file=display, data=data, strict=False, has_floats=has_floats, placeholders=placeholders
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Document(file=display, findings=[encoding_finding(raw, exc, display)])
    if parsed is not None:
        data, has_floats, placeholders = parsed
        return Document(
            file=display,
            data=data,
            text=text,
            strict=False,
            has_floats=has_floats,
            placeholders=placeholders,
        )
    duplicates: list[bool] = []
    floats: list[bool] = []

    def float_hook(token: str) -> float:
        floats.append(True)
        return float(token)

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) != len(pairs):
            duplicates.append(True)
        return result

    try:
        data = json.loads(text, object_pairs_hook=pairs_hook, parse_float=float_hook)
        if trust_schema and not duplicates and not _SURROGATE_ESCAPE.search(text):
            return Document(
                file=display, data=data, text=text, strict=False, has_floats=bool(floats)
            )
        clean = not duplicates and _walk_is_clean(data)
    except (ValueError, RecursionError):
        clean = False
    if clean:
        return Document(file=display, data=data, text=text, has_floats=bool(floats))
    # Something is wrong: the positional scanner says what and where.
    from toolkit.load.positions import _Scanner

    scanner = _Scanner(text, display)
    scanner.scan_positions()
    problems = scanner.findings or [
        make("json-syntax", "the file is not valid JSON", file=display, line=1, col=1)
    ]
    return Document(file=display, text=text, findings=problems)


#: A float with a whole value below 10^16 in orjson's compact output (`2004.0`; larger
#: ones are written `1e+16` and are past every record field's maximum anyway).
_WHOLE_FLOAT = re.compile(rb"\.0[,\]}]")


def _trusted_parse(raw: bytes, *, native: bool = True) -> tuple[Any, bool, bool | None] | None:
    """orjson's parse, whether it may hold a float with a whole value, and (when known)
    whether a string value starts like a placeholder, when that is what the strict loader
    would give; None leaves the file to the strict loader.

    orjson refuses what the strict loader refuses (bad UTF-8, lone surrogates, control
    characters, NaN, trailing commas…) except duplicate keys, where it keeps the last. With
    toolkit._native, the text's key colons (outside strings) are counted against the keys of
    the parsed data; each dropped key is one fewer. Without it, count colons: outside strings
    there is one per key; inside, one per colon character, as orjson's compact output writes
    every colon it keeps, and as the text writes them unless it escapes one (`\\u003a`: then
    the strict loader decides). Dropping a key drops its colon (and maybe more), never adds
    one, so equal counts mean no key was dropped.

    Only whole-valued floats need flagging: the record schemas have integer fields (each
    with a maximum) and no other numbers, so JSON Schema refuses any other float, but would
    accept `2004.0`. (The native count flags every float; the others fail the schema
    anyway.) The same bytes inside a string raise the flag too; that only costs the slow
    path. (Byte searches with a literal start: others would cost more than the parse.)
    """
    import orjson

    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    facts = speedups.native("json_facts") if native else None
    if facts is not None:
        found = facts(raw, data, PLACEHOLDER_PREFIXES)
        if found is not None:
            unique_keys, has_floats, placeholders = found
            return (data, has_floats, placeholders) if unique_keys else None
    if b"\\u003" in raw:
        return None  # maybe an escaped colon (\u003a): the counts below would not match
    try:
        compact = orjson.dumps(data)
    except orjson.JSONEncodeError:  # nested deeper than orjson writes: far past MAX_DEPTH
        return None
    if raw.count(b":") != compact.count(b":"):
        return None
    whole_float = compact.endswith(b".0") or _WHOLE_FLOAT.search(compact) is not None
    return data, whole_float, None


def _walk_is_clean(data: Any) -> bool:
    """True when parsed data has no value the strict loader refuses (iterative: no recursion)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            if depth > MAX_DEPTH:
                return False
            for key, item in value.items():
                if SURROGATE.search(key):
                    return False
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            if depth > MAX_DEPTH:
                return False
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            if SURROGATE.search(value):
                return False
        elif isinstance(value, float):
            if not math.isfinite(value):
                return False
        elif (
            isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SAFE_INTEGER
        ):
            return False
    return True
