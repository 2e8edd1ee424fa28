"""The mkdocs subprocess: `mkdocs build --strict`, and `mkdocs serve` with live regeneration.

mkdocs runs as `python -m mkdocs` (never imported: its start-up is the build's, not ours),
with `mkdocs.yml` of the project; it reads docs/ (docs/generated/ included) and `overrides/`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.errors import SiteError, UsageError
from toolkit.site.generate import generate
from toolkit.site.output import GENERATED

if TYPE_CHECKING:
    from toolkit.site.sync import SyncStats
    from toolkit.findings import Report

__all__ = ["MkdocsRun", "check_dev_addr", "require_config", "run_mkdocs_build", "serve"]


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


def require_config(project: Path) -> None:
    """Refuse a project folder without mkdocs.yml (`SiteError`)."""
    if not (project / "mkdocs.yml").is_file():
        raise SiteError(f"{project}: no mkdocs.yml here; run from the repository root")


def check_dev_addr(dev_addr: str) -> None:
    """Refuse (`UsageError`) an address `mkdocs serve` would refuse, by its own rule, or one it
    could not listen on (a port in use), before any page is generated."""
    from mkdocs.config.base import ValidationError
    from mkdocs.config.config_options import IpAddress

    try:
        host, port = IpAddress().validate(dev_addr)  # type: ignore[no-untyped-call]
    except ValidationError as exc:
        raise UsageError(f"--dev-addr {dev_addr}: {exc}") from None
    # Bound as mkdocs' server binds (SO_REUSEADDR), then let go for it.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OverflowError:
            raise UsageError(f"--dev-addr {dev_addr}: a port is a number up to 65535") from None
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise UsageError(
                    f"--dev-addr {dev_addr}: port {port} is in use; stop what serves there "
                    "or give another port"
                ) from None
            raise UsageError(f"--dev-addr {dev_addr}: cannot serve there: {exc.strerror}") from None


def _mkdocs(project: Path, *args: str, module: str = "mkdocs") -> list[str]:
    return [sys.executable, "-m", module, *args, "--config-file", str(project / "mkdocs.yml")]


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


def _timed(
    state: tuple[tuple[str, int, int], ...],
) -> Iterator[tuple[str, tuple[int, int]]]:
    for path, mtime, size in state:
        yield path, (mtime, size)


def serve(
    project: Path,
    records: Path,
    *,
    dev_addr: str = "127.0.0.1:8000",
    on_generate: Callable[[Report, SyncStats | None], None] = lambda report, stats: None,
    interval: float = 0.5,
) -> int:
    """Preview with live reload: regenerate pages whenever records/ or docs/ change, and let
    `mkdocs serve` rebuild and reload the browser when generated pages do. Returns its exit code.

    Generation leaves out the bulk downloads and writes an edited article's page first; mkdocs
    rebuilds only the pages that changed when that gives what a full build would
    (`toolkit.site.preview`)."""
    require_config(project)
    check_dev_addr(dev_addr)
    generated = project / GENERATED
    watched = (records, project / "docs", project / "overrides")
    state = _fingerprint(*watched, skip=generated)
    report, stats = generate(project, records, preview=True)
    on_generate(report, stats)
    if stats is None and not (generated / "index.md").is_file():
        raise SiteError("nothing to preview yet: fix the records first")
    process = subprocess.Popen(
        _mkdocs(
            project,
            "serve",
            "--dev-addr",
            dev_addr,
            "--livereload",
            # overrides/, not the whole theme: polling Material's 11,000 icons twice a second
            # would take a core of its own.
            "--watch",
            str(project / "overrides"),
            # Rebuilds only what changed where that is right, else all (preview.Rebuilds).
            "--dirty",
            module="toolkit.site.preview",  # mkdocs serve, odd request paths answered 400
        ),
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
                # The edited articles' pages are written first (`generate`'s `first`).
                before = dict(_timed(state))
                edited = [Path(path) for path, seen in _timed(current) if before.get(path) != seen]
                state = current
                on_generate(*generate(project, records, preview=True, first=edited))
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
