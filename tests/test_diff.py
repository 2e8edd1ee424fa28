"""`stratlas diff OLD NEW`: the statements added and removed between two versions of the
records, given as folders or as git refs (issue 20)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from support import need, run_stratlas

from toolkit.api import load_corpus
from toolkit.export.diff import diff_statements
from toolkit.export.statements import STATEMENT_COLUMNS

FIXTURE = Path("tests/fixtures/corpus")


def _edited(root: Path) -> tuple[Path, Path]:
    """The fixture corpus, and a copy with one entity's description changed and one alias
    added."""
    old, new = root / "old" / "records", root / "new" / "records"
    shutil.copytree(FIXTURE, old)
    shutil.copytree(FIXTURE, new)
    path = new / "entities" / "ruritania.json"
    data = json.loads(path.read_text("utf-8"))
    data["description"] = "A fictional state, described anew."
    data["aliases"] = [*data.get("aliases", []), "Ruritanian Kingdom"]
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return old, new


def test_a_changed_value_is_one_removal_and_one_addition(tmp_path: Path) -> None:
    old, new = _edited(tmp_path)
    before = load_corpus(old).graph
    changes = diff_statements(before, load_corpus(new).graph)
    column = STATEMENT_COLUMNS.index
    assert [(r[column("property")], r[column("value")]) for r in changes.added] == [
        ("alias", "Ruritanian Kingdom"),
        ("description", "A fictional state, described anew."),
    ]
    assert [r[column("property")] for r in changes.removed] == ["description"]
    assert {r[column("record_id")] for r in changes.added + changes.removed} == {"ruritania"}
    # The same version on both sides: nothing.
    same = diff_statements(before, load_corpus(old).graph)
    assert (same.added, same.removed) == ([], [])


def test_the_command_prints_text_and_json_lines(tmp_path: Path) -> None:
    old, new = _edited(tmp_path)
    text = run_stratlas(Path.cwd(), "diff", str(old), str(new))
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert [line[:2] for line in lines] == ["- ", "+ ", "+ "]
    assert lines[0].startswith("- entity\truritania\truritania\tdescription\t")
    jsonl = run_stratlas(Path.cwd(), "diff", str(old), str(new), "--format", "jsonl")
    rows = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert [row["op"] for row in rows] == ["remove", "add", "add"]
    assert set(rows[0]) == {"op", *STATEMENT_COLUMNS}


def test_git_refs_read_the_records_as_they_were(tmp_path: Path) -> None:
    need(shutil.which("git") is not None, "git is not installed")
    repo = tmp_path / "repo"
    old, new = _edited(tmp_path)
    shutil.copytree(old, repo / "records")

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
            cwd=repo,
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "first")
    git("tag", "v1")
    shutil.rmtree(repo / "records")
    shutil.copytree(new, repo / "records")
    git("commit", "-qam", "second")
    (repo / "records" / "entities" / "ruritania.json").write_text("not committed", "utf-8")
    done = run_stratlas(repo, "diff", "v1", "HEAD")
    assert done.returncode == 0, done.stderr
    assert [line[:2] for line in done.stdout.splitlines()] == ["- ", "+ ", "+ "]
    # The working tree is left as it was (an uncommitted change, unread).
    assert (repo / "records" / "entities" / "ruritania.json").read_text("utf-8") == "not committed"


@pytest.mark.parametrize("version", ["no-such-ref", "--output=x", "HEAD~5"])
def test_a_version_that_is_neither_a_folder_nor_a_commit_is_refused(
    tmp_path: Path, version: str
) -> None:
    need(shutil.which("git") is not None, "git is not installed")
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURE, repo / "records")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    done = run_stratlas(repo, "diff", "--", version, "records")
    assert done.returncode == 2
    assert done.stderr.startswith("stratlas: ") and "Traceback" not in done.stderr
    assert not (repo / "x").exists()


def test_an_invalid_version_is_refused_with_its_findings(tmp_path: Path) -> None:
    old, new = _edited(tmp_path)
    (new / "entities" / "ruritania.json").write_text("{", "utf-8")
    done = run_stratlas(Path.cwd(), "diff", str(old), str(new))
    assert done.returncode == 1
    assert "ruritania.json" in done.stderr and "Traceback" not in done.stderr
