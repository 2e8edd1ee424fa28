"""The site section of bench/run.py: issue 18's targets 1 and 2, and the rebuild checks.

- Build cost per page (1,000 articles): `stratlas build` from an empty docs/generated against
  a bare `mkdocs build` of a *minimal* site, made here in the same run: as many pages as ours,
  at the same paths (so the nav's pages resolve and the others fall under the same
  `not_in_nav` patterns), each a title and one paragraph, with the same mkdocs.yml, theme and
  overrides. The two alternate, run after run.
- A rebuild with nothing changed rewrites no generated file; one after editing one article
  rewrites only the files that show the edit (or list files that do).
- At 10,000 articles: one build's wall time, the peak memory of all its processes together,
  and a scan of the built site (HTML pages, the largest, those over 1 MB, the total size).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import generate
from measuring import Results, Run, fmt_n, measure, median, mkdocs_env, seconds, times, verdict
from measuring import stratlas as stratlas_cmd

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
#: Marks a folder under --work as made by this script (only such folders are ever replaced).
SITE_MARKER = ".stratlas-bench-site"
EDIT_MARKER = "Zqxbenchedit"
#: Issue 18: no HTML page over 1 MB (taken as 10^6 bytes, the stricter reading).
PAGE_LIMIT = 1_000_000
#: Issue 18, target 1: `stratlas build` ≤ 10× a bare mkdocs build of as many minimal pages.
BUILD_RATIO_LIMIT = 10.0
#: Issue 18, target 2: the build of 10,000 articles in ≤ 10 minutes and < 2 GB (all processes).
LARGE_BUILD_SECONDS = 600.0
MEMORY_LIMIT_MIB = 2048.0
PARAGRAPH = (
    "This page stands for one page of the site in the benchmark: a title and one paragraph of "
    "plain text, about as long as the summary of an article, with no links, no tables and no "
    "lists, so that what mkdocs does for it is only what it does for every page."
)


def build_command() -> list[str]:
    return [*stratlas_cmd(), "build", "--records", "records", "--out", "site"]


def mkdocs_command(site_dir: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "--site-dir",
        site_dir,
        "--config-file",
        "mkdocs.yml",
    ]


def build_available() -> bool:
    if not (REPO / "toolkit" / "site" / "build.py").is_file():
        return False
    probe = measure([*stratlas_cmd(), "build", "--help"], REPO, timeout=120)
    return probe.returncode == 0


def _fresh(project: Path) -> None:
    """Make `project` an empty folder marked as ours (refusing to replace a folder that is not)."""
    if project.exists():
        if not (project / SITE_MARKER).is_file():
            raise SystemExit(f"{project}: exists and was not made by bench/run.py")
        shutil.rmtree(project)
    project.mkdir(parents=True)
    (project / SITE_MARKER).write_text("Made by bench/run.py; replaced on each run.\n")


def _site_sources(project: Path) -> None:
    shutil.copy2(REPO / "mkdocs.yml", project / "mkdocs.yml")
    if (REPO / "overrides").is_dir():
        shutil.copytree(REPO / "overrides", project / "overrides")


def site_project(work: Path, root: Path, n: int) -> Path:
    """A copy of the site sources (mkdocs.yml, overrides/, docs/) with the corpus as records/."""
    project = work / f"site-{n}"
    _fresh(project)
    _site_sources(project)
    docs = REPO / "docs"
    shutil.copytree(
        docs,
        project / "docs",
        ignore=lambda folder, names: ["generated"] if Path(folder) == docs else [],
    )
    for sub in ("articles", "entities", "sources"):
        shutil.copytree(root / sub, project / "records" / sub)
    return project


def pages_of(generated: Path) -> list[str]:
    """The Markdown pages mkdocs renders from docs/generated (paths relative to it)."""
    return sorted(p.relative_to(generated).as_posix() for p in generated.rglob("*.md"))


def minimal_project(work: Path, n: int, pages: list[str]) -> Path:
    """The minimal site: one page of a title and one paragraph at each of `pages`' paths, with
    the same mkdocs.yml and overrides, and the hand-written assets (stylesheets) of docs/."""
    project = work / f"minimal-{n}"
    _fresh(project)
    _site_sources(project)
    generated = project / "docs" / "generated"
    docs = REPO / "docs"
    for asset in docs.rglob("*"):
        relative = asset.relative_to(docs)
        if asset.is_file() and asset.suffix != ".md" and relative.parts[0] != "generated":
            (generated / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(asset, generated / relative)
    for index, page in enumerate(pages):
        path = generated / page
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# Page {index + 1}\n\n{PARAGRAPH}\n", encoding="utf-8")
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


def edit_one_article(project: Path, marker: str = EDIT_MARKER) -> tuple[str, str]:
    """Change the text of one assessment of one article; returns (article id, new text)."""
    path = middle_article(project / "records")
    record = json.loads(path.read_text(encoding="utf-8"))
    assessment = record["assessments"][0]
    assessment["text"] = assessment["text"].rstrip(".") + f", says {marker}."
    path.write_text(generate.dumps(record), encoding="utf-8")
    return record["id"], assessment["text"]


def middle_article(records: Path) -> Path:
    """The article record the bench edits and opens (the middle one by file name)."""
    articles = sorted((records / "articles").glob("*.json"))
    return articles[len(articles) // 2]


# --- the built site -------------------------------------------------------------------------


@dataclass
class SiteScan:
    files: int
    total_bytes: int
    html_pages: int
    largest_page: str
    largest_bytes: int
    over_limit: list[str]


def scan_site(site: Path) -> SiteScan:
    """Sizes of the built site: every file, and every HTML page against PAGE_LIMIT."""
    files = total = pages = largest = 0
    largest_page = ""
    over: list[str] = []
    for here, _dirs, names in os.walk(site):
        for name in names:
            path = Path(here, name)
            size = path.stat().st_size
            files += 1
            total += size
            if name.endswith(".html"):
                pages += 1
                relative = path.relative_to(site).as_posix()
                if size > largest:
                    largest, largest_page = size, relative
                if size > PAGE_LIMIT:
                    over.append(relative)
    return SiteScan(files, total, pages, largest_page, largest, sorted(over))


def _size(count: int) -> str:
    if count >= 10**9:
        return f"{count / 1e9:.2f} GB"
    return f"{count / 1e6:.1f} MB" if count >= 10**6 else f"{count / 1e3:.0f} KB"


def site_rows(n: int, build: Run, scan: SiteScan | None, results: Results) -> None:
    """Issue 18, target 2's memory, page-size and site-size rows for one build of `n` articles."""
    large = n >= 10_000
    suffix = "" if large else " (10k target)"
    results.add(
        "peak memory of `stratlas build`, all processes together",
        fmt_n(n),
        f"{build.total_rss_mib:.0f} MiB (PSS, sampled every 50 ms); the largest process "
        f"{build.rss_mib:.0f} MiB",
        "",
        "",
        "< 2 GB" + suffix,
        verdict(max(build.total_rss_mib, build.rss_mib) < MEMORY_LIMIT_MIB),
    )
    if scan is None:
        return
    over = ", ".join(scan.over_limit[:4]) + (" …" if len(scan.over_limit) > 4 else "")
    results.add(
        "HTML pages over 1 MB (10^6 bytes)",
        fmt_n(n),
        f"{len(scan.over_limit)} of {fmt_n(scan.html_pages)}"
        + (f" ({over})" if over else "")
        + f"; the largest {_size(scan.largest_bytes)}: {scan.largest_page}",
        "",
        "",
        "none" + suffix,
        verdict(not scan.over_limit),
    )
    results.add(
        "total site size",
        fmt_n(n),
        f"{_size(scan.total_bytes)} in {fmt_n(scan.files)} files, "
        f"{fmt_n(scan.html_pages)} HTML pages",
        "",
        "",
        "reported",
        "n/a",
    )


def _scan_raw(scan: SiteScan) -> dict[str, object]:
    return {
        "files": scan.files,
        "bytes": scan.total_bytes,
        "HTML pages": scan.html_pages,
        "largest page": scan.largest_page,
        "largest page bytes": scan.largest_bytes,
        "pages over 1 MB": scan.over_limit[:50],
    }


def _build_failed(n: int, build: Run, budget: float, results: Results) -> None:
    tail = "\n".join((build.stdout + build.stderr).strip().splitlines()[-10:])
    what = (
        f"timed out after {seconds(budget)}"
        if build.timed_out
        else f"failed (exit {build.returncode})"
    )
    results.add("`stratlas build`", fmt_n(n), what, "", "", "", "ERROR")
    results.notes.append(
        f"`stratlas build` of {fmt_n(n)} articles {what}"
        + (f":\n\n```\n{tail}\n```" if tail else " (it printed nothing).")
    )


# --- 1,000 articles: build cost per page and the rebuilds -----------------------------------


@dataclass
class BuiltSite:
    project: Path
    wall: float


def bench_site(
    work: Path, root: Path, n: int, runs: int, budget: float, results: Results
) -> BuiltSite | None:
    """Target 1 and the rebuild checks at `n` articles; None when the build failed."""
    project = site_project(work, root, n)
    generated = project / "docs" / "generated"
    builds: list[Run] = []
    bares: list[Run] = []
    minimal: Path | None = None
    pages: list[str] = []
    for index in range(runs):
        shutil.rmtree(generated, ignore_errors=True)
        shutil.rmtree(project / "site", ignore_errors=True)
        build = measure(build_command(), project, timeout=budget)
        if build.returncode != 0 or build.timed_out:
            _build_failed(n, build, budget, results)
            return None
        builds.append(build)
        if minimal is None:
            pages = pages_of(generated)
            minimal = minimal_project(work, n, pages)
        shutil.rmtree(minimal / "site", ignore_errors=True)
        bares.append(measure(mkdocs_command("site"), minimal, timeout=budget, env=mkdocs_env()))
        # One run only when a build takes over half the budget (10,000 articles at today's
        # speed): a second would double a run that is already long.
        if index == 0 and build.wall > budget / 2:
            break
    scan = scan_site(project / "site")
    results.raw[f"build {n}"] = {
        "stratlas build": [b.wall for b in builds],
        "stratlas build RSS MiB (largest process)": [round(b.rss_mib) for b in builds],
        "stratlas build RSS MiB (all processes)": [round(b.total_rss_mib) for b in builds],
        "minimal mkdocs build": [b.wall for b in bares],
        "minimal mkdocs RSS MiB (largest process)": [round(b.rss_mib) for b in bares],
        "generated files": sum(1 for _ in generated.rglob("*") if _.is_file()),
        "pages (ours and the minimal site's)": len(pages),
        "site": _scan_raw(scan),
    }
    wall = median([b.wall for b in builds])
    bare_ok = [b for b in bares if b.returncode == 0]
    if not bare_ok:
        results.notes.append(
            "The bare `mkdocs build` of the minimal site failed:\n\n```\n"
            + "\n".join((bares[-1].stdout + bares[-1].stderr).strip().splitlines()[-10:])
            + "\n```"
        )
    bare = median([b.wall for b in bare_ok])
    results.add(
        "`stratlas build` (empty docs/generated)",
        fmt_n(n),
        f"{seconds(wall)} (median of {len(builds)}), {fmt_n(len(pages))} pages",
        f"bare `mkdocs build` of {fmt_n(len(pages))} one-paragraph pages {seconds(bare)}",
        times(wall / bare) if bare_ok else "—",
        f"≤ {BUILD_RATIO_LIMIT:g}× the minimal site",
        verdict(wall / bare <= BUILD_RATIO_LIMIT if bare_ok else None),
    )
    site_rows(n, max(builds, key=lambda b: b.total_rss_kib), scan, results)
    rebuild_checks(project, n, budget, results)
    return BuiltSite(project, wall)


def rebuild_checks(project: Path, n: int, budget: float, results: Results) -> None:
    """A rebuild with nothing changed, and one after editing one article (by mtimes)."""
    generated = project / "docs" / "generated"
    before = mtimes(generated)
    again = measure(build_command(), project, timeout=budget)
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
    article_id, text = edit_one_article(project)
    before = mtimes(generated)
    edited = measure(build_command(), project, timeout=budget)
    changed = changed_files(before, mtimes(generated))
    marker = EDIT_MARKER.encode()
    showing = [
        p for p in changed if (generated / p).is_file() and marker in (generated / p).read_bytes()
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
        p for p in mtimes(generated) if p not in changed and marker in (generated / p).read_bytes()
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


# --- 10,000 articles: one build -------------------------------------------------------------


def bench_large_site(
    work: Path, root: Path, n: int, budget: float, results: Results
) -> BuiltSite | None:
    """Target 2 at `n` articles: one build's wall time and memory, and the built site's sizes."""
    project = site_project(work, root, n)
    build = measure(build_command(), project, timeout=budget)
    if build.returncode != 0 or build.timed_out:
        _build_failed(n, build, budget, results)
        results.add(
            "peak memory of `stratlas build`, all processes together",
            fmt_n(n),
            f"{build.total_rss_mib:.0f} MiB before it stopped (PSS, sampled every 50 ms)",
            "",
            "",
            "< 2 GB",
            "FAIL" if build.total_rss_mib >= MEMORY_LIMIT_MIB else "n/a",
        )
        return None
    scan = scan_site(project / "site")
    results.raw[f"build {n}"] = {
        "stratlas build": [build.wall],
        "stratlas build RSS MiB (largest process)": [round(build.rss_mib)],
        "stratlas build RSS MiB (all processes)": [round(build.total_rss_mib)],
        "site": _scan_raw(scan),
    }
    results.add(
        "`stratlas build` (empty docs/generated), one run",
        fmt_n(n),
        seconds(build.wall),
        "",
        "",
        f"≤ {LARGE_BUILD_SECONDS / 60:g} min" + ("" if n >= 10_000 else " (10k target)"),
        verdict(build.wall <= LARGE_BUILD_SECONDS),
    )
    site_rows(n, build, scan, results)
    return BuiltSite(project, build.wall)
