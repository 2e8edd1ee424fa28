"""`stratlas resolve`: the record gains the resolution and nothing else changes; every refusal
leaves the file byte for byte as it was; a failure mid-write leaves the original and no
temporary file; the result is in `stratlas fmt`'s form."""

from __future__ import annotations

import difflib
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.authoring.fmt import canonical_text, format_paths
from toolkit.authoring.resolve import ResolveError, resolve_scenario
from toolkit.validate import validate_paths

REPO = Path(__file__).resolve().parent.parent
RESOLVED = REPO / "tests" / "examples" / "valid" / "resolved"
ARTICLE = "spear-strikes"  # published 2024-11, 1.2.0; its scenario `no-ceasefire`
LATER = "spear-ceasefire"  # published 2025-01-13, 1.0.0; its scenario is open too
URL = ("https://example.org/ceasefire", "The text of the cease-fire.")
QUOTE = (LATER, "signed a cease-fire on 12 January")


@pytest.fixture
def records(tmp_path: Path) -> Path:
    """Two articles, each with one open scenario, in canonical form."""
    root = tmp_path / "records"
    shutil.copytree(RESOLVED, root)
    path = root / "articles" / f"{ARTICLE}.json"
    data = json.loads(path.read_text("utf-8"))
    data["scenarios"][0]["resolution"] = {"status": "open"}
    path.write_text(canonical_text(data, "article"), "utf-8")
    path.chmod(0o640)
    return root


def _path(records: Path, article: str = ARTICLE) -> Path:
    return records / "articles" / f"{article}.json"


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _resolve(records: Path, **changes: Any) -> Any:
    arguments: dict[str, Any] = {
        "status": "did-not-happen",
        "on": "2025-01-12",
        "note": "A cease-fire was signed on 12 January 2025.",
        "urls": [URL],
        "quotes": [QUOTE],
    }
    article = changes.pop("article", ARTICLE)
    scenario = changes.pop("scenario", "no-ceasefire")
    arguments.update(changes)
    return resolve_scenario(records, article, scenario, **arguments)


def test_the_record_gains_the_resolution_and_nothing_else_changes(records: Path) -> None:
    path = _path(records)
    before = path.read_text("utf-8")
    done = _resolve(records)
    after = path.read_text("utf-8")
    assert done.pointer == "/scenarios/0/resolution" and done.previous == "open"
    assert done.raised_from is None
    assert validate_paths([records]).findings == []
    assert json.loads(after)["scenarios"][0]["resolution"] == {
        "status": "did-not-happen",
        "note": "A cease-fire was signed on 12 January 2025.",
        "resolved_on": "2025-01-12",
        "sources": [
            {"url": URL[0], "basis": URL[1]},
            {"article": LATER, "quote": QUOTE[1]},
        ],
    }
    # Every line outside the resolution object is the same, in the same place.
    old = before.splitlines()
    start = old.index('      "resolution": {')
    end = old.index("      }", start)
    matcher = difflib.SequenceMatcher(a=old, b=after.splitlines(), autojunk=False)
    changed = [(i1, i2) for tag, i1, i2, _, _ in matcher.get_opcodes() if tag != "equal"]
    assert changed and all(start < i1 and i2 <= end for i1, i2 in changed), changed
    # In fmt's form: formatting changes nothing; the mode is kept.
    assert [r.status for r in format_paths([path], check=True)] == ["unchanged"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_resolving_again_with_force_is_idempotent(records: Path) -> None:
    _resolve(records)
    first = _path(records).read_bytes()
    done = _resolve(records, force=True)
    assert done.previous == "did-not-happen"
    assert _path(records).read_bytes() == first


def test_an_older_record_is_raised_to_1_2(records: Path) -> None:
    path = _path(records, LATER)
    done = _resolve(records, article=LATER, scenario="no-ceasefire", quotes=[], on="2025-02")
    assert done.raised_from == "1.0.0"
    assert json.loads(path.read_text("utf-8"))["schema_version"] == "1.2.0"
    assert validate_paths([records]).findings == []


REFUSALS: dict[str, tuple[dict[str, Any], str]] = {
    "no basis": (
        {"urls": [], "quotes": []},
        "no basis: give --url URL --basis TEXT (a page and what it shows) or --article ID "
        "--quote TEXT (a later article's words), at least once",
    ),
    "unknown article": (
        {"article": "spear-strike"},
        "no article `spear-strike` in {records}/articles/ (did you mean `spear-strikes`?)",
    ),
    "unknown scenario": (
        {"scenario": "ceasefire"},
        "no scenario `ceasefire` in `spear-strikes` (its scenarios: `no-ceasefire`)",
    ),
    "invalid date": (
        {"on": "2025-02-30"},
        "--on 2025-02-30: not a real date; use YYYY, YYYY-MM or YYYY-MM-DD",
    ),
    "malformed date": (
        {"on": "12 Jan"},
        "--on 12 Jan: not a real date; use YYYY, YYYY-MM or YYYY-MM-DD",
    ),
    "unknown status": (
        {"status": "maybe"},
        "--status maybe: use one of happened, did-not-happen",
    ),
    "empty note": ({"note": "  "}, "--note is empty: say in a sentence what happened"),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_refusals_say_why_and_change_nothing(records: Path, case: str) -> None:
    changes, message = REFUSALS[case]
    before = _files(records)
    with pytest.raises(ResolveError) as refused:
        _resolve(records, **changes)
    assert str(refused.value) == message.format(records=records)
    assert _files(records) == before


FINDINGS: dict[str, tuple[dict[str, Any], list[str]]] = {
    "quote not in the later article": (
        {"quotes": [(LATER, "signed a peace treaty")]},
        [
            "resolution-quote-missing /scenarios/0/resolution/sources/1/quote the quote does "
            "not occur in the snapshot of `spear-ceasefire`"
        ],
    ),
    "article not later": (
        {
            "article": LATER,
            "on": "2025-02",
            "quotes": [(ARTICLE, "Valeria approved Spear strikes")],
        },
        [
            "resolution-source-not-later /scenarios/0/resolution/sources/1/article "
            "`spear-strikes` (2024-11) was published before this article (2025-01-13)"
        ],
    ),
    "own article": (
        {"quotes": [(ARTICLE, "Valeria approved Spear strikes")]},
        [
            "resolution-source-not-later /scenarios/0/resolution/sources/1/article the "
            "source is the scenario's own article"
        ],
    ),
    "cited article unknown": (
        {"quotes": [("spear-truce", "a truce")]},
        [
            "resolution-source-unknown /scenarios/0/resolution/sources/1/article no article "
            "`spear-truce` in the corpus"
        ],
    ),
    "settled before the article": (
        {"on": "2024-10"},
        [
            "date-order /scenarios/0/resolution/resolved_on `resolved_on` (2024-10) is before "
            "the article's publication (2024-11)"
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(FINDINGS))
def test_a_result_that_would_not_validate_is_refused(records: Path, case: str) -> None:
    changes, expected = FINDINGS[case]
    before = _files(records)
    with pytest.raises(ResolveError) as refused:
        _resolve(records, **changes)
    assert "the resolved record would not validate" in str(refused.value)
    assert [f"{f.code} {f.pointer} {f.message}" for f in refused.value.findings] == expected
    assert all(f.hint for f in refused.value.findings)
    assert _files(records) == before


def test_a_settled_scenario_needs_force(records: Path) -> None:
    _resolve(records)
    before = _files(records)
    with pytest.raises(ResolveError, match=r"already resolved \(did-not-happen\); pass --force"):
        _resolve(records, status="happened")
    assert _files(records) == before


def test_a_record_not_in_canonical_form_is_refused(records: Path) -> None:
    path = _path(records)
    path.write_text(json.dumps(json.loads(path.read_text("utf-8"))), "utf-8")
    before = _files(records)
    with pytest.raises(ResolveError, match=r"not in canonical form; run `stratlas fmt .*` first"):
        _resolve(records)
    assert _files(records) == before


class Boom(Exception):
    pass


def _raise(*args: object, **kwargs: object) -> None:
    raise Boom("injected failure")


@pytest.mark.parametrize("step", ["mkstemp", "fsync", "chmod", "replace"])
def test_a_failure_mid_write_leaves_the_original_and_no_temp_file(
    records: Path, step: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _files(records)
    module = tempfile if step == "mkstemp" else os
    with monkeypatch.context() as patch:
        patch.setattr(module, step, _raise)
        with pytest.raises(Boom):
            _resolve(records)
    assert _files(records) == before, "the original changed or a temp file was left behind"
    assert stat.S_IMODE(_path(records).stat().st_mode) == 0o640


def _cli(records: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "toolkit.cli", "resolve", *args, "--records", str(records)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_cli_writes_and_reports(records: Path) -> None:
    result = _cli(
        records,
        LATER,
        "no-ceasefire",
        "--status", "did-not-happen",
        "--on", "2025-02",
        "--note", "Fighting stopped.",
        "--url", URL[0], "--basis", URL[1],
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"resolved `no-ceasefire` as did-not-happen on 2025-02: wrote {_path(records, LATER)}",
        "schema_version raised from 1.0.0 to 1.2.0",
    ]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        ((), 2, "stratlas: no basis"),
        (("--url", URL[0]), 2, "stratlas: give each --url its --basis"),
        (("--article", LATER), 2, "stratlas: give each --article its --quote"),
        (("--article", LATER, "--quote", "a peace treaty"), 1, "would not validate"),
    ],
    ids=["no basis", "url without basis", "article without quote", "quote not found"],
)
def test_cli_refusals_exit_non_zero_without_traceback(
    records: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    before = _files(records)
    base = (ARTICLE, "no-ceasefire", "--status", "happened", "--on", "2025-01", "--note", "n")
    result = _cli(records, *base, *args)
    assert result.returncode == code
    assert message in result.stderr and "Traceback" not in result.stderr
    assert _files(records) == before


# --- any input ------------------------------------------------------------------------------

_TEXT = st.text(st.characters(codec="utf-8"), max_size=40)
_DATES = st.one_of(
    st.from_regex(r"\A[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?\Z"),
    _TEXT,
)
_URLS = st.one_of(st.just(URL[0]), st.just("https://example.org/a b"), _TEXT)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    status=st.sampled_from(["happened", "did-not-happen", "open", ""]),
    on=_DATES,
    note=_TEXT,
    urls=st.lists(st.tuples(_URLS, _TEXT), max_size=2),
    quotes=st.lists(st.tuples(st.sampled_from([LATER, ARTICLE, "nope", ""]), _TEXT), max_size=2),
)
def test_any_input_writes_a_valid_record_or_changes_nothing(
    tmp_path_factory: pytest.TempPathFactory,
    status: str,
    on: str,
    note: str,
    urls: list[tuple[str, str]],
    quotes: list[tuple[str, str]],
) -> None:
    root = tmp_path_factory.mktemp("any")
    records = root / "records"
    shutil.copytree(RESOLVED, records)
    path = _path(records)
    data = json.loads(path.read_text("utf-8"))
    data["scenarios"][0]["resolution"] = {"status": "open"}
    path.write_text(canonical_text(data, "article"), "utf-8")
    before = _files(records)
    try:
        resolve_scenario(
            records, ARTICLE, "no-ceasefire", status=status, on=on, note=note, urls=urls,
            quotes=quotes,
        )  # fmt: skip
    except ResolveError:
        assert _files(records) == before
        return
    assert [f.code for f in validate_paths([records]).errors] == []
    assert [r.status for r in format_paths([path], check=True)] == ["unchanged"]
