"""Which records trees to validate, which findings to keep, and the single-process run."""

from __future__ import annotations

from pathlib import Path

from toolkit.checks import run_checks
from toolkit.errors import UsageError
from toolkit.findings import Finding, Report, sort_findings
from toolkit.load import Corpus, article_files, discover, find_records_root
from toolkit.runtime.parallel import cyclic_gc_paused
from toolkit.validate.records import file_findings

__all__ = ["PARALLEL_FROM", "validate_corpus", "validate_paths"]

#: From this many article files on, `validate_paths(parallel=None)` uses a second process.
PARALLEL_FROM = 200


def validate_paths(
    paths: list[Path],
    *,
    fast: bool = True,
    parallel: bool | None = False,
    keep_corpus: bool = True,
    digests: bool = False,
) -> Report:
    """Validate the records trees holding `paths`; report findings for those paths only.

    `fast=False` takes the detailed path for every file, and runs every check in Python
    (without toolkit._native's scan: the same findings, slower; tests use it to prove the
    two paths agree). `parallel=None` validates half of the article files
    in a second process when there are `PARALLEL_FROM` or more and the machine allows it;
    `True` always does; the findings are the same either way. The report's `corpus` then
    holds every record only with `keep_corpus` (this process reads the other half again,
    refusing files that changed meanwhile); without it, `corpus` is None. `digests` records
    each record file's `Document.digest`, for a caller that reads the files again.
    """
    roots: dict[Path, list[Path]] = {}
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"{path}: no such file or folder")
        root = find_records_root(path)
        if root is None:
            raise UsageError(
                f"{path}: not inside a records folder (one holding articles/ or entities/)"
            )
        roots.setdefault(root, []).append(path.absolute())
    retained: list[object] = []
    with cyclic_gc_paused():
        findings, checked, corpus = _validate_roots(
            roots, fast, parallel, keep_corpus, retained, digests
        )
    return Report(sort_findings(findings), checked, corpus, retained)


def _validate_roots(
    roots: dict[Path, list[Path]],
    fast: bool,
    parallel: bool | None,
    keep_corpus: bool,
    retained: list[object],
    digests: bool = False,
) -> tuple[list[Finding], int, Corpus | None]:
    """The findings for the selected paths, the number of files checked and the corpus
    of the last root."""
    found: list[Finding] = []
    files_checked = 0
    corpus: Corpus | None = None
    for root, selected in sorted(roots.items()):
        files = article_files(root) if parallel is not False else []
        if _in_two_processes(files, parallel):
            # Imported only for a large corpus: a cold start pays for every module.
            from toolkit.validate.split import validate_in_two_processes

            findings, checked, corpus = validate_in_two_processes(
                root, files, fast, keep_corpus, retained, digests
            )
        else:
            corpus = discover(root, fast=fast, digests=digests)
            retained.append(corpus)
            findings = validate_corpus(corpus, fast=fast)
            checked = len(corpus.records) + len(corpus.sources)
        if root not in selected:
            findings = [
                f
                for f in findings
                if _selected(f.file, selected) or (f.record and _selected(f.record, selected))
            ]
        found.extend(findings)
        files_checked += checked
    return found, files_checked, corpus


def _in_two_processes(files: list[Path], parallel: bool | None) -> bool:
    if parallel is None:
        from toolkit.runtime.parallel import can_fork

        return len(files) >= PARALLEL_FROM and can_fork()
    return parallel


def _selected(file: str, selected: list[Path]) -> bool:
    path = Path(file).absolute()
    return any(path == s or s in path.parents for s in selected)


def validate_corpus(corpus: Corpus, *, fast: bool = True) -> list[Finding]:
    """Every finding for a loaded corpus; marks each record that passes the file layers
    (JSON, schema) as `valid`."""
    findings = file_findings(corpus, fast)
    findings.extend(run_checks(corpus))
    return sort_findings(findings)
