"""docs/generated/ from the records: validate → link → pages + JSON export → sync.

`generate` runs it under the project lock. For a mid-sized corpus the work is split across
two processes: a child exports the JSON API and renders a third of the article pages while
this process renders the rest (`PARALLEL_FROM`, `PARALLEL_UNTIL`). `generate_apart` (the
build's) runs the whole of it in a child, so that its memory is gone before mkdocs starts,
and validates in a process of its own before that, so that the child holds only the graph. Pages and exports are pure (`{path: bytes}`);
writing goes through `toolkit.site.sync`. The records' git history becomes the change file
(api/v1/changes.jsonl) when it can be read whole; when it cannot (no git, a shallow clone, a
tarball), the file is left out and `SyncStats.notes` says why; so are the Parquet files
without pyarrow.

The hand-written files of docs/ join the generated ones through `toolkit.site.hand_written`.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Iterator, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from toolkit.errors import SiteError
from toolkit.site.hand_written import add_hand_written, check_urls, hand_written_files
from toolkit.site.output import GENERATED, locked
from toolkit.site.sync import Sink, SyncStats, remove_others, writable_folder, write_one

if TYPE_CHECKING:
    from toolkit.link import Graph
    from toolkit.load.history import Change
    from toolkit.pages import SiteView
    from toolkit.pipeline import Validated
    from toolkit.findings import Report

__all__ = [
    "PARALLEL_FROM",
    "PARALLEL_UNTIL",
    "generate",
    "generate_apart",
    "site_files",
    "write_site",
]

#: From this many records on, the JSON API is exported in a second process while this one
#: renders the pages (below it, starting the process costs more than it saves)...
PARALLEL_FROM = 300
#: ...and up to this many: the second process copies the pages of memory it reads the graph
#: from (reading an object writes its reference count), so that the two hold the graph
#: twice: a few hundred MB for 1,000 articles, but 3.9 GB for 10,000 against 1.9 GB in one.
PARALLEL_UNTIL = 4000


def generate(
    project: Path,
    records: Path,
    *,
    strict: bool = False,
    preview: bool = False,
    first: Collection[Path] = (),
) -> tuple[Report, SyncStats | None]:
    """Validate `records` and, if they pass, bring docs/generated/ up to date.

    `preview` (the live preview's) leaves out the costly bulk downloads (`api_files`
    `bulk=False`) and the change file, and writes the pages of the articles whose record files are in `first`
    before anything else: the same bytes as the full rendering that follows gives them
    (pages are pure functions of the graph), so `mkdocs serve` shows an edited article
    while the rest is still being generated.
    """
    with locked(project / GENERATED):
        return _generate(project, records, strict, preview, first)


def _generate(
    project: Path, records: Path, strict: bool, preview: bool = False, first: Collection[Path] = ()
) -> tuple[Report, SyncStats | None]:
    from toolkit.pipeline import linked, validated
    from toolkit.runtime.parallel import cyclic_gc_paused

    checked = validated(records, parallel=None)  # load + validate, redirects once
    if checked.failing(strict):
        return checked.report, None
    folder = writable_folder(project / GENERATED)
    changes, note = (None, None) if preview else _history(records)
    # Paused until the files are written: re-enabled earlier, the collector's first full
    # pass over the heap of pages would land here.
    with cyclic_gc_paused():
        graph = linked(checked, read_only=True)
        early = _first_pages(folder, graph, checked, first)
        checked.release()  # the records are this build's own: the pages read only the graph
        stats = _write(project, folder, graph, None, preview, early, changes)
    stats.notes += [] if preview else _left_out(note)
    return checked.report, stats


def generate_apart(project: Path, records: Path, strict: bool) -> tuple[Report, SyncStats | None]:
    """`generate` (without the lock: the caller holds it) in a child process where forking
    is safe, so that the graph and pages it holds go back to the system before mkdocs
    starts: only the findings come back. The records are validated in a process of their
    own first (`validated_apart`), and the graph is built from the files that passed: what
    validation loads is a gigabyte at 10,000 articles, and Python would keep most of it."""
    from toolkit.runtime.parallel import can_fork, in_background

    if not can_fork():
        return _generate(project, records, strict)
    with in_background(lambda: _generate_checked_apart(project, records, strict)) as pending:
        return pending.result()


def _generate_checked_apart(
    project: Path, records: Path, strict: bool
) -> tuple[Report, SyncStats | None]:
    """`_generate`, with the records validated in a process of their own."""
    from toolkit.pipeline import linked_files, validated_apart
    from toolkit.runtime.parallel import cyclic_gc_paused

    checked = validated_apart(records)
    if checked.failing(strict):
        return checked.report, None
    folder = writable_folder(project / GENERATED)
    changes, note = _history(records)
    with cyclic_gc_paused():  # as in `_generate`
        stats = _write(project, folder, linked_files(checked), None, changes=changes)
    stats.notes += _left_out(note)
    return checked.report, stats


def _history(records: Path) -> tuple[list[Change] | None, str | None]:
    """The records' changes for the change file, or None and the note that says why there
    is none (a partial history would publish every record of its first commit as added)."""
    from toolkit.errors import HistoryUnavailable
    from toolkit.load.history import record_history

    try:
        return record_history(records), None
    except HistoryUnavailable as exc:
        return None, f"no change file (api/v1/changes.jsonl): {exc.reason}"


def _left_out(history_note: str | None) -> list[str]:
    """What a full build leaves out, and why: the change file without a whole history, the
    Parquet files without pyarrow (an optional extra)."""
    from toolkit.export.parquet import parquet_available

    notes = [history_note] if history_note else []
    if not parquet_available():
        notes.append(
            "no Parquet files (api/v1/*.parquet): pyarrow is not installed "
            "(pip install 'stratlas[parquet]')"
        )
    return notes


def site_files(
    project: Path,
    report: Report,
    *,
    parallel: bool | None = None,
    changes: Sequence[Change] | None = None,
) -> dict[str, bytes]:
    """Everything docs/generated/ must hold: pages, JSON API, and the hand-written docs.

    `changes`: the records' history (`toolkit.load.history.record_history`), published as
    the change file when given. `parallel` forces the export into a second process (True) or keeps it here (False); by
    default it goes there for a corpus of `PARALLEL_FROM` to `PARALLEL_UNTIL` records, when
    it can.
    """
    from toolkit.pipeline import linked
    from toolkit.runtime.parallel import cyclic_gc_paused

    with cyclic_gc_paused():
        sink = _make_files(project, linked(_validated(report)), parallel, None, changes=changes)
    return dict(sorted(sink.files.items()))


def write_site(
    project: Path,
    report: Report,
    *,
    parallel: bool | None = None,
    changes: Sequence[Change] | None = None,
) -> SyncStats:
    """`sync_folder(docs/generated, site_files(...))`, except that the second process
    writes the files it makes itself (writing is a sixth of the work: files are many)."""
    from toolkit.pipeline import linked
    from toolkit.runtime.parallel import cyclic_gc_paused

    folder = writable_folder(project / GENERATED)
    with cyclic_gc_paused():
        return _write(project, folder, linked(_validated(report)), parallel, changes=changes)


def _validated(report: Report) -> Validated:
    from toolkit.pipeline import Validated

    if report.corpus is None:
        raise SiteError("no records were loaded")
    return Validated.of(report)


def _write(
    project: Path,
    folder: Path,
    graph: Graph,
    parallel: bool | None,
    preview: bool = False,
    early: Collection[str] = (),
    changes: Sequence[Change] | None = None,
) -> SyncStats:
    """Write the site's files for `graph` into `folder` and remove the rest; `early`: the
    pages already written (`_first_pages`)."""
    sink = _make_files(project, graph, parallel, folder, bulk=not preview, changes=changes)
    stats = sink.stats
    remove_others(folder, set(sink.owner), stats)
    stats.written = sorted({*stats.written, *early})
    return stats


def _first_pages(
    folder: Path, graph: Graph, records: Validated, first: Collection[Path]
) -> list[str]:
    """Write the pages of the articles whose record files are in `first`; their paths."""
    from toolkit.pages import iter_pages

    wanted = {Path(path).resolve() for path in first}
    ids = [
        str(record.data["id"])
        for record in records.corpus.records
        if record.kind == "article"
        and record.data is not None
        and record.path.resolve() in wanted
        and record.data.get("id") in graph.articles
    ]
    if not ids:
        return []
    stats = SyncStats()
    for path, text in iter_pages(graph, articles=ids, others=False):
        write_one(folder, path, text.encode("utf-8"), stats)
    return stats.written


def _make_files(
    project: Path,
    graph: Graph,
    parallel: bool | None,
    into: Path | None,
    bulk: bool = True,
    changes: Sequence[Change] | None = None,
) -> Sink:
    """The site's files, written into `into` as they are made (or gathered, without it); a
    second process, for a large corpus, writes its share there itself."""
    from toolkit.export import iter_api_files
    from toolkit.pages import SiteView, forget_rendered, iter_pages
    from toolkit.runtime.parallel import ChildFailed, can_fork, in_background

    view = SiteView(graph)  # what the pages share, computed once per process
    hand_written = list(hand_written_files(project / "docs", project / GENERATED))
    if parallel is None:
        records = len(graph.articles) + len(graph.entities)
        parallel = PARALLEL_FROM <= records <= PARALLEL_UNTIL and can_fork()
    sink = Sink(into)
    if parallel:
        # The child exports the JSON and renders some of the article pages; this process
        # renders the rest and every other page (entity pages are the heaviest). The split
        # balances the two on the benchmark corpora (bench/), writing included.
        ids = list(graph.articles)
        cut = len(ids) * 13 // 20
        mine, theirs = ids[:cut], ids[cut:]
        taken = [path for path, _ in hand_written]

        def child_work() -> tuple[dict[str, bytes], dict[str, str], SyncStats]:
            theirs_sink = Sink(into, taken)  # a docs/ file clash is refused before writing
            theirs_sink.pages(iter_pages(graph, view=view, articles=theirs, others=False))
            theirs_sink.api(iter_api_files(graph, bulk=bulk, changes=changes))
            names = {p: w for p, w in theirs_sink.owner.items() if p not in taken}
            return theirs_sink.files, names, theirs_sink.stats

        with in_background(child_work) as child:
            sink.pages(iter_pages(graph, view=view, articles=mine))
            try:
                their_files, their_names, their_stats = child.result()
            except ChildFailed as exc:
                raise SiteError(f"{exc}; run the build again") from exc
        for path, what in their_names.items():
            if path in sink.owner:
                raise SiteError(f"{what} and {sink.owner[path]} both want {path}")
            sink.owner[path] = what
        sink.files.update(their_files)
        sink.stats.written += their_stats.written
        sink.stats.unchanged += their_stats.unchanged
        # Last: a docs/ file that a generated one also wants is refused before it is written.
        add_hand_written(sink, hand_written, graph, view)
    else:
        sink.pages(iter_pages(graph, view=view))
        # What the pages alone need goes before the exports make their own.
        view = SiteView(graph)
        forget_rendered()
        sink.api(iter_api_files(graph, bulk=bulk, changes=changes))
        add_hand_written(sink, hand_written, graph, view)
    check_urls(sink.owner)
    return sink
