"""Load record files strictly, keeping a map from JSON pointer to line:col.

One loader feeds every check. Validation's fast path parses with orjson and counts keys to
catch duplicates (`_trusted_parse`); the strict path is the C parser of the standard library
plus one walk over the result. Only when one of them finds a problem does the positional
scanner below run, to say exactly where. Positions for later findings are computed lazily, so
files without findings never pay for them.
"""

from __future__ import annotations

import bisect
import json
import math
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.findings import Finding, make
from toolkit.format.placeholders import PLACEHOLDER_PREFIXES
from toolkit.format.pointers import escape_pointer, split_pointer
from toolkit.runtime import native as speedups

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "Document",
    "load_document",
    "load_json_bytes",
    "read_text_file",
]

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_SAFE_INTEGER = 2**53 - 1
_SURROGATE = re.compile(r"[\ud800-\udfff]")
#: A \uD800–\uDFFF escape: the only way a lone surrogate gets into valid UTF-8 JSON text.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


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
        """1-based (line, col) of the value at `pointer`, or of its nearest ancestor."""
        if self._positions is None:
            text = self.text or self._read_again()
            if not text:
                return (0, 0)
            if self.data is not None:
                # Parsed text: follow the pointer alone (the C parser of the standard
                # library skips what lies before), not a scan of every value in Python.
                found = _locate(text, pointer)
                if found is not None:
                    return found
            self._positions = _Scanner(text, self.file).scan_positions()
        probe = pointer
        while True:
            if probe in self._positions:
                return self._positions[probe]
            if not probe:
                return (1, 1)
            probe = probe.rsplit("/", 1)[0]


def read_text_file(path: Path, display: str) -> tuple[str | None, list[Finding]]:
    """Read a UTF-8 text file (a source snapshot) with the same file rules as records."""
    raw, findings = _read_bytes(path, display)
    if raw is None:
        return None, findings
    if raw.startswith(_BOMS):
        return None, [
            make(
                "json-bom",
                "the file starts with a byte-order mark",
                file=display,
                line=1,
                col=1,
                hint="Save the file as UTF-8 without BOM.",
            )
        ]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        return None, [_encoding_finding(raw, exc, display)]


def load_document(
    path: Path, display: str, *, trust_schema: bool = False, digest: bool = False
) -> Document:
    """Read and parse one JSON file; never raises for bad content.

    With `trust_schema`, the checks that the record schema implies (nesting depth, number
    range: every record field is bounded) are left to the caller, which must run the full
    check (`strict_reload`) on any file the schema refuses.
    """
    raw, findings = _read_bytes(path, display)
    if raw is None:
        return Document(file=display, findings=findings)
    document = load_json_bytes(raw, display, trust_schema=trust_schema, keep_text=False)
    document.path = path
    if digest:
        document.digest = file_digest(raw)
    return document


def file_digest(raw: bytes) -> bytes:
    """Identifies a file's content (to tell whether it changed since it was validated)."""
    import hashlib

    return hashlib.blake2b(raw, digest_size=16).digest()


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
    if raw.startswith(_BOMS):
        return Document(
            file=display,
            findings=[
                make(
                    "json-bom",
                    "the file starts with a byte-order mark",
                    file=display,
                    line=1,
                    col=1,
                    hint="Save the file as UTF-8 without BOM.",
                )
            ],
        )
    parsed = _trusted_parse(raw) if trust_schema else None
    if parsed is not None and not keep_text and parsed[2] is not None:
        data, has_floats, placeholders = parsed
        return Document(
            file=display, data=data, strict=False, has_floats=has_floats, placeholders=placeholders
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Document(file=display, findings=[_encoding_finding(raw, exc, display)])
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


#: Open without following a symbolic link, and without blocking on a FIFO.
_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def _read_bytes(path: Path, display: str) -> tuple[bytes | None, list[Finding]]:
    """The bytes of a regular file of at most MAX_FILE_BYTES, or the finding that says why
    not. The common case in three system calls (open, fstat, read): a tenth of loading a
    large corpus went into `Path.lstat` and `io.open`."""
    try:
        handle = os.open(path, _READ_FLAGS)
    except OSError:
        return _read_bytes_carefully(path, display)  # says what is wrong with the path
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
            raw = None
        else:
            raw = os.read(handle, info.st_size + 1)
            while len(raw) <= MAX_FILE_BYTES:  # a short read, or the file grew meanwhile
                more = os.read(handle, MAX_FILE_BYTES + 1 - len(raw))
                if not more:
                    break
                raw += more
    except OSError:
        raw = None
    finally:
        os.close(handle)
    if raw is None or len(raw) > MAX_FILE_BYTES:
        return _read_bytes_carefully(path, display)
    return raw, []


def _read_bytes_carefully(path: Path, display: str) -> tuple[bytes | None, list[Finding]]:
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            return None, [
                make(
                    "file-symlink",
                    "records may not be symbolic links",
                    file=display,
                    hint="Replace the link with the file itself.",
                )
            ]
        if not stat.S_ISREG(info.st_mode):
            return None, [
                make(
                    "file-unreadable",
                    "not a regular file",
                    file=display,
                    hint="A record must be a plain file <id>.json; remove or rename this.",
                )
            ]
        if info.st_size > MAX_FILE_BYTES:
            return None, [_too_large(f"{info.st_size} bytes", display)]
        # Unbuffered, sized by lstat: a buffered read(MAX_FILE_BYTES + 1) would allocate
        # 2 MiB for every file (4× the cost of reading a record).
        with open(path, "rb", buffering=0, opener=_open_no_follow) as handle:
            raw = handle.read(info.st_size + 1) or b""
            while len(raw) <= MAX_FILE_BYTES:  # a short read, or the file grew meanwhile
                more = handle.read(MAX_FILE_BYTES + 1 - len(raw))
                if not more:
                    break
                raw += more
        if len(raw) > MAX_FILE_BYTES:
            return None, [_too_large(f"more than {MAX_FILE_BYTES} bytes", display)]
        return raw, []
    except OSError as exc:
        return None, [
            make("file-unreadable", f"cannot read the file: {exc.strerror}", file=display)
        ]


def _too_large(size: str, display: str) -> Finding:
    return make(
        "file-too-large",
        f"the file has {size}; the cap is {MAX_FILE_BYTES}",
        file=display,
        hint="Split the record, or shorten its quotes and texts.",
    )


def _open_no_follow(path: str, flags: int) -> int:
    # A symlink swapped in between lstat() and open() still fails here.
    return os.open(path, flags | getattr(os, "O_NOFOLLOW", 0))


def _encoding_finding(raw: bytes, exc: UnicodeDecodeError, display: str) -> Finding:
    before = raw[: exc.start].decode("utf-8", errors="replace")
    line = before.count("\n") + 1
    col = len(before) - (before.rfind("\n") + 1) + 1
    return make(
        "json-encoding",
        f"invalid UTF-8 byte 0x{raw[exc.start]:02x}",
        file=display,
        line=line,
        col=col,
        hint="Save the file as UTF-8.",
    )


def _walk_is_clean(data: Any) -> bool:
    """True when parsed data has no value the strict loader refuses (iterative: no recursion)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            if depth > MAX_DEPTH:
                return False
            for key, item in value.items():
                if _SURROGATE.search(key):
                    return False
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            if depth > MAX_DEPTH:
                return False
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            if _SURROGATE.search(value):
                return False
        elif isinstance(value, float):
            if not math.isfinite(value):
                return False
        elif (
            isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SAFE_INTEGER
        ):
            return False
    return True


_WS = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"')
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_NONFINITE = re.compile(r"-?(?:NaN|Infinity)")
_LITERALS = {"true": True, "false": False, "null": None}


class _SyntaxStop(Exception):
    """Raised inside the scanner at the first syntax error (after it is recorded)."""


_DECODER = json.JSONDecoder()
#: The standard library's string scanner (C): decodes the JSON string starting after a quote.
_SCAN_STRING: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
_SPACE = re.compile(r"[ \t\n\r]*")


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
        match = _WS.match(self.text, offset)
        return match.end() if match else offset

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
        if _SURROGATE.search(value):
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
