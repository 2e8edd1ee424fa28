"""Resolutions: the rules a settled scenario is held to, with the words a contributor reads,
and the same findings when validation splits the corpus in two processes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from toolkit.checks.resolutions import ADDED_IN, version_of
from toolkit.models import Resolution, Scenario
from toolkit.validate import validate_paths

EXAMPLES = Path(__file__).parent / "examples"
MINIMAL = EXAMPLES / "valid" / "minimal"
RESOLVED = EXAMPLES / "valid" / "resolved"


def _messages(root: Path, parallel: bool = False) -> list[str]:
    report = validate_paths([root], parallel=parallel)
    return [f"{f.code} {f.pointer}: {f.message} | {f.hint}" for f in report.findings]


def _corpus(tmp_path: Path, resolution: dict[str, object], version: str = "1.2.0") -> Path:
    """The resolved example with the first scenario's resolution replaced."""
    root = tmp_path / "records"
    shutil.copytree(RESOLVED, root)
    path = root / "articles" / "spear-strikes.json"
    data = json.loads(path.read_text("utf-8"))
    data["schema_version"] = version
    data["scenarios"][0]["resolution"] = resolution
    if version != "1.2.0":
        data["scenarios"][0].pop("due")
    path.write_text(json.dumps(data, indent=2), "utf-8")
    return root


CASES = sorted(
    [RESOLVED]
    + [p for p in (EXAMPLES / "invalid").glob("resolution-*/*") if p.is_dir()]
    + [EXAMPLES / "invalid" / "date-order" / "resolved-before-publication"]
)


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_two_processes_find_the_same(case: Path) -> None:
    # The cited article (`spear-ceasefire`) sorts first: the other process validates it.
    assert _messages(case, parallel=True) == _messages(case)


def test_a_settled_scenario_needs_a_basis(tmp_path: Path) -> None:
    root = _corpus(tmp_path, {"status": "happened", "resolved_on": "2025-01"})
    assert _messages(root) == [
        "resolution-unsupported /scenarios/0/resolution: the scenario is marked `happened` but "
        "the resolution gives no basis | Give the basis: `stratlas resolve ARTICLE SCENARIO "
        "--status … --on DATE --note … --url URL --basis TEXT` (or `--article ID --quote "
        "TEXT`) writes `sources` and `resolved_on`; or add `evidence` or an `editorial` "
        "{basis, note}."
    ]


@pytest.mark.parametrize(
    "basis",
    [
        {"sources": [{"url": "https://example.org/", "basis": "It shows the outcome."}]},
        {"editorial": {"basis": "external-source", "note": "Reported widely."}},
        {"evidence": [{"quote": "A cease-fire is unlikely before winter"}]},
    ],
    ids=["sources", "editorial", "evidence"],
)
def test_any_one_basis_will_do(tmp_path: Path, basis: dict[str, object]) -> None:
    root = _corpus(tmp_path, {"status": "did-not-happen", "resolved_on": "2025-01", **basis})
    assert _messages(root) == []


def test_an_older_record_keeps_its_rules(tmp_path: Path) -> None:
    # The seed's shape: 1.0.0, settled on an editorial basis, no `resolved_on`.
    editorial = {"basis": "external-source", "note": "Reported widely."}
    root = _corpus(tmp_path, {"status": "happened", "editorial": editorial}, version="1.0.0")
    assert _messages(root) == []
    root = _corpus(tmp_path / "new", {"status": "happened", "editorial": editorial})
    assert [m.split(" ", 1)[0] for m in _messages(root)] == ["resolution-undated"]


def test_an_open_resolution_with_sources_is_a_contradiction(tmp_path: Path) -> None:
    sources = [{"url": "https://example.org/", "basis": "It shows the outcome."}]
    root = _corpus(tmp_path, {"status": "open", "sources": sources})
    assert _messages(root) == [
        "resolution-open-settled /scenarios/0/resolution/sources: the resolution is `open` but "
        "has `sources` | Set `status` to `happened` or `did-not-happen`, or remove `sources` "
        "while the scenario is open."
    ]


def test_a_1_2_field_in_an_older_record(tmp_path: Path) -> None:
    sources = [{"url": "https://example.org/", "basis": "It shows the outcome."}]
    resolution = {"status": "happened", "resolved_on": "2025-01", "sources": sources}
    root = _corpus(tmp_path, resolution, version="1.1.0")
    assert _messages(root) == [
        "version-too-old /scenarios/0/resolution/resolved_on: `resolved_on` is new in 1.2.0 but "
        'the record declares 1.1.0 | Set `"schema_version": "1.2.0"` (every older record stays '
        "valid under it), or leave the field out.",
        "version-too-old /scenarios/0/resolution/sources: `sources` is new in 1.2.0 but the "
        'record declares 1.1.0 | Set `"schema_version": "1.2.0"` (every older record stays '
        "valid under it), or leave the field out.",
    ]


def test_due_and_resolved_on_are_real_dates(tmp_path: Path) -> None:
    editorial = {"basis": "external-source", "note": "Reported widely."}
    root = _corpus(
        tmp_path, {"status": "happened", "resolved_on": "2025-02-30", "editorial": editorial}
    )
    path = root / "articles" / "spear-strikes.json"
    data = json.loads(path.read_text("utf-8"))
    data["scenarios"][0]["due"] = "2025-13"
    path.write_text(json.dumps(data), "utf-8")
    assert sorted(m.split(":", 1)[0] for m in _messages(root)) == [
        "date-invalid /scenarios/0/due",
        "date-invalid /scenarios/0/resolution/resolved_on",
    ]


def test_the_version_table_names_real_fields() -> None:
    models = {"Scenario": Scenario, "Resolution": Resolution}
    for (name, key), version in ADDED_IN.items():
        assert key in models[name].model_fields
        assert f"since {version.rsplit('.', 1)[0]}" in (
            models[name].model_fields[key].description or ""
        )


def test_version_of() -> None:
    assert version_of("1.2.0") > version_of("1.1.0") > version_of("1.0.0")
    assert version_of("x") == () and version_of(None) == ()
