"""The one writer of the site: generated pages into docs/generated/, then the mkdocs build.

`stratlas build` = validate → render pages (render.py) and JSON (export.py) → write the ones
that changed into `docs/generated/` and delete stale ones → `mkdocs build --strict` into the
output folder. It writes nowhere else, and refuses an output folder that mkdocs would wipe
dangerously (SECURITY.md): `/`, a home, the repository or a parent of it, or an existing,
non-empty folder that this module did not create (it leaves a marker file in the ones it does).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from toolkit.errors import SiteError, UnsafeOutput
from toolkit.runtime.write import create_file_once, write_bytes_atomic
from toolkit.validate import Report, validate_paths

if TYPE_CHECKING:
    from toolkit.link import Graph

__all__ = [
    "GENERATED",
    "MARKER",
    "BuildResult",
    "MkdocsRun",
    "SiteError",
    "SyncStats",
    "UnsafeOutput",
    "build",
    "check_output",
    "generate",
    "serve",
    "site_files",
    "sync_folder",
    "write_site",
]

#: The generated docs folder, relative to the project (the folder holding mkdocs.yml).
GENERATED = Path("docs") / "generated"
#: File left in every output folder the build creates; only such folders are ever replaced.
MARKER = ".stratlas-site"
_MARKER_TEXT = (
    b"Created by `stratlas build`; everything in this folder is replaced on each build.\n"
)
_LOCK = ".stratlas-build.lock"
_HOMES = (Path("/home"), Path("/Users"))


@dataclass
class SyncStats:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0


@dataclass
class MkdocsRun:
    returncode: int
    output: str

    @property
    def problems(self) -> list[str]:
        """mkdocs' WARNING and ERROR lines."""
        return [
            line
            for line in self.output.splitlines()
            if line.startswith(("WARNING", "ERROR")) or "Aborted with" in line
        ]


@dataclass
class BuildResult:
    report: Report
    sync: SyncStats | None = None
    mkdocs: MkdocsRun | None = None
    out: Path | None = None

    @property
    def ok(self) -> bool:
        return self.mkdocs is not None and self.mkdocs.returncode == 0


# --- the output folder ----------------------------------------------------------------------


def check_output(out: Path, project: Path, records: Path) -> Path:
    """The absolute output folder, or `UnsafeOutput` if building there could destroy data."""
    given = out.expanduser().absolute()
    if given.is_symlink():
        raise UnsafeOutput(f"{out}: is a symbolic link; give the real folder")
    target = Path(os.path.realpath(given))
    project = project.resolve()
    home = Path.home().resolve()
    if target == Path(target.anchor):
        raise UnsafeOutput(f"{out}: refusing to build into the file-system root")
    if target == home or home.is_relative_to(target) or target.parent in _HOMES:
        raise UnsafeOutput(f"{out}: refusing to build into a home folder or a parent of one")
    if project.is_relative_to(target):
        raise UnsafeOutput(f"{out}: refusing to build into the repository or a parent of it")
    if target.is_relative_to(project / "docs"):
        raise UnsafeOutput(f"{out}: the output must not be inside docs/")
    records = records.resolve()
    if target.is_relative_to(records) or records.is_relative_to(target):
        raise UnsafeOutput(f"{out}: the output must not hold or be inside the records")
    if target.exists():
        if not target.is_dir():
            raise UnsafeOutput(f"{out}: exists and is not a folder")
        if not (target / MARKER).is_file() and any(target.iterdir()):
            raise UnsafeOutput(
                f"{out}: is not empty and was not created by `stratlas build` (no {MARKER} "
                "file); the build empties its output folder, so give a new or empty folder"
            )
    return target


def _claim_output(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    marker = target / MARKER
    if not marker.is_file():
        # Created once, never replaced: builds lock this file, and two that each wrote
        # their own would hold locks on two different files and run mkdocs at once.
        create_file_once(marker, _MARKER_TEXT)


# --- files ----------------------------------------------------------------------------------


#: From this many records on, the JSON API is exported in a second process while this one
#: renders the pages (below it, starting the process costs more than it saves).
PARALLEL_FROM = 300


def site_files(project: Path, report: Report, *, parallel: bool | None = None) -> dict[str, bytes]:
    """Everything docs/generated/ must hold: pages, JSON API, and the hand-written docs.

    `parallel` forces the export into a second process (True) or keeps it here (False); by
    default it goes there for a corpus of `PARALLEL_FROM` records or more, when it can.
    """
    from toolkit.runtime.parallel import cyclic_gc_paused

    with cyclic_gc_paused():
        files, _, _ = _make_files(project, report, parallel, into=None)
    return files


def write_site(project: Path, report: Report, *, parallel: bool | None = None) -> SyncStats:
    """`sync_folder(docs/generated, site_files(...))`, except that the second process
    writes the files it makes itself (writing is a sixth of the work: files are many)."""
    from toolkit.runtime.parallel import cyclic_gc_paused

    folder = _writable_folder(project / GENERATED)
    # Paused until the files are written: re-enabled earlier, the collector's first full
    # pass over the heap of pages would land here.
    with cyclic_gc_paused():
        files, stats, written_elsewhere = _make_files(project, report, parallel, into=folder)
        _write_changed(folder, files, stats)
        _remove_others(folder, set(files) | written_elsewhere, stats)
    stats.written.sort()
    return stats


def _make_files(
    project: Path, report: Report, parallel: bool | None, into: Path | None
) -> tuple[dict[str, bytes], SyncStats, set[str]]:
    """The site's files, except, with `into`, those the second process wrote there itself:
    what it did is in the returned stats, and their names in the returned set."""
    from toolkit.checks.redirects import load_redirects
    from toolkit.export import api_files
    from toolkit.link import build_graph
    from toolkit.render import render_pages
    from toolkit.runtime.parallel import ChildFailed, can_fork, in_background

    corpus = report.corpus
    if corpus is None:
        raise SiteError("no records were loaded")
    redirects, _ = load_redirects(corpus)
    graph = build_graph(corpus, redirects)
    hand_written = list(_hand_written(project / "docs", project / GENERATED))
    if parallel is None:
        parallel = len(graph.articles) + len(graph.entities) >= PARALLEL_FROM and can_fork()
    stats, elsewhere = SyncStats(), set[str]()
    if parallel:
        # The child exports the JSON and renders some of the article pages; this process
        # renders the rest and every other page (entity pages are the heaviest). The split
        # balances the two on the benchmark corpora (bench/), writing included.
        ids = list(graph.articles)
        cut = len(ids) * 13 // 20
        mine, theirs = ids[:cut], ids[cut:]
        taken = {path for path, _ in hand_written}

        def child_work() -> tuple[dict[str, bytes], list[str], SyncStats]:
            made = _encoded(render_pages(graph, articles=theirs, others=False), api_files(graph))
            clash = sorted(taken & made.keys())
            if clash:  # checked here: the files are written before this process sees them
                raise SiteError(f"docs/{clash[0]} and a generated page both want {clash[0]}")
            done = SyncStats()
            if into is None:
                return made, list(made), done
            _write_changed(into, made, done)
            return {}, list(made), done

        with in_background(child_work) as child:
            files = _encoded(render_pages(graph, articles=mine), {})
            _add_hand_written(files, hand_written, graph)  # before waiting: the child is slower
            try:
                their_files, their_names, stats = child.result()
            except ChildFailed as exc:
                raise SiteError(f"{exc}; run the build again") from exc
        for path in their_names:
            if path in files:
                raise SiteError(f"the JSON API and a generated page both want {path}")
        files.update(their_files)
        elsewhere = set(their_names) - set(their_files)
    else:
        files = _encoded(render_pages(graph), api_files(graph))
        _add_hand_written(files, hand_written, graph)
    _check_urls([*files, *elsewhere])
    return dict(sorted(files.items())), stats, elsewhere


def _add_hand_written(
    files: dict[str, bytes], hand_written: list[tuple[str, Path]], graph: Graph
) -> None:
    from toolkit.render import fill_home

    for path, source in hand_written:
        data = source.read_bytes()
        if path == "index.md":
            data = fill_home(data.decode("utf-8"), graph).encode("utf-8")
        _add(files, path, data, f"docs/{path}")


def _encoded(pages: dict[str, str], api: dict[str, bytes]) -> dict[str, bytes]:
    files = {path: text.encode("utf-8") for path, text in pages.items()}
    for path, data in api.items():
        _add(files, path, data, "the JSON API")
    return files


def _add(files: dict[str, bytes], path: str, data: bytes, what: str) -> None:
    if path in files:
        raise SiteError(f"{what} and a generated page both want {path}")
    files[path] = data


def _hand_written(docs: Path, generated: Path) -> Iterator[tuple[str, Path]]:
    """The files of docs/ (not docs/generated/, not hidden ones); symlinks are refused."""
    if not docs.is_dir():
        return
    for folder, dirs, names in os.walk(docs):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and here / d != generated)
        for name in sorted([*names, *(d for d in dirs if (here / d).is_symlink())]):
            path = here / name
            if name.startswith("."):
                continue
            if path.is_symlink():
                raise SiteError(f"{path}: symbolic links are not allowed in docs/")
            yield path.relative_to(docs).as_posix(), path


def _check_urls(files: Iterable[str]) -> None:
    """`a.md` and `a/index.md` become the same page: mkdocs would keep one silently."""
    seen: dict[str, str] = {}
    for path in files:
        if not path.endswith(".md"):
            continue
        pure = PurePosixPath(path)
        url = str(pure.parent if pure.stem == "index" else pure.with_suffix(""))
        if url in seen:
            raise SiteError(f"{seen[url]} and {path} would be the same page")
        seen[url] = path


def _safe_relative(path: str) -> PurePosixPath:
    pure = PurePosixPath(path)
    if pure.is_absolute() or not pure.parts or any(p in ("", ".", "..") for p in pure.parts):
        raise SiteError(f"refusing to write outside the generated folder: {path!r}")
    return pure


def sync_folder(folder: Path, files: dict[str, bytes]) -> SyncStats:
    """Make `folder` hold exactly `files`: write what changed, delete the rest."""
    folder = _writable_folder(folder)
    stats = SyncStats()
    _write_changed(folder, files, stats)
    _remove_others(folder, set(files), stats)
    return stats


def _writable_folder(folder: Path) -> Path:
    if folder.is_symlink():
        raise SiteError(f"{folder}: is a symbolic link")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write_changed(folder: Path, files: dict[str, bytes], stats: SyncStats) -> None:
    for path, data in files.items():
        target = folder.joinpath(*_safe_relative(path).parts)
        if target.is_file() and not target.is_symlink() and target.read_bytes() == data:
            stats.unchanged += 1
            continue
        if target.is_symlink() or target.is_dir():
            _remove(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        # No fsync: these files are regenerated from the records on every build.
        write_bytes_atomic(target, data, durable=False)
        stats.written.append(path)


def _remove_others(folder: Path, keep: set[str], stats: SyncStats) -> None:
    keep = keep | {_LOCK}
    for here, dirs, names in os.walk(folder, topdown=False):
        base = Path(here)
        for name in [*names, *(d for d in dirs if (base / d).is_symlink())]:
            relative = (base / name).relative_to(folder).as_posix()
            if relative not in keep:
                (base / name).unlink()
                stats.removed.append(relative)
        if base != folder and not any(base.iterdir()):
            base.rmdir()
    stats.removed.sort()


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        for child in sorted(path.rglob("*"), reverse=True):
            child.rmdir() if child.is_dir() and not child.is_symlink() else child.unlink()
        path.rmdir()
    else:
        path.unlink()


@contextlib.contextmanager
def _locked(folder: Path, name: str = _LOCK) -> Iterator[None]:
    """One build at a time per project, or per output folder (a second one waits)."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        yield
        return
    with open(folder / name, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- stages ---------------------------------------------------------------------------------


def _failing(report: Report, strict: bool) -> bool:
    return bool(report.findings if strict else report.errors)


def generate(
    project: Path, records: Path, *, strict: bool = False
) -> tuple[Report, SyncStats | None]:
    """Validate `records` and, if they pass, bring docs/generated/ up to date."""
    with _locked(project / GENERATED):
        return _generate(project, records, strict)


def _generate(project: Path, records: Path, strict: bool) -> tuple[Report, SyncStats | None]:
    report = validate_paths([records], parallel=None)
    if _failing(report, strict):
        return report, None
    return report, write_site(project, report)


def _generate_apart(project: Path, records: Path, strict: bool) -> tuple[Report, SyncStats | None]:
    """`_generate` in a child process where forking is safe, so that the records, graph and
    pages it holds (gigabytes at 10,000 articles; Python keeps most of what it frees) go
    back to the system before mkdocs starts: only the findings come back."""
    from toolkit.runtime.parallel import can_fork, in_background

    if not can_fork():
        return _generate(project, records, strict)

    def work() -> tuple[Report, SyncStats | None]:
        report, sync = _generate(project, records, strict)
        return Report(findings=report.findings, files_checked=report.files_checked), sync

    with in_background(work) as pending:
        return pending.result()


def _mkdocs(project: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "mkdocs", *args, "--config-file", str(project / "mkdocs.yml")]


def _environment() -> dict[str, str]:
    # The Material end-of-life banner is not a build warning; keep the output to the build.
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def run_mkdocs_build(project: Path, out: Path) -> MkdocsRun:
    """`mkdocs build --strict` of the project into `out` (already checked and claimed)."""
    done = subprocess.run(
        _mkdocs(project, "build", "--strict", "--site-dir", str(out)),
        cwd=project,
        env=_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    return MkdocsRun(done.returncode, done.stdout)


def build(project: Path, records: Path, out: Path, *, strict: bool = False) -> BuildResult:
    """Validate, generate and build the site into `out`. Raises `SiteError` when refused."""
    if not (project / "mkdocs.yml").is_file():
        raise SiteError(f"{project}: no mkdocs.yml here; run from the repository root")
    target = check_output(out, project, records)
    with _locked(project / GENERATED):
        report, sync = _generate_apart(project, records, strict)
        if sync is None:
            return BuildResult(report)
        _claim_output(target)
        # Builds from two checkouts share no project lock: the output folder has its own
        # (its marker file, which mkdocs leaves in place), so one finishes before the next.
        with _locked(target, MARKER):
            run = run_mkdocs_build(project, target)
        _claim_output(target)
    return BuildResult(report, sync, run, target)


# --- live preview ---------------------------------------------------------------------------


def _fingerprint(*roots: Path, skip: Path) -> tuple[tuple[str, int, int], ...]:
    found = []
    for root in roots:
        for folder, dirs, names in os.walk(root):
            dirs[:] = sorted(d for d in dirs if Path(folder, d) != skip)
            for name in sorted(names):
                with contextlib.suppress(OSError):
                    info = os.stat(Path(folder, name), follow_symlinks=False)
                    found.append((os.path.join(folder, name), info.st_mtime_ns, info.st_size))
    return tuple(found)


def serve(
    project: Path,
    records: Path,
    *,
    dev_addr: str = "127.0.0.1:8000",
    on_generate: Callable[[Report, SyncStats | None], None] = lambda report, stats: None,
    interval: float = 0.5,
) -> int:
    """Preview with live reload: regenerate pages whenever records/ or docs/ change, and let
    `mkdocs serve` rebuild and reload the browser when generated pages do. Returns its exit code."""
    if not (project / "mkdocs.yml").is_file():
        raise SiteError(f"{project}: no mkdocs.yml here; run from the repository root")
    generated = project / GENERATED
    watched = (records, project / "docs", project / "overrides")
    state = _fingerprint(*watched, skip=generated)
    report, stats = generate(project, records)
    on_generate(report, stats)
    if stats is None and not (generated / "index.md").is_file():
        raise SiteError("nothing to preview yet: fix the records first")
    process = subprocess.Popen(
        _mkdocs(project, "serve", "--dev-addr", dev_addr, "--livereload", "--watch-theme"),
        cwd=project,
        env=_environment(),
    )
    with _stop_on_sigterm():
        _watch(process, project, records, watched, state, on_generate, interval)
    return process.returncode or 0


@contextlib.contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """Turn SIGTERM into SystemExit, so the `finally` that stops `mkdocs serve` runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _watch(
    process: subprocess.Popen[bytes],
    project: Path,
    records: Path,
    watched: tuple[Path, ...],
    state: tuple[tuple[str, int, int], ...],
    on_generate: Callable[[Report, SyncStats | None], None],
    interval: float,
) -> None:
    generated = project / GENERATED
    try:
        while process.poll() is None:
            time.sleep(interval)
            current = _fingerprint(*watched, skip=generated)
            if current != state:
                state = current
                on_generate(*generate(project, records))
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
