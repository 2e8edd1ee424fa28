"""What the checks can still read of an article that fails the schema.

A mistake inside one key point, actor or event should not hide the quote, reference and
date findings of the rest of the file: the contributor would fix one finding only to meet the
next batch. When every schema error lies inside items of the article's lists, the record
without those items is checked instead (`RecordFile.partial`); findings about it point into
the file as it is (`RecordFile.kept` maps the indices back). Checks that need the whole record
to be right (which entities nothing references, which names go unreferenced) skip it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from toolkit.load import RecordFile

__all__ = ["salvage"]

#: The lists whose items stand alone: one broken item says nothing about the others.
SECTIONS = frozenset(
    {"key_points", "actors", "weapon_systems", "places", "events", "scenarios", "assessments"}
)


class _Validator(Protocol):
    def is_valid(self, instance: Any) -> bool: ...


def salvage(
    record: RecordFile, data: dict[str, Any], paths: Iterable[Sequence[Any]], schema: _Validator
) -> None:
    """Set `record.partial` to `data` without the list items the schema errors at `paths`
    lie in, if every error lies in one and what is left passes `schema`."""
    broken: dict[str, set[int]] = {}
    for path in paths:
        if len(path) < 2 or path[0] not in SECTIONS or not isinstance(path[1], int):
            return  # an error outside the lists' items: nothing can be trusted
        broken.setdefault(path[0], set()).add(path[1])
    if not broken:
        return
    partial = dict(data)
    kept: dict[str, list[int]] = {}
    for section, indices in broken.items():
        items = data.get(section)
        if not isinstance(items, list):
            return
        kept[section] = [index for index in range(len(items)) if index not in indices]
        partial[section] = [items[index] for index in kept[section]]
    if schema.is_valid(partial):
        record.partial, record.kept = partial, kept
