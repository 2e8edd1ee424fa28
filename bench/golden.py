"""The golden harness: fingerprints of everything Stratlas produces, to hold a restructuring
to "the same bytes, the same findings".

    .venv/bin/python bench/golden.py record golden.json            # write the manifest
    .venv/bin/python bench/golden.py record new.json --compare golden.json   # and diff it

What it records, for the shipped records, the fixture corpus and generated corpora (a valid
and a broken one, `--articles` each, made by bench/generate.py):

- every findings list of `validate_paths`: one process and two, fast and detailed paths,
  with and without the C part (`toolkit._native`), and for every case of tests/examples/;
- the sha256 of every file the site generation makes (pages, JSON API, exports, hand-written
  docs), with the export in this process and in a second one;
- through the CLI: `export` in each format, `fmt --check`, `new article --from`, `codes`,
  `schema --check` and every command's `--help`.

Everything runs in a scratch folder with the corpora copied in, so file names in findings
are the same on every machine. The comparison prints each key that differs (and, for
findings, the lines added and removed). Exit 1 when anything differs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


# --- inside one worker process ---------------------------------------------------------------


def _site_files(project: Path, report: Any, parallel: bool) -> dict[str, bytes]:
    """The generated site's files (the one internal entry point the harness uses)."""
    try:
        from toolkit.site import site_files
    except ImportError:  # after the move to toolkit/site/
        from toolkit.site.generate import site_files  # type: ignore[no-redef]
    return site_files(project, report, parallel=parallel)


def _finding_lines(findings: list[Any]) -> list[str]:
    return [
        f"{f.file}:{f.line}:{f.col} {f.severity} {f.code} {f.pointer} | {f.message} | {f.hint}"
        for f in findings
    ]


def worker(work: Path, native: bool) -> dict[str, Any]:
    """Findings and site hashes for every corpus under `work` (the current folder)."""
    if not native:
        sys.modules["toolkit._native"] = None  # type: ignore[assignment]
    from toolkit.validate import validate_paths

    out: dict[str, Any] = {}
    tag = "c" if native else "py"
    for corpus in sorted(p.name for p in (work / "corpora").iterdir()):
        root = Path("corpora") / corpus
        for fast in (True, False):
            for parallel in (False, True):
                report = validate_paths([root], fast=fast, parallel=parallel)
                key = f"findings/{corpus}/{tag}/{'fast' if fast else 'detailed'}/p{int(parallel)}"
                out[key] = _finding_lines(report.findings)
                if fast and not [f for f in report.findings if f.severity == "error"]:
                    for split in (False, True):
                        files = _site_files(work / "project", report, split)
                        out[f"site/{corpus}/{tag}/p{int(parallel)}/split{int(split)}"] = {
                            path: hashlib.sha256(data).hexdigest() for path, data in files.items()
                        }
    cases = [*(work / "examples" / "valid").iterdir(), *(work / "examples").glob("invalid/*/*")]
    for case in sorted(p for p in cases if p.is_dir()):
        report = validate_paths([case.relative_to(work)], parallel=False)
        out[f"{case.relative_to(work)}/{tag}"] = _finding_lines(report.findings)
    return out


# --- the CLI ---------------------------------------------------------------------------------


def _cli(work: Path, *args: str, stdin: bytes | None = None) -> dict[str, Any]:
    run = subprocess.run(
        [PYTHON, "-m", "toolkit.cli", *args],
        cwd=work,
        input=stdin,
        capture_output=True,
        env={**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"},
        timeout=600,
    )
    return {
        "exit": run.returncode,
        "stdout": run.stdout.decode("utf-8", "replace"),
        "stderr": run.stderr.decode("utf-8", "replace"),
    }


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli_outputs(work: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    help_of = ["validate", "schema", "codes", "export", "new", "new article", "new entity"]
    help_of += ["fmt", "build", "serve"]
    out["help/"] = _cli(work, "--help")
    for command in help_of:
        out[f"help/{command}"] = _cli(work, *command.split(), "--help")
    for form in ("text", "json", "markdown"):
        out[f"codes/{form}"] = _cli(work, "codes", "--format", form)
    out["schema/check"] = _cli(REPO, "schema", "--check")
    for corpus in ("records", "generated-valid"):
        root = f"corpora/{corpus}"
        exports = work / "exports" / corpus
        exports.mkdir(parents=True)
        run = _cli(work, "export", "--format", "jsonl", "--out", f"exports/{corpus}/jsonl", root)
        out[f"export/{corpus}/jsonl"] = run
        out[f"export/{corpus}/jsonl/files"] = {
            p.name: _digest(p) for p in sorted((exports / "jsonl").iterdir())
        }
        for form, name in (("csv", "statements.csv"), ("sqlite", "stratlas.db")):
            run = _cli(work, "export", "--format", form, "--out", f"exports/{corpus}/{name}", root)
            out[f"export/{corpus}/{form}"] = run
            # SQLite files carry no timestamps: their bytes are deterministic (tests check it).
            out[f"export/{corpus}/{form}/file"] = _digest(exports / name)
        out[f"fmt-check/{corpus}"] = _cli(work, "fmt", "--check", root)
    drafts = work / "drafts"
    shutil.copytree(work / "corpora" / "records", drafts)
    seed = REPO.parent / "shared" / "seeds" / "000_3e1ebdf32bc68f01.txt"
    text = (
        seed.read_bytes()
        if seed.exists()
        else (next((REPO / "records" / "sources").glob("*.txt")).read_bytes())
    )
    (work / "article.txt").write_bytes(text)
    out["new/article"] = _cli(
        work,
        "new",
        "article",
        "--from",
        "article.txt",
        "--id",
        "golden-draft",
        "--records",
        "drafts",
    )
    out["new/article/files"] = {
        str(p.relative_to(drafts)): _digest(p)
        for p in sorted(drafts.rglob("*"))
        if p.is_file() and "golden" in p.name
    }
    return out


# --- recording and comparing ------------------------------------------------------------------


def prepare(work: Path, articles: int) -> None:
    sys.path.insert(0, str(REPO / "bench"))
    import generate  # bench/generate.py

    corpora = work / "corpora"
    corpora.mkdir(parents=True)
    shutil.copytree(REPO / "records", corpora / "records")
    shutil.copytree(REPO / "tests" / "fixtures" / "corpus", corpora / "fixture")
    generate.generate(articles, 3, corpora / "generated-valid")
    generate.generate(articles, 3, corpora / "generated-broken", broken_percent=10)
    # Redirects from and to articles on both sides of the two-process split, and chains.
    shutil.copytree(corpora / "generated-valid", corpora / "generated-redirects")
    stems = sorted(p.stem for p in (corpora / "generated-redirects" / "articles").glob("*.json"))
    table = {stems[0]: stems[1], stems[1]: stems[2], "old-one": stems[3], "old-two": "old-one"}
    table |= {"old-three": "nowhere", "old-loop": "old-loop-b", "old-loop-b": "old-loop"}
    (corpora / "generated-redirects" / "redirects.json").write_text(
        json.dumps({k: {"to": v, "reason": "merged"} for k, v in table.items()}, indent=2),
        "utf-8",
    )
    shutil.copytree(REPO / "tests" / "examples", work / "examples")
    project = work / "project"
    project.mkdir()
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", project / "overrides")
    shutil.copytree(REPO / "docs", project / "docs", ignore=shutil.ignore_patterns("generated"))


def record(articles: int) -> dict[str, Any]:
    manifest: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="stratlas-golden-") as folder:
        work = Path(folder)
        prepare(work, articles)
        for native in (True, False):
            run = subprocess.run(
                [PYTHON, __file__, "worker", str(work), "--native", str(int(native))],
                cwd=work,
                capture_output=True,
                timeout=3600,
            )
            if run.returncode:
                sys.stderr.write(run.stderr.decode("utf-8", "replace"))
                raise SystemExit(f"golden: the worker failed (native={native})")
            manifest.update(json.loads(run.stdout))
        manifest.update(cli_outputs(work))
    return dict(sorted(manifest.items()))


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for key in sorted(old.keys() | new.keys()):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        if a is None or b is None:
            lines.append(f"{key}: only in the {'new' if a is None else 'old'} manifest")
        elif isinstance(a, list) and isinstance(b, list):
            lines.append(f"{key}: findings differ")
            lines += [f"  - {line}" for line in a if line not in b]
            lines += [f"  + {line}" for line in b if line not in a]
        elif isinstance(a, dict) and set(a) == {"exit", "stdout", "stderr"}:
            lines.append(f"{key}: output differs")
            for part in ("exit", "stdout", "stderr"):
                if a[part] != b[part]:
                    lines.append(f"  {part}: {a[part]!r}\n  ->     {b[part]!r}")
        elif isinstance(a, dict) and isinstance(b, dict):
            changed = sorted(p for p in a.keys() | b.keys() if a.get(p) != b.get(p))
            lines.append(f"{key}: {len(changed)} file(s) differ: {', '.join(changed[:8])}")
        else:
            lines.append(f"{key}: {a!r} -> {b!r}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record", help="write the manifest of the current code")
    rec.add_argument("out", type=Path)
    rec.add_argument("--compare", type=Path, help="a manifest to compare with")
    rec.add_argument("--articles", type=int, default=200, help="size of generated corpora")
    cmp = sub.add_parser("compare", help="compare two manifests")
    cmp.add_argument("old", type=Path)
    cmp.add_argument("new", type=Path)
    work = sub.add_parser("worker")
    work.add_argument("work", type=Path)
    work.add_argument("--native", type=int, default=1)
    args = parser.parse_args(argv)
    if args.command == "worker":
        json.dump(worker(args.work, bool(args.native)), sys.stdout)
        return 0
    if args.command == "record":
        manifest = record(args.articles)
        args.out.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", "utf-8")
        print(f"golden: {len(manifest)} entries written to {args.out}")
        if args.compare is None:
            return 0
        old = json.loads(args.compare.read_text("utf-8"))
    else:
        old = json.loads(args.old.read_text("utf-8"))
        manifest = json.loads(args.new.read_text("utf-8"))
    differences = compare(old, manifest)
    print("\n".join(differences) if differences else "golden: identical")
    return 1 if differences else 0


if __name__ == "__main__":
    raise SystemExit(main())
