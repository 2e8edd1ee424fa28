"""Running git on the repository that holds a records folder, read-only.

Shared by `versions` (a records folder at a commit, for `stratlas diff`) and `history` (the
record-level changes, for api/v1/changes.jsonl). Every call names the repository with `-C`,
never changes the working tree or the index, and hands refs to git after `--end-of-options`;
the options below keep a user's configuration from changing what git prints. `BlobReader`
reads committed files by their blob hashes through one `git cat-file --batch`.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from toolkit.errors import HistoryUnavailable

__all__ = [
    "GIT_CONFIG",
    "BlobReader",
    "WorkTree",
    "find_git",
    "git_text",
    "last_line",
    "work_tree",
]

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


class BlobReader:
    """The blobs of the repository that holds `records`, by hash, and their digests: one
    `git cat-file --batch`, asked for one blob at a time and answered before the next
    is asked (so that neither pipe fills); started at the first blob."""

    def __init__(self, git: str, records: Path) -> None:
        self._command = [git, "-C", str(records), *GIT_CONFIG, "cat-file", "--batch"]
        self._process: subprocess.Popen[bytes] | None = None
        self._digests: dict[str, str] = {}

    def __enter__(self) -> BlobReader:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._process is None:
            return
        if error is not None:
            self._process.kill()  # it may be stuck writing a blob nobody reads
        with self._process:  # closes the pipes and waits
            pass

    def read(self, blob: str) -> bytes:
        return b"".join(self._chunks(blob))

    def digest(self, blob: str) -> str:
        """`sha256:<hex>` of the blob's bytes (each blob read once)."""
        if blob not in self._digests:
            digest = hashlib.sha256()
            for chunk in self._chunks(blob):
                digest.update(chunk)
            self._digests[blob] = "sha256:" + digest.hexdigest()
        return self._digests[blob]

    def _chunks(self, blob: str) -> Iterator[bytes]:
        """The blob's bytes, at most a mebibyte at a time; its answer read to the end."""
        if self._process is None:
            self._process = subprocess.Popen(
                self._command, stdin=subprocess.PIPE, stdout=subprocess.PIPE
            )
        ask, out = self._process.stdin, self._process.stdout
        assert ask is not None and out is not None
        ask.write(blob.encode("ascii") + b"\n")
        ask.flush()
        header = out.readline().split()  # <blob> blob <size>, or <blob> missing
        if len(header) != 3 or header[1] != b"blob" or not header[2].isdigit():
            raise HistoryUnavailable(f"git cat-file cannot read the blob {blob}")
        left = int(header[2])
        while left:
            chunk = out.read(min(left, 1 << 20))
            if not chunk:
                raise HistoryUnavailable("git cat-file stopped in the middle of a blob")
            left -= len(chunk)
            yield chunk
        out.read(1)  # the newline after the blob


def last_line(stderr: bytes) -> str:
    """The last line git printed on standard error, for a message."""
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else "no message"
