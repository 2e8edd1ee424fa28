"""Validation in two processes, as map/reduce: each process checks half of the article
files (the map), then this one runs the corpus-wide checks over both halves (the reduce).

Each process loads every entity, source and redirect but only every other article file,
and runs every per-record check on that. The corpus-wide checks (IDs, orphans) then run
here, over this half and what the other process reports of its own (`_Half`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.checks import (
    CORPUS_WIDE,
    Elsewhere,
    check_context,
    referenced_entities,
    run_in_context,
)
from toolkit.errors import UsageError
from toolkit.findings import Finding, sort_findings
from toolkit.load import Corpus, Document, RecordFile, discover
from toolkit.validate.records import file_findings

__all__ = ["validate_in_two_processes"]


@dataclass
class _Half:
    """What the second process sends back about the article files it validated."""

    findings: list[Finding]
    #: (path, display name, raw `id`, valid, digest of the bytes validated) of each file.
    records: list[tuple[Path, str, Any, bool, bytes]]
    used: set[str]
    broken_article: bool
    files_checked: int
    #: The snapshots it read, when the caller keeps the corpus.
    sources: dict[str, str]


def validate_in_two_processes(
    root: Path,
    files: list[Path],
    fast: bool,
    keep_corpus: bool,
    retained: list[object],
    digests: bool = False,
) -> tuple[list[Finding], int, Corpus | None]:
    """The findings, the number of files checked and (with `keep_corpus`) the whole corpus
    of the records tree `root`, whose article files are `files`; what each process loads
    is appended to `retained`."""
    from toolkit.runtime.parallel import in_background

    # Sets of path strings: hashing a Path parses it again.
    mine, theirs = {str(p) for p in files[0::2]}, {str(p) for p in files[1::2]}
    # Each process reads and checks the snapshots of its own article files (and reads
    # another only if one of its records quotes it); snapshots of no article file, here.
    their_stems = {path.stem for path in files[1::2]}

    def theirs_quote(path: Path) -> bool:
        return path.stem in their_stems

    def not_theirs(path: Path) -> bool:
        return path.stem not in their_stems

    def other_half() -> _Half:
        corpus = discover(
            root,
            fast=fast,
            articles=lambda path: str(path) in theirs,
            sources=theirs_quote,
            digests=keep_corpus,
        )
        findings = file_findings(corpus, fast)  # first: it marks the valid records
        context = check_context(corpus)
        retained.extend((corpus, context))  # not freed before the result is sent
        findings += run_in_context(corpus, context, skip=CORPUS_WIDE)
        articles = [r for r in corpus.records if r.kind == "article"]
        own = {r.file for r in articles} | set(corpus.source_files.values())
        return _Half(
            findings=[f for f in findings if f.file in own or f.record in own],
            records=[
                (r.path, r.file, r.raw_id, r.data is not None, r.document.digest) for r in articles
            ],
            used=referenced_entities(corpus, context),
            broken_article=any(not r.complete for r in articles),
            files_checked=len(articles) + len(corpus.sources),
            sources=corpus.sources if keep_corpus else {},
        )

    with in_background(other_half) as pending:
        corpus = discover(
            root,
            fast=fast,
            articles=lambda path: str(path) in mine,
            sources=not_theirs,
            digests=digests,
        )
        findings = file_findings(corpus, fast)
        context = check_context(corpus)
        retained.extend((corpus, context))
        findings += run_in_context(corpus, context, skip=CORPUS_WIDE)
        referenced_entities(corpus, context)  # for the orphan check, while the child works
        half = pending.result()
    context.elsewhere = Elsewhere(
        records=[
            RecordFile("article", path, Document(file=file, data={"id": raw_id}, path=path))
            for path, file, raw_id, _, _ in half.records
        ],
        used=half.used,
        broken_article=half.broken_article,
    )
    findings += run_in_context(corpus, context, only=CORPUS_WIDE)
    findings += half.findings
    checked = len(corpus.records) + len(corpus.sources) + half.files_checked
    whole = _with_other_half(corpus, files, half) if keep_corpus else None
    return sort_findings(findings), checked, whole


def _with_other_half(corpus: Corpus, files: list[Path], half: _Half) -> Corpus:
    """`corpus` with the other process's article files read again (its valid ones parsed:
    they passed every check there, so the plain parser gives the same data), in the order
    a one-process run would list them."""
    import orjson

    from toolkit.load import file_digest

    theirs: dict[Path, RecordFile] = {}
    for path, file, _, valid, digest in half.records:
        document = Document(file=file, path=path, digest=digest)
        if valid:
            raw = path.read_bytes()
            if file_digest(raw) != digest:
                raise UsageError(f"{file}: changed while the records were checked; run again")
            document.data = orjson.loads(raw)
        theirs[path] = RecordFile("article", path, document, valid=valid)
    corpus.sources.update(half.sources)
    corpus.unread_sources.clear()
    corpus.elsewhere_ids.clear()
    mine = {r.path: r for r in corpus.records if r.kind == "article"}
    corpus.records = [
        *(mine[p] if p in mine else theirs[p] for p in files if p in mine or p in theirs),
        *(r for r in corpus.records if r.kind != "article"),
    ]
    return corpus
