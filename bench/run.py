#!/usr/bin/env python3
"""`make bench`: measure Stratlas against the targets of issues 7 and 15 and write bench/RESULTS.md.

    .venv/bin/python bench/run.py            # N = 1,000 and 10,000 (what `make bench` runs)
    .venv/bin/python bench/run.py --quick    # smoke run: N = 20, one run each, not RESULTS.md

Everything runs as a subprocess, timed from outside (wall clock) with the peak RSS of the
process and the children it waited for (`os.wait4`):

- the orjson parse floor: read every file of the corpus and `orjson.loads` every JSON record,
  in a fresh Python process, interleaved with the validator runs on the same (warm) files;
- `stratlas validate --strict` on a valid corpus and on one with 1 % of the files broken
  (`validate` without --strict there: it must exit 1);
- per-article validation time at 10,000 against 1,000;
- `stratlas validate records/` on this repository (what the pre-commit hook runs) from a cold
  process, against `python -c "import orjson"`;
- when `stratlas build` exists: a full build of 1,000 articles (from an empty docs/generated)
  against a bare `mkdocs build` of the pages it generated, a rebuild with nothing changed and
  one after editing one article (which generated files were rewritten, by mtime), and the size
  of the search index.

Generated corpora are cached under bench/out/ (git-ignored) and made again when the generator
changes. Exit status: 0 when the table was produced (targets may fail: the table says which),
1 when the harness itself could not trust a measurement (the valid corpus did not validate
clean, or the broken one did not fail).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import hashlib
import json
import os
import platform
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
import generate  # noqa: E402
import scaling  # noqa: E402

SEED = 1
BROKEN_PERCENT = 1.0
#: Marks a folder under --work as made by this script (only such folders are ever replaced).
SITE_MARKER = ".stratlas-bench-site"
EDIT_MARKER = "Zqxbenchedit"
PACKAGES = (
    "stratlas",
    "orjson",
    "pydantic",
    "pydantic-core",
    "jsonschema",
    "jsonschema-rs",
    "mkdocs",
    "mkdocs-material",
    "typer",
)

FLOOR_SCRIPT = r"""
import os, sys, orjson
root = sys.argv[1]
for sub in ("articles", "entities"):
    folder = os.path.join(root, sub)
    for name in os.listdir(folder):
        with open(os.path.join(folder, name), "rb") as handle:
            data = handle.read()
        try:
            orjson.loads(data)
        except orjson.JSONDecodeError:
            pass
folder = os.path.join(root, "sources")
for name in os.listdir(folder):
    with open(os.path.join(folder, name), "rb") as handle:
        handle.read().decode("utf-8")
"""


# --- measuring ------------------------------------------------------------------------------


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


def _group_rss_kib(group: int) -> int:
    """Sum of the resident memory of every process in process group `group` (Linux /proc)."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            if int(fields[2]) != group:  # field 5 of stat: the process group
                continue
            with open(f"/proc/{entry.name}/status", "rb") as handle:
                for line in handle:
                    if line.startswith(b"VmRSS:"):
                        total += int(line.split()[1])
                        break
        except (OSError, IndexError, ValueError):
            continue  # the process ended meanwhile
    return total


class _RssSampler(threading.Thread):
    """Samples the summed RSS of a process group every 50 ms while it runs."""

    def __init__(self, group: int) -> None:
        super().__init__(daemon=True)
        self.group = group
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        if not os.path.isdir("/proc"):
            return
        while not self.done.wait(0.05):
            self.peak = max(self.peak, _group_rss_kib(self.group))


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


# --- corpora --------------------------------------------------------------------------------


def code_digest() -> str:
    """What the figures depend on, besides the corpora: to notice edits made during a run."""
    digest = hashlib.sha256()
    for folder in ("toolkit", "overrides", "docs"):
        for path in sorted((REPO / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and "generated" not in path.parts:
                digest.update(path.relative_to(REPO).as_posix().encode())
                digest.update(path.read_bytes())
    for name in ("mkdocs.yml", "pyproject.toml"):
        with contextlib.suppress(OSError):
            digest.update((REPO / name).read_bytes())
    return digest.hexdigest()


def generator_digest() -> str:
    return hashlib.sha256((BENCH / "generate.py").read_bytes()).hexdigest()[:16]


def corpus(work: Path, n: int, broken: float, pool: int | None = None) -> Path:
    """The cached corpus of `n` articles (made again if missing or made by another generator)."""
    name = (
        f"corpus-{n}" + (f"-pool{pool}" if pool else "") + (f"-broken{broken:g}" if broken else "")
    )
    out = work / name
    stamp = out / "bench-stamp.json"
    want = {"n": n, "pool": pool, "seed": SEED, "broken": broken, "generator": generator_digest()}
    with contextlib.suppress(OSError, ValueError):
        if json.loads(stamp.read_text()) == want:
            return out
    print(f"generating {name} …", file=sys.stderr, flush=True)
    result = generate.generate(n, SEED, out, broken, pool)
    stamp.write_text(json.dumps(want) + "\n")
    print(
        f"  {result.articles} articles, {result.entities} entities, {result.bytes / 1e6:.0f} MB "
        f"in {result.seconds:.0f} s",
        file=sys.stderr,
    )
    return out


def describe_corpus(root: Path) -> dict[str, Any]:
    manifest = json.loads((root / generate.MANIFEST).read_text())
    kinds: dict[str, int] = {}
    for how in manifest["broken"].values():
        kinds[how] = kinds.get(how, 0) + 1
    return {
        "articles": manifest["articles"],
        "entities": manifest["entities"],
        "MB": round(manifest["bytes"] / 1e6, 1),
        "mean article KB": round(manifest["mean_article_bytes"] / 1000, 1),
        "mean source KB": round(manifest["mean_source_bytes"] / 1000, 1),
        "most-mentioned entities (articles)": manifest["mentions_top10"][:5],
        "median mentions": manifest["mentions_median"],
        "broken files": len(manifest["broken"]),
        "broken kinds": dict(sorted(kinds.items())),
    }


# --- validation -----------------------------------------------------------------------------


@dataclass
class ValidateFigures:
    floor: list[float] = field(default_factory=list)
    validate: list[float] = field(default_factory=list)
    rss_mib: list[float] = field(default_factory=list)
    total_rss_mib: list[float] = field(default_factory=list)
    timed_out: bool = False
    skipped: str = ""


def bench_validate(
    root: Path, runs: int, broken: bool, budget: float, results: Results
) -> ValidateFigures:
    figures = ValidateFigures()
    warm(root)
    command = [*stratlas(), "validate", *([] if broken else ["--strict"]), str(root)]
    floor_command = [sys.executable, "-c", FLOOR_SCRIPT, str(root)]
    measure(floor_command, REPO)  # warm-up, not counted
    run_index = 0
    while run_index < runs:
        floor = measure(floor_command, REPO)
        if floor.returncode != 0:
            raise SystemExit(f"the orjson floor script failed:\n{floor.stderr}")
        figures.floor.append(floor.wall)
        run = measure(command, REPO, timeout=budget)
        if run.timed_out:
            figures.timed_out = True
            break
        figures.validate.append(run.wall)
        figures.rss_mib.append(run.rss_mib)
        figures.total_rss_mib.append(run.total_rss_mib)
        expected = 1 if broken else 0
        if run.returncode != expected:
            results.trusted = False
            tail = "\n".join((run.stdout + run.stderr).strip().splitlines()[-8:])
            results.notes.append(
                f"`{shlex.join(command[-3:])}` exited {run.returncode}, expected {expected}: "
                f"the measurement is not trustworthy.\n\n```\n{tail}\n```"
            )
        if run_index == 0 and run.wall >= 30:
            # Fewer runs when one is slow (e.g. 10,000 articles with the pure-Python layers).
            runs = min(runs, 2 if run.wall < 120 else 1)
        run_index += 1
    return figures


def validation_rows(
    n: int, valid: ValidateFigures, broken: ValidateFigures, budget: float, results: Results
) -> None:
    for label, figures, limit in (
        # Issue 15: ≤ 6× (was 4× with business rules in C; they are Python only now).
        ("`stratlas validate --strict`, valid corpus", valid, 6.0),
        ("`stratlas validate`, 1 % of files broken", broken, 6.0),
    ):
        floor = median(figures.floor)
        if figures.skipped:
            results.add(
                label, fmt_n(n), f"not run: {figures.skipped}", "", "", f"≤ {limit:g}×", "n/a"
            )
            continue
        if figures.timed_out and not figures.validate:
            results.add(
                label,
                fmt_n(n),
                f"> {seconds(budget)} (timed out)",
                f"orjson floor {seconds(floor)}",
                "—",
                f"≤ {limit:g}× floor",
                "FAIL",
            )
            continue
        wall = median(figures.validate)
        ratio = wall / floor
        results.add(
            label,
            fmt_n(n),
            f"{seconds(wall)} (median of {len(figures.validate)})",
            f"orjson floor {seconds(floor)}",
            times(ratio),
            f"≤ {limit:g}× floor" + ("" if n >= 10_000 else " (10k target)"),
            verdict(ratio <= limit),
        )
        rss = max(figures.rss_mib)
        total = max(figures.total_rss_mib)
        results.add(
            f"peak RSS of {label.split(',')[0]}{' (broken)' if figures is broken else ''}",
            fmt_n(n),
            f"{rss:.0f} MiB the largest process; {total:.0f} MiB all its processes together "
            "(sampled every 50 ms)",
            "",
            "",
            "< 2 GB",
            verdict(max(rss, total) < 2048),
        )


# --- cold start -----------------------------------------------------------------------------


def bench_cold_start(runs: int, results: Results) -> None:
    validate_cmd = [*stratlas(), "validate", "records/"]
    orjson_cmd = [sys.executable, "-c", "import orjson"]
    measure(validate_cmd, REPO)
    measure(orjson_cmd, REPO)
    hook, bare = [], []
    for _ in range(runs):
        run = measure(validate_cmd, REPO)
        if run.returncode != 0:
            results.notes.append(
                f"`stratlas validate records/` on the repository exited {run.returncode}."
            )
        hook.append(run.wall)
        bare.append(measure(orjson_cmd, REPO).wall)
    results.raw["cold start"] = {"stratlas validate records/": hook, "import orjson": bare}
    wall, start = median(hook), median(bare)
    limit = 2 * start + 0.25
    results.add(
        "`stratlas validate records/` (this repo), cold process",
        "1",
        f"{seconds(wall)} (median of {runs})",
        f"`python -c 'import orjson'` {seconds(start)}",
        times(wall / start),
        f"≤ 2× + 0.25 s = {seconds(limit)}",
        verdict(wall <= limit),
    )


# --- site -----------------------------------------------------------------------------------


def build_available() -> bool:
    if not (REPO / "toolkit" / "site" / "build.py").is_file():
        return False
    probe = measure([*stratlas(), "build", "--help"], REPO, timeout=120)
    return probe.returncode == 0


def site_project(work: Path, root: Path, n: int) -> Path:
    """A copy of the site sources (mkdocs.yml, overrides/, docs/) with the corpus as records/."""
    project = work / f"site-{n}"
    if project.exists():
        if not (project / SITE_MARKER).is_file():
            raise SystemExit(f"{project}: exists and was not made by bench/run.py")
        shutil.rmtree(project)
    project.mkdir(parents=True)
    (project / SITE_MARKER).write_text("Made by bench/run.py; replaced on each run.\n")
    shutil.copy2(REPO / "mkdocs.yml", project / "mkdocs.yml")
    if (REPO / "overrides").is_dir():
        shutil.copytree(REPO / "overrides", project / "overrides")
    docs = REPO / "docs"
    shutil.copytree(
        docs,
        project / "docs",
        ignore=lambda folder, names: ["generated"] if Path(folder) == docs else [],
    )
    for sub in ("articles", "entities", "sources"):
        shutil.copytree(root / sub, project / "records" / sub)
    return project


def mtimes(folder: Path) -> dict[str, int]:
    found = {}
    for here, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(here, name)
            found[path.relative_to(folder).as_posix()] = path.stat().st_mtime_ns
    return found


def changed_files(before: dict[str, int], after: dict[str, int]) -> list[str]:
    touched = [p for p, m in after.items() if before.get(p) != m]
    gone = [p for p in before if p not in after]
    return sorted(touched + gone)


def edit_one_article(project: Path) -> tuple[str, str]:
    """Change the text of one assessment of one article; returns (article id, new text)."""
    articles = sorted((project / "records" / "articles").glob("*.json"))
    path = articles[len(articles) // 2]
    record = json.loads(path.read_text(encoding="utf-8"))
    assessment = record["assessments"][0]
    assessment["text"] = assessment["text"].rstrip(".") + f", says {EDIT_MARKER}."
    path.write_text(generate.dumps(record), encoding="utf-8")
    return record["id"], assessment["text"]


def bench_site(
    work: Path, root: Path, n: int, runs: int, full: bool, budget: float, results: Results
) -> tuple[float, float] | None:
    """Build the site of `root`; with `full`, also the bare mkdocs and rebuild comparisons.
    Returns the median build time and the search index's size in MB (None if it failed)."""
    project = site_project(work, root, n)
    generated = project / "docs" / "generated"
    build_cmd = [*stratlas(), "build", "--records", "records", "--out", "site"]
    mkdocs_cmd = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "--site-dir",
        "site-bare",
        "--config-file",
        "mkdocs.yml",
    ]
    builds: list[Run] = []
    bares: list[Run] = []
    for index in range(runs if full else 1):
        shutil.rmtree(generated, ignore_errors=True)
        shutil.rmtree(project / "site", ignore_errors=True)
        build = measure(build_cmd, project, timeout=budget)
        if build.returncode != 0 or build.timed_out:
            tail = "\n".join((build.stdout + build.stderr).strip().splitlines()[-10:])
            what = (
                f"timed out after {seconds(budget)}"
                if build.timed_out
                else f"failed (exit {build.returncode})"
            )
            results.add("`stratlas build`", fmt_n(n), what, "", "", "", "ERROR")
            if not full:
                results.add(
                    "search index (site/search/search_index.json)",
                    fmt_n(n),
                    "not measured: the build did not finish",
                    "",
                    "",
                    "< 25 MB at 10k",
                    "n/a",
                )
            results.notes.append(
                f"`stratlas build` of {fmt_n(n)} articles {what}"
                + (f":\n\n```\n{tail}\n```" if tail else " (it printed nothing).")
            )
            return None
        builds.append(build)
        if full:
            bares.append(measure(mkdocs_cmd, project, timeout=budget, env=mkdocs_env()))
        # One run only when a build takes over half the budget: the build ratio and our
        # share are differences of two long runs, and one run of each is too noisy to judge.
        if index == 0 and build.wall > budget / 2:
            break
    results.raw[f"build {n}"] = {
        "stratlas build": [b.wall for b in builds],
        "stratlas build RSS MiB": [round(b.rss_mib) for b in builds],
        "bare mkdocs build": [b.wall for b in bares],
        "bare mkdocs RSS MiB": [round(b.rss_mib) for b in bares],
        "generated files": sum(1 for _ in generated.rglob("*") if _.is_file()),
    }
    wall = median([b.wall for b in builds])
    rss = max(b.rss_mib for b in builds)
    index_path = project / "site" / "search" / "search_index.json"
    index_mb = index_path.stat().st_size / 1e6 if index_path.is_file() else float("nan")
    if not full:
        results.add(
            "`stratlas build`, one run (for the search index)",
            fmt_n(n),
            f"{seconds(wall)}, {rss:.0f} MiB the largest process",
            "",
            "",
            "",
            "n/a",
        )
    if full:
        bare_ok = [b for b in bares if b.returncode == 0]
        if not bare_ok:
            results.notes.append(
                "The bare `mkdocs build` failed:\n\n```\n"
                + "\n".join(bares[-1].stdout.strip().splitlines()[-10:])
                + "\n```"
            )
        bare = median([b.wall for b in bare_ok])
        results.add(
            "`stratlas build` (empty docs/generated)",
            fmt_n(n),
            f"{seconds(wall)} (median of {len(builds)}), {rss:.0f} MiB",
            f"bare `mkdocs build` {seconds(bare)}",
            times(wall / bare),
            "≤ 1.15× bare mkdocs",
            verdict(wall / bare <= 1.15 if bare_ok else None),
        )
        share = (wall - bare) / wall
        results.add(
            "our share of the build (validate + render + export)",
            fmt_n(n),
            f"{share:.0%} ({seconds(wall - bare)})",
            "",
            "",
            "≤ 15 %",
            verdict(share <= 0.15 if bare_ok else None),
        )
        # A rebuild with nothing changed.
        before = mtimes(generated)
        again = measure(build_cmd, project, timeout=budget)
        rewritten = changed_files(before, mtimes(generated))
        results.raw[f"no-change rebuild {n}"] = {"wall": again.wall, "rewritten": rewritten[:50]}
        results.add(
            "rebuild with nothing changed: generated files rewritten",
            fmt_n(n),
            f"{len(rewritten)} of {len(before)} ({seconds(again.wall)})",
            "",
            "",
            "0",
            verdict(again.returncode == 0 and not rewritten),
        )
        # A rebuild after editing one article.
        article_id, text = edit_one_article(project)
        before = mtimes(generated)
        edited = measure(build_cmd, project, timeout=budget)
        changed = changed_files(before, mtimes(generated))
        marker = EDIT_MARKER.encode()
        showing = [
            p
            for p in changed
            if (generated / p).is_file() and marker in (generated / p).read_bytes()
        ]
        # Files that list other files with their sizes or digests change with them.
        names = {Path(p).name.encode() for p in showing}
        manifests = [
            p
            for p in changed
            if p not in showing
            and (generated / p).is_file()
            and any(name in (generated / p).read_bytes() for name in names)
        ]
        unrelated = [p for p in changed if p not in showing and p not in manifests]
        missed = [
            p
            for p in mtimes(generated)
            if p not in changed and marker in (generated / p).read_bytes()
        ]
        results.raw[f"one-article rebuild {n}"] = {
            "article": article_id,
            "edit": text,
            "wall": edited.wall,
            "changed": changed,
            "manifests (list rewritten files)": manifests,
            "changed without the edit": unrelated,
            "show the edit but not rewritten": missed,
        }
        pages = [p for p in changed if p.endswith(".md")]
        detail = f"{len(showing)} show the edit, {len(manifests)} list files that do"
        if unrelated:
            detail += f", {len(unrelated)} neither: " + ", ".join(unrelated[:4])
        if missed:
            detail += f"; {len(missed)} show it but were not rewritten"
        results.add(
            "rebuild after editing one article: files rewritten",
            fmt_n(n),
            f"{len(changed)} ({seconds(edited.wall)}), of which {len(pages)} pages: "
            + ", ".join(pages[:4])
            + (" …" if len(pages) > 4 else ""),
            detail,
            "",
            "only pages that show it",
            verdict(edited.returncode == 0 and bool(changed) and not unrelated and not missed),
        )
    results.add(
        "search index (site/search/search_index.json)",
        fmt_n(n),
        f"{index_mb:.1f} MB",
        "",
        "",
        "< 25 MB at 10k",
        verdict(index_mb < 25 if n >= 10_000 else None) if index_mb == index_mb else "n/a",
    )
    return wall, index_mb


# --- machine --------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    info: dict[str, str] = {"nproc": str(os.cpu_count())}
    with contextlib.suppress(OSError, ValueError):
        info["nproc"] = subprocess.run(
            ["nproc"], capture_output=True, text=True, check=True
        ).stdout.strip()
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["memory"] = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    info["cpu"] = info.get("cpu") or platform.processor() or platform.machine()
    info["os"] = platform.platform()
    with contextlib.suppress(OSError):
        info["load average at start (1, 5, 15 min)"] = ", ".join(
            f"{x:.2f}" for x in os.getloadavg()
        )
    info["python"] = platform.python_version()
    for package in PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            info[package] = metadata.version(package)
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "toolkit", "pyproject.toml"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        info["commit"] = commit + (" + uncommitted changes in toolkit/" if dirty else "")
    return info


# --- report ---------------------------------------------------------------------------------


def table(rows: list[Row]) -> str:
    header = ("what", "N", "measured", "compared with", "ratio", "target", "result")
    lines = ["| " + " | ".join(header) + " |", "|---|---:|---|---|---:|---|---|"]
    for row in rows:
        cells = (row.what, row.n, row.value, row.baseline, row.ratio, row.target, row.status)
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def report(results: Results, info: dict[str, str], argv: list[str], quick: bool) -> str:
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = "make bench" if not argv else "python bench/run.py " + shlex.join(argv)
    parts = [
        "# Benchmark results" + (" (quick smoke run: not the real figures)" if quick else ""),
        "",
        f"Written by `{command}` on {now}. Targets are those of issue 7, with issue 15's for validation (≤ 6× the floor: every rule in Python); ratios compare figures "
        "measured in the same run on the same files. Wall times are medians of the runs listed "
        "under *Raw figures*; peak RSS is the largest `ru_maxrss` of the process and the children "
        "it waited for, and, for validation, also the largest sum of the resident memory of all "
        "its processes at one moment (sampled from /proc every 50 ms).",
        "",
        "## Machine",
        "",
        *(f"- {key}: {value}" for key, value in info.items()),
        "",
        "## Results",
        "",
        table(results.rows),
        "",
        "## Scaling (issue 16)",
        "",
        "Each case times the same work at input size n and 2n in one run (best of "
        f"{scaling.RUNS}, in one process, cyclic GC paused as `stratlas validate` pauses it); "
        f"t(2n)/t(n) ≤ {scaling.LIMIT} passes (2 is linear). Cases: `bench/scaling_*.py`.",
        "",
        scaling.table(results.scaling),
        "",
    ]
    if results.notes:
        parts += ["## Notes", "", *(f"- {note}\n" for note in results.notes)]
    parts += ["## Corpora", ""]
    for name, description in results.corpora.items():
        parts.append(f"- `{name}`: " + ", ".join(f"{k} {v}" for k, v in description.items()))
    parts += [
        "",
        "Made by `bench/generate.py` (seed 1): an entity pool of N/2 + 50 entities whose "
        "mentions follow a Zipf distribution, articles of about 25 KB like the seed record, and "
        "source snapshots in which every evidence quote occurs exactly once. The broken corpora "
        "are the same corpora with 1 % of the record files corrupted in varied ways.",
        "",
        "## Method",
        "",
        "- orjson parse floor: a fresh `python -c` process reads every file of the corpus "
        "(records and snapshots) and `orjson.loads` every record; it runs right before each "
        "validator run on the same, already cached files.",
        "- Validation: `stratlas validate --strict <corpus>` on the valid corpus (exit 0 "
        "expected), `stratlas validate <corpus>` on the broken one (exit 1 expected).",
        "- Cold start: `stratlas validate records/` in this repository, as the pre-commit hook "
        'runs it, against `python -c "import orjson"`, alternating.',
        "- Site: a copy of mkdocs.yml, overrides/ and docs/ with the corpus as records/; "
        "`stratlas build` from an empty docs/generated, then `mkdocs build --strict` of the "
        "pages it generated (same config, other output folder); then a rebuild with nothing "
        "changed and one after appending a marker word to one assessment of one article, "
        "comparing the mtimes of every file under docs/generated. A rewritten file passes "
        "only if it contains the marker (it shows the edit) or names a rewritten file that "
        "does (a manifest such as datapackage.json, which lists sizes and digests).",
        "- Runs: 3 per figure, fewer when one run takes long (over 30 s: 2 runs; over 120 s "
        "for validation or half of --max-seconds for a build: 1 run).",
        "",
        "## Raw figures",
        "",
        "```json",
        json.dumps(results.raw, indent=2, default=str),
        "```",
        "",
    ]
    return "\n".join(parts)


# --- main -----------------------------------------------------------------------------------


def measure_all(
    args: argparse.Namespace,
    results: Results,
    sizes: list[int],
    pool: int | None,
    runs: int,
    work: Path,
    quick: bool,
) -> None:
    """Every section but scaling: validation, cold start, the site."""
    per_article: dict[int, float] = {}
    for n in sizes:
        valid_root = corpus(work, n, 0.0, pool)
        broken_root = corpus(work, n, BROKEN_PERCENT, pool)
        results.corpora[valid_root.name] = describe_corpus(valid_root)
        results.corpora[broken_root.name] = describe_corpus(broken_root)
        smaller = [m for m in per_article if m < n]
        budget = args.max_seconds
        valid = ValidateFigures()
        broken = ValidateFigures()
        if smaller:
            estimate = per_article[max(smaller)] * n
            if estimate > budget:
                valid.skipped = broken.skipped = (
                    f"estimated {seconds(estimate)} from N={fmt_n(max(smaller))}, "
                    f"over the {seconds(budget)} budget"
                )
        if not valid.skipped:
            print(f"validating {fmt_n(n)} articles …", file=sys.stderr, flush=True)
            valid = bench_validate(valid_root, runs, False, budget, results)
            if valid.timed_out and not valid.validate:
                broken.skipped = f"the valid corpus took over {seconds(budget)}"
            else:
                broken = bench_validate(broken_root, runs, True, budget, results)
        results.raw[f"validate {n}"] = {
            "orjson floor": valid.floor,
            "stratlas validate": valid.validate,
            "peak RSS MiB": [round(r) for r in valid.rss_mib],
            "all processes, peak RSS MiB": [round(r) for r in valid.total_rss_mib],
            "broken: orjson floor": broken.floor,
            "broken: stratlas validate": broken.validate,
            "broken: peak RSS MiB": [round(r) for r in broken.rss_mib],
            "broken: all processes, peak RSS MiB": [round(r) for r in broken.total_rss_mib],
        }
        validation_rows(n, valid, broken, budget, results)
        if valid.validate:
            per_article[n] = median(valid.validate) / n
    if len(per_article) >= 2:
        low, high = min(per_article), max(per_article)
        ratio = per_article[high] / per_article[low]
        results.add(
            "per-article validation time",
            f"{fmt_n(high)} vs {fmt_n(low)}",
            f"{per_article[high] * 1000:.2f} ms vs {per_article[low] * 1000:.2f} ms",
            "",
            times(ratio),
            "≤ 1.2×",
            verdict(ratio <= 1.2),
        )
    elif len(sizes) >= 2:
        results.add(
            "per-article validation time",
            f"{fmt_n(max(sizes))} vs {fmt_n(min(sizes))}",
            "not measured at the larger N",
            "",
            "",
            "≤ 1.2×",
            "n/a",
        )

    print("cold start …", file=sys.stderr, flush=True)
    bench_cold_start(2 if quick else 5, results)

    if args.no_site:
        results.notes.append("The site part was skipped (--no-site).")
    elif not build_available():
        results.notes.append(
            "`stratlas build` is not available yet (no toolkit/site/build.py or no `build` command): "
            "the site figures were not measured."
        )
    else:
        site_n = min(sizes, key=lambda n: abs(n - 1000))
        print(f"building the site of {fmt_n(site_n)} articles …", file=sys.stderr, flush=True)
        site = bench_site(
            work, corpus(work, site_n, 0.0, pool), site_n, runs, True, args.max_seconds, results
        )
        largest = max(sizes)
        if site is not None and largest > site_n:
            wall, index_mb = site
            estimate = wall * largest / site_n
            if largest in per_article and estimate <= args.large_site_seconds:
                print(f"building the site of {fmt_n(largest)} articles …", file=sys.stderr)
                bench_site(
                    work,
                    corpus(work, largest, 0.0),
                    largest,
                    1,
                    False,
                    args.large_site_seconds,
                    results,
                )
            else:
                why = (
                    "its validation was not measured"
                    if largest not in per_article
                    else f"estimated {seconds(estimate)}, over the "
                    f"{seconds(args.large_site_seconds)} budget (--large-site-seconds)"
                )
                results.add(
                    "search index (site/search/search_index.json)",
                    fmt_n(largest),
                    f"not built ({why}); ~{index_mb * largest / site_n:.0f} MB if it grows "
                    f"linearly from N={fmt_n(site_n)}",
                    "",
                    "",
                    "< 25 MB at 10k",
                    "n/a",
                )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: N=20 (35 entities), one run each"
    )
    parser.add_argument(
        "--sizes", default=None, help="comma-separated article counts (default 1000,10000)"
    )
    parser.add_argument("--runs", type=int, default=None, help="runs per figure (default 3)")
    parser.add_argument(
        "--work", type=Path, default=BENCH / "out", help="folder for corpora and sites"
    )
    parser.add_argument("--results", type=Path, default=None, help="where to write the report")
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=600,
        help="give up on one validation or build run after this long (default 600)",
    )
    parser.add_argument(
        "--large-site-seconds",
        type=float,
        default=3600,
        help="the most the one build of the largest site (for its search index) may take "
        "(default 3600)",
    )
    parser.add_argument("--no-site", action="store_true", help="skip the `stratlas build` part")
    parser.add_argument(
        "--only",
        choices=("scaling",),
        default=None,
        help="run only this section (scaling: issue 16's n-versus-2n timings, bench/scaling.py)",
    )
    args = parser.parse_args(argv)
    raw_argv = sys.argv[1:] if argv is None else argv

    quick = args.quick
    sizes = (
        [int(s) for s in args.sizes.split(",")]
        if args.sizes
        else ([20] if quick else [1000, 10_000])
    )
    # A small entity pool keeps the smoke run's site (and so its mkdocs builds) small.
    pool = 35 if quick and not args.sizes else None
    runs = args.runs or (1 if quick else 3)
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    results_path = args.results or (work / "RESULTS-quick.md" if quick else BENCH / "RESULTS.md")
    results = Results()
    info = machine()
    code_at_start = code_digest()
    print(f"benchmarking on {info.get('cpu')} ({info.get('nproc')} cores) …", file=sys.stderr)

    if args.only is None:
        measure_all(args, results, sizes, pool, runs, work, quick)
    print("scaling (issue 16) …", file=sys.stderr, flush=True)
    results.scaling = scaling.run(
        work / "scaling", quick=quick, progress=lambda m: print(m, file=sys.stderr, flush=True)
    )
    results.raw["scaling"] = {
        row.case: {"n": row.n, "t(n) s": row.small, "t(2n) s": row.large} for row in results.scaling
    }

    if code_digest() != code_at_start:
        results.notes.append(
            "toolkit/, docs/, overrides/, mkdocs.yml or pyproject.toml changed while the "
            "benchmark ran: the figures may mix two versions of the code (a no-change rebuild, "
            "for one, then rewrites what the new code renders differently). Run it again."
        )
    with contextlib.suppress(OSError):
        info["load average at end"] = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        if max(os.getloadavg()[:2]) > 0.5 + float(info.get("nproc", "1")) / 4:
            results.notes.append(
                "Other processes were running during the measurements (see the load averages): "
                "the figures are noisier than on an idle machine; ratios measured in the same run "
                "suffer least."
            )
    text = report(results, info, raw_argv, quick)
    results_path.parent.mkdir(parents=True, exist_ok=True)
    results_path.write_text(text, encoding="utf-8")
    print(table(results.rows))
    print("\nScaling (issue 16)\n")
    print(scaling.table(results.scaling))
    print(f"\nwrote {display(results_path)}", file=sys.stderr)
    if not results.trusted:
        print("bench: some measurements cannot be trusted; see the notes", file=sys.stderr)
        return 1
    return 0


def display(path: Path) -> str:
    with contextlib.suppress(ValueError):
        return path.relative_to(Path.cwd()).as_posix()
    return path.as_posix()


if __name__ == "__main__":
    sys.exit(main())
