"""Read files safely: regular files only, no symbolic links, at most MAX_FILE_BYTES.

The file rules every reader of a records tree shares (records and source snapshots alike),
and the findings that say why a file was refused: a link, not a regular file, too large, a
byte-order mark, bytes that are not UTF-8.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from toolkit.errors import UsageError
from toolkit.findings import Finding, make

__all__ = [
    "MAX_FILE_BYTES",
    "bom_finding",
    "encoding_finding",
    "file_digest",
    "read_bytes",
    "read_input",
    "read_text_file",
]

MAX_FILE_BYTES = 2 * 1024 * 1024
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")

#: Open without following a symbolic link, and without blocking on a FIFO.
_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def read_text_file(path: Path, display: str) -> tuple[str | None, list[Finding]]:
    """Read a UTF-8 text file (a source snapshot) with the same file rules as records."""
    raw, findings = read_bytes(path, display)
    if raw is None:
        return None, findings
    bom = bom_finding(raw, display)
    if bom is not None:
        return None, [bom]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        return None, [encoding_finding(raw, exc, display)]


def file_digest(raw: bytes) -> bytes:
    """Identifies a file's content (to tell whether it changed since it was validated)."""
    import hashlib

    return hashlib.blake2b(raw, digest_size=16).digest()


def bom_finding(raw: bytes, display: str) -> Finding | None:
    """The finding for bytes that start with a byte-order mark, or None."""
    if not raw.startswith(_BOMS):
        return None
    return make(
        "json-bom",
        "the file starts with a byte-order mark",
        file=display,
        line=1,
        col=1,
        hint="Save the file as UTF-8 without BOM.",
    )


def encoding_finding(raw: bytes, exc: UnicodeDecodeError, display: str) -> Finding:
    """The finding for bytes that are not UTF-8, at the first bad byte."""
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


def read_bytes(path: Path, display: str) -> tuple[bytes | None, list[Finding]]:
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
            raw = _read_capped(handle, info.st_size)
    except OSError:
        raw = None
    finally:
        os.close(handle)
    if raw is None or len(raw) > MAX_FILE_BYTES:
        return _read_bytes_carefully(path, display)
    return raw, []


def _read_capped(handle: int, size: int) -> bytes:
    """The bytes of an open file of `size` bytes (by fstat or lstat), or more than
    MAX_FILE_BYTES of them when it holds more."""
    raw = os.read(handle, size + 1)
    while len(raw) <= MAX_FILE_BYTES:  # a short read, or the file grew meanwhile
        more = os.read(handle, MAX_FILE_BYTES + 1 - len(raw))
        if not more:
            break
        raw += more
    return raw


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
            raw = _read_capped(handle.fileno(), info.st_size)
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


def read_input(path: Path) -> bytes:
    """The bytes of a file a command was given to read (not a record): `-` is standard
    input; anything else must be a regular file (a symbolic link to one is followed).
    Raises `UsageError` past MAX_FILE_BYTES or for a FIFO, device or folder, so that a
    command never blocks on a pipe with no writer nor reads a device without end."""
    if str(path) == "-":
        raw = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    else:
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            handle = os.open(path, flags | getattr(os, "O_BINARY", 0))
        except OSError as exc:
            raise UsageError(f"{path}: cannot read: {exc.strerror}") from exc
        try:
            info = os.fstat(handle)
            if not stat.S_ISREG(info.st_mode):
                raise UsageError(f"{path}: not a regular file (give a file, or - for stdin)")
            raw = _read_capped(handle, min(info.st_size, MAX_FILE_BYTES))
        except OSError as exc:
            raise UsageError(f"{path}: cannot read: {exc.strerror}") from exc
        finally:
            os.close(handle)
    if len(raw) > MAX_FILE_BYTES:
        raise UsageError(f"{path}: more than {MAX_FILE_BYTES} bytes, the cap for a text to read")
    return raw
