"""Independent checkers on the built site and the published JSON: tools that share no code with
Stratlas judge its output.

- vnu (the W3C Nu HTML Checker, npm `vnu-jar`, run on Java): every page of the fixture sites is
  valid HTML, apart from the documented allow-list below.
- linkchecker (PyPI): no broken internal link.
- axe-core (npm) injected into Debian's chromium via Playwright: no serious or critical
  accessibility violation on any kind of page.
- ajv-cli with ajv-formats (npm), as a second JSON Schema (draft 2020-12) implementation: every
  record of records/ and tests/fixtures/corpus, and the `record` of every published article and
  entity JSON, is valid against the published schema; and ajv agrees with `stratlas validate`
  on the schema-level cases of the hostile corpus.

The npm tools are installed by `make test` from the committed package-lock.json (`npm ci
--ignore-scripts`: vnu-jar's optional Java download never runs; Debian's Java is used). Without
a tool the test skips locally and fails in CI (CI=true). `zizmor --offline` on the workflows
runs in tests/test_workflows.py.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    broken_links,
    http_served,
    make_project,
    need,
    need_playwright,
)

from toolkit.site import build

REPO = Path(__file__).resolve().parent.parent
NODE = REPO / "node_modules"
VNU_JAR = NODE / "vnu-jar" / "build" / "dist" / "vnu.jar"
AJV = NODE / ".bin" / "ajv"
AXE = NODE / "axe-core" / "axe.min.js"
#: Cases where Stratlas is deliberately stricter than any JSON Schema validator can be: JSON
#: Schema counts 2020.0 as an integer, while Stratlas records write integers as integers
#: (the toolkit reports `schema-type`; see `toolkit.load.json.Document.has_floats`).
STRICTER_THAN_JSON_SCHEMA = {"json:a-year-as-a-float", "json:an-offset-as-a-float"}

SCHEMAS = {
    "article": REPO / "schema" / "article.schema.json",
    "entity": REPO / "schema" / "entity.schema.json",
}


def need_npm(path: Path) -> None:
    need(path.exists(), f"{path.relative_to(REPO)} is missing: run `make test` (npm ci)")


# --- the sites under test -------------------------------------------------------------------


@pytest.fixture(scope="module")
def sites() -> Iterator[dict[str, Path]]:
    """The fixture corpus and the site engineer's hostile fixture, built strict. The folder is
    world-readable: linkchecker, run as root, drops its privileges to `nobody`."""
    root = Path(tempfile.mkdtemp(prefix="stratlas-checkers-"))
    root.chmod(0o755)
    built: dict[str, Path] = {}
    try:
        for name, records in (
            ("corpus", REPO / "tests" / "fixtures" / "corpus"),
            ("hostile", REPO / "tests" / "fixtures" / "hostile"),
        ):
            home = root / name
            home.mkdir()
            result = build(make_project(home), records, home / "site", strict=True)
            assert result.ok, result.mkdocs.output if result.mkdocs else result.report.findings
            built[name] = home / "site"
        subprocess.run(["chmod", "-R", "a+rX", str(root)], check=True)
        yield built
    finally:
        shutil.rmtree(root, ignore_errors=True)


# --- vnu --------------------------------------------------------------------------------------

#: vnu errors accepted, each with why. Matched against the start of the message.
VNU_ALLOWED = {
    "Attribute “autocomplete” is only allowed when the input type is": (
        "Material's drawer, search and palette toggles are checkboxes with autocomplete=off "
        "(theme markup, keeps browsers from restoring a toggled state); harmless"
    ),
    "The value of the “for” attribute of the “label” element must be the ID of a non-hidden "
    "form control.": (
        "Material's navigation labels point at its hidden checkbox toggles (theme markup; the "
        "CSS-only drawer works this way)"
    ),
}


def test_vnu_finds_no_html_errors(sites: dict[str, Path]) -> None:
    need(shutil.which("java") is not None, "java is missing (Debian's default-jre-headless)")
    need_npm(VNU_JAR)
    done = subprocess.run(
        [
            "java",
            "-Xss8m",
            "-jar",
            str(VNU_JAR),
            "--errors-only",
            "--format",
            "json",
            "--skip-non-html",
            *map(str, sites.values()),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(done.stderr or done.stdout)["messages"]
    errors = [
        f"{m.get('url', '').split('/site/')[-1]}:{m.get('lastLine')}: {m['message']}"
        f" — {m.get('extract', '').strip()[:80]!r}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
        if not any(m["message"].startswith(allowed) for allowed in VNU_ALLOWED)
    ]
    assert errors == [], "\n".join(errors[:20])
    assert done.returncode in (0, 1), done.stderr[-2000:]


# --- linkchecker ------------------------------------------------------------------------------


def test_linkchecker_finds_no_broken_internal_links(sites: dict[str, Path]) -> None:
    broken = [f"{name}: {link}" for name, site in sites.items() for link in broken_links(site)]
    assert broken == [], "\n".join(broken[:20])


def test_linkchecker_would_see_a_broken_link(sites: dict[str, Path]) -> None:
    """The negative control: the same run on a copy with one link broken reports it."""
    root = Path(tempfile.mkdtemp(prefix="stratlas-linkcheck-"))
    try:
        root.chmod(0o755)
        copy = root / "site"
        shutil.copytree(sites["corpus"], copy)
        page = copy / "index.html"
        html = page.read_text(encoding="utf-8")
        assert 'href="articles/"' in html
        page.write_text(html.replace('href="articles/"', 'href="articles-gone/"'), "utf-8")
        subprocess.run(["chmod", "-R", "a+rX", str(root)], check=True)
        broken = broken_links(copy)
        assert [link for link in broken if "articles-gone/" in link], broken
    finally:
        shutil.rmtree(root, ignore_errors=True)


# --- axe-core in chromium ---------------------------------------------------------------------

#: One page of each kind the site has.
PAGE_KINDS = {
    "home": "",
    "article": "articles/strike-debate/",
    "person": "entities/mira-holt/",
    "weapon system": "entities/lancer/",
    "kind index": "kinds/weapon-system/",
    "articles index": "articles/",
    "entities index": "entities/",
    "authors": "authors/",
    "timeline": "timeline/",
    "hand-written doc": "consumers/",
    "not found": "404.html",
}
#: Pages also checked in the dark palette.
DARK = ("home", "article", "person")

#: axe violations accepted, by (rule, element): only markup the theme writes, each with why.
AXE_ALLOWED = {
    ("label", "#__search"): (
        "Material's hidden checkbox that would toggle its search overlay (theme markup written "
        "even without Material's search, not focusable content; on the 404 page axe cannot see "
        "its label)"
    ),
}


@pytest.fixture(scope="module")
def served(sites: dict[str, Path]) -> Iterator[str]:
    with http_served(sites["corpus"]) as base:
        yield base


@pytest.mark.browser
def test_axe_finds_no_serious_or_critical_violations(served: str) -> None:
    sync_api = need_playwright()
    need_npm(AXE)
    problems: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for scheme in ("light", "dark"):
                tab = browser.new_page(color_scheme=scheme)
                for kind, path in PAGE_KINDS.items():
                    if scheme == "dark" and kind not in DARK:
                        continue
                    tab.goto(served + path, wait_until="load")
                    tab.add_script_tag(path=str(AXE))
                    result = tab.evaluate(
                        "async () => (await axe.run(document, {resultTypes: ['violations']}))"
                        ".violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
                        " nodes: v.nodes.map(n => n.target.join(' '))}))"
                    )
                    for v in result:
                        nodes = [n for n in v["nodes"] if (v["id"], n) not in AXE_ALLOWED]
                        if v["impact"] in ("serious", "critical") and nodes:
                            problems.append(
                                f"{kind} ({scheme}) /{path}: {v['id']} [{v['impact']}] "
                                f"{v['help']} at {nodes[:4]}"
                            )
                tab.close()
        finally:
            browser.close()
    assert problems == [], "\n".join(problems)


# --- ajv: a second JSON Schema implementation -------------------------------------------------


def _ajv(schema: Path, files: list[Path]) -> dict[str, bool]:
    """ajv's verdict per file (draft 2020-12, formats checked; unknown keywords such as
    `x-schema-version` and `discriminator` are annotations, as the specification says)."""
    need_npm(AJV)
    need(shutil.which("node") is not None, "node is missing")
    if not files:
        return {}
    args = [str(AJV), "validate", "--spec=draft2020", "-c", "ajv-formats", "--strict=false"]
    args += ["--errors=line", "-s", str(schema)]
    for file in files:
        args += ["-d", str(file)]
    done = subprocess.run(args, capture_output=True, text=True, timeout=300, cwd=REPO)
    verdict: dict[str, bool] = {}
    for line in (done.stdout + done.stderr).splitlines():
        for file in files:
            if line.startswith(f"{file} valid"):
                verdict[str(file)] = True
            elif line.startswith(f"{file} invalid"):
                verdict[str(file)] = False
    missing = [str(f) for f in files if str(f) not in verdict]
    assert missing == [], (missing[:3], done.stdout[-1000:], done.stderr[-1000:])
    return verdict


def _records(root: Path, kind: str) -> list[Path]:
    return sorted((root / ("articles" if kind == "article" else "entities")).glob("*.json"))


def test_ajv_accepts_every_record_and_every_published_record(
    sites: dict[str, Path], tmp_path: Path
) -> None:
    published = tmp_path / "published"
    for kind in SCHEMAS:
        folder = published / ("articles" if kind == "article" else "entities")
        folder.mkdir(parents=True)
        for site in sites.values():
            for path in sorted((site / "api" / "v1" / folder.name).glob("*.json")):
                record = json.loads(path.read_bytes())["record"]
                (folder / path.name).write_text(json.dumps(record), encoding="utf-8")
    for kind, schema in SCHEMAS.items():
        files = [
            *_records(REPO / "records", kind),
            *_records(REPO / "tests" / "fixtures" / "corpus", kind),
            *_records(published, kind),
        ]
        assert files
        verdict = _ajv(schema, files)
        assert [f for f, ok in verdict.items() if not ok] == []


def test_ajv_refuses_what_the_threat_model_names(tmp_path: Path) -> None:
    """The negative control, and the JavaScript reading of `$`: "foo\\n" is not an ID."""
    base = json.loads((REPO / "tests/hostile/base/entities/tarsis.json").read_text("utf-8"))
    bad = {
        "trailing-newline-id": {**base, "id": "tarsis\n"},
        "number-name": {**base, "name": 12},
        "unknown-field": {**base, "onclick": "x"},
        "null-description": {**base, "description": None},
        "long-name": {**base, "name": "[" * 20000},
    }
    files = []
    for name, data in bad.items():
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        files.append(path)
    verdict = _ajv(SCHEMAS["entity"], files)
    assert [Path(f).stem for f, ok in verdict.items() if ok] == []


def test_ajv_agrees_with_the_validator_on_the_hostile_corpus(tmp_path: Path) -> None:
    """Every hostile case that patches a record: ajv says valid exactly when `stratlas validate`
    finds no JSON- or schema-level problem in that record."""
    sys.path.insert(0, str(Path(__file__).parent))
    import test_hostile as hostile

    from toolkit.findings import CODES

    expected: dict[str, tuple[str, bool, str]] = {}
    for index, case in enumerate(hostile.CASES):
        if not case.ops or set(case.spec) - {
            "description",
            "file",
            "record",
            "expect",
            "warnings",
            "shown",
            "csv",
            "source",
        }:
            continue
        data = hostile._apply(json.loads((hostile.BASE / case.file).read_text("utf-8")), case.ops)
        kind = "article" if case.file.startswith("articles/") else "entity"
        path = tmp_path / kind / f"{index}.json"
        path.parent.mkdir(exist_ok=True)
        try:
            path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        except UnicodeEncodeError:
            continue  # lone surrogates: not I-JSON, the loader's business
        rows = [] if case.valid else case.spec["expect"]
        if any(CODES[r["code"]].layer == "file" for r in rows):
            continue  # never parsed: nothing for a schema to say
        schema_level = any(
            CODES[r["code"]].layer in ("json", "schema") and r.get("file", case.file) == case.file
            for r in rows
        )
        expected[str(path)] = (kind, not schema_level, case.id)
    disagree = []
    for kind, schema in SCHEMAS.items():
        files = [Path(p) for p, (k, _, _) in expected.items() if k == kind]
        for file, ok in _ajv(schema, files).items():
            _, want, case_id = expected[file]
            if ok != want and case_id not in STRICTER_THAN_JSON_SCHEMA:
                disagree.append(f"{case_id}: ajv says {'valid' if ok else 'invalid'}")
    assert disagree == [], "\n".join(disagree)
