"""Data safety: what `fmt` and `build` may never do to a contributor's files, proved by breaking
them on purpose.

- `fmt` interrupted at any step of its write (a failure injected into the temp file, the write,
  fsync, chmod or the rename, or a hard crash just before the rename) leaves the original file
  byte for byte as it was; it keeps the file mode and never writes through a symlink. A file
  it may not write (read-only, a locked folder, a symlinked folder) is refused with the reason,
  and the others are formatted.
- `stratlas build` refuses output folders it could destroy (/, a home, the repository or a parent
  of it, a non-empty folder it did not create) and deletes nothing there.
- `stratlas export --out` aimed at a record, a file in records/, mkdocs.yml or a symbolic link
  is refused and changes no byte; a symlinked marker never makes a folder the build's own
  (tests/test_outputs.py covers every kind of target, for every command that writes).
- Two builds of the same records give byte-identical sites under different hash seeds.
- Two builds started at once into the same output folder leave a complete, consistent site (or
  one of them refuses with a clear message), never a half-written one.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from toolkit.authoring.fmt import format_paths
from toolkit.site import MARKER, UnsafeOutput, build

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "fixtures" / "corpus"
BASE = REPO / "tests" / "hostile" / "base"
#: A record in non-canonical form: fmt wants to rewrite it.
UGLY = b'{"id":"tarsis","schema_version":"1.0.0","kind":"state","name":"Tarsis",' + (
    b'"description":"Another fictional state.","disambiguation":"The state, not the university."}'
)


def make_project(root: Path) -> Path:
    project = root / "project"
    project.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", project / "overrides")
    shutil.copytree(REPO / "docs", project / "docs", ignore=shutil.ignore_patterns("generated"))
    return project


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` (symlinks as their target path), for exact comparison."""
    found: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[key] = b"-> " + os.readlink(path).encode()
        elif path.is_file():
            found[key] = path.read_bytes()
    return found


# --- fmt: interrupted writes ----------------------------------------------------------------


@pytest.fixture
def ugly(tmp_path: Path) -> Path:
    records = tmp_path / "records"
    shutil.copytree(BASE, records)
    path = records / "entities" / "tarsis.json"
    path.write_bytes(UGLY)
    path.chmod(0o640)
    return path


class Boom(Exception):
    pass


def _raise(*args: object, **kwargs: object) -> None:
    raise Boom("injected failure")


def _failing_file(method: str) -> Callable[..., object]:
    """os.fdopen that returns a file whose `method` fails (write, flush)."""
    real = os.fdopen

    def fdopen(*args: object, **kwargs: object) -> object:
        handle = real(*args, **kwargs)  # type: ignore[call-overload]

        class Wrapped:
            def __enter__(self) -> Wrapped:
                return self

            def __exit__(self, *exc: object) -> None:
                handle.close()

            def __getattr__(self, name: str) -> object:
                if name == method:
                    return _raise
                return getattr(handle, name)

        return Wrapped()

    return fdopen


INJECTIONS: dict[str, Callable[[pytest.MonkeyPatch], None]] = {
    "mkstemp": lambda mp: mp.setattr(tempfile, "mkstemp", _raise),
    "fdopen": lambda mp: mp.setattr(os, "fdopen", _raise),
    "write": lambda mp: mp.setattr(os, "fdopen", _failing_file("write")),
    "flush": lambda mp: mp.setattr(os, "fdopen", _failing_file("flush")),
    "fsync": lambda mp: mp.setattr(os, "fsync", _raise),
    "chmod": lambda mp: mp.setattr(os, "chmod", _raise),
    "replace": lambda mp: mp.setattr(os, "replace", _raise),
    "keyboard-interrupt at replace": lambda mp: mp.setattr(
        os, "replace", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt())
    ),
}


@pytest.mark.parametrize("step", sorted(INJECTIONS))
def test_fmt_interrupted_at_any_step_leaves_the_original(
    step: str, ugly: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = ugly.parent
    before = snapshot(folder)
    with monkeypatch.context() as patch:
        INJECTIONS[step](patch)
        with pytest.raises((Boom, KeyboardInterrupt)):
            format_paths([ugly], check=False)
    assert snapshot(folder) == before, "the original changed or a temp file was left behind"
    assert stat.S_IMODE(ugly.stat().st_mode) == 0o640


def test_fmt_hard_crash_before_the_rename_leaves_the_original(ugly: Path) -> None:
    """A process killed between fsync and rename (os._exit: no cleanup at all)."""
    code = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from toolkit.authoring.fmt import format_paths\n"
        "os.replace = lambda *a: os._exit(9)\n"
        "format_paths([Path(sys.argv[1])], check=False)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(ugly)], cwd=REPO, capture_output=True, timeout=120
    )
    assert done.returncode == 9, done.stderr
    assert ugly.read_bytes() == UGLY
    left = sorted(
        p.name for p in ugly.parent.iterdir() if not (BASE / "entities" / p.name).exists()
    )
    # what a crash may leave: one hidden temp file (git ignores *.tmp), never a changed record
    assert len(left) <= 1, left
    assert all(n.startswith(".tarsis.json.") and n.endswith(".tmp") for n in left), left


def test_fmt_success_keeps_the_mode_and_a_second_run_is_a_no_op(ugly: Path) -> None:
    (result,) = format_paths([ugly], check=False)
    assert result.status == "changed"
    assert stat.S_IMODE(ugly.stat().st_mode) == 0o640
    first = ugly.read_bytes()
    (again,) = format_paths([ugly], check=False)
    assert again.status == "unchanged" and ugly.read_bytes() == first
    assert sorted(p.name for p in ugly.parent.iterdir() if p.name.endswith(".tmp")) == []


def test_fmt_never_writes_through_a_symlink(ugly: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    outside.write_bytes(UGLY)
    link = ugly.parent / "linked.json"
    link.symlink_to(outside)
    results = format_paths([ugly.parent], check=False)
    assert {r.display.rsplit("/", 1)[-1]: r.status for r in results}["linked.json"] == "refused"
    assert outside.read_bytes() == UGLY and link.is_symlink()


def test_fmt_reports_each_file_it_may_not_write_and_formats_the_rest(
    ugly: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only file, a folder without write permission, a symlinked folder (walked or
    named): each refused with its reason, untouched; the other files are formatted; exit 1."""
    from typer.testing import CliRunner

    from toolkit.cli import app

    entities = ugly.parent
    ugly.chmod(0o444)
    other = entities / "valeria.json"
    other.write_bytes(UGLY.replace(b"tarsis", b"valeria").replace(b"Tarsis", b"Valeria"))
    locked = entities / "locked"
    locked.mkdir()
    (locked / "sealed.json").write_bytes(UGLY.replace(b"tarsis", b"sealed"))
    locked.chmod(0o555)
    if os.access(locked, os.W_OK):  # root: chmod does not deny, the kernel's answer is injected
        real = tempfile.mkstemp

        def mkstemp(*args: object, **kwargs: object) -> tuple[int, str]:
            if Path(str(kwargs.get("dir"))).absolute() == locked.absolute():
                raise PermissionError(13, "Permission denied")
            return real(*args, **kwargs)  # type: ignore[call-overload,no-any-return]

        monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "far.json").write_bytes(UGLY.replace(b"tarsis", b"far"))
    (entities / "linked").symlink_to(outside, target_is_directory=True)
    before = {p: p.read_bytes() for p in (ugly, locked / "sealed.json", outside / "far.json")}
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        app, ["fmt", "records/entities", "records/entities/linked/far.json"]
    )
    locked.chmod(0o755)
    assert result.exit_code == 1, result.output
    refusals = [line for line in result.output.splitlines() if ": not formatted: " in line]
    assert sorted(refusals) == [
        "records/entities/linked/far.json: not formatted: "
        "records/entities/linked is a symbolic link; fmt does not write through it",
        "records/entities/linked: not formatted: the file has findings; run `stratlas validate`",
        "records/entities/locked/sealed.json: not formatted: "
        "cannot write the file: Permission denied",
        "records/entities/tarsis.json: not formatted: the file is read-only",
    ]
    assert "reformatted records/entities/valeria.json" in result.output
    assert other.read_bytes().startswith(b"{\n  ")
    assert {p: p.read_bytes() for p in before} == before
    assert sorted(p.name for p in locked.iterdir()) == ["sealed.json"]  # no temp file left


def test_fmt_refuses_a_file_whose_numbers_it_would_change(tmp_path: Path) -> None:
    records = tmp_path / "records"
    shutil.copytree(BASE, records)
    path = records / "articles" / "spear-strikes.json"
    raw = path.read_bytes().replace(b'"since": 2015', b'"since": 2.015E3', 1)
    raw = raw.replace(b"\n", b"\r\n")
    path.write_bytes(raw)
    (result,) = format_paths([path], check=False)
    if result.status == "changed":
        # allowed only if every number token survived as written
        assert b"2.015E3" in path.read_bytes()
    else:
        assert path.read_bytes() == raw


# --- build: dangerous output folders ---------------------------------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("safety"))


def test_build_refuses_dangerous_output_folders_and_deletes_nothing(
    project: Path, tmp_path: Path
) -> None:
    foreign = tmp_path / "foreign"
    (foreign / "sub").mkdir(parents=True)
    (foreign / "precious.txt").write_text("keep me", encoding="utf-8")
    (foreign / "sub" / "more.txt").write_text("and me", encoding="utf-8")
    hidden_only = tmp_path / "hidden-only"
    hidden_only.mkdir()
    (hidden_only / ".git").mkdir()
    (hidden_only / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    linked = tmp_path / "linked"
    linked.symlink_to(foreign)
    repo_copy_parent = project.parent
    watched = [foreign, hidden_only, project / "docs"]
    before = {folder: snapshot(folder) for folder in watched}
    for out in (
        Path("/"),
        Path.home(),
        Path.home().parent,
        REPO,
        REPO.parent,
        project,
        repo_copy_parent,
        project / "docs",
        foreign,
        hidden_only,
        linked,
        BASE,
        BASE.parent,
    ):
        with pytest.raises(UnsafeOutput):
            build(project, BASE, out)
    for folder in watched:
        assert snapshot(folder) == before[folder], folder
    assert not (project / "docs" / "generated").exists()


def test_cli_refuses_with_a_clear_message_and_exit_code_2(project: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "precious.txt").write_text("keep me", encoding="utf-8")
    for out in ("/", str(Path.home()), str(REPO), str(foreign)):
        done = subprocess.run(
            [sys.executable, "-m", "toolkit.cli", "build", "--records", str(BASE), "--out", out],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 2, (out, done.stdout, done.stderr)
        assert done.stderr.startswith(f"stratlas: {out}: "), done.stderr
        assert any(w in done.stderr for w in ("refusing", "must not", "not empty")), done.stderr
        assert "Traceback" not in done.stderr
    assert (foreign / "precious.txt").read_text(encoding="utf-8") == "keep me"


def test_a_rebuild_replaces_only_its_own_folder(project: Path, tmp_path: Path) -> None:
    """The build owns what it created (the marker says so) and nothing beside it."""
    out = tmp_path / "parent" / "site"
    neighbour = tmp_path / "parent" / "notes.txt"
    out.parent.mkdir()
    neighbour.write_text("mine", encoding="utf-8")
    result = build(project, BASE, out)
    assert result.ok, result.mkdocs.output if result.mkdocs else result.report.findings
    assert (out / MARKER).is_file()
    result = build(project, BASE, out)
    assert result.ok
    assert neighbour.read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in out.parent.iterdir()) == ["notes.txt", "site"]


# --- determinism and concurrency (real processes) --------------------------------------------


def _build_process(
    project: Path, out: Path, seed: str, records: Path = CORPUS
) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "toolkit.cli",
            "build",
            "--records",
            str(records),
            "--out",
            str(out),
        ],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _run(process: subprocess.Popen[str]) -> tuple[int, str]:
    output, _ = process.communicate(timeout=300)
    return process.returncode, output


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The fixture corpus built once, with PYTHONHASHSEED=0."""
    root = tmp_path_factory.mktemp("reference")
    project = make_project(root)
    code, output = _run(_build_process(project, root / "out", "0"))
    assert code == 0, output
    return snapshot(root / "out")


def _differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(p for p in set(a) | set(b) if a.get(p) != b.get(p))


def test_builds_are_byte_identical_across_hash_seeds(
    reference: dict[str, bytes], tmp_path: Path
) -> None:
    project = make_project(tmp_path)
    code, output = _run(_build_process(project, tmp_path / "out", "12345"))
    assert code == 0, output
    assert _differences(reference, snapshot(tmp_path / "out")) == []


def test_concurrent_builds_of_one_project_leave_a_complete_site(
    reference: dict[str, bytes], tmp_path: Path
) -> None:
    project = make_project(tmp_path)
    out = tmp_path / "out"
    first = _build_process(project, out, "1")
    second = _build_process(project, out, "2")
    results = [_run(first), _run(second)]
    for code, output in results:
        assert code == 0 or "refusing" in output or "not empty" in output, output
    assert any(code == 0 for code, _ in results)
    assert _differences(reference, snapshot(out)) == []


def test_concurrent_builds_from_two_checkouts_into_one_folder_leave_a_complete_site(
    reference: dict[str, bytes], tmp_path: Path
) -> None:
    """Two clones (two docs/generated folders, so two build locks) building into one folder."""
    one = make_project(tmp_path / "one")
    two = make_project(tmp_path / "two")
    out = tmp_path / "out"
    results = [_run(p) for p in (_build_process(one, out, "1"), _build_process(two, out, "2"))]
    for code, output in results:
        assert code == 0 or "refusing" in output or "not empty" in output, output
    assert any(code == 0 for code, _ in results)
    assert _differences(reference, snapshot(out)) == []


@pytest.fixture(scope="module")
def reference_base(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The hostile corpus's base tree (other records than the fixture corpus) built once."""
    root = tmp_path_factory.mktemp("reference-base")
    project = make_project(root)
    code, output = _run(_build_process(project, root / "out", "0", BASE))
    assert code == 0, output
    return snapshot(root / "out")


def test_concurrent_builds_of_different_records_into_one_folder_leave_one_whole_site(
    reference: dict[str, bytes], reference_base: dict[str, bytes], tmp_path: Path
) -> None:
    """Two checkouts with different records building into one folder at once: afterwards the
    folder holds one of the two sites exactly — not a mix of both."""
    one = make_project(tmp_path / "one")
    two = make_project(tmp_path / "two")
    out = tmp_path / "out"
    started = [_build_process(one, out, "1", CORPUS), _build_process(two, out, "2", BASE)]
    results = [_run(process) for process in started]
    for code, output in results:
        assert code == 0 or "refusing" in output or "not empty" in output, output
    final = snapshot(out)
    mixed_from_corpus = _differences(reference, final)
    mixed_from_base = _differences(reference_base, final)
    assert not mixed_from_corpus or not mixed_from_base, (
        f"a mix of both builds: {len(mixed_from_corpus)} files differ from the corpus site, "
        f"{len(mixed_from_base)} from the other, e.g. {mixed_from_corpus[:3]}"
    )


def test_the_output_marker_is_created_once_and_never_replaced(tmp_path: Path) -> None:
    """Builds lock the output folder's marker: a second build that replaced it (a rename over
    it) would lock a file the first one never sees, and both would run mkdocs at once."""
    from toolkit.runtime.write import create_file_once

    marker = tmp_path / MARKER
    assert create_file_once(marker, b"first\n")
    inode = marker.stat().st_ino
    assert not create_file_once(marker, b"second\n")
    assert marker.read_bytes() == b"first\n"
    assert marker.stat().st_ino == inode
    assert sorted(p.name for p in tmp_path.iterdir()) == [MARKER]  # no temporary file left


def test_the_output_marker_is_created_where_hard_links_are_not_allowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from toolkit.runtime.write import create_file_once

    def no_links(source: object, target: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    marker = tmp_path / MARKER
    assert create_file_once(marker, b"first\n")
    assert not create_file_once(marker, b"second\n")
    assert marker.read_bytes() == b"first\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [MARKER]


# --- where commands write (issue 16, item 1) ---------------------------------------------------


def test_export_onto_records_project_files_or_links_changes_no_byte(tmp_path: Path) -> None:
    """`export --out` aimed at a record, a file in records/, mkdocs.yml or a symbolic link is
    refused with exit 2, and every file of the project and outside it keeps its bytes."""
    project = tmp_path / "project"
    shutil.copytree(CORPUS, project / "records")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "notes.txt").write_bytes(b"mine\n")
    (project / "link.csv").symlink_to(outside / "notes.txt")
    before = snapshot(tmp_path)
    record = next((project / "records" / "entities").glob("*.json")).relative_to(project)
    for target in (str(record), "records/new.db", "mkdocs.yml", "link.csv"):
        for form in ("csv", "sqlite"):
            done = subprocess.run(
                [sys.executable, "-m", "toolkit.cli", "export", "-f", form, "-o", target],
                cwd=project,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert done.returncode == 2, (target, done.stdout, done.stderr)
            assert done.stderr.startswith(f"stratlas: {target}: "), done.stderr
    assert snapshot(tmp_path) == before


def test_build_never_trusts_a_symlinked_marker(project: Path, tmp_path: Path) -> None:
    """A marker that is a symbolic link to a file does not make a folder the build's own: the
    folder's files would be wiped by mkdocs. Refused before anything is written."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "precious.txt").write_bytes(b"keep me")
    elsewhere = tmp_path / "marker-elsewhere"
    elsewhere.write_bytes(b"not a marker")
    (out / MARKER).symlink_to(elsewhere)
    before = snapshot(tmp_path)
    with pytest.raises(UnsafeOutput, match="symbolic link"):
        build(project, BASE, out)
    assert snapshot(tmp_path) == before


# --- large downloads moved into place (toolkit.site.sync.move_one) ---------------------------


def test_a_spooled_download_is_moved_in_or_copied_across_file_systems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from toolkit.site import sync

    folder = tmp_path / "generated"
    folder.mkdir()
    stats = sync.SyncStats()
    first = tmp_path / "first.db"
    first.write_bytes(b"one")
    sync.move_one(folder, "api/v1/stratlas.db", first, stats)
    assert (folder / "api/v1/stratlas.db").read_bytes() == b"one" and not first.exists()
    # Unchanged bytes: counted, the file left as it was.
    same = tmp_path / "same.db"
    same.write_bytes(b"one")
    sync.move_one(folder, "api/v1/stratlas.db", same, stats)
    assert (stats.written, stats.unchanged) == (["api/v1/stratlas.db"], 1)
    # A temporary folder on another file system: copied, atomically, with no temporary left.
    real_replace = os.replace

    def across(source: str | Path, target: str | Path) -> None:
        if Path(source).parent == tmp_path:
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        real_replace(source, target)

    monkeypatch.setattr(sync.os, "replace", across)
    other = tmp_path / "other.db"
    other.write_bytes(b"two" * 1000)
    sync.move_one(folder, "api/v1/stratlas.db", other, stats)
    assert (folder / "api/v1/stratlas.db").read_bytes() == b"two" * 1000
    assert sorted(p.name for p in (folder / "api/v1").iterdir()) == ["stratlas.db"]
    with pytest.raises(sync.SiteError):
        sync.move_one(folder, "../outside.db", other, stats)
