#!/usr/bin/env python3
"""The scaling section of `make bench` (issue 16, item 3): work that must grow linearly with
its input, timed at input size n and 2n in one run.

    .venv/bin/python bench/scaling.py [--quick]

Each module named in CASE_MODULES defines `CASES: dict[str, Case]`: a case, given a fresh
work folder and a size n, prepares input of size n there and returns the callable to time.
It may define `SIZES: dict[str, int]`, the n of each case (chosen so that one timing takes
at least 0.2 s); `--quick` runs every case at a tiny n, to check the harness only. Each
figure is the best of RUNS runs in this process (the input is prepared before the clock
starts); a ratio t(2n)/t(n) of at most LIMIT passes (2 is linear; the margin absorbs noise).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

#: Given a fresh work folder and a size n: prepare input of size n, return what to time.
Case = Callable[[Path, int], Callable[[], object]]

CASE_MODULES: tuple[str, ...] = ("scaling_validate", "scaling_site")
RUNS = 3
LIMIT = 2.5
#: The n of a case whose module gives none, and the n of every case under --quick.
DEFAULT_N = 1000
QUICK_N = 4


@dataclass(frozen=True)
class ScalingRow:
    case: str
    n: int
    small: float  # best time at n, seconds
    large: float  # best time at 2n

    @property
    def ratio(self) -> float:
        return self.large / self.small if self.small > 0 else float("inf")

    @property
    def ok(self) -> bool:
        return self.ratio <= LIMIT


def cases(modules: Sequence[str] = CASE_MODULES) -> Iterator[tuple[str, Case, int]]:
    """(name, case, n) of every case of `modules`, in their order."""
    for name in modules:
        module = importlib.import_module(name)
        sizes: dict[str, int] = getattr(module, "SIZES", {})
        for case_name, case in module.CASES.items():
            yield case_name, case, sizes.get(case_name, DEFAULT_N)


def best_time(case: Case, work: Path, n: int, runs: int) -> float:
    """The least wall time of `runs` runs of the case at size n, each on fresh input."""
    best = float("inf")
    for run in range(runs):
        folder = work / f"n{n}-{run}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        call = case(folder, n)
        gc.collect()
        gc.disable()  # as `stratlas validate` runs (cyclic_gc_paused); also less noise
        try:
            start = time.perf_counter()
            call()
            best = min(best, time.perf_counter() - start)
        finally:
            gc.enable()
        del call
        shutil.rmtree(folder, ignore_errors=True)
    return best


def run(
    work: Path | None = None,
    *,
    quick: bool = False,
    modules: Sequence[str] = CASE_MODULES,
    runs: int = RUNS,
    progress: Callable[[str], object] | None = None,
) -> list[ScalingRow]:
    """Time every case at n and 2n; one row per case."""
    rows: list[ScalingRow] = []
    with tempfile.TemporaryDirectory(prefix="stratlas-scaling-") as temporary:
        base = work if work is not None else Path(temporary)
        for index, (name, case, size) in enumerate(cases(modules)):
            n = QUICK_N if quick else size
            if progress is not None:
                progress(f"scaling: {name} at n = {n:,} and {2 * n:,} …")
            folder = base / f"scaling-{index}"
            small = best_time(case, folder, n, runs)
            large = best_time(case, folder, 2 * n, runs)
            shutil.rmtree(folder, ignore_errors=True)
            rows.append(ScalingRow(name, n, small, large))
    return rows


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def table(rows: Sequence[ScalingRow]) -> str:
    """The rows as a Markdown table."""
    lines = [
        "| case | n | t(n) | t(2n) | ratio | result |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row.case} | {row.n:,} | {_seconds(row.small)} | {_seconds(row.large)} "
            f"| {row.ratio:.2f} | {'PASS' if row.ok else 'FAIL'} (≤ {LIMIT}) |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"every case at n = {QUICK_N}")
    parser.add_argument("--runs", type=int, default=RUNS, help=f"runs per figure ({RUNS})")
    args = parser.parse_args(argv)
    rows = run(quick=args.quick, runs=args.runs, progress=lambda m: print(m, file=sys.stderr))
    print(table(rows))
    return 0 if args.quick or all(row.ok for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
