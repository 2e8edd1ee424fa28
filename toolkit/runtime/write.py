"""The one place that writes files: atomically, keeping the mode of what it replaces; and the
one rule for where a command may write (`why_not_writable`), which every command checks before
any work and before creating anything."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

__all__ = [
    "PROJECT_FILES",
    "create_file_once",
    "folder_refusal",
    "protected_paths",
    "why_not_writable",
    "why_not_writable_folder",
    "write_bytes_atomic",
    "write_text_atomic",
]

#: What no command's output may replace or write into, relative to the project folder: its
#: configuration and hand-written parts (the records are protected as given, see
#: `protected_paths`). `schema` writes schema/ and `fmt` the records: that is their job.
PROJECT_FILES = (
    "mkdocs.yml",
    "pyproject.toml",
    "package.json",
    "package-lock.json",
    "Makefile",
    "schema",
    "docs",
    "overrides",
    "records",
    "toolkit",
    ".git",
    ".github",
)


def protected_paths(
    projects: Iterable[Path], records: Iterable[Path] = (), *, job: str = ""
) -> list[Path]:
    """The records folders, and the project files (`PROJECT_FILES`) of each of `projects`
    that is one (it holds mkdocs.yml or pyproject.toml), except `job`, the one a command
    exists to write."""
    found = [
        project / name
        for project in projects
        if any(os.path.lexists(project / marker) for marker in PROJECT_FILES[:2])
        for name in PROJECT_FILES
        if name != job
    ]
    return [*records, *found]


def _real(path: Path) -> Path:
    """`path` with its folders resolved but its last part not followed (as lstat sees it)."""
    absolute = Path(os.path.abspath(path))
    return Path(os.path.realpath(absolute.parent)) / absolute.name


def _protected_by(path: Path, protected: Sequence[Path]) -> Path | None:
    real = _real(path)
    for guarded in protected:
        guarded_real = Path(os.path.realpath(guarded))
        if real == guarded_real or real.is_relative_to(guarded_real):
            return guarded
        if real == _real(guarded):  # a symbolic link in the list is protected itself
            return guarded
    return None


def _what(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _why_not_parent(path: Path, parents: bool) -> str | None:
    """The folder `path` would be created in must be one (or, with `parents`, be creatable)."""
    parent = Path(os.path.abspath(path)).parent
    while True:
        try:
            if os.path.isdir(parent):  # a symbolic link to a folder is a folder to write in
                return None
            if os.path.lexists(parent):
                return f"{parent}: is not a folder"
        except OSError as exc:
            return f"{parent}: {exc.strerror}"
        if not parents:
            return f"{parent}: no such folder"
        parent = parent.parent


def _look(
    path: Path, protected: Sequence[Path], parents: bool
) -> tuple[str | None, os.stat_result | None]:
    """(None, what lstat says) for an existing path outside `protected`; else (why not to
    write it, None), and (None, None) for a new path that may be created."""
    guarded = _protected_by(path, protected)
    if guarded is not None:
        return f"{path}: refusing to write over or into {guarded} (records or project files)", None
    try:
        return None, os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return _why_not_parent(path, parents), None
    except OSError as exc:
        return f"{path}: {exc.strerror}", None


def why_not_writable(
    path: Path,
    *,
    protected: Sequence[Path] = (),
    force: bool = False,
    own: bool = False,
    parents: bool = False,
    inside: Path | None = None,
) -> str | None:
    """Why a command must not write the file `path`, or None if it may; checked before any work.

    A command writes a new path, or replaces a regular file: one it wrote before (`own`, as
    the schema files or the lock), or any other with `force`. Never a symbolic link, a folder,
    a FIFO, a device or a socket (the path itself is never followed), nor anything at or
    under `protected` (the records, the project's configuration). The parent folder must
    exist, unless `parents` (the command creates it). With `inside`, the file must really be
    there: a symbolic link to a folder on the way must not lead elsewhere.
    """
    if inside is not None and not _real(path).is_relative_to(os.path.realpath(inside)):
        return f"{path}: leads outside {inside} (a symbolic link on the way)"
    reason, info = _look(path, protected, parents)
    if info is None:
        return reason
    if not stat.S_ISREG(info.st_mode):
        return f"{path}: is {_what(info.st_mode)}; give the path of a new or regular file"
    if not (own or force):
        return f"{path}: exists; pass --force to replace it"
    return None


def why_not_writable_folder(
    path: Path,
    *,
    protected: Sequence[Path] = (),
    force: bool = False,
    only: Collection[str] | None = None,
) -> str | None:
    """Why a command must not write its files into the folder `path`, or None if it may.

    The folder is new (the command makes it, and its parents), or a real folder
    (not a symbolic link) outside `protected`; with `only`, an existing folder may hold
    nothing but those names (what the command wrote there before) unless `force`. Each file
    written in it is checked with `why_not_writable` too.
    """
    reason, info = _look(path, protected, parents=True)
    if info is None:
        return reason
    if not stat.S_ISDIR(info.st_mode):
        what = "a file" if stat.S_ISREG(info.st_mode) else _what(info.st_mode)
        return f"{path}: is {what}; give a new folder or one this command made"
    if only is not None and not force:
        try:
            others = sorted(set(os.listdir(path)) - set(only))
        except OSError as exc:
            return f"{path}: {exc.strerror}"
        if others:
            return (
                f"{path}: holds files this command did not write ({', '.join(others[:3])}"
                f"{', …' if len(others) > 3 else ''}); give a new folder, or pass --force"
            )
    return None


def write_bytes_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write to a temp file in the same folder, fsync, then rename over `path`.

    `durable=False` skips the fsync: for files that are regenerated anyway (the generated
    pages), where only atomicity matters — a reader never sees half a file.
    """
    _replace(path, lambda handle: handle.write(data), durable=durable)


def write_file_atomic(path: Path, source: Path) -> None:
    """`write_bytes_atomic(path, source.read_bytes(), durable=False)`, copied a block at a
    time (for files too large to hold)."""

    def copy(handle: BinaryIO) -> None:
        with source.open("rb") as original:
            shutil.copyfileobj(original, handle, 1 << 20)

    _replace(path, copy, durable=False)


def _replace(path: Path, write: Callable[[BinaryIO], object], *, durable: bool) -> None:
    """`write` a temp file beside `path`, then rename it over `path`, keeping its mode."""
    try:
        mode: int | None = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = None
    fd, temp = _temp_beside(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(temp, mode if mode is not None else 0o666 & ~_umask())
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
