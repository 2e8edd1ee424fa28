"""Measuring for bench/run.py: a subprocess's wall time and memory, and the results table's rows.

Every figure comes from a subprocess timed from outside (wall clock), with the peak RSS of the
process and the children it waited for (`os.wait4`) and the largest sum of the memory of all
the processes of its session at one moment (their PSS, sampled from /proc every 50 ms).
"""

from __future__ import annotations

import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import scaling


@dataclass
class Run:
    wall: float
    rss_kib: int
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool = False
    #: Largest sum of the RSS of every process of the run at one moment (sampled).
    total_rss_kib: int = 0

    @property
    def rss_mib(self) -> float:
        return self.rss_kib / 1024

    @property
    def total_rss_mib(self) -> float:
        return self.total_rss_kib / 1024


def _group_kib(group: int, proportional: bool) -> int:
    """Sum of the memory of every process in process group `group` (Linux /proc): their RSS,
    or with `proportional` their proportional set sizes (`Pss` of smaps_rollup), in which the
    pages a forked child shares with its parent count once, not once per process."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            if int(fields[2]) != group:  # field 5 of stat: the process group
                continue
            total += _pss_kib(entry.name) if proportional else _rss_kib(entry.name)
        except (OSError, IndexError, ValueError):
            continue  # the process ended meanwhile
    return total


def _rss_kib(pid: str) -> int:
    with open(f"/proc/{pid}/status", "rb") as handle:
        for line in handle:
            if line.startswith(b"VmRSS:"):
                return int(line.split()[1])
    return 0


def _pss_kib(pid: str) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return _rss_kib(pid)


class _RssSampler(threading.Thread):
    """The peak of a process group's summed memory (PSS) while it runs. Its RSS is read every
    50 ms; its PSS (costly to read: the kernel walks every page table) at most every 0.5 s,
    and only when the RSS could hold a new peak (PSS is never above RSS)."""

    def __init__(self, group: int) -> None:
        super().__init__(daemon=True)
        self.group = group
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        if not os.path.isdir("/proc"):
            return
        last = 0.0
        while not self.done.wait(0.05):
            rss = _group_kib(self.group, proportional=False)
            now = time.monotonic()
            if rss > self.peak and now - last >= 0.5:
                self.peak = max(self.peak, _group_kib(self.group, proportional=True))
                last = now


def measure(
    cmd: Sequence[str],
    cwd: Path,
    timeout: float | None = None,
    env: dict[str, str] | None = None,
) -> Run:
    """Run `cmd`, returning its wall time and peak RSS (its own and its reaped children's)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(cmd), cwd=cwd, stdout=out, stderr=err, env=env, start_new_session=True
        )
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # the group this call started

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        sampler = _RssSampler(process.pid)  # the session's process group has its id
        sampler.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            sampler.done.set()
            sampler.join()
            if timer:
                timer.cancel()
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            wall,
            usage.ru_maxrss,
            process.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            timed_out.is_set(),
            sampler.peak,
        )


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def stratlas() -> list[str]:
    script = Path(sys.executable).parent / "stratlas"
    return [str(script)] if script.exists() else [sys.executable, "-m", "toolkit.cli"]


def mkdocs_env() -> dict[str, str]:
    # As toolkit/site/mkdocs.py runs mkdocs: without the Material end-of-life banner.
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def warm(root: Path) -> None:
    """Read every file once so that all runs see the same (warm) page cache."""
    for folder in ("articles", "entities", "sources"):
        for path in (root / folder).iterdir():
            path.read_bytes()


# --- results --------------------------------------------------------------------------------


@dataclass
class Row:
    what: str
    n: str
    value: str
    baseline: str = ""
    ratio: str = ""
    target: str = ""
    status: str = ""


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    corpora: dict[str, dict[str, Any]] = field(default_factory=dict)
    trusted: bool = True
    scaling: list[scaling.ScalingRow] = field(default_factory=list)

    def add(self, *args: str) -> None:
        self.rows.append(Row(*args))
        print(f"  {' | '.join(a for a in args if a)}", file=sys.stderr, flush=True)


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def seconds(value: float) -> str:
    if value != value:  # NaN
        return "—"
    if value < 1:
        return f"{value * 1000:.0f} ms"
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s" if value < 100 else f"{value:.0f} s"


def times(ratio: float) -> str:
    return f"{ratio:.2f}×" if ratio < 10 else f"{ratio:.0f}×"


def fmt_n(n: int) -> str:
    return f"{n:,}"
