"""The one place that writes files: atomically, keeping the mode of what it replaces."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

__all__ = ["create_file_once", "folder_refusal", "write_bytes_atomic", "write_text_atomic"]


def write_bytes_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write to a temp file in the same folder, fsync, then rename over `path`.

    `durable=False` skips the fsync: for files that are regenerated anyway (the generated
    pages), where only atomicity matters — a reader never sees half a file.
    """
    try:
        mode: int | None = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = None
    fd, temp = _temp_beside(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        else:
            os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


def _temp_beside(path: Path) -> tuple[int, str]:
    """A new temporary file in the folder of `path`; an error names `path` (the file asked
    for), not the temporary name nobody asked for."""
    try:
        return tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from exc


def folder_refusal(folder: Path) -> str | None:
    """Why the missing `folder` could not be created, found before any work, or None if it can
    be. Permission bits do not tell (root, /proc, read-only mounts): a hidden folder is made
    and removed at once in the nearest existing folder above it."""
    existing = next(parent for parent in folder.absolute().parents if parent.exists())
    if not existing.is_dir():
        return f"cannot create this folder: {existing} is not a folder"
    try:
        probe = tempfile.mkdtemp(dir=existing, prefix=".stratlas-probe-")
    except OSError as exc:
        return f"cannot create this folder in {existing}: {exc.strerror}"
    os.rmdir(probe)
    return None


def create_file_once(path: Path, data: bytes) -> bool:
    """Create `path` holding `data` unless it exists; True if this call created it.

    The file is written aside and hard-linked into place: it appears whole, and an existing
    one is never replaced (a lock held on it stays the lock everyone else takes)."""
    fd, temp = _temp_beside(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o666 & ~_umask())
        try:
            os.link(temp, path)
        except FileExistsError:
            return False
        except OSError:  # no hard links on this file system (FAT, some network mounts)
            return _create_exclusively(path, data)
        return True
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)


def _create_exclusively(path: Path, data: bytes) -> bool:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        return False
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return True


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
