"""Where commands write (issue 16, item 1): a new path, or a regular file outside the records and
the project's configuration; `-` is standard output for a one-file export. Anything else — a
device, a FIFO, a symbolic link, a folder where a file goes, a record, mkdocs.yml, a file in
records/ — is refused with exit 2 and the reason, before any work and before any file is
created. The real program runs in a subprocess, in a copy of a project under tmp_path.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from support import make_project, need

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "fixtures" / "corpus"


def stratlas(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    # A timeout: writing into a FIFO with no reader would block for ever.
    return subprocess.run(
        [sys.executable, "-m", "toolkit.cli", *args],
        cwd=cwd,
        capture_output=True,
        timeout=120,
    )


def refused(done: subprocess.CompletedProcess[bytes], *words: str) -> str:
    """The refusal message, once checked: exit 2, one `stratlas:` line, no traceback."""
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2, (done.returncode, err)
    assert err.startswith("stratlas: "), err
    assert "Traceback" not in err and "internal error" not in err, err
    for word in words:
        assert word in err, (word, err)
    return err


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder: mkdocs.yml, pyproject.toml and a copy of the fixture records."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(CORPUS, root / "records")
    return root


def device(path: Path) -> Path:
    """A character device of our own (the null device's numbers) at `path`; never /dev."""
    need(os.geteuid() == 0, "creating a device node (os.mknod) needs root")
    os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 3))
    return path


# --- export -----------------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["csv", "sqlite"])
def test_export_refuses_a_fifo_before_any_work(project: Path, form: str) -> None:
    fifo = project / "out.pipe"
    os.mkfifo(fifo)
    refused(stratlas(project, "export", "-f", form, "-o", str(fifo)), "FIFO")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_export_refuses_a_device(project: Path) -> None:
    node = device(project / "null")
    refused(stratlas(project, "export", "-f", "csv", "-o", str(node)), "device")
    assert stat.S_ISCHR(os.lstat(node).st_mode)


def test_export_refuses_a_symlink_and_leaves_its_target(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "notes.txt"
    outside.write_bytes(b"mine\n")
    link = project / "out.csv"
    link.symlink_to(outside)
    refused(stratlas(project, "export", "-f", "csv", "-o", str(link)), "symbolic link")
    assert link.is_symlink() and outside.read_bytes() == b"mine\n"


@pytest.mark.parametrize(
    "target",
    [
        "records/entities/borduria.json",  # an existing record
        "records/new.csv",  # a new file inside records/
        "records",  # the records folder itself
        "mkdocs.yml",
        "pyproject.toml",
    ],
)
def test_export_refuses_records_and_project_files(project: Path, target: str) -> None:
    path = project / target
    before = path.read_bytes() if path.is_file() else None
    refused(stratlas(project, "export", "-f", "sqlite", "-o", target), "refusing")
    if before is None:
        assert not path.is_file()
    else:
        assert path.read_bytes() == before
    assert not (project / "records" / "new.csv").exists()


def test_export_replaces_an_ordinary_file_only_with_force(project: Path) -> None:
    out = project / "statements.csv"
    out.write_bytes(b"old\n")
    refused(stratlas(project, "export", "-f", "csv", "-o", "statements.csv"), "--force")
    assert out.read_bytes() == b"old\n"
    done = stratlas(project, "export", "-f", "csv", "-o", "statements.csv", "--force")
    assert done.returncode == 0, done.stderr
    fresh = stratlas(project, "export", "-f", "csv", "-o", "fresh.csv")
    assert fresh.returncode == 0, fresh.stderr
    assert out.read_bytes() == (project / "fresh.csv").read_bytes()
    folder = project / "out"
    folder.mkdir()
    refused(stratlas(project, "export", "-f", "csv", "-o", "out", "--force"), "folder")
    assert list(folder.iterdir()) == []


def test_export_force_never_replaces_a_record(project: Path) -> None:
    record = project / "records" / "entities" / "borduria.json"
    before = record.read_bytes()
    done = stratlas(project, "export", "-f", "csv", "-o", str(record), "--force")
    refused(done, "refusing")
    assert record.read_bytes() == before


@pytest.mark.parametrize("form", ["csv", "sqlite"])
def test_export_dash_is_standard_output(project: Path, form: str) -> None:
    to_file = stratlas(project, "export", "-f", form, "-o", "file.out")
    assert to_file.returncode == 0, to_file.stderr
    done = stratlas(project, "export", "-f", form, "-o", "-")
    assert done.returncode == 0, done.stderr
    assert done.stdout == (project / "file.out").read_bytes()
    assert not (project / "-").exists()


def test_export_jsonl_to_dash_is_refused(project: Path) -> None:
    refused(stratlas(project, "export", "-f", "jsonl", "-o", "-"), "folder")
    assert not (project / "-").exists()


def test_export_jsonl_goes_into_a_new_folder_or_its_own(project: Path, tmp_path: Path) -> None:
    for _ in range(2):  # new, then the folder it made
        done = stratlas(project, "export", "-o", "jsonl")
        assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (project / "jsonl").iterdir()) == [
        "articles.jsonl",
        "entities.jsonl",
    ]
    foreign = project / "mine"
    foreign.mkdir()
    (foreign / "thesis.txt").write_bytes(b"keep")
    refused(stratlas(project, "export", "-o", "mine"), "did not write")
    assert sorted(p.name for p in foreign.iterdir()) == ["thesis.txt"]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / "linked").symlink_to(elsewhere)
    refused(stratlas(project, "export", "-o", "linked"), "symbolic link")
    assert list(elsewhere.iterdir()) == []


def test_export_jsonl_never_writes_through_a_symlink_inside_its_folder(
    project: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "notes.txt"
    outside.write_bytes(b"mine\n")
    folder = project / "jsonl"
    folder.mkdir()
    (folder / "articles.jsonl").symlink_to(outside)
    refused(stratlas(project, "export", "-o", "jsonl"), "symbolic link")
    assert (folder / "articles.jsonl").is_symlink() and outside.read_bytes() == b"mine\n"
    assert not (folder / "entities.jsonl").exists()


def test_export_checks_the_output_before_reading_the_records(project: Path) -> None:
    """A bad --out is a usage error (2) even when the records do not validate (1)."""
    (project / "records" / "entities" / "borduria.json").write_bytes(b"{")
    os.mkfifo(project / "out.pipe")
    refused(stratlas(project, "export", "-f", "csv", "-o", "out.pipe"), "FIFO")


# --- schema -----------------------------------------------------------------------------------


def test_schema_out_onto_a_file_is_refused(project: Path) -> None:
    file = project / "notes.txt"
    file.write_bytes(b"mine\n")
    refused(stratlas(project, "schema", "--out", "notes.txt"), "is a file")
    assert file.read_bytes() == b"mine\n"
    refused(stratlas(project, "schema", "--out", "records"), "refusing")
    refused(stratlas(project, "schema", "--out", "mkdocs.yml"), "refusing")


def test_schema_check_on_a_missing_folder_is_a_usage_error(project: Path) -> None:
    refused(stratlas(project, "schema", "--check", "--out", "nowhere"), "no such folder")
    assert not (project / "nowhere").exists()


def test_schema_never_writes_through_a_symlink(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "notes.txt"
    outside.write_bytes(b"mine\n")
    folder = project / "schema"
    folder.mkdir()
    (folder / "entity.schema.json").symlink_to(outside)
    refused(stratlas(project, "schema"), "symbolic link")
    assert outside.read_bytes() == b"mine\n"
    assert sorted(p.name for p in folder.iterdir()) == ["entity.schema.json"]


# --- new, fmt ---------------------------------------------------------------------------------


def test_new_refuses_a_file_where_its_folder_goes(project: Path) -> None:
    shutil.rmtree(project / "records" / "entities")
    (project / "records" / "entities").write_bytes(b"not a folder")
    refused(stratlas(project, "new", "entity", "state", "Ruritania"), "not a folder")
    assert (project / "records" / "entities").read_bytes() == b"not a folder"


def test_new_never_writes_through_a_symlinked_records_folder(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    shutil.move(project / "records" / "entities", elsewhere)
    (project / "records" / "entities").symlink_to(elsewhere, target_is_directory=True)
    before = sorted(p.name for p in elsewhere.iterdir())
    refused(stratlas(project, "new", "entity", "state", "Freedonia"), "leads outside")
    assert sorted(p.name for p in elsewhere.iterdir()) == before


def test_fmt_leaves_project_files_alone(project: Path) -> None:
    package = project / "package.json"
    package.write_bytes(b'{"name":"x"}')
    done = stratlas(project, "fmt", "package.json")
    assert done.returncode == 1, done.stderr
    assert b"not formatted" in done.stderr and b"refusing" in done.stderr
    assert package.read_bytes() == b'{"name":"x"}'


# --- build: the lock and the marker ------------------------------------------------------------


@pytest.fixture
def site_project(tmp_path: Path) -> Path:
    return make_project(tmp_path)


def test_build_refuses_a_symlinked_generated_folder_before_creating_anything(
    site_project: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (site_project / "docs" / "generated").symlink_to(elsewhere)
    done = stratlas(site_project, "build", "--records", str(CORPUS), "--out", "site")
    refused(done, "symbolic link")
    assert list(elsewhere.iterdir()) == []
    assert not (site_project / "site").exists()


def test_build_never_opens_its_lock_through_a_symlink(site_project: Path, tmp_path: Path) -> None:
    generated = site_project / "docs" / "generated"
    generated.mkdir()
    target = tmp_path / "created-through-the-link"
    (generated / ".stratlas-build.lock").symlink_to(target)
    done = stratlas(site_project, "build", "--records", str(CORPUS), "--out", "site")
    refused(done, "symbolic link")
    assert not target.exists()


def test_build_refuses_an_output_folder_whose_marker_is_not_a_regular_file(
    site_project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / ".stratlas-site")
    done = stratlas(site_project, "build", "--records", str(CORPUS), "--out", str(out))
    refused(done, "FIFO")
    assert [p.name for p in out.iterdir()] == [".stratlas-site"]


# --- the rule itself --------------------------------------------------------------------------


def test_why_not_writable_says_why(tmp_path: Path) -> None:
    from toolkit.runtime.write import why_not_writable, why_not_writable_folder

    regular = tmp_path / "file"
    regular.write_bytes(b"x")
    (tmp_path / "link").symlink_to(regular)
    os.mkfifo(tmp_path / "fifo")
    assert why_not_writable(tmp_path / "new") is None
    assert why_not_writable(regular, force=True) is None
    assert why_not_writable(regular, own=True) is None
    assert "--force" in (why_not_writable(regular) or "")
    assert "symbolic link" in (why_not_writable(tmp_path / "link", force=True) or "")
    assert "FIFO" in (why_not_writable(tmp_path / "fifo", force=True) or "")
    assert "folder" in (why_not_writable(tmp_path, force=True) or "")
    assert "no such folder" in (why_not_writable(tmp_path / "a" / "b") or "")
    assert why_not_writable(tmp_path / "a" / "b", parents=True) is None
    assert "refusing" in (why_not_writable(regular, protected=[tmp_path], force=True) or "")
    # Protection sees through a symlinked folder on the way to the file.
    (tmp_path / "alias").symlink_to(tmp_path / "guarded", target_is_directory=True)
    (tmp_path / "guarded").mkdir()
    assert why_not_writable(tmp_path / "alias" / "x", protected=[tmp_path / "guarded"])
    assert why_not_writable_folder(tmp_path / "new-folder") is None
    assert "a file" in (why_not_writable_folder(regular) or "")
    assert "did not write" in (why_not_writable_folder(tmp_path, only={"x"}) or "")
