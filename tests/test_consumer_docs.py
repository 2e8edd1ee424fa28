"""Run every example of docs/consumers.md against a real export.

The export is laid out like the site (api/v1/…, schema/v1/…, datapackage.json) plus a records/
folder for the Python API. Its records are the fixture corpus together with the shipped seed
records, so that the examples, written with real IDs such as `atacms`, print something; they
are committed to a git repository of their own, whose history gives api/v1/changes.jsonl.
`sh` blocks run in bash, `python` blocks in this interpreter; other blocks are prose.
jq and sqlite3 come from `make consumer-tools` (run by `make test`); without them, their examples
are skipped locally and fail under CI.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import need

from toolkit.api import load_corpus
from toolkit.export import api_files
from toolkit.load.history import record_history

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "consumers.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
RUNNABLE = {"sh", "python"}
TIMEOUT = 120


def blocks() -> list[tuple[str, str]]:
    return [
        (lang, code)
        for lang, code in FENCE.findall(DOC.read_text(encoding="utf-8"))
        if lang in RUNNABLE
    ]


def _block_id(block: tuple[str, str]) -> str:
    lang, code = block
    first = next(line for line in code.splitlines() if line.strip() and not line.startswith("#"))
    return f"{lang}:{first.strip()[:40]}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("consumer")
    records = root / "records"
    shutil.copytree(REPO / "tests" / "fixtures" / "corpus", records)
    shutil.copytree(REPO / "records", records, dirs_exist_ok=True)
    corpus = load_corpus(records)
    changes = None
    if shutil.which("git") is not None:
        identity = ["-c", "user.name=t", "-c", "user.email=t@example.org"]
        for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "the records"]):
            subprocess.run(
                ["git", *identity, "-c", "commit.gpgsign=false", *args],
                cwd=records,
                check=True,
                capture_output=True,
            )
        changes = record_history(records)
    for path, data in api_files(corpus.graph, changes=changes).items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return root


def test_the_page_has_every_kind_of_example() -> None:
    found = blocks()
    text = "\n".join(code for _, code in found)
    assert any(lang == "python" for lang, _ in found)
    for tool in (
        "jq ",
        "sqlite3 ",
        "datasette ",
        "import pandas",
        "import toolkit",
        "sqlite3",
        "import duckdb",
    ):
        assert tool in text, f"docs/consumers.md has no example using {tool.strip()}"


def _needs(code: str) -> list[str]:
    return [tool for tool in ("jq", "sqlite3") if re.search(rf"(^|\|\s*){tool}\s", code, re.M)]


@pytest.mark.parametrize("block", blocks(), ids=_block_id)
def test_example_runs(block: tuple[str, str], site: Path) -> None:
    lang, code = block
    if "changes.jsonl" in code:
        need((site / "api/v1/changes.jsonl").exists(), "git is not installed")
    missing = [tool for tool in _needs(code) if shutil.which(tool) is None] if lang == "sh" else []
    if missing:
        message = f"{', '.join(missing)} not installed (run `make consumer-tools`)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONHASHSEED": "0",
    }
    command = (
        ["bash", "-euo", "pipefail", "-c", code] if lang == "sh" else [sys.executable, "-c", code]
    )
    result = subprocess.run(
        command, cwd=site, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    assert result.returncode == 0, f"{code}\n--- stderr ---\n{result.stderr}"
    assert result.stdout.strip(), f"the example printed nothing:\n{code}"
    assert "Traceback" not in result.stderr
