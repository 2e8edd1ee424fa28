"""Where the build may write, and one build at a time: the output-folder checks, its marker
file, and the locks.

The build refuses an output folder that mkdocs would wipe dangerously (SECURITY.md): `/`, a
home, the repository or a parent of it, or an existing, non-empty folder that the build did
not create (it leaves a marker file in the ones it does).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from toolkit.errors import SiteError, UnsafeOutput
from toolkit.runtime.write import (
    create_file_once,
    folder_refusal,
    why_not_writable,
    why_not_writable_folder,
)

__all__ = ["GENERATED", "LOCK", "MARKER", "check_output", "claimed", "locked"]

#: The generated docs folder, relative to the project (the folder holding mkdocs.yml).
GENERATED = Path("docs") / "generated"
#: File left in every output folder the build creates; only such folders are ever replaced.
MARKER = ".stratlas-site"
_MARKER_TEXT = (
    b"Created by `stratlas build`; everything in this folder is replaced on each build.\n"
)
#: The lock file of docs/generated/ (which the sync therefore keeps).
LOCK = ".stratlas-build.lock"
_HOMES = (Path("/home"), Path("/Users"))


def check_output(out: Path, project: Path, records: Path) -> Path:
    """The absolute output folder, or `UnsafeOutput` if building there could destroy data
    (`SiteError` if it cannot be created)."""
    given = out.expanduser().absolute()
    if given.is_symlink():
        raise UnsafeOutput(f"{out}: is a symbolic link; give the real folder")
    target = Path(os.path.realpath(given))
    project = project.resolve()
    home = Path.home().resolve()
    if target == Path(target.anchor):
        raise UnsafeOutput(f"{out}: refusing to build into the file-system root")
    if target == home or home.is_relative_to(target) or target.parent in _HOMES:
        raise UnsafeOutput(f"{out}: refusing to build into a home folder or a parent of one")
    if project.is_relative_to(target):
        raise UnsafeOutput(f"{out}: refusing to build into the repository or a parent of it")
    if target.is_relative_to(project / "docs"):
        raise UnsafeOutput(f"{out}: the output must not be inside docs/")
    records = records.resolve()
    if target.is_relative_to(records) or records.is_relative_to(target):
        raise UnsafeOutput(f"{out}: the output must not hold or be inside the records")
    if target.exists():
        if not target.is_dir():
            raise UnsafeOutput(f"{out}: exists and is not a folder")
        # The marker is the build's own file: a symbolic link or anything else by its name
        # proves nothing and is never written through.
        _refuse(why_not_writable(target / MARKER, own=True))
        if not (target / MARKER).exists() and any(target.iterdir()):
            raise UnsafeOutput(
                f"{out}: is not empty and was not created by `stratlas build` (no {MARKER} "
                "file); the build empties its output folder, so give a new or empty folder"
            )
    elif (refusal := folder_refusal(target)) is not None:
        raise SiteError(f"{out}: {refusal}")
    return target


@contextlib.contextmanager
def claimed(target: Path) -> Iterator[None]:
    """The checked output folder, marked as the build's and locked while the block runs."""
    _claim(target)
    # Builds from two checkouts share no project lock: the output folder has its own (its
    # marker file, which mkdocs leaves in place), so one finishes before the next.
    with locked(target, MARKER):
        yield
    _claim(target)


def _claim(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    marker = target / MARKER
    if not os.path.lexists(marker):
        # Created once, never replaced: builds lock this file, and two that each wrote
        # their own would hold locks on two different files and run mkdocs at once.
        create_file_once(marker, _MARKER_TEXT)


def _refuse(reason: str | None) -> None:
    if reason is not None:
        raise UnsafeOutput(reason)


@contextlib.contextmanager
def locked(folder: Path, name: str = LOCK) -> Iterator[None]:
    """One build at a time per project, or per output folder (a second one waits).

    The folder must be new or a real folder, the lock new or a regular file: checked before
    anything is created, and the lock is opened without following a link."""
    _refuse(why_not_writable_folder(folder))
    _refuse(why_not_writable(folder / name, own=True, parents=True))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        yield
        return
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(folder / name, flags, 0o666)
    except OSError as exc:
        raise UnsafeOutput(f"{folder / name}: cannot open the lock: {exc.strerror}") from None
    with os.fdopen(fd, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
