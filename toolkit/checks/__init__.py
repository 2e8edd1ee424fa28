"""Semantic checks over a whole corpus, as small registered functions returning findings.

Checks read each valid record's parsed JSON (typed by `toolkit.format.shape`), never pydantic
models: building models costs several times the parse, and validation must stay fast. Each
module holds one family of checks (identity, invisible characters, references, bylines,
provenance, dates, resolutions, drafts); the registry (`CHECKS`) lists them in the order they run, each with the codes
it can report.
"""

from __future__ import annotations

# Each module registers its checks when imported, so this order is the order they run.
# isort: off
from toolkit.checks import (
    identity,
    invisible,
    references,
    byline,
    provenance,
    dates,
    resolutions,
    drafts,
)

# isort: on
from toolkit.checks.context import Context, Elsewhere, check_context
from toolkit.checks.references import referenced_entities
from toolkit.checks.registry import CHECKS, Check
from toolkit.findings import Finding
from toolkit.load import Corpus
from toolkit.runtime.progress import task

__all__ = [
    "CHECKS",
    "CORPUS_WIDE",
    "Check",
    "Context",
    "Elsewhere",
    "check_context",
    "referenced_entities",
    "run_checks",
    "run_in_context",
]

_FAMILIES = (identity, invisible, references, byline, provenance, dates, resolutions, drafts)

#: Checks that compare records across the whole corpus; with `Elsewhere` they see it all.
CORPUS_WIDE = ("ids", "orphans")


def run_checks(
    corpus: Corpus,
    *,
    only: tuple[str, ...] | None = None,
    skip: tuple[str, ...] = (),
) -> list[Finding]:
    """Findings of every check (or of those named in `only`, minus `skip`)."""
    return run_in_context(corpus, check_context(corpus), only=only, skip=skip)


def run_in_context(
    corpus: Corpus,
    context: Context,
    *,
    only: tuple[str, ...] | None = None,
    skip: tuple[str, ...] = (),
) -> list[Finding]:
    findings: list[Finding] = []
    if only is None:
        findings.extend(context.redirect_findings)
    with task("cross-checking", len(CHECKS)) as progress:
        for registered in CHECKS:
            progress.advance()
            name = registered.name
            if (only is None or name in only) and name not in skip:
                findings.extend(registered.run(corpus, context))
    return findings
