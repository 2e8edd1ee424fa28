"""What the checks share, computed once per corpus: the `Context` and its parts.

A `Context` holds the valid records by ID, records/redirects.json resolved (once per
process), the source snapshots, and the walk of each valid record (its references and the
objects checks read, `toolkit.format.walk`), each made on first use and then shared.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.checks.redirects import load_redirects
from toolkit.findings import Finding
from toolkit.format.walk import Walk, walk_record
from toolkit.load import Corpus, RecordFile, read_text_file
from toolkit.text.names import NameIndex
from toolkit.text.quotes import Snapshot

__all__ = [
    "Context",
    "Elsewhere",
    "Snapshots",
    "Walks",
    "check_context",
    "names_of",
    "norm_name",
    "valid_articles",
    "valid_entities",
]


@dataclass
class Elsewhere:
    """What another process learnt from the article files it validated (see
    `validate.validate_paths(parallel=True)`): all the corpus-wide checks need of them."""

    #: Stand-ins for those files: path, display name and the raw `id` (no data).
    records: list[RecordFile]
    #: Entity IDs (redirects followed) that their valid articles reference.
    used: set[str]
    #: Whether one of them failed to load or validate.
    broken_article: bool


class Snapshots:
    """Source snapshots by article ID, prepared on first use (a process validating part of
    the corpus prepares only the ones its records quote). Snapshots that another process
    reads and checks (`unread`) are read here only when asked for; that process reports
    what is wrong with them."""

    def __init__(self, sources: dict[str, str], unread: dict[str, Path] | None = None) -> None:
        self._sources = sources
        self._unread = dict(unread or {})
        self._read_here: dict[str, str | None] = {}
        self._ready: dict[str, Snapshot] = {}

    def _text(self, article_id: object) -> str | None:
        if not isinstance(article_id, str):
            return None
        text = self._sources.get(article_id)
        if text is None and article_id in self._unread:
            if article_id not in self._read_here:
                text, _ = read_text_file(self._unread[article_id], article_id)
                self._read_here[article_id] = text
            text = self._read_here[article_id]
        return text

    def __contains__(self, article_id: object) -> bool:
        return self._text(article_id) is not None

    def get(self, article_id: str) -> Snapshot | None:
        found = self._ready.get(article_id)
        if found is None:
            text = self._text(article_id)
            if text is not None:
                found = self._ready[article_id] = Snapshot(text)
        return found


class Walks:
    """The walk (`toolkit.format.walk`) of each valid record file, made on first use and
    then shared by every check: references and checked objects come from one walk."""

    def __init__(self, records: list[RecordFile]) -> None:
        self._records = {r.file: r for r in records if r.data is not None}
        self._walks: dict[str, Walk] = {}

    def get(self, file: str) -> Walk:
        """The walk of a record file; an empty one for a file that is not valid."""
        found = self._walks.get(file)
        if found is None:
            record = self._records.get(file)
            data = record.data if record is not None else None
            if record is None or data is None:
                return _NOTHING
            found = self._walks[file] = walk_record(record.kind, data)
        return found


_NOTHING = Walk([], [])


@dataclass
class Context:
    """What several checks need, computed once."""

    #: Valid records by their `id`.
    by_id: dict[str, RecordFile]
    #: records/redirects.json resolved (`load_redirects`, once per process): old ID →
    #: final ID for the sound redirects, and the findings about the others.
    redirects: dict[str, str]
    redirect_findings: list[Finding]
    snapshots: Snapshots
    #: Stems of entity files that exist but failed to load or validate: their own findings
    #: say why, so references to them and orphan checks stay quiet instead of piling on.
    broken: set[str]
    #: Every valid record's references and objects that checks look at (`Shape.checked`),
    #: from one walk of it made on first use.
    walks: Walks
    #: Article files validated by another process (None when this one has them all).
    elsewhere: Elsewhere | None = None
    #: The names each article's snapshot holds (`NameIndex.find`), by record file.
    found_names: dict[str, dict[str, str]] = field(default_factory=dict)
    #: `referenced_entities`, once computed.
    used: set[str] | None = None
    #: (entity ID, rank, name) of every valid entity's names (rank 0: its `name`).
    entity_names: list[tuple[str, int, str]] = field(default_factory=list)
    _name_index: NameIndex | None = None
    _targets: dict[str, set[str]] = field(default_factory=dict)

    def targets(self, record: RecordFile) -> set[str]:
        """The entity IDs (redirects followed) a valid record references."""
        found = self._targets.get(record.file)
        if found is None:
            redirects = self.redirects
            found = self._targets[record.file] = {
                redirects.get(r.target, r.target) for r in self.walks.get(record.file).references
            }
        return found

    def names_in(self, record: RecordFile, snapshot: Snapshot) -> dict[str, str]:
        """`{entity ID: its best-ranked name}` for the valid entities the snapshot of an
        article names."""
        found = self.found_names.get(record.file)
        if found is None:
            if self._name_index is None:
                self._name_index = NameIndex(self.entity_names)
            found = self.found_names[record.file] = self._name_index.find(snapshot)
        return found

    def placed_in(self, snapshot: Snapshot) -> dict[str, tuple[str, int]]:
        """`NameIndex.placed`: the names the snapshot holds, read leftmost-longest, and
        where each first occurs."""
        if self._name_index is None:
            self._name_index = NameIndex(self.entity_names)
        return self._name_index.placed(snapshot)


def check_context(corpus: Corpus) -> Context:
    """What the checks share, for `run_in_context`."""
    redirects, redirect_findings = load_redirects(corpus)
    by_id: dict[str, RecordFile] = {}
    for record in corpus.records:
        data = record.data
        if data is not None:
            by_id.setdefault(data["id"], record)
    context = Context(
        by_id=by_id,
        redirects=redirects,
        redirect_findings=redirect_findings,
        snapshots=Snapshots(corpus.sources, corpus.unread_sources),
        broken={r.stem for r in corpus.records if r.data is None and r.kind == "entity"},
        walks=Walks(corpus.records),
        entity_names=[
            (entity["id"], rank, name)
            for _, entity in valid_entities(corpus)
            for rank, name in enumerate(names_of(entity))
        ],
    )
    return context


def names_of(data: dict[str, Any]) -> list[str]:
    """An entity's `name`, then its aliases."""
    return [data["name"], *data.get("aliases", [])]


def norm_name(name: str) -> str:
    """A name as two names are compared: NFKC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def valid_entities(corpus: Corpus) -> Iterator[tuple[RecordFile, dict[str, Any]]]:
    """(record, parsed JSON) of each valid entity file."""
    for record in corpus.records:
        data = record.data
        if record.kind == "entity" and data is not None:
            yield record, data


def valid_articles(corpus: Corpus) -> Iterator[tuple[RecordFile, dict[str, Any]]]:
    """(record, parsed JSON) of each valid article file."""
    for record in corpus.records:
        data = record.data
        if record.kind == "article" and data is not None:
            yield record, data
