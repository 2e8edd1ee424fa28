"""Resolutions: a settled scenario says on what basis and when; a quote from a later article
is found in that article's snapshot; a record using a field newer than its declared version
says so.

A source `{article, quote}` may name an article another process validates (`validate`
splits large corpora in two): its snapshot is read on demand (`Snapshots`), and its
publication date from its file, read here only for the articles sources name.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from toolkit.checks.context import Context, valid_articles
from toolkit.checks.dates import claim_bounds, date_bounds
from toolkit.checks.registry import check
from toolkit.findings import Finding
from toolkit.load import Corpus, RecordFile, load_document

__all__ = ["ADDED_IN", "resolutions", "version_of"]

#: (schema definition, field) → the record format version that added it. A record that
#: uses one declares that version or a later one (`version-too-old`).
ADDED_IN: dict[tuple[str, str], str] = {
    ("Scenario", "due"): "1.2.0",
    ("Resolution", "resolved_on"): "1.2.0",
    ("Resolution", "sources"): "1.2.0",
}

_RESOLVE_HINT = (
    "Give the basis: `stratlas resolve ARTICLE SCENARIO --status … --on DATE --note … "
    "--url URL --basis TEXT` (or `--article ID --quote TEXT`) writes `sources` and "
    "`resolved_on`; or add `evidence` or an `editorial` {basis, note}."
)


def version_of(text: object) -> tuple[int, ...]:
    """A version string as a comparable tuple (`"1.2.0"` → (1, 2, 0)); () when malformed."""
    if not isinstance(text, str):
        return ()
    parts = text.split(".")
    return tuple(int(p) for p in parts) if all(p.isdigit() for p in parts) else ()


def _used(node: dict[str, Any], key: str) -> bool:
    return node.get(key) not in (None, [])


@check(
    codes=(
        "version-too-old",
        "resolution-unsupported",
        "resolution-undated",
        "resolution-open-settled",
        "resolution-source-unknown",
        "resolution-source-not-later",
        "resolution-quote-missing",
        "date-invalid",
        "date-order",
    )
)
def resolutions(corpus: Corpus, context: Context) -> Iterator[Finding]:
    articles = _Articles(corpus)
    for record, data in valid_articles(corpus):
        declared = version_of(data.get("schema_version"))
        published = data["source"].get("published")
        bounds = claim_bounds(published) if published else None
        for index, scenario in enumerate(data.get("scenarios", [])):
            pointer = f"/scenarios/{index}"
            resolution = scenario["resolution"]
            nodes = {
                "Scenario": (pointer, scenario),
                "Resolution": (f"{pointer}/resolution", resolution),
            }
            for (name, key), version in ADDED_IN.items():
                where, node = nodes[name]
                if _used(node, key) and declared < version_of(version):
                    yield record.at(
                        "version-too-old",
                        f"`{key}` is new in {version} but the record declares "
                        f"{data.get('schema_version')}",
                        f"{where}/{key}",
                        f'Set `"schema_version": "{version}"` (every older record stays '
                        "valid under it), or leave the field out.",
                    )
            if "due" in scenario and date_bounds(scenario["due"]) is None:
                yield _not_a_date(record, f"{pointer}/due", scenario["due"])
            where = f"{pointer}/resolution"
            yield from _resolution(record, where, resolution, data, declared, bounds)
            for number, source in enumerate(resolution.get("sources", [])):
                if "article" in source:
                    yield from _article_source(
                        record, f"{where}/sources/{number}", source, data, bounds, articles, context
                    )


def _not_a_date(record: RecordFile, pointer: str, value: str) -> Finding:
    return record.at(
        "date-invalid", f"{value} is not a real date", pointer, "Use YYYY, YYYY-MM or YYYY-MM-DD."
    )


def _resolution(
    record: RecordFile,
    pointer: str,
    node: dict[str, Any],
    data: dict[str, Any],
    declared: tuple[int, ...],
    published: tuple[str, str] | None,
) -> Iterator[Finding]:
    status = node["status"]
    if status == "open":
        settled = [key for key in ("resolved_on", "sources") if _used(node, key)]
        if settled:
            yield record.at(
                "resolution-open-settled",
                f"the resolution is `open` but has `{settled[0]}`",
                f"{pointer}/{settled[0]}",
                "Set `status` to `happened` or `did-not-happen`, or remove "
                + " and ".join(f"`{key}`" for key in settled)
                + " while the scenario is open.",
            )
        return
    if not (_used(node, "sources") or _used(node, "evidence") or "editorial" in node):
        yield record.at(
            "resolution-unsupported",
            f"the scenario is marked `{status}` but the resolution gives no basis",
            pointer,
            _RESOLVE_HINT,
        )
    resolved_on = node.get("resolved_on")
    if resolved_on is None:
        if declared >= (1, 2):
            yield record.at(
                "resolution-undated",
                f"the scenario is marked `{status}` but `resolved_on` is missing",
                pointer,
                "Add `resolved_on`: when events settled it (YYYY, YYYY-MM or YYYY-MM-DD); "
                "`stratlas resolve ARTICLE SCENARIO --force …` rewrites the resolution with it.",
            )
        return
    bounds = date_bounds(resolved_on)
    if bounds is None:
        yield _not_a_date(record, f"{pointer}/resolved_on", resolved_on)
    elif published is not None and bounds[1] < published[0]:
        yield record.at(
            "date-order",
            f"`resolved_on` ({resolved_on}) is before the article's publication "
            f"({data['source']['published']['value']})",
            f"{pointer}/resolved_on",
            "A scenario the article weighs cannot have settled before it was published; "
            "check both dates.",
        )


def _article_source(
    record: RecordFile,
    pointer: str,
    source: dict[str, Any],
    data: dict[str, Any],
    published: tuple[str, str] | None,
    articles: _Articles,
    context: Context,
) -> Iterator[Finding]:
    cited = source["article"]  # articles have no redirects (entities do)
    if cited == data["id"]:
        yield record.at(
            "resolution-source-not-later",
            "the source is the scenario's own article",
            f"{pointer}/article",
            "Quote a later article that reports the outcome, or give `{url, basis}`; the "
            "article's own words go in the resolution's `evidence`.",
        )
        return
    if not articles.exists(cited):
        yield record.at(
            "resolution-source-unknown",
            f"no article `{cited}` in the corpus",
            f"{pointer}/article",
            "Name the ID of an article under records/articles/ (its file name without .json).",
        )
        return
    theirs = articles.published(cited)
    later = claim_bounds(theirs) if theirs else None
    if published is not None and later is not None and later[1] < published[0]:
        yield record.at(
            "resolution-source-not-later",
            f"`{cited}` ({theirs['value'] if theirs else ''}) was published before this "
            f"article ({data['source']['published']['value']})",
            f"{pointer}/article",
            "A resolution cites what happened after the forecast: quote an article published "
            "on or after this one.",
        )
    snapshot = context.snapshots.get(cited)
    if snapshot is None:
        return  # `source-missing` on that article says so
    result = snapshot.resolve({"quote": source["quote"]})
    if result.status == "orphaned":
        yield record.at(
            "resolution-quote-missing",
            f"the quote does not occur in the snapshot of `{cited}`",
            f"{pointer}/quote",
            result.hint or f"Copy the words exactly from records/sources/{cited}.txt.",
        )


class _Articles:
    """The articles sources may name: their existence and publication date, including the
    article files another process validates (read only when a source names one)."""

    def __init__(self, corpus: Corpus) -> None:
        self._here = {r.stem: r for r in corpus.records if r.kind == "article"}
        self._there: dict[str, Path] = corpus.elsewhere_paths
        self._read: dict[str, dict[str, Any] | None] = {}

    def exists(self, article_id: str) -> bool:
        return article_id in self._here or article_id in self._there

    def published(self, article_id: str) -> dict[str, Any] | None:
        """The article's `source.published` claim; None when unknown or not readable (the
        article's own findings say what is wrong with it)."""
        record = self._here.get(article_id)
        if record is not None:
            data = record.data
        else:
            if article_id not in self._read:
                loaded = load_document(self._there[article_id], article_id).data
                self._read[article_id] = loaded if isinstance(loaded, dict) else None
            data = self._read[article_id]
        source = data.get("source") if data is not None else None
        claim = source.get("published") if isinstance(source, dict) else None
        if not isinstance(claim, dict) or not isinstance(claim.get("value"), str):
            return None
        # Only the parts `claim_bounds` reads, and only strings: a file read here is not
        # validated yet.
        return {k: v for k, v in claim.items() if k in _DATE_KEYS and isinstance(v, str)}


_DATE_KEYS = ("value", "earliest", "latest")
