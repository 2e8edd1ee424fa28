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
    from toolkit.link import Graph
    from toolkit.load import Corpus

__all__ = ["Validated", "linked", "validated"]


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


def validated(
    paths: Path | Sequence[Path], *, fast: bool = True, parallel: bool | None = False
) -> Validated:
    """Load and validate the records trees holding `paths` (see `validate_paths`; raises its
    `UsageError` for a path that does not exist or is in no records folder)."""
    from toolkit.validate import validate_paths

    given = [paths] if isinstance(paths, Path) else list(paths)
    return Validated.of(validate_paths(given, fast=fast, parallel=parallel))


def linked(records: Validated) -> Graph:
    """The entity graph of validated records (models, backlinks, co-mentions)."""
    from toolkit.link import build_graph
    from toolkit.runtime.parallel import cyclic_gc_paused

    # The graph is a tree of models: the cyclic collector would only rescan it as it grows.
    with cyclic_gc_paused():
        return build_graph(records.corpus, records.redirects)
