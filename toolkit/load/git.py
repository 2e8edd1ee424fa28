"""Running git on the repository that holds a records folder, read-only.

Shared by `versions` (a records folder at a commit, for `stratlas diff`) and `history` (the
record-level changes, for api/v1/changes.jsonl). Every call names the repository with `-C`,
never changes the working tree or the index, and hands refs to git after `--end-of-options`;
the options below keep a user's configuration from changing what git prints.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

__all__ = ["GIT_CONFIG", "WorkTree", "find_git", "git_text", "work_tree"]

#: Configuration that would change the output the callers parse (signatures, `--follow`
#: with one path, colours, paths relative to the current folder), switched off.
GIT_CONFIG = (
    "-c",
    "log.showSignature=false",
    "-c",
    "log.follow=false",
    "-c",
    "color.ui=never",
    "-c",
    "diff.relative=false",
)


def find_git() -> str | None:
    """The git executable, or None when git is not installed."""
    return shutil.which("git")


def git_text(git: str, folder: Path, *args: str) -> str | None:
    """What `git -C folder args…` prints (text), or None when it fails."""
    done = subprocess.run(
        [git, "-C", str(folder), *GIT_CONFIG, *args],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout if done.returncode == 0 else None


@dataclass(frozen=True)
class WorkTree:
    """The git work tree a folder is in: its top folder, and the folder's path from there
    (`""` at the top, else ending in `/`)."""

    top: Path
    prefix: str


def work_tree(git: str, folder: Path) -> WorkTree | None:
    """The work tree `folder` is in, or None when it is in none (or git refuses it: a
    repository owned by another user, for one)."""
    prefix = git_text(git, folder, "rev-parse", "--show-prefix")
    top = git_text(git, folder, "rev-parse", "--show-toplevel")
    if prefix is None or top is None:
        return None
    return WorkTree(Path(top.rstrip("\n")), prefix.rstrip("\n"))
