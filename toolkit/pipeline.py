"""The one sequence every consumer of records runs: load → validate → link.

`validated(paths)` loads and validates the records trees holding `paths` and resolves
`redirects.json` once; `linked(validated)` builds the entity graph the pages, exports and the
Python API read. `toolkit.api.load_corpus` and the site build (`toolkit.site.generate`) both
go through here, so the two cannot drift apart.

Example:
    >>> from pathlib import Path
    >>> records = validated(Path("tests/fixtures/corpus"))
    >>> records.failing(strict=False)
    []
    >>> sorted(linked(records).articles)
    ['strike-debate', 'winter-front']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from toolkit.findings import Finding, Report
    from toolkit.link import CheckedFile, Graph
    from toolkit.load import Corpus

__all__ = ["Checked", "Validated", "linked", "linked_files", "validated", "validated_apart"]


@dataclass
class Validated:
    """What linking needs of a validation: the records, their redirects and the findings.

    The report keeps what validation loaded alive (`Report.retained`), so that the caller
    chooses when to free it.
    """

    corpus: Corpus
    #: old entity ID → current ID, for every sound redirect of `redirects.json`.
    redirects: dict[str, str]
    report: Report

    @classmethod
    def of(cls, report: Report) -> Validated:
        """The validation `report` describes (it must hold its corpus)."""
        from toolkit.checks.redirects import load_redirects

        if report.corpus is None:
            raise ValueError("the report holds no corpus (validated with keep_corpus=False?)")
        redirects, _ = load_redirects(report.corpus)
        return cls(report.corpus, redirects, report)

    def failing(self, strict: bool) -> list[Finding]:
        """The findings that stop the pipeline: errors, and with `strict` warnings too."""
        return self.report.failing(strict)

    def release(self) -> None:
        """Let go of what validation loaded (parsed records, snapshots, check contexts) once
        the graph is built from it: the pages and exports read only the graph. A third of a
        large build's memory; the report keeps its findings."""
        self.report.retained.clear()
        for record in self.corpus.records:
            record.document.data = None
            record.partial = None
        self.corpus.sources.clear()


def validated(
    paths: Path | Sequence[Path],
    *,
    fast: bool = True,
    parallel: bool | None = False,
    digests: bool = False,
) -> Validated:
    """Load and validate the records trees holding `paths` (see `validate_paths`; raises its
    `UsageError` for a path that does not exist or is in no records folder)."""
    from toolkit.validate import validate_paths

    given = [paths] if isinstance(paths, Path) else list(paths)
    return Validated.of(validate_paths(given, fast=fast, parallel=parallel, digests=digests))


@dataclass
class Checked:
    """A validation run in another process (`validated_apart`): its findings, and the record
    files it passed, for `linked_files` to read again."""

    report: Report
    #: (kind, path, digest of the bytes checked) of every valid record file.
    files: list[CheckedFile]
    redirects: dict[str, str]

    def failing(self, strict: bool) -> list[Finding]:
        return self.report.failing(strict)


def validated_apart(paths: Path | Sequence[Path]) -> Checked:
    """`validated(paths, parallel=None)` in a child process, so that what validation loads
    (a gigabyte at 10,000 articles, most of which Python would keep after freeing it) is gone
    before the graph is built; only the findings and the valid files' names come back."""
    from toolkit.findings import Report
    from toolkit.runtime.parallel import can_fork, in_background

    def work() -> Checked:
        checked = validated(paths, parallel=None, digests=True)
        report = checked.report
        files: list[CheckedFile] = [
            (str(record.kind), record.path, record.document.digest)
            for record in checked.corpus.records
            if record.data is not None and record.partial is None
        ]
        if not all(digest for _, _, digest in files):
            raise RuntimeError("validation kept no digest of a record file")  # a bug
        lite = Report(findings=report.findings, files_checked=report.files_checked)
        return Checked(lite, files, checked.redirects)

    if not can_fork():
        return work()
    with in_background(work) as pending:
        return pending.result()


def linked_files(checked: Checked) -> Graph:
    """The entity graph of the files `checked` passed (read-only models: `linked`)."""
    from toolkit.link import build_graph_from_files
    from toolkit.runtime.parallel import cyclic_gc_paused

    with cyclic_gc_paused():
        return build_graph_from_files(checked.files, checked.redirects)


def linked(records: Validated, *, read_only: bool = False) -> Graph:
    """The entity graph of validated records (models, backlinks, co-mentions); `read_only`
    for a graph nothing will change (`build_graph`)."""
    from toolkit.link import build_graph
    from toolkit.runtime.parallel import cyclic_gc_paused

    # The graph is a tree of models: the cyclic collector would only rescan it as it grows.
    with cyclic_gc_paused():
        return build_graph(records.corpus, records.redirects, read_only=read_only)
