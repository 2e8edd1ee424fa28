"""Canonical formatting of record files (`stratlas fmt`), lossless by construction and by check.

The canonical form: keys in the order of the schema's `properties` (which is the models' field
order, so `$schema` comes first), keys the schema does not know after them in the order written;
2-space indent; strings as UTF-8, escaped only where JSON requires it; LF line ends; one final
newline. Number tokens are kept exactly as written (`1E6` stays `1E6`, `1.10` stays `1.10`,
`-0` stays `-0`): reformatting never changes what a number says.

Before anything is written, the new text is parsed again with the strict loader and compared
with the old one, value by value and number token by number token; a file that would change is
refused, not rewritten. Files with JSON-layer findings (duplicate keys, NaN, bad UTF-8, …) are
refused too: `stratlas validate` says what is wrong with them. So is a file `fmt` may not
write (read-only, in a folder it cannot write, behind a symlinked folder) and a folder it cannot
list: each is reported with its reason, the rest are formatted, and the command exits 1.

Over 300 lines because the refusals (what fmt may not write, and why) sit beside the
write they guard; they are the next piece to move out.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from toolkit.errors import FmtUsageError
from toolkit.findings import Finding
from toolkit.load import (
    display_path,
    find_records_root,
    folder_unreadable,
    load_document,
    load_json_bytes,
)

__all__ = [
    "FileResult",
    "FmtUsageError",
    "canonical_text",
    "format_document_bytes",
    "format_paths",
    "parse_tokens",
    "record_kind",
]

RecordKind = Literal["article", "entity"]
Status = Literal["unchanged", "changed", "refused"]


@dataclass
class FileResult:
    """What `fmt` did (or would do) with one file."""

    path: Path
    display: str
    status: Status
    reason: str = ""
    findings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class _Number:
    """A JSON number kept as the token that was written."""

    token: str


def record_kind(path: Path) -> RecordKind | None:
    """`article` or `entity` for a record file under records/, else None (no schema order)."""
    root = find_records_root(path)
    probe = path.absolute()
    if root is not None:
        try:
            parts = probe.relative_to(root).parts
        except ValueError:
            parts = ()
        if len(parts) >= 2 and parts[0] == "articles":
            return "article"
        if len(parts) >= 2 and parts[0] == "entities":
            return "entity"
        return None
    names = {parent.name for parent in probe.parents}
    if "articles" in names:
        return "article"
    if "entities" in names:
        return "entity"
    return None


# --- ordering -------------------------------------------------------------------------------


def _schemas() -> dict[str, dict[str, Any]]:
    from toolkit.models.schema import generate_schemas

    return generate_schemas()


def _resolve(node: Any, root: dict[str, Any]) -> dict[str, Any]:
    """Follow local `$ref`s (`#/$defs/Name`) to the schema they name."""
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 32:
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#/$defs/"):
            return {}
        node = root.get("$defs", {}).get(ref.removeprefix("#/$defs/"), {})
        seen += 1
    return node if isinstance(node, dict) else {}


def _object_branch(node: dict[str, Any], value: dict[str, Any], root: dict[str, Any]) -> Any:
    """For a oneOf/anyOf, the branch that describes `value` (an object)."""
    branches = node.get("oneOf") or node.get("anyOf")
    if not isinstance(branches, list):
        return node
    discriminator = node.get("discriminator")
    if isinstance(discriminator, dict):
        tag = value.get(discriminator.get("propertyName", ""))
        target = discriminator.get("mapping", {}).get(tag) if isinstance(tag, str) else None
        if target is not None:
            return _resolve({"$ref": target}, root)
    objects = [_resolve(b, root) for b in branches]
    objects = [b for b in objects if "properties" in b]
    if not objects:
        return {}
    # The branch that knows most of the keys (ties: the first, as the schema lists them).
    return max(objects, key=lambda b: sum(1 for k in value if k in b["properties"]))


def _array_items(node: dict[str, Any], root: dict[str, Any]) -> Any:
    branches = node.get("anyOf") or node.get("oneOf")
    if isinstance(branches, list):
        arrays = [_resolve(b, root) for b in branches]
        arrays = [b for b in arrays if "items" in b]
        node = arrays[0] if arrays else {}
    return node.get("items", {})


def _ordered(value: Any, node: Any, root: dict[str, Any]) -> Any:
    """`value` with every object's keys in schema order (unknown keys after, as written)."""
    schema = _resolve(node, root)
    if isinstance(value, dict):
        if "oneOf" in schema or "anyOf" in schema:
            schema = _resolve(_object_branch(schema, value, root), root)
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        keys = [k for k in properties if k in value] + [k for k in value if k not in properties]
        return {
            k: _ordered(value[k], properties.get(k, extra if isinstance(extra, dict) else {}), root)
            for k in keys
        }
    if isinstance(value, list):
        items = _array_items(schema, root)
        return [_ordered(item, items, root) for item in value]
    return value


# --- text -----------------------------------------------------------------------------------


def _dump(value: Any, indent: str = "") -> str:
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = indent + "  "
        rows = [
            f"{inner}{json.dumps(key, ensure_ascii=False)}: {_dump(item, inner)}"
            for key, item in value.items()
        ]
        return "{\n" + ",\n".join(rows) + "\n" + indent + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        inner = indent + "  "
        return (
            "[\n" + ",\n".join(inner + _dump(item, inner) for item in value) + "\n" + indent + "]"
        )
    if isinstance(value, _Number):
        return value.token
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return json.dumps(value)
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def canonical_text(data: Any, kind: RecordKind | None) -> str:
    """The canonical text of already-parsed JSON data (used by `stratlas new` too)."""
    if kind is not None:
        root = _schemas()[kind]
        data = _ordered(data, root, root)
    return _dump(data) + "\n"


def _refuse_constant(token: str) -> Any:
    raise ValueError(f"{token} is not JSON")


def parse_tokens(text: str) -> Any:
    """Parse JSON text keeping each number as the token written."""
    return json.loads(text, parse_int=_Number, parse_float=_Number, parse_constant=_refuse_constant)


def _same(a: Any, b: Any) -> bool:
    """Deep equality that tells 1 from 1.0 from true, and compares number tokens as written."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def format_document_bytes(
    raw: bytes, display: str, kind: RecordKind | None
) -> tuple[str | None, str, list[Finding]]:
    """Return (canonical text, "", []) or (None, why it was refused, findings)."""
    document = load_json_bytes(raw, display)
    if document.findings:
        return None, "the file has JSON findings; run `stratlas validate`", document.findings
    before = parse_tokens(document.text)
    text = canonical_text(before, kind)
    # Lossless, checked rather than assumed: the strict loader must read the new text back to
    # the very same values, with the very same number tokens.
    again = load_json_bytes(text.encode("utf-8"), display)
    if again.findings or not _same(parse_tokens(again.text), before):
        return None, "reformatting would change a value; left as it is", []
    if not _same(again.data, document.data):
        return None, "reformatting would change a value; left as it is", []
    return text, "", []


# --- files ----------------------------------------------------------------------------------


def _json_files(paths: Iterable[Path]) -> Iterator[Path | FileResult]:
    """The .json files under `paths`, and a refusal for each folder that cannot be listed
    (never skipped in silence). A symbolic link to a folder is not entered: it comes out as
    a path, which the loader refuses (`file-symlink`), so nothing is written through it."""
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            unreadable: list[Finding] = []
            for folder, dirs, files in os.walk(path, onerror=_append(unreadable)):
                yield from _refused_folders(unreadable)
                here = Path(folder)
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                yield from (here / d for d in dirs if (here / d).is_symlink())
                for name in sorted(files):
                    if name.endswith(".json") and not name.startswith("."):
                        yield here / name
            yield from _refused_folders(unreadable)
        else:
            yield path


def _append(found: list[Finding]) -> Callable[[OSError], None]:
    return lambda exc: found.append(folder_unreadable(exc))


def _refused_folders(found: list[Finding]) -> Iterator[FileResult]:
    for finding in found:
        yield FileResult(Path(finding.file), finding.file, "refused", finding.message, [finding])
    found.clear()


def _linked_folder(path: Path) -> Path | None:
    """A folder of the records tree on the way to `path` that is a symbolic link: fmt must
    not write through it (the loader refuses linked records folders for the same reason).
    Folders above the records tree are the user's own business (/tmp on macOS is a link)."""
    root = find_records_root(path)
    absolute = path.absolute()
    if root is None or root not in absolute.parents:
        return None
    return next((p for p in absolute.parents if root in p.parents and p.is_symlink()), None)


def _write_refusal(path: Path) -> str:
    """Why `path` may not be written, or "" (checked before anything is written)."""
    linked = _linked_folder(path)
    if linked is not None:
        return f"{display_path(linked)} is a symbolic link; fmt does not write through it"
    mode = path.lstat().st_mode
    if not mode & 0o222 or not os.access(path, os.W_OK):
        return "the file is read-only"
    return ""


def format_paths(
    paths: list[Path], *, check: bool, protected: Sequence[Path] = ()
) -> list[FileResult]:
    """Format every .json file under `paths`; with `check`, only say what would change.
    A file that may not be written (`why_not_writable`: not a regular file, or under
    `protected`; read-only, or behind a linked records folder) is refused with the reason;
    the others are formatted."""
    from toolkit.runtime.write import why_not_writable, write_bytes_atomic

    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise FmtUsageError(f"{path}: no such file or folder")
    results: list[FileResult] = []
    seen: set[Path] = set()
    for found in _json_files(paths):
        if isinstance(found, FileResult):
            results.append(found)
            continue
        path = found
        key = path.absolute()
        if key in seen:
            continue
        seen.add(key)
        display = display_path(path)
        document = load_document(path, display)
        if document.findings:
            results.append(
                FileResult(
                    path,
                    display,
                    "refused",
                    "the file has findings; run `stratlas validate`",
                    document.findings,
                )
            )
            continue
        raw = document.text.encode("utf-8")
        text, reason, findings = format_document_bytes(raw, display, record_kind(path))
        if text is None:
            results.append(FileResult(path, display, "refused", reason, findings))
            continue
        if text == document.text:
            results.append(FileResult(path, display, "unchanged"))
            continue
        refusal = why_not_writable(path, protected=protected, own=True)
        if refusal is not None:
            results.append(FileResult(path, display, "refused", refusal.removeprefix(f"{path}: ")))
            continue
        if not check:
            try:
                refusal = _write_refusal(path)
                if not refusal:
                    write_bytes_atomic(path, text.encode("utf-8"))
            except OSError as exc:  # a folder without write permission, a read-only disk
                refusal = f"cannot write the file: {exc.strerror or exc}"
            if refusal:
                results.append(FileResult(path, display, "refused", refusal))
                continue
        results.append(FileResult(path, display, "changed"))
    return results
