"""The record-level changes of a records folder, read from its git history (the change file
api/v1/changes.jsonl).

One `git log` walks the first-parent history of HEAD, oldest first, each commit diffed against
its first parent (the root commit against nothing) and limited to the records folder; one
`git cat-file --batch` reads the blobs whose digests are published (each once) and each version
of redirects.json. So the work is linear in the size of the history, whatever its length. Only
committed history is read: the working tree and the index are neither read nor touched.

What a line says about an ID, once every line up to it is applied:

* `added` / `modified`: the ID has a record file of that kind, whose bytes have `digest`;
* `removed`: the ID no longer resolves (to a record of that kind);
* `redirected`: the ID has no record file, and redirects.json sends it to `to` (the ID the
  file names, which a later line may redirect in turn).

A record renamed through a redirect (entities/a.json → entities/b.json and `a → b` in one
commit) is `added b` and `redirected a`: not `removed a`. A redirect whose ID still has a
record file changes nothing until that file goes (references keep meaning the record, as
validation rules); a redirect key deleted while no record file has the ID is `removed`.
Paths other than `articles/<id>.json` and `entities/<id>.json` (a valid ID, directly in the
folder) are ignored, whatever bytes their names hold.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from toolkit.errors import HistoryUnavailable
from toolkit.format.ids import is_valid_id
from toolkit.format.urls import folder
from toolkit.load.git import GIT_CONFIG, BlobReader, find_git, git_text, last_line, work_tree

__all__ = ["KINDS", "OPS", "Change", "HistoryUnavailable", "record_history"]

Op = Literal["added", "modified", "removed", "redirected"]
Kind = Literal["article", "entity"]

OPS: tuple[Op, ...] = ("added", "modified", "removed", "redirected")
KINDS: tuple[Kind, ...] = ("article", "entity")
_FOLDERS: dict[str, Kind] = {folder(kind): kind for kind in KINDS}
_REDIRECTS = b"redirects.json"
#: The modes of a regular file in git's trees; anything else (a link, a submodule, nothing)
#: is no record file.
_REGULAR = (b"100644", b"100755")
#: Opens each commit in the log; never the start of a diff field (those start with `:`).
_COMMIT_MARK = b"\x01"


@dataclass(frozen=True, slots=True)
class Change:
    """One record-level change of one commit.

    `date` is the committer date in UTC (`YYYY-MM-DDTHH:MM:SSZ`); `commit` the full hash;
    `digest` `sha256:<hex>` of the record file's bytes at that commit (None for removed and
    redirected); `to` the redirect target (None unless redirected).
    """

    op: Op
    kind: Kind
    id: str
    date: str
    commit: str
    digest: str | None = None
    to: str | None = None


def record_history(records: Path) -> list[Change]:
    """Every record-level change of `records` in the first-parent history of HEAD, in commit
    order, then by (kind, ID, op) within a commit: the same history gives the same list.

    Raises `HistoryUnavailable` when there is no full history to read: git is not installed,
    the folder is in no git work tree, the repository is a shallow clone (its first commit
    would list every record as added), or it has no commit.
    """
    git = find_git()
    if git is None:
        raise HistoryUnavailable("git is not installed")
    if not records.is_dir():
        raise HistoryUnavailable(f"{records} is not a folder")
    tree = work_tree(git, records)
    if tree is None:
        raise HistoryUnavailable(f"{records} is not in a git work tree")
    if git_text(git, records, "rev-parse", "--is-shallow-repository") != "false\n":
        raise HistoryUnavailable(
            "the repository is a shallow clone (`git fetch --unshallow` fetches the rest)"
        )
    head = git_text(git, records, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    if head is None:
        raise HistoryUnavailable("the repository has no commit")
    log = _log(git, records, head.strip())
    with BlobReader(git, records) as blobs:
        return list(_changes(_commits(log), blobs))


def _log(git: str, records: Path, head: str) -> bytes:
    """The raw diffs of the records folder along the first-parent history, oldest first:
    `-z` (paths as they are, NUL-terminated), `--relative` from the records folder."""
    done = subprocess.run(
        [
            git,
            "-C",
            str(records),
            *GIT_CONFIG,
            "--no-replace-objects",
            "log",
            "--first-parent",
            "--diff-merges=first-parent",
            "--root",
            "--reverse",
            "--no-renames",
            "--raw",
            "--no-abbrev",
            "-z",
            "--relative",
            "--no-notes",
            "--format=%x01%H %ct",
            "--end-of-options",
            head,
            "--",
            ".",
        ],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        raise HistoryUnavailable("git log failed: " + last_line(done.stderr))
    return done.stdout


#: One commit of the log: its hash, its date, and (path, blob after it or None) per file.
_Commit = tuple[str, str, list[tuple[bytes, str | None]]]


def _commits(log: bytes) -> Iterator[_Commit]:
    """The commits of `_log`'s output. It is a run of NUL-terminated fields: a commit line
    (`\\x01<hash> <time>`), then per file a diff field (`:<mode> <mode> <blob> <blob>
    <status>`) and the path, the field after a diff field, read as it is whatever its bytes."""
    fields = log.split(b"\0")
    current: _Commit | None = None
    at = 0
    while at < len(fields):
        field = fields[at].lstrip(b"\n")
        at += 1
        if field.startswith(_COMMIT_MARK):
            if current is not None:
                yield current
            commit, _, stamp = field[1:].partition(b" ")
            current = (commit.decode("ascii"), _date(stamp), [])
        elif field.startswith(b":") and current is not None and at < len(fields):
            meta = field[1:].split(b" ")
            if len(meta) != 5:
                raise HistoryUnavailable("git log printed a diff line it should not have")
            path = fields[at]
            at += 1
            blob = meta[3].decode("ascii") if meta[1] in _REGULAR else None
            current[2].append((path, blob))
        elif field:
            raise HistoryUnavailable("git log printed a line it should not have")
    if current is not None:
        yield current


def _date(stamp: bytes) -> str:
    try:
        moment = datetime.fromtimestamp(int(stamp), UTC)
    except (ValueError, OverflowError, OSError):
        raise HistoryUnavailable(f"a commit date git gave is unreadable: {stamp!r}") from None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _record(path: bytes) -> tuple[Kind, str] | None:
    """(kind, ID) of `articles/<id>.json` or `entities/<id>.json`; None for any other path."""
    try:
        text = path.decode("utf-8")
    except UnicodeDecodeError:
        return None
    where, _, name = text.partition("/")
    kind = _FOLDERS.get(where)
    record_id = name.removesuffix(".json")
    if kind is None or not name.endswith(".json") or not is_valid_id(record_id):
        return None
    return kind, record_id


def _redirects(data: bytes) -> dict[str, str]:
    """old ID → new ID, as one version of redirects.json gives them. A file that does not
    parse counts as empty for its commit, and an entry that is not `{"to": <valid ID>}` is
    left out: validation reported both when they were committed, and a published line must
    name valid IDs."""
    try:
        table = json.loads(data)
    except (ValueError, RecursionError):
        return {}
    if not isinstance(table, dict):
        return {}
    redirects = {}
    for old, entry in table.items():
        to = entry.get("to") if isinstance(entry, dict) else None
        if isinstance(to, str) and to != old and is_valid_id(old) and is_valid_id(to):
            redirects[old] = to
    return redirects


def _changes(commits: Iterator[_Commit], blobs: BlobReader) -> Iterator[Change]:
    live: dict[tuple[Kind, str], str] = {}  # (kind, ID) → blob of its record file, so far
    redirects: dict[str, str] = {}
    last_kind: dict[str, Kind] = {}  # ID → the kind of the record file that last had it

    def has_record(record_id: str) -> bool:
        return any((kind, record_id) in live for kind in KINDS)

    def target(record_id: str) -> str | None:
        """Where a redirect sends the ID: only when no record file has it."""
        return None if has_record(record_id) else redirects.get(record_id)

    for commit, date, entries in commits:
        files: dict[tuple[Kind, str], str | None] = {}
        new_redirects = redirects
        for path, blob in entries:
            if path == _REDIRECTS:
                new_redirects = _redirects(blobs.read(blob)) if blob else {}
            elif (key := _record(path)) is not None:
                files[key] = blob
        ids = {record_id for _, record_id in files} | {
            old
            for old in redirects.keys() | new_redirects.keys()
            if redirects.get(old) != new_redirects.get(old)
        }
        before_files = {key: live.get(key) for key in files}
        before = {record_id: target(record_id) for record_id in ids}
        for (kind, record_id), blob in files.items():
            if blob is None:
                live.pop((kind, record_id), None)
            else:
                live[(kind, record_id)] = blob
            last_kind[record_id] = kind
        redirects = new_redirects

        made: list[Change] = []
        for (kind, record_id), blob in files.items():
            old = before_files[(kind, record_id)]
            if blob is not None and blob != old:
                op: Op = "added" if old is None else "modified"
                made.append(Change(op, kind, record_id, date, commit, blobs.digest(blob)))
            elif blob is None and old is not None and target(record_id) is None:
                made.append(Change("removed", kind, record_id, date, commit))
        for record_id in ids:
            was, now = before[record_id], target(record_id)
            kind = last_kind.get(record_id) or last_kind.get(now or was or "", "entity")
            if now is not None and now != was:
                made.append(Change("redirected", kind, record_id, date, commit, to=now))
            elif now is None and was is not None and not has_record(record_id):
                made.append(Change("removed", kind, record_id, date, commit))
        yield from sorted(made, key=lambda c: (c.kind, c.id, c.op))
