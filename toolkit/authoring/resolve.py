"""`stratlas resolve`: record how a scenario turned out, in its article's record.

The new `resolution` replaces the old one whole: status, note, `resolved_on` and `sources`
(the basis). The record must already be in `stratlas fmt`'s canonical form, so that the
rewritten file differs from it only there (and in `schema_version`, raised to the version
that added those fields). Before anything is written, the changed record is validated with
every per-record check, the resolution's quotes included, against the articles it cites;
a record that would not validate is refused with the findings, and the file keeps every
byte. The write is atomic (`write_bytes_atomic`): a failure leaves the original whole.

A scenario already settled is refused unless `force` (then its resolution is replaced).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from toolkit.authoring.fmt import canonical_text, parse_tokens
from toolkit.errors import UsageError
from toolkit.findings import Finding, Severity
from toolkit.format.vocab import SCHEMA_VERSION
from toolkit.load import article_files, display_path, load_document, load_json_bytes

__all__ = ["ResolveError", "Resolved", "resolve_scenario"]

Status = Literal["happened", "did-not-happen"]
STATUSES: tuple[Status, ...] = ("happened", "did-not-happen")


class ResolveError(UsageError):
    """The scenario cannot be resolved as asked (exit code 2); `findings`, when the changed
    record would not validate."""

    def __init__(self, message: str, findings: Sequence[Finding] = ()) -> None:
        super().__init__(message)
        self.findings = list(findings)


@dataclass(frozen=True)
class Resolved:
    """What `resolve_scenario` wrote."""

    path: Path
    display: str
    #: The scenario's JSON pointer in the record.
    pointer: str
    #: The status it had before (`open`, or the one `force` replaced).
    previous: str
    #: The `schema_version` the record declared before, when it was raised.
    raised_from: str | None


def resolve_scenario(
    records: Path,
    article_id: str,
    scenario_id: str,
    *,
    status: str,
    on: str,
    note: str,
    urls: Sequence[tuple[str, str]] = (),
    quotes: Sequence[tuple[str, str]] = (),
    force: bool = False,
    protected: Sequence[Path] = (),
) -> Resolved:
    """Set the resolution of scenario `scenario_id` of article `article_id` under `records`:
    `status` on the date `on` (YYYY, YYYY-MM or YYYY-MM-DD), with `note` and the basis:
    `urls` as (URL, what it shows), `quotes` as (later article's ID, its words)."""
    from toolkit.checks.dates import date_bounds
    from toolkit.checks.resolutions import version_of
    from toolkit.runtime.write import why_not_writable, write_bytes_atomic

    if status not in STATUSES:
        raise ResolveError(f"--status {status}: use one of {', '.join(STATUSES)}")
    if date_bounds(on) is None:
        raise ResolveError(f"--on {on}: not a real date; use YYYY, YYYY-MM or YYYY-MM-DD")
    if not urls and not quotes:
        raise ResolveError(
            "no basis: give --url URL --basis TEXT (a page and what it shows) or "
            "--article ID --quote TEXT (a later article's words), at least once"
        )
    if not note.strip():
        raise ResolveError("--note is empty: say in a sentence what happened")
    path = _article_path(records, article_id)
    display = display_path(path)
    refusal = why_not_writable(path, protected=protected, own=True)
    if refusal is not None:
        raise ResolveError(refusal)
    raw, data = _canonical_record(path, display)
    index = _scenario_index(data, scenario_id, article_id)
    scenario = data["scenarios"][index]
    previous = scenario.get("resolution", {}).get("status", "open")
    if previous != "open" and not force:
        raise ResolveError(
            f"scenario `{scenario_id}` is already resolved ({previous}); pass --force to "
            "replace its resolution"
        )
    scenario["resolution"] = {
        "status": status,
        "note": note,
        "resolved_on": on,
        "sources": [{"url": url, "basis": basis} for url, basis in urls]
        + [{"article": article, "quote": quote} for article, quote in quotes],
    }
    declared = data.get("schema_version")
    raised_from = None
    if version_of(declared) < version_of(SCHEMA_VERSION):
        data["schema_version"] = SCHEMA_VERSION
        raised_from = str(declared)
    text = canonical_text(data, "article").encode("utf-8")
    pointer = f"/scenarios/{index}/resolution"
    problems = _problems(records, path, display, text, [article for article, _ in quotes])
    if problems:
        raise ResolveError(
            f"{display}: not changed: the resolved record would not validate (positions "
            "below are in the record as it would be written)",
            problems,
        )
    if path.read_bytes() != raw:
        raise ResolveError(f"{display}: changed while resolving; run the command again")
    write_bytes_atomic(path, text)
    return Resolved(path, display, pointer, previous, raised_from)


def _article_path(records: Path, article_id: str) -> Path:
    if not records.is_dir():
        raise ResolveError(f"{records}: no such records folder")
    paths = {p.stem: p for p in article_files(records)}
    found = paths.get(article_id)
    if found is None:
        from toolkit.text.hints import did_you_mean

        hint = did_you_mean(article_id, paths)
        raise ResolveError(
            f"no article `{article_id}` in {records}/articles/" + (f" ({hint})" if hint else "")
        )
    return found


def _canonical_record(path: Path, display: str) -> tuple[bytes, dict[str, Any]]:
    """The record's bytes and its data (numbers as written), refused unless it parses
    cleanly and is in `stratlas fmt`'s form: only then does the rewrite touch nothing else."""
    document = load_document(path, display)
    if document.findings or not isinstance(document.data, dict):
        raise ResolveError(f"{display}: the file has problems; run `stratlas validate {display}`")
    data = parse_tokens(document.text)
    if canonical_text(data, "article") != document.text:
        raise ResolveError(
            f"{display}: not in canonical form; run `stratlas fmt {display}` first, so that "
            "resolving changes nothing but the resolution"
        )
    return document.text.encode("utf-8"), data


def _scenario_index(data: dict[str, Any], scenario_id: str, article_id: str) -> int:
    scenarios = data.get("scenarios")
    ids = [s.get("id") for s in scenarios] if isinstance(scenarios, list) else []
    if scenario_id in ids:
        return ids.index(scenario_id)
    listed = ", ".join(f"`{i}`" for i in ids if isinstance(i, str)) or "none"
    raise ResolveError(f"no scenario `{scenario_id}` in `{article_id}` (its scenarios: {listed})")


def _problems(
    records: Path, path: Path, display: str, text: bytes, cited: list[str]
) -> list[Finding]:
    """The errors the changed record would have: every per-record check, with the articles
    it cites loaded (the corpus-wide ones concern other files)."""
    from toolkit.checks import CORPUS_WIDE, check_context, run_in_context
    from toolkit.load import discover
    from toolkit.validate.records import file_findings

    wanted = {path.absolute(), *(p.absolute() for p in article_files(records) if p.stem in cited)}
    stems = {path.stem, *cited}
    corpus = discover(
        records,
        articles=lambda p: p.absolute() in wanted,
        sources=lambda p: p.stem in stems,  # others are read only if quoted
    )
    for record in corpus.records:
        if record.path.absolute() == path.absolute():
            record.document = load_json_bytes(text, record.file)
            record.document.path = path
    findings = file_findings(corpus, fast=True)
    findings += run_in_context(corpus, check_context(corpus), skip=CORPUS_WIDE)
    return [f for f in findings if f.file == display and f.severity is Severity.ERROR]
