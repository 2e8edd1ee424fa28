"""Bring a folder to hold exactly a set of files: write what changed, delete the rest.

The only writes into docs/generated/; a path that would leave the folder is refused, and a
file whose bytes are already there is left alone (so mkdocs serve rebuilds only what changed).
"""

from __future__ import annotations

import errno
import filecmp
import os
from dataclasses import dataclass, field
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from toolkit.errors import SiteError
from toolkit.runtime.progress import task
from toolkit.runtime.write import write_bytes_atomic, write_file_atomic
from toolkit.site.output import LOCK

if TYPE_CHECKING:
    from toolkit.export import Spooled

__all__ = [
    "Sink",
    "SyncStats",
    "move_one",
    "remove_others",
    "sync_folder",
    "writable_folder",
    "write_changed",
    "write_one",
]


@dataclass
class SyncStats:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    #: What the user should know about the files (one line each), such as why a file was
    #: left out; the CLI shows them.
    notes: list[str] = field(default_factory=list)


class Sink:
    """Where the generated files go as they are made: written into `folder` one at a time
    (the build, which so never holds the whole site: gigabytes at 10,000 articles), or
    gathered (`folder` None, for `site_files`). A path wanted twice is refused."""

    def __init__(self, folder: Path | None, taken: Iterable[str] = ()) -> None:
        self.folder = folder
        self.owner: dict[str, str] = dict.fromkeys(taken, "a file of docs/")
        self.files: dict[str, bytes] = {}
        self.stats = SyncStats()

    def add(self, path: str, data: bytes | Spooled, what: str) -> None:
        if path in self.owner:
            raise SiteError(f"{what} and {self.owner[path]} both want {path}")
        self.owner[path] = what
        if self.folder is None:
            self.files[path] = data if isinstance(data, bytes) else data.read_bytes()
        elif isinstance(data, bytes):
            write_one(self.folder, path, data, self.stats)
        else:
            move_one(self.folder, path, data.path, self.stats)

    def pages(self, pages: Iterable[tuple[str, str]]) -> None:
        for path, text in pages:
            self.add(path, text.encode("utf-8"), "a generated page")

    def api(self, files: Iterable[tuple[str, bytes | Spooled]]) -> None:
        for path, data in files:
            self.add(path, data, "the JSON API")


def sync_folder(folder: Path, files: dict[str, bytes]) -> SyncStats:
    """Make `folder` hold exactly `files`: write what changed, delete the rest."""
    folder = writable_folder(folder)
    stats = SyncStats()
    write_changed(folder, files, stats)
    remove_others(folder, set(files), stats)
    return stats


def writable_folder(folder: Path) -> Path:
    """`folder`, created if need be; a symbolic link is refused."""
    if folder.is_symlink():
        raise SiteError(f"{folder}: is a symbolic link")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def write_changed(folder: Path, files: dict[str, bytes], stats: SyncStats) -> None:
    """Write each of `files` whose bytes differ from what `folder` holds; count the rest."""
    with task("writing docs/generated", len(files)) as progress:
        for path, data in files.items():
            progress.advance()
            write_one(folder, path, data, stats)


def write_one(folder: Path, path: str, data: bytes, stats: SyncStats) -> None:
    """Write one file at `path` under `folder` unless its bytes are already there."""
    target = folder.joinpath(*_safe_relative(path).parts)
    if target.is_file() and not target.is_symlink() and _same(target, data):
        stats.unchanged += 1
        return
    if target.is_symlink() or target.is_dir():
        _remove(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    # No fsync: these files are regenerated from the records on every build.
    write_bytes_atomic(target, data, durable=False)
    stats.written.append(path)


def move_one(folder: Path, path: str, source: Path, stats: SyncStats) -> None:
    """`write_one` for a finished file at `source` (too large to read whole): moved to `path`
    under `folder` (copied if it is on another file system) unless its bytes are there."""
    target = folder.joinpath(*_safe_relative(path).parts)
    if target.is_file() and not target.is_symlink():
        if filecmp.cmp(target, source, shallow=False):
            stats.unchanged += 1
            return
    if target.is_symlink() or target.is_dir():
        _remove(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(source, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        write_file_atomic(target, source)
    stats.written.append(path)


def _same(target: Path, data: bytes) -> bool:
    """Whether `target` holds exactly `data` (its size first: no read when it differs)."""
    return target.stat().st_size == len(data) and target.read_bytes() == data


def remove_others(folder: Path, keep: set[str], stats: SyncStats) -> None:
    """Delete every file of `folder` not in `keep` (nor the build's lock), and empty folders."""
    keep = keep | {LOCK}
    for here, dirs, names in os.walk(folder, topdown=False):
        base = Path(here)
        for name in [*names, *(d for d in dirs if (base / d).is_symlink())]:
            relative = (base / name).relative_to(folder).as_posix()
            if relative not in keep:
                (base / name).unlink()
                stats.removed.append(relative)
        if base != folder and not any(base.iterdir()):
            base.rmdir()
    stats.removed.sort()


def _safe_relative(path: str) -> PurePosixPath:
    pure = PurePosixPath(path)
    if pure.is_absolute() or not pure.parts or any(p in ("", ".", "..") for p in pure.parts):
        raise SiteError(f"refusing to write outside the generated folder: {path!r}")
    return pure


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        for child in sorted(path.rglob("*"), reverse=True):
            child.rmdir() if child.is_dir() and not child.is_symlink() else child.unlink()
        path.rmdir()
    else:
        path.unlink()
