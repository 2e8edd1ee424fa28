"""The change file `api/v1/changes.jsonl`: one line per record-level change of the records'
git history (`toolkit.load.history`), oldest first.

Each line is a compact JSON object with sorted keys, as articles.jsonl's are: `commit`, `date`,
`digest`, `id`, `kind`, `op`, `to` (every key on every line, null where it has no value, so
that each line has one shape).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from toolkit.export.records import jsonl
from toolkit.load.history import Change

__all__ = ["CHANGE_FIELDS", "article_dates", "change_row", "changes_jsonl"]

#: The keys of a line, and what each means (the Data Package and docs/consumers.md say it).
CHANGE_FIELDS = {
    "commit": "The full hash of the commit that made the change.",
    "date": "The commit's committer date, UTC (YYYY-MM-DDTHH:MM:SSZ).",
    "digest": "sha256:<hex> of the record file's bytes after the change; null when removed "
    "or redirected.",
    "id": "The record's ID.",
    "kind": "`article` or `entity`.",
    "op": "`added`, `modified`, `removed` or `redirected`.",
    "to": "The ID a redirected ID now leads to; null for the other ops.",
}


def change_row(change: Change) -> dict[str, Any]:
    """One change as its line publishes it: every key of `CHANGE_FIELDS` (each an attribute
    of `Change` of the same name)."""
    return {key: getattr(change, key) for key in CHANGE_FIELDS}


def changes_jsonl(changes: Iterable[Change]) -> bytes:
    """The change file: one line per change, in the order given (the history's)."""
    return jsonl(map(change_row, changes))


def article_dates(changes: Iterable[Change]) -> dict[str, tuple[str, str]]:
    """Article ID → (when it was last added, when it last changed), the feeds' `published`
    and `updated`: a record removed and added again is new again."""
    dates: dict[str, tuple[str, str]] = {}
    for change in changes:
        if change.kind != "article":
            continue
        if change.op == "added":
            dates[change.id] = (change.date, change.date)
        elif change.op == "modified" and change.id in dates:
            dates[change.id] = (dates[change.id][0], change.date)
        elif change.op in ("removed", "redirected"):
            dates.pop(change.id, None)
    return dates
