"""Example-driven tests: valid/ must pass; invalid/<code>/<case>/ must give exactly that code
at the recorded positions (expected.json, reviewed by hand)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit.findings import CODES
from toolkit.validate import validate_paths

# The whole module runs on the C kernels and on their Python twins (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("implementation")

EXAMPLES = Path(__file__).parent / "examples"
REPO = Path(__file__).resolve().parent.parent
VALID = sorted(p for p in (EXAMPLES / "valid").iterdir() if p.is_dir())
INVALID = sorted(p for p in (EXAMPLES / "invalid").glob("*/*") if p.is_dir())


def _rel(case: Path, file: str) -> str:
    return Path(file).absolute().relative_to(case.absolute()).as_posix()


@pytest.mark.parametrize(
    "root",
    [*VALID, REPO / "tests" / "fixtures" / "corpus", REPO / "records"],
    ids=lambda p: p.name,
)
def test_valid_records_have_no_findings(root: Path) -> None:
    report = validate_paths([root])
    assert [f"{f.file}:{f.line}:{f.col} {f.code} {f.message}" for f in report.findings] == []


@pytest.mark.parametrize("case", INVALID, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_invalid_example_gives_exactly_its_code(case: Path) -> None:
    code = case.parent.name
    report = validate_paths([case])
    found = [
        {
            "file": _rel(case, f.file),
            "line": f.line,
            "col": f.col,
            "code": f.code,
            "pointer": f.pointer,
        }
        for f in report.findings
    ]
    assert found, f"{case} produced no finding"
    assert {f["code"] for f in found} == {code}
    assert found == json.loads((case / "expected.json").read_text())
    for finding in report.findings:
        assert finding.message
        assert finding.hint, f"{finding.code} has no hint"


#: Codes no folder in git can show, each with the test that covers it instead.
NO_EXAMPLE = {
    # git stores no folder permissions: an unreadable folder is made by the test itself
    "folder-unreadable": "tests/test_exits.py",
}


def test_every_registered_code_has_an_invalid_example() -> None:
    covered = {p.parent.name for p in INVALID} | set(NO_EXAMPLE)
    assert sorted(set(CODES) - covered) == []
    assert sorted(covered - set(CODES)) == [], "example folders must be named after a code"


def test_cli_reports_every_invalid_example_without_traceback() -> None:
    # One process for all cases: what a user runs, at a fraction of the start-up cost.
    result = subprocess.run(
        [sys.executable, "-m", "toolkit.cli", "validate", "--format", "json", *map(str, INVALID)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 1, result.stderr
    reported = {row["code"] for row in json.loads(result.stdout)}
    assert reported == {p.parent.name for p in INVALID}


@pytest.mark.parametrize("case", [*VALID, *INVALID], ids=lambda p: p.name)
def test_fast_and_detailed_paths_agree(case: Path) -> None:
    fast = validate_paths([case], fast=True).findings
    detailed = validate_paths([case], fast=False).findings
    assert fast == detailed
