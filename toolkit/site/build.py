"""`stratlas build`: the whole pipeline, in one screen (as mkdocs' commands/build.py).

validate → link → pages + JSON export → docs/generated/ (in a child process, whose memory is
gone before mkdocs starts) → `mkdocs build --strict` into the output folder → Pagefind indexes
the built pages into its `pagefind/` folder (search.py). It writes nowhere else, and refuses an output folder that mkdocs would wipe dangerously (`check_output`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.site.generate import generate_apart
from toolkit.runtime.progress import task
from toolkit.site.mkdocs import MkdocsRun, require_config, run_mkdocs_build
from toolkit.site.output import GENERATED, check_output, claimed, locked
from toolkit.site.search import SearchRun, run_pagefind

if TYPE_CHECKING:
    from toolkit.site.sync import SyncStats
    from toolkit.findings import Report

__all__ = ["BuildResult", "build"]


@dataclass
class BuildResult:
    report: Report
    sync: SyncStats | None = None
    mkdocs: MkdocsRun | None = None
    out: Path | None = None
    search: SearchRun | None = None

    @property
    def ok(self) -> bool:
        return (
            self.mkdocs is not None
            and self.mkdocs.returncode == 0
            and self.search is not None
            and self.search.returncode == 0
        )


def build(project: Path, records: Path, out: Path, *, strict: bool = False) -> BuildResult:
    """Validate, generate and build the site into `out`. Raises `SiteError` when refused."""
    require_config(project)
    target = check_output(out, project, records)
    with locked(project / GENERATED):
        # Generation runs in a child process (its memory is gone before mkdocs starts), which
        # never draws: its progress shows here as one step.
        with task("validating and generating pages"):
            report, sync = generate_apart(project, records, strict)
        if sync is None:
            return BuildResult(report)
        search = None
        with claimed(target):
            with task("building the site (mkdocs)"):
                run = run_mkdocs_build(project, target)
            if run.returncode == 0:
                with task("indexing the site for search (Pagefind)"):
                    search = run_pagefind(target)
    return BuildResult(report, sync, run, target, search)
