"""`stratlas validate`, `codes` and `schema` as a user runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.findings import CODES, codes_markdown

# The whole module runs on the C kernels and on their Python twins (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("implementation")

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "tests" / "examples"
runner = CliRunner()


def _records(tmp_path: Path, case: str) -> Path:
    target = tmp_path / "records"
    shutil.copytree(EXAMPLES / case, target, symlinks=True)
    (target / "expected.json").unlink(missing_ok=True)
    return target


def test_typo_reference_gets_position_and_did_you_mean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = _records(tmp_path, "invalid/ref-unknown/typo")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["validate", "records"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == (
        "records/articles/spear-strikes.json:39:7: error ref-unknown `ines-mora` is not an "
        "entity (at /actors/0/entity)"
    )
    assert lines[1] == "  hint: did you mean `ines-moro`?"
    assert lines[-1] == "1 error, 0 warnings"
    assert records.exists()


def test_malformed_json_reports_position(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _records(tmp_path, "invalid/json-syntax/missing-comma")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["validate", "records"])
    assert result.exit_code == 1
    assert result.output.startswith("records/entities/valeria.json:5:3: error json-syntax ")


def test_valid_records_exit_zero(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _records(tmp_path, "valid/minimal")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0
    assert result.output == "0 errors, 0 warnings\n"


def test_warnings_pass_unless_strict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _records(tmp_path, "invalid/mention-unreferenced/named-but-not-referenced")
    monkeypatch.chdir(tmp_path)
    relaxed = runner.invoke(app, ["validate", "records"])
    assert relaxed.exit_code == 0
    assert "warning mention-unreferenced" in relaxed.output
    strict = runner.invoke(app, ["validate", "--strict", "records"])
    assert strict.exit_code == 1
    assert "error mention-unreferenced" in strict.output


def test_json_format_is_a_list_of_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _records(tmp_path, "invalid/ref-unknown/typo")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["validate", "--format", "json", "records"])
    assert result.exit_code == 1
    assert json.loads(result.output) == [
        {
            "file": "records/articles/spear-strikes.json",
            "line": 39,
            "col": 7,
            "code": "ref-unknown",
            "message": "`ines-mora` is not an entity",
            "pointer": "/actors/0/entity",
            "hint": "did you mean `ines-moro`?",
            "severity": "error",
        }
    ]


def test_github_format_annotates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _records(tmp_path, "invalid/ref-unknown/typo")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["validate", "--format", "github", "records"])
    assert result.exit_code == 1
    assert result.output == (
        "::error file=records/articles/spear-strikes.json,line=39,col=7,title=ref-unknown::"
        "`ines-mora` is not an entity (at /actors/0/entity)%0Ahint: did you mean `ines-moro`?\n"
    )


def test_a_single_file_reports_only_that_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _records(tmp_path, "invalid/ref-unknown/typo")
    monkeypatch.chdir(tmp_path)
    clean = runner.invoke(app, ["validate", "records/entities/valeria.json"])
    assert clean.exit_code == 0, clean.output
    dirty = runner.invoke(app, ["validate", "records/articles/spear-strikes.json"])
    assert dirty.exit_code == 1
    assert "ref-unknown" in dirty.output


def test_missing_path_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["validate", "nowhere"])
    assert result.exit_code == 2
    assert "no such file or folder" in result.output


def test_unknown_format_is_a_usage_error() -> None:
    assert runner.invoke(app, ["validate", "--format", "xml"]).exit_code == 2


def test_codes_lists_every_code() -> None:
    result = runner.invoke(app, ["codes", "--format", "json"])
    assert [row["code"] for row in json.loads(result.output)] == list(CODES)


def test_codes_page_matches_the_registry() -> None:
    assert (REPO / "docs" / "codes.md").read_text(encoding="utf-8") == codes_markdown()
