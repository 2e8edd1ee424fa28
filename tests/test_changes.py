"""The change file api/v1/changes.jsonl (issue 20, item 2): the record-level changes of the
records' git history, checked against a history scripted here (add, edit, rename through a
redirect, delete), with `stratlas diff` on the same commits; and what happens without a
history (a shallow clone, a plain folder) or with hostile file names in it."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from support import make_project, need, run_stratlas

from toolkit.api import load_corpus
from toolkit.errors import HistoryUnavailable
from toolkit.export import api_files, changes_jsonl
from toolkit.load.history import record_history
from toolkit.site import build, generate

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "corpus"
DATES = ["2024-01-02T03:04:05Z", "2024-02-03T04:05:06Z", "2024-03-04T05:06:07Z"]
DATES += ["2024-04-05T06:07:08Z"]


def git(repo: Path, *args: str, date: str = DATES[0]) -> str:
    """git in `repo`, with a fixed identity and dates and no signing (the same history, the
    same hashes)."""
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    done = subprocess.run(
        [
            *("git", "-c", "user.name=t", "-c", "user.email=t@example.org"),
            *("-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args),
        ],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def sha256(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def rewrite(path: Path, change: dict[str, object]) -> None:
    data = json.loads(path.read_text("utf-8"))
    data.update(change)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")


class History:
    """A repository with records/ and four commits: the fixture corpus added; an entity
        edited; an entity renamed through a redirect; an article deleted (with the two entities
    only it mentions). `digests` holds the
        sha256 of each record file as written."""

    def __init__(self, root: Path) -> None:
        need(shutil.which("git") is not None, "git is not installed")
        self.repo = root / "repo"
        self.records = self.repo / "records"
        shutil.copytree(FIXTURE, self.records)
        git(self.repo, "init", "-q")
        self.digests = {p.stem: sha256(p) for p in self.records.glob("*/*.json")}
        self.first = dict(self.digests)
        self.commits = [self.commit("add the corpus", DATES[0])]
        rewrite(self.records / "entities" / "ruritania.json", {"description": "Described anew."})
        self.digests["ruritania"] = sha256(self.records / "entities" / "ruritania.json")
        self.commits.append(self.commit("edit ruritania", DATES[1]))
        old = self.records / "entities" / "vale-university.json"
        new = self.records / "entities" / "vale-univ.json"
        rewrite(old, {"id": "vale-univ"})
        old.rename(new)
        article = self.records / "articles" / "strike-debate.json"
        text = article.read_text("utf-8").replace('"vale-university"', '"vale-univ"')
        article.write_text(text, "utf-8")
        redirect = {"vale-university": {"to": "vale-univ", "reason": "Shorter name."}}
        (self.records / "redirects.json").write_text(json.dumps(redirect) + "\n", "utf-8")
        self.digests["vale-univ"] = sha256(new)
        self.digests["strike-debate"] = sha256(article)
        self.commits.append(self.commit("rename vale-university", DATES[2]))
        # The article, and the two entities only it mentions (orphans would not validate).
        for path in ("articles/winter-front", "entities/bordurian-forces", "entities/szohod"):
            (self.records / f"{path}.json").unlink()
        self.commits.append(self.commit("delete winter-front", DATES[3]))

    def commit(self, message: str, date: str) -> str:
        git(self.repo, "add", "-A", date=date)
        git(self.repo, "commit", "-qm", message, date=date)
        return git(self.repo, "rev-parse", "HEAD")


@pytest.fixture
def history(tmp_path: Path) -> History:
    return History(tmp_path)


def line(op: str, kind: str, id: str, at: int, history: History, **extra: str) -> dict:
    return {
        "commit": history.commits[at],
        "date": DATES[at],
        "digest": history.digests[id] if op in {"added", "modified"} else None,
        "id": id,
        "kind": kind,
        "op": op,
        "to": extra.get("to"),
    }


def test_the_change_file_follows_the_history(history: History) -> None:
    data = changes_jsonl(record_history(history.records))
    rows = [json.loads(text) for text in data.decode("utf-8").splitlines()]
    first = [("article", p.stem) for p in sorted(FIXTURE.glob("articles/*.json"))]
    first += [("entity", p.stem) for p in sorted(FIXTURE.glob("entities/*.json"))]
    expected = [
        {**line("added", kind, id, 0, history), "digest": history.first[id]} for kind, id in first
    ]
    expected += [
        line("modified", "entity", "ruritania", 1, history),
        line("modified", "article", "strike-debate", 2, history),
        line("added", "entity", "vale-univ", 2, history),
        line("redirected", "entity", "vale-university", 2, history, to="vale-univ"),
        line("removed", "article", "winter-front", 3, history),
        line("removed", "entity", "bordurian-forces", 3, history),
        line("removed", "entity", "szohod", 3, history),
    ]
    assert rows == expected
    # Compact lines with sorted keys, and the same bytes from the same history.
    assert data.splitlines()[0].startswith(b'{"commit":"')
    assert changes_jsonl(record_history(history.records)) == data


def test_diff_on_the_rename_and_the_delete(history: History) -> None:
    def diff(commit: str) -> tuple[list[dict], list[dict]]:
        done = run_stratlas(history.repo, "diff", f"{commit}~1", commit, "--format", "jsonl")
        assert done.returncode == 0, done.stderr
        rows = [json.loads(text) for text in done.stdout.splitlines()]
        return (
            [r for r in rows if r["op"] == "remove"],
            [r for r in rows if r["op"] == "add"],
        )

    removed, added = diff(history.commits[2])
    # The renamed entity's own statements move to the new ID, and the article's mention
    # follows it; nothing else changes.
    assert {r["record_id"] for r in removed} == {"vale-university", "strike-debate"}
    assert {r["record_id"] for r in added} == {"vale-univ", "strike-debate"}
    assert all("vale-university" in (r["entity_id"], r["value_entity_id"]) for r in removed)
    assert all("vale-univ" in (r["entity_id"], r["value_entity_id"]) for r in added)
    assert len(removed) == len(added) > 0
    removed, added = diff(history.commits[3])
    assert added == [] and removed
    assert {(r["record_kind"], r["record_id"]) for r in removed} == {
        ("article", "winter-front"),
        ("entity", "bordurian-forces"),
        ("entity", "szohod"),
    }


def test_an_uncommitted_edit_does_not_appear(history: History) -> None:
    before = changes_jsonl(record_history(history.records))
    rewrite(history.records / "entities" / "borduria.json", {"description": "Not committed."})
    (history.records / "entities" / "lancer.json").unlink()
    git(history.repo, "add", "-A")  # staged, still not committed
    assert changes_jsonl(record_history(history.records)) == before
    # Nothing was checked out or restored.
    assert not (history.records / "entities" / "lancer.json").exists()


def test_a_shallow_clone_has_no_history(history: History, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", history.repo.as_uri(), str(clone))
    with pytest.raises(HistoryUnavailable, match="shallow"):
        record_history(clone / "records")


@pytest.fixture
def outside_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp_path, which git will not take for a part of a repository above it (wherever the
    temporary folder is)."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    return tmp_path


def test_a_plain_folder_has_no_history(outside_git: Path) -> None:
    need(shutil.which("git") is not None, "git is not installed")
    tmp_path = outside_git
    records = tmp_path / "records"
    shutil.copytree(FIXTURE, records)
    with pytest.raises(HistoryUnavailable, match="not in a git work tree"):
        record_history(records)


def test_a_repository_without_commits_has_no_history(tmp_path: Path) -> None:
    need(shutil.which("git") is not None, "git is not installed")
    shutil.copytree(FIXTURE, tmp_path / "records")
    git(tmp_path, "init", "-q")
    with pytest.raises(HistoryUnavailable, match="no commit"):
        record_history(tmp_path / "records")


def test_hostile_file_names_are_ignored(tmp_path: Path) -> None:
    need(shutil.which("git") is not None, "git is not installed")
    records = tmp_path / "records"
    entities = records / "entities"
    entities.mkdir(parents=True)
    good = entities / "good.json"
    good.write_text("{}\n", "utf-8")
    hostile = ["bad\nname.json", "x.json\n:000000 100644", "Upper.json", "a b.json", "c.json.txt"]
    for name in [*hostile, os.fsdecode(b"\xff.json")]:
        (entities / name).write_bytes(b"{}")
    (entities / "nested").mkdir()
    (entities / "nested" / "deep.json").write_bytes(b"{}")
    (records / "sources").mkdir()
    (records / "sources" / "good.json").write_bytes(b"{}")
    (records / "redirects.json").write_text('{"gone": {"to": "good"}, "Bad Id": {"to": "good"}}')
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "hostile")
    rows = [(c.op, c.kind, c.id, c.digest, c.to) for c in record_history(records)]
    assert rows == [  # by (kind, ID, op) within the commit
        ("redirected", "entity", "gone", None, "good"),
        ("added", "entity", "good", sha256(good), None),
    ]


def test_a_redirect_removed_alone_removes_its_id(history: History) -> None:
    (history.records / "redirects.json").write_text("{}\n", "utf-8")
    history.commit("forget the old ID", DATES[3])
    (history.records / "redirects.json").write_text("{not json", "utf-8")
    history.commit("a malformed redirects.json counts as empty", DATES[3])
    last = record_history(history.records)[-1]
    assert (last.op, last.kind, last.id, last.to) == ("removed", "entity", "vale-university", None)
    assert last.commit == git(history.repo, "rev-parse", "HEAD~1")


def test_exports_without_history_publish_no_change_file(tmp_path: Path) -> None:
    files = api_files(load_corpus(FIXTURE).graph, sqlite=False)
    assert "api/v1/changes.jsonl" not in files
    assert json.loads(files["api/v1/index.json"])["changes"] is None
    package = json.loads(files["datapackage.json"])
    assert "api/v1/changes.jsonl" not in {r["path"] for r in package["resources"]}


def test_the_site_of_a_git_held_corpus_publishes_the_change_file(history: History) -> None:
    project = make_project(history.repo.parent)
    _, stats = generate(project, history.records)
    assert stats is not None and stats.notes == []
    api = project / "docs" / "generated" / "api" / "v1"
    published = (api / "changes.jsonl").read_bytes()
    assert published == changes_jsonl(record_history(history.records))
    index = json.loads((api / "index.json").read_text("utf-8"))
    assert index["changes"].endswith("api/v1/changes.jsonl")
    package = json.loads((project / "docs" / "generated" / "datapackage.json").read_text("utf-8"))
    resource = next(r for r in package["resources"] if r["path"] == "api/v1/changes.jsonl")
    assert resource["type"] == "text"
    assert resource["hash"] == sha256(api / "changes.jsonl")


def test_a_build_without_history_succeeds_without_the_change_file(outside_git: Path) -> None:
    need(shutil.which("git") is not None, "git is not installed")
    tmp_path = outside_git
    project = make_project(tmp_path)
    records = tmp_path / "records"
    shutil.copytree(FIXTURE, records)
    result = build(project, records, project / "site")
    assert result.ok and result.sync is not None
    assert result.sync.notes == [
        f"no change file (api/v1/changes.jsonl): {records} is not in a git work tree"
    ]
    assert not (project / "site" / "api" / "v1" / "changes.jsonl").exists()
    assert (project / "site" / "api" / "v1" / "articles.jsonl").is_file()


def test_export_writes_the_change_file_when_it_can(history: History, outside_git: Path) -> None:
    tmp_path = outside_git
    out = tmp_path / "out"
    done = run_stratlas(history.repo, "export", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert (out / "changes.jsonl").read_bytes() == changes_jsonl(record_history(history.records))
    plain = tmp_path / "plain"
    shutil.copytree(history.records, plain)
    done = run_stratlas(tmp_path, "export", "--out", str(out), str(plain))
    assert done.returncode == 0, done.stderr
    assert "no changes.jsonl: " in done.stderr and "not in a git work tree" in done.stderr
    assert not (out / "changes.jsonl").exists()  # the old one would be read as this one's
    assert (out / "articles.jsonl").is_file()


def test_a_merge_counts_as_one_commit_of_the_first_parent_line(history: History) -> None:
    """A side branch's changes show at the merge that brings them in (diffed against its
    first parent), with the merge's hash and date; the side commits themselves are not
    walked."""
    git(history.repo, "checkout", "-qb", "side")
    rewrite(history.records / "entities" / "lancer.json", {"description": "On a branch."})
    side = history.commit("side edit", DATES[3])
    git(history.repo, "checkout", "-q", "main")
    (history.repo / "elsewhere.txt").write_text("not a record\n", "utf-8")
    history.commit("outside the records", DATES[3])
    merge_date = "2024-05-06T07:08:09Z"
    git(history.repo, "merge", "-q", "--no-ff", "side", "-m", "merge", date=merge_date)
    last = record_history(history.records)[-1]
    assert (last.op, last.id, last.date) == ("modified", "lancer", merge_date)
    assert last.commit == git(history.repo, "rev-parse", "HEAD") != side
    assert last.digest == sha256(history.records / "entities" / "lancer.json")


def test_the_data_package_with_the_change_file_is_valid(history: History, tmp_path: Path) -> None:
    """frictionless reads the change file whole (a JSON Lines resource of type "text") and
    checks its size and hash."""
    import frictionless  # a dev dependency; slow to import

    changes = record_history(history.records)
    files = api_files(load_corpus(history.records).graph, sqlite=False, changes=changes)
    for path, data in files.items():
        (tmp_path / "out" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "out" / path).write_bytes(data)
    report = frictionless.validate(tmp_path / "out" / "datapackage.json")
    assert report.flatten(["resourceName", "type", "note"]) == []
    assert "changes-jsonl" in {task.name for task in report.tasks}


def test_the_feeds_are_dated_by_the_history(history: History) -> None:
    """An article's feed entry is published when its record was added and updated when it
    last changed (strike-debate: added by the first commit, edited by the rename)."""
    import feedparser

    changes = record_history(history.records)
    files = api_files(load_corpus(history.records).graph, sqlite=False, changes=changes)
    feed = feedparser.parse(files["feeds/articles.atom"])
    assert not feed.bozo
    entry = next(e for e in feed.entries if e.id.endswith("/articles/strike-debate/"))
    assert (entry.published, entry.updated) == (DATES[0], DATES[2])
    assert feed.feed.updated == DATES[2]
