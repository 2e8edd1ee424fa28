"""Pull-request checks, deployment and local hooks: safe by construction, and checked here."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
WORKFLOWS = REPO / ".github" / "workflows"
BIN = Path(sys.executable).parent
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(?:/[\w./-]+)?@[0-9a-f]{40}$")


def _load(name: str) -> dict[Any, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text("utf-8"))
    assert isinstance(data, dict)
    # PyYAML reads the key `on` as True (YAML 1.1).
    if True in data:
        data["on"] = data.pop(True)
    return data


def _steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def _tool(name: str) -> str:
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: run `make setup` (it is a pinned dev dependency)")
    return found


def test_zizmor_reports_nothing() -> None:
    for persona in ("regular", "pedantic"):
        result = subprocess.run(
            [_tool("zizmor"), "--offline", f"--persona={persona}", str(WORKFLOWS)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "No findings to report" in result.stdout


def test_every_action_is_pinned_by_commit_with_its_version() -> None:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        text = path.read_text("utf-8")
        uses = re.findall(r"uses:\s*(\S+)(.*)", text)
        assert uses, path
        for ref, rest in uses:
            assert PINNED.match(ref), f"{path.name}: {ref} is not pinned to a commit SHA"
            assert re.search(r"#\s*v\d+\.\d+\.\d+", rest), f"{path.name}: {ref} lacks # vX.Y.Z"


def test_no_expression_is_spliced_into_a_script() -> None:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for step in _steps(_load(path.name)):
            assert "${{" not in step.get("run", ""), f"{path.name}: {step.get('name')}"


def test_checkouts_keep_no_credentials() -> None:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for step in _steps(_load(path.name)):
            if str(step.get("uses", "")).startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, path.name


def test_pull_request_check_is_read_only_and_complete() -> None:
    check = _load("check.yml")
    assert check["on"] == {"pull_request": None}  # never pull_request_target
    assert check["permissions"] == {"contents": "read"}
    for job in check["jobs"].values():
        assert "permissions" not in job or job["permissions"] == {"contents": "read"}
        assert "secrets" not in json.dumps(job)
    runs = " ".join(step.get("run", "") for step in _steps(check))
    assert "stratlas validate --format github records/" in runs
    assert "stratlas fmt --check records/" in runs
    assert "make site" in runs
    upload = [s for s in _steps(check) if "upload-artifact" in str(s.get("uses", ""))]
    assert upload and upload[0]["with"]["path"] == "site/"
    assert upload[0]["with"]["if-no-files-found"] == "error"


def test_deploy_runs_only_on_main_and_only_its_job_can_write() -> None:
    deploy = _load("deploy.yml")
    assert deploy["on"] == {"push": {"branches": ["main"]}}
    assert deploy["permissions"] == {}
    jobs = deploy["jobs"]
    assert jobs["build"]["permissions"] == {"contents": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["deploy"]["needs"] == "build"
    writers = [name for name, job in jobs.items() if "write" in json.dumps(job.get("permissions"))]
    assert writers == ["deploy"]
    uses = [str(s.get("uses", "")) for s in _steps(deploy)]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)


def test_pre_commit_hooks_are_local_and_valid() -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text("utf-8"))
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    hooks = {hook["id"]: hook for hook in config["repos"][0]["hooks"]}
    assert hooks["stratlas-fmt"]["entry"] == ".venv/bin/stratlas fmt --check"
    assert hooks["stratlas-validate"]["entry"] == ".venv/bin/stratlas validate records/"
    result = subprocess.run(
        [_tool("pre-commit"), "validate-config", str(REPO / ".pre-commit-config.yaml")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_hooks_run_and_catch_problems(tmp_path: Path) -> None:
    """In a scratch repository: the hooks pass on the shipped records and stop a bad file."""
    work = tmp_path / "repo"
    shutil.copytree(REPO / "records", work / "records")
    shutil.copy(REPO / ".pre-commit-config.yaml", work)
    (work / ".venv" / "bin").mkdir(parents=True)
    (work / ".venv" / "bin" / "stratlas").symlink_to(_tool("stratlas"))
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "SKIP": ""}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=work, check=True, capture_output=True, env=env)

    def hooks() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [_tool("pre-commit"), "run", "--all-files"],
            cwd=work,
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
            check=False,
        )

    git("init", "-q")
    git("add", ".")
    good = hooks()
    assert good.returncode == 0, good.stdout + good.stderr
    entity = work / "records" / "entities" / "kyiv.json"
    entity.write_text(json.dumps(json.loads(entity.read_text("utf-8"))), "utf-8")  # one line
    git("add", ".")
    bad = hooks()
    assert bad.returncode == 1
    assert "would reformat records/entities/kyiv.json" in bad.stdout


def test_editor_schema_mapping() -> None:
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text("utf-8"))
    mapping = {
        pattern: entry["url"]
        for entry in settings["json.schemas"]
        for pattern in entry["fileMatch"]
    }
    assert mapping["/records/articles/**/*.json"] == "./schema/article.schema.json"
    assert mapping["/records/entities/**/*.json"] == "./schema/entity.schema.json"
    for url in mapping.values():
        assert (REPO / url).is_file()


def test_pull_request_template_names_the_checks() -> None:
    text = (REPO / ".github" / "pull_request_template.md").read_text("utf-8")
    assert "stratlas validate" in text and "stratlas fmt --check" in text


def test_contributing_guide_is_published_as_written() -> None:
    guide = (REPO / "CONTRIBUTING.md").read_text("utf-8")
    assert (REPO / "docs" / "contributing.md").read_text("utf-8") == guide
    # mkdocs --strict fails on links it cannot resolve: the page links only to the web.
    assert not re.search(r"\]\((?!https?://|#)", guide)
    assert "--8<--" not in guide  # pymdownx.snippets would publish a repository file


def test_contributing_guide_commands_exist() -> None:
    from typer.testing import CliRunner

    from toolkit.cli import app

    guide = (REPO / "CONTRIBUTING.md").read_text("utf-8")
    commands = set(re.findall(r"^\$ \.venv/bin/stratlas ([a-z]+(?: [a-z]+)?)", guide, re.M))
    assert {"new article", "new entity", "validate", "fmt"} <= {
        c if c.startswith("new") else c.split()[0] for c in commands
    }
    runner = CliRunner()
    for command in commands:
        words = command.split() if command.startswith("new") else command.split()[:1]
        assert runner.invoke(app, [*words, "--help"]).exit_code == 0, command


# --- the guide's pasted output is what the commands print --------------------------------------

SEED_ID = "bidens-atacms-decision-escalation-or-strategic-necessity"


def _console_blocks(text: str) -> list[tuple[str, list[str]]]:
    """(command, output lines) for every `$ .venv/bin/stratlas …` line of the guide."""
    found: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", text, re.S):
        # A command continued over several lines (` \` at the end) is one command.
        block = re.sub(r" \\\n\s+", " ", block)
        for line in block.splitlines():
            if line.startswith("$ "):
                found.append((line[2:], []))
            elif found:
                found[-1][1].append(line)
    return [(cmd, out) for cmd, out in found if cmd.startswith(".venv/bin/stratlas ")]


def test_contributing_guide_output_is_real(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Replay the guide's example: same commands, same edits, the output it shows."""
    import shlex

    from test_scaffold import _complete, _seed_raw_text
    from typer.testing import CliRunner

    from toolkit.cli import app
    from toolkit.findings import Severity
    from toolkit.validate import validate_paths

    guide = (REPO / "CONTRIBUTING.md").read_text("utf-8")
    seed = json.loads((REPO / "records" / "articles" / f"{SEED_ID}.json").read_text("utf-8"))
    seed_text = json.dumps(seed)
    # The example's tree: the seed's entities, without World Politics Review, no article yet.
    (tmp_path / "records" / "entities").mkdir(parents=True)
    for path in sorted((REPO / "records" / "entities").glob("*.json")):
        if f'"{path.stem}"' in seed_text and path.stem != "world-politics-review":
            shutil.copy(path, tmp_path / "records" / "entities")
    article = tmp_path / "article.txt"
    article.write_text(_seed_raw_text(), "utf-8")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    record = Path("records/articles") / f"{SEED_ID}.json"

    def edit_as_the_guide_says() -> None:
        entity = Path("records/entities/world-politics-review.json")
        assert entity.read_text("utf-8") in guide  # the guide shows the new file as it is
        data = json.loads(entity.read_text("utf-8"))
        data["description"] = "Online publication of news and analysis on international affairs."
        entity.write_text(json.dumps(data, indent=2) + "\n", "utf-8")
        draft = json.loads(record.read_text("utf-8"))
        draft["authors"][0]["bio"]["outlets"][2]["outlet"] = "world-politics-review"
        record.write_text(json.dumps(draft, indent=2, ensure_ascii=False) + "\n", "utf-8")
        for _ in range(5):
            errors = [
                f
                for f in validate_paths([Path("records")]).findings
                if f.severity is Severity.ERROR
            ]
            if not errors:
                break
            draft = json.loads(record.read_text("utf-8"))
            _complete(draft, seed, errors)
            record.write_text(json.dumps(draft, indent=4, ensure_ascii=False) + "\n", "utf-8")

    blocks = _console_blocks(guide)
    assert len(blocks) >= 7
    edited = False
    for command, expected in blocks:
        args = shlex.split(command.replace("~/article.txt", str(article)))[1:]
        if args[0] == "fmt" and not edited:
            edit_as_the_guide_says()
            edited = True
        result = runner.invoke(app, args)
        actual = result.output.rstrip("\n").splitlines()
        if "…" not in expected:
            assert actual == expected, command
            continue
        # An excerpt: its lines appear in order, and the summary line is the real one.
        shown = [line for line in expected if line != "…"]
        position = 0
        for line in shown:
            assert line in actual[position:], (command, line)
            position = actual.index(line, position) + 1
        assert actual[-1] == expected[-1]


def test_fork_changes_outside_records_are_flagged(tmp_path: Path) -> None:
    check = _load("check.yml")
    [step] = [s for s in _steps(check) if "fork" in s.get("name", "").lower()]
    assert set(step["env"]) == {"HEAD_REPO", "BASE_REPO"}
    work = tmp_path / "repo"
    (work / "records").mkdir(parents=True)
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=work, check=True, capture_output=True, env=env)

    git("init", "-q")
    (work / "records" / "a.json").write_text("{}")
    git("add", ".")
    git("commit", "-qm", "base")
    (work / "records" / "b.json").write_text("{}")
    (work / "mkdocs.yml").write_text("x")
    (work / "odd:name,%.md").write_text("x")
    git("add", ".")
    git("commit", "-qm", "pull request")

    def run(head: str) -> str:
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", step["run"]],
            cwd=work,
            env={**env, "HEAD_REPO": head, "BASE_REPO": "stratlas/stratlas"},
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    flagged = run("someone/stratlas").splitlines()
    assert flagged == [
        "::warning file=mkdocs.yml,title=review-needed::a pull request from a fork changes a "
        "file outside records/",
        "::warning file=odd%3Aname%2C%25.md,title=review-needed::a pull request from a fork "
        "changes a file outside records/",
    ]
    assert run("stratlas/stratlas") == ""  # branches of the repository itself: no flag
