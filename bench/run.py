#!/usr/bin/env python3
"""`make bench`: measure Stratlas against the targets of issues 7, 15 and 18; write bench/RESULTS.md.

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
- the site (issue 18; bench/site_*.py): a full build of 1,000 articles (from an empty
  docs/generated) against a bare `mkdocs build` of as many one-paragraph pages, alternating; a
  rebuild with nothing changed and one after editing one article (which generated files were
  rewritten, by mtime); one build of 10,000 articles (wall time, the memory of all its
  processes, the largest HTML page, the site's size); the bytes Chromium downloads for a first
  search query; and how soon `stratlas serve` shows an edited article.

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
import subprocess
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
import generate  # noqa: E402
import scaling  # noqa: E402
import site_build  # noqa: E402
from measuring import (  # noqa: E402
    Results,
    Row,
    fmt_n,
    measure,
    median,
    seconds,
    stratlas,
    times,
    verdict,
    warm,
)
from site_preview import bench_preview  # noqa: E402
from site_search import bench_search  # noqa: E402

SEED = 1
BROKEN_PERCENT = 1.0
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
            "(PSS, sampled every 50 ms)",
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
        f"Written by `{command}` on {now}. Targets are those of issue 7, with issue 15's for "
        "validation (≤ 6× the floor: every rule in Python) and issue 18's for the site (build "
        "cost per page, 10,000 articles, search, preview); ratios compare figures measured in "
        "the same run on the same files. Wall times are medians of the runs listed under *Raw "
        "figures*; peak RSS is the largest `ru_maxrss` of the process and the children it waited "
        "for, and, for validation and builds, also the largest sum of the memory of all its "
        "processes at one moment: their proportional set sizes (PSS), so that pages a forked "
        "child shares with its parent count once (sampled from /proc every 50 ms).",
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
        "- Site (issue 18): a copy of mkdocs.yml, overrides/ and docs/ with the corpus as "
        "records/. Build cost per page: `stratlas build` from an empty docs/generated, "
        "alternating run by run with `mkdocs build --strict` of a minimal site made in the same "
        "run: a page of a title and one paragraph at the path of each page ours has (so as many "
        "pages, the nav's pages present and the others under the same `not_in_nav` patterns), "
        "with the same mkdocs.yml, theme and overrides and the stylesheets of docs/. Then a "
        "rebuild with nothing changed and one after appending a marker word to one assessment "
        "of one article, comparing the mtimes of every file under docs/generated. A rewritten "
        "file passes only if it contains the marker (it shows the edit) or names a rewritten "
        "file that does (a manifest such as datapackage.json, which lists sizes and digests).",
        "- Memory of a build: the largest sum of the RSS of every process of its session at "
        "one moment (the build, mkdocs, Pagefind), sampled from /proc every 50 ms. Site size: "
        "every file under site/; an HTML page is over 1 MB when it has more than 10^6 bytes.",
        "- Search: Debian's Chromium (headless, driven by Playwright) opens the middle article "
        "of the built site, served by Python's http.server on 127.0.0.1 (no compression), "
        "waits for its load event, presses `/`, types the query (the first word of four "
        "letters or more of the name of the entity most articles mention) and waits for the "
        "first `.pagefind-ui__result-link`, then until the network is quiet for 1 s. The "
        "figure sums CDP's `Network.loadingFinished` `encodedDataLength` (the bytes received, "
        "headers included) of every request sent from the load event on; the page's own load "
        "is shown beside it.",
        "- Preview: `stratlas serve --dev-addr 127.0.0.1:<free port>` in the site project; "
        "once the middle article's page is served, one of its assessments gets a marker word, "
        "and the page is fetched every 0.2 s until it shows it: the seconds from the write to "
        "that response (--preview-seconds: the most it waits; then FAIL). The server's process "
        "group gets SIGTERM at the end, whatever happened.",
        "- Runs: 3 per figure, fewer when one run takes long (over 30 s: 2 runs; over 120 s "
        "for validation or half of --max-seconds for a build: 1 run); one build of the largest "
        "site.",
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
    elif not site_build.build_available():
        results.notes.append(
            "`stratlas build` is not available yet (no toolkit/site/build.py or no `build` command): "
            "the site figures were not measured."
        )
    else:
        measure_site(args, results, sizes, pool, runs, work, per_article)


def measure_site(
    args: argparse.Namespace,
    results: Results,
    sizes: list[int],
    pool: int | None,
    runs: int,
    work: Path,
    per_article: dict[int, float],
) -> None:
    """Issue 18's targets: the build at about 1,000 articles (and the preview there), then one
    build at the largest N; the first search query on each built site."""
    site_n = min(sizes, key=lambda n: abs(n - 1000))
    print(f"building the site of {fmt_n(site_n)} articles …", file=sys.stderr, flush=True)
    root = corpus(work, site_n, 0.0, pool)
    site = site_build.bench_site(work, root, site_n, runs, args.max_seconds, results)
    if site is None:
        return
    print("searching it in Chromium …", file=sys.stderr, flush=True)
    article = site_build.middle_article(site.project / "records").stem
    bench_search(site.project / "site", site.project / "records", article, site_n, results)
    print(f"previewing {fmt_n(site_n)} articles with `stratlas serve` …", file=sys.stderr)
    bench_preview(site.project, site_n, args.max_seconds, args.preview_seconds, results)
    largest = max(sizes)
    if largest <= site_n:
        return
    estimate = site.wall * largest / site_n
    if largest in per_article and estimate <= args.large_site_seconds:
        print(f"building the site of {fmt_n(largest)} articles …", file=sys.stderr, flush=True)
        root = corpus(work, largest, 0.0)
        large = site_build.bench_large_site(work, root, largest, args.large_site_seconds, results)
        if large is not None:
            article = site_build.middle_article(large.project / "records").stem
            bench_search(
                large.project / "site", large.project / "records", article, largest, results
            )
        return
    why = (
        "its validation was not measured"
        if largest not in per_article
        else f"estimated {seconds(estimate)}, over the "
        f"{seconds(args.large_site_seconds)} budget (--large-site-seconds)"
    )
    results.add(
        "`stratlas build` (empty docs/generated), one run",
        fmt_n(largest),
        f"not built ({why})",
        "",
        "",
        f"≤ {site_build.LARGE_BUILD_SECONDS / 60:g} min",
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
        help="the most the one build of the largest site may take (default 3600)",
    )
    parser.add_argument(
        "--preview-seconds",
        type=float,
        default=120,
        help="how long `stratlas serve` may take to show an edited article before it counts as "
        "a FAIL (default 120)",
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
