"""Honest exits (issue 16, items 4 and 5): nothing is skipped in silence.

A folder under records/ that cannot be read is a `folder-unreadable` finding (exit 1) for
`validate` and `fmt`, with the folder's path. The folder is made unreadable with chmod 000;
where chmod does not deny (root, or CAP_DAC_OVERRIDE, as on CI machines), the denial the
kernel would give is injected into `os.scandir`, so the test never skips.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.authoring.fmt import format_paths
from toolkit.cli import app
from toolkit.validate import validate_paths

REPO = Path(__file__).resolve().parent.parent
BASE = REPO / "tests" / "hostile" / "base"
runner = CliRunner()


def _deny(folder: Path, monkeypatch: pytest.MonkeyPatch, *, mid_listing: bool = False) -> None:
    """Make `folder` unlistable: chmod 000 and, where that does not deny, a PermissionError
    from `os.scandir` (at once, or with `mid_listing` while the entries are read)."""
    folder.chmod(0)
    try:
        os.listdir(folder)
    except PermissionError:
        if not mid_listing:
            return
    real = os.scandir
    target = os.path.abspath(folder)

    class Failing:
        def __init__(self, inner: os.ScandirIterator[str]) -> None:
            self.inner = inner

        def __enter__(self) -> Failing:
            return self

        def __exit__(self, *exc: object) -> None:
            self.inner.close()

        def __iter__(self) -> Iterator[os.DirEntry[str]]:
            return self

        def __next__(self) -> os.DirEntry[str]:
            raise PermissionError(errno.EACCES, "Permission denied", target)

    def scandir(path: str = ".") -> object:
        if os.path.abspath(path) == target:
            if mid_listing:
                folder.chmod(0o755)
                return Failing(real(path))
            raise PermissionError(errno.EACCES, "Permission denied", target)
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


@pytest.fixture
def records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    target = tmp_path / "records"
    shutil.copytree(BASE, target)
    monkeypatch.chdir(tmp_path)
    yield target
    for folder in target.rglob("*"):  # let pytest remove what the test locked
        if folder.is_dir() and not folder.is_symlink():
            folder.chmod(0o755)
    for folder in (target / "entities", target / "articles", target / "sources"):
        folder.chmod(0o755)


@pytest.mark.parametrize("mid_listing", [False, True], ids=["at-open", "mid-listing"])
@pytest.mark.parametrize("parallel", [False, True], ids=["one-process", "two-processes"])
def test_validate_reports_a_folder_it_cannot_read(
    records: Path, monkeypatch: pytest.MonkeyPatch, parallel: bool, mid_listing: bool
) -> None:
    hidden = records / "entities" / "more"
    hidden.mkdir()
    shutil.move(records / "entities" / "valeria.json", hidden / "valeria.json")
    _deny(hidden, monkeypatch, mid_listing=mid_listing)
    report = validate_paths([records], parallel=parallel)
    found = [(f.code, f.file) for f in report.findings]
    # The entities it holds went unread: no "unknown entity" for each reference to them.
    assert found == [("folder-unreadable", "records/entities/more")]
    assert report.errors


def test_validate_cli_exits_1_naming_the_folder(
    records: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _deny(records / "sources", monkeypatch)
    result = runner.invoke(app, ["validate", "records"])
    assert result.exit_code == 1, result.output
    assert result.output.splitlines()[0] == (
        "records/sources: error folder-unreadable cannot read the folder: Permission denied"
    )
    assert result.output.endswith("1 error, 0 warnings\n")


def test_validate_reports_an_unreadable_articles_folder(
    records: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _deny(records / "articles", monkeypatch)
    report = validate_paths([records], parallel=False)
    assert [(f.code, f.file) for f in report.findings] == [
        ("folder-unreadable", "records/articles")
    ]


def test_fmt_reports_a_folder_it_cannot_read_and_formats_the_rest(
    records: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hidden = records / "entities" / "more"
    hidden.mkdir()
    ugly = records / "entities" / "tarsis.json"
    ugly.write_text(ugly.read_text().replace("\n", "").replace("  ", ""))
    _deny(hidden, monkeypatch)
    result = runner.invoke(app, ["fmt", "records"])
    assert result.exit_code == 1, result.output
    assert "records/entities/more: not formatted: cannot read the folder" in result.output
    assert "reformatted records/entities/tarsis.json" in result.output
    assert "1 file reformatted, 8 unchanged, 1 refused" in result.output
    assert ugly.read_text().startswith("{\n  ")
    # --check, too: a folder it cannot look into cannot be said to be formatted
    assert runner.invoke(app, ["fmt", "--check", "records"]).exit_code == 1


def test_fmt_refusals_are_data(records: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _deny(records / "articles", monkeypatch)
    results = {r.display: r for r in format_paths([records], check=True)}
    refused = results["records/articles"]
    assert refused.status == "refused"
    assert [f.code for f in refused.findings] == ["folder-unreadable"]
