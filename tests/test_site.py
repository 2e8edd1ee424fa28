"""The site build: strict mkdocs build of the fixture corpus, incremental writes, refusals,
and hostile record text that must come out as literal text in the HTML."""

from __future__ import annotations

import importlib
import json
import os
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from support import make_project, need
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.site import (
    GENERATED,
    MARKER,
    SiteError,
    UnsafeOutput,
    build,
    check_output,
    generate,
    site_files,
    sync_folder,
    write_site,
)
from toolkit.site.mkdocs import run_mkdocs_build
from toolkit.validate import validate_paths

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"


def tree(folder: Path) -> dict[str, tuple[int, int]]:
    """path → (size, mtime) of every file below `folder`."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The fixture corpus built strict into <project>/site (once for the module)."""
    root = tmp_path_factory.mktemp("site")
    project = make_project(root)
    records = root / "records"
    shutil.copytree(FIXTURES / "corpus", records)
    result = build(project, records, project / "site", strict=True)
    assert result.mkdocs is not None, [str(f) for f in result.report.findings]
    assert result.ok, result.mkdocs.output
    assert result.mkdocs.problems == [], result.mkdocs.output
    return project, project / "site"


# --- the strict build -----------------------------------------------------------------------


def test_fixture_corpus_builds_strict_with_no_warnings(built: tuple[Path, Path]) -> None:
    _, site = built
    assert (site / MARKER).is_file()
    for page in (
        "index.html",
        "articles/index.html",
        "articles/strike-debate/index.html",
        "entities/lancer/index.html",
        "kinds/weapon-system/index.html",
        "authors/index.html",
        "publishers/index.html",
        "timeline/index.html",
        "tags/index.html",
    ):
        assert (site / page).is_file(), page


def test_json_api_is_published_beside_the_pages(built: tuple[Path, Path]) -> None:
    _, site = built
    index = json.loads((site / "api/v1/index.json").read_text(encoding="utf-8"))
    assert {a["id"] for a in index["articles"]} == {"strike-debate", "winter-front"}
    assert (site / "api/v1/articles/strike-debate.json").is_file()
    assert (site / "api/v1/entities/lancer.json").is_file()
    page = (site / "articles/strike-debate/index.html").read_text(encoding="utf-8")
    assert 'href="../../api/v1/articles/strike-debate.json"' in page


def test_pages_carry_json_ld_in_the_body(built: tuple[Path, Path]) -> None:
    _, site = built
    html = (site / "articles/winter-front/index.html").read_text(encoding="utf-8")
    body = html.split("<article", 1)[1].split("</article>", 1)[0]
    assert html.count('<script type="application/ld+json">') == 1
    block = body.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    data = json.loads(block)
    assert data["@type"] == "AnalysisNewsArticle"
    assert data["headline"] == "Winter <b>slows</b> the front"
    assert "<" not in block


def test_home_page_shows_what_the_corpus_holds(built: tuple[Path, Path]) -> None:
    _, site = built
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "stratlas:summary" not in html
    assert 'href="articles/strike-debate/"' in html
    assert "<strong>12</strong> entities" in html


def test_search_bundle_indexes_the_content_of_record_pages(built: tuple[Path, Path]) -> None:
    """Pagefind's bundle is in pagefind/; it indexes page content only (data-pagefind-body),
    never index pages; Material's single search index is gone."""
    _, site = built
    for name in ("pagefind-entry.json", "pagefind.js", "pagefind-ui.js", "pagefind-ui.css"):
        assert (site / "pagefind" / name).is_file(), name
    assert list((site / "pagefind" / "fragment").glob("*.pf_fragment"))
    assert not (site / "search" / "search_index.json").exists()
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    bodies = {
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if "data-pagefind-body" in p.read_text(encoding="utf-8")
    }
    assert {"entities/lancer/index.html", "articles/strike-debate/index.html"} <= bodies
    assert not [p for p in bodies if p.startswith(("kinds/", "timeline/", "articles/index"))]
    assert "404.html" not in bodies
    assert entry["languages"]["en"]["page_count"] == len(bodies)


def test_redirected_ids_get_a_page(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    records = tmp_path / "records"
    shutil.copytree(FIXTURES / "corpus", records)
    (records / "redirects.json").write_text(
        json.dumps({"lancer-missile": {"to": "lancer", "reason": "Duplicate."}}), encoding="utf-8"
    )
    result = build(project, records, tmp_path / "out", strict=True)
    assert result.ok, result.mkdocs.output if result.mkdocs else result.report.findings
    html = (tmp_path / "out/entities/lancer-missile/index.html").read_text(encoding="utf-8")
    assert 'href="../lancer/"' in html
    # a redirect page is not a search result
    assert "data-pagefind-body" not in html


# --- only what changed is written; stale pages go -------------------------------------------


def test_generate_writes_only_changed_pages_and_removes_stale_ones(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    records = tmp_path / "records"
    shutil.copytree(FIXTURES / "corpus", records)
    _, first = generate(project, records)
    assert first is not None and first.written and not first.removed
    generated = project / GENERATED
    before = tree(generated)

    _, again = generate(project, records)
    assert again is not None and again.written == [] and again.removed == []
    assert tree(generated) == before

    (generated / "entities" / "gone.md").write_text("stale", encoding="utf-8")
    entity = records / "entities" / "szohod.json"
    data = json.loads(entity.read_text(encoding="utf-8"))
    data["description"] = "A fictional town, rewritten."
    entity.write_text(json.dumps(data), encoding="utf-8")
    _, third = generate(project, records)
    assert third is not None
    assert third.removed == ["entities/gone.md"]
    assert "entities/szohod/index.md" in third.written
    assert "articles/strike-debate/index.md" not in third.written


def test_sync_folder_refuses_paths_outside_the_folder(tmp_path: Path) -> None:
    for bad in ("../escape.md", "/abs.md", "a/../../b.md", ""):
        with pytest.raises(SiteError):
            sync_folder(tmp_path / "gen", {bad: b"x"})
    assert not (tmp_path / "escape.md").exists()


def test_build_writes_nothing_outside_its_two_folders(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    records = tmp_path / "records"
    shutil.copytree(FIXTURES / "corpus", records)
    before = tree(tmp_path)
    result = build(project, records, tmp_path / "out")
    assert result.ok
    after = tree(tmp_path)
    changed = {p for p in set(before) | set(after) if before.get(p) != after.get(p)}
    allowed = ("project/docs/generated/", "out/")
    assert changed and all(p.startswith(allowed) for p in changed), sorted(changed)[:5]


def test_hand_written_page_that_collides_with_a_generated_one_is_refused(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / "docs" / "timeline").mkdir()
    (project / "docs" / "timeline" / "index.md").write_text("# Mine\n", encoding="utf-8")
    with pytest.raises(SiteError, match=r"timeline/index\.md"):
        generate(project, FIXTURES / "corpus")


def test_symlinks_in_docs_are_refused(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / "docs" / "leak.md").symlink_to(REPO / "README.md")
    with pytest.raises(SiteError, match="symbolic link"):
        generate(project, FIXTURES / "corpus")


# --- invalid records abort the build with the validator's findings --------------------------


def test_invalid_records_abort_with_the_same_findings_as_validate(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    records = tmp_path / "records"
    shutil.copytree(FIXTURES / "corpus", records)
    (records / "entities" / "lancer.json").write_text('{"id": "lancer",}', encoding="utf-8")
    result = build(project, records, tmp_path / "out")
    assert result.sync is None and result.mkdocs is None
    assert result.report.findings == validate_paths([records]).findings
    assert not (tmp_path / "out").exists()

    runner = CliRunner()
    cwd = Path.cwd()
    os.chdir(project)
    try:
        built_out = runner.invoke(app, ["build", "--records", str(records), "--out", "out"])
        validated = runner.invoke(app, ["validate", str(records)])
    finally:
        os.chdir(cwd)
    assert built_out.exit_code == 1
    assert validated.exit_code == 1
    assert validated.stdout in built_out.stdout


# --- dangerous output folders ---------------------------------------------------------------


def test_dangerous_output_folders_are_refused(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    records = FIXTURES / "corpus"
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "precious.txt").write_text("keep me", encoding="utf-8")
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "elsewhere")
    for out in (
        Path("/"),
        Path.home(),
        Path.home().parent,
        project,
        tmp_path,
        project / "docs",
        project / "docs" / "generated",
        foreign,
        a_file,
        link,
        records,
    ):
        with pytest.raises(UnsafeOutput):
            check_output(out, project, records)
    assert (foreign / "precious.txt").read_text(encoding="utf-8") == "keep me"


def test_new_empty_or_own_output_folders_are_accepted(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    records = FIXTURES / "corpus"
    empty = tmp_path / "empty"
    empty.mkdir()
    own = tmp_path / "own"
    own.mkdir()
    (own / MARKER).write_text("", encoding="utf-8")
    (own / "old.html").write_text("", encoding="utf-8")
    for out in (project / "site", tmp_path / "new" / "site", empty, own):
        assert check_output(out, project, records) == out.resolve()


def test_cli_refuses_a_dangerous_out_with_exit_code_2(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    cwd = Path.cwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(
            app, ["build", "--records", str(FIXTURES / "corpus"), "--out", str(tmp_path)]
        )
    finally:
        os.chdir(cwd)
    assert result.exit_code == 2
    assert "refusing" in result.output
    assert not (project / GENERATED).exists()


# --- hostile text shows literally -----------------------------------------------------------

ALLOWED_SCRIPTS = {"application/json", "application/ld+json", None}


class _Elements(HTMLParser):
    """Every start tag with its attributes, and the text, of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if not self._in_script:
            self.text.append(data)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    project = make_project(root)
    result = build(project, FIXTURES / "hostile", root / "out", strict=True)
    assert result.ok, result.mkdocs.output if result.mkdocs else result.report.findings
    return root / "out"


def test_hostile_text_injects_no_tag_attribute_or_link(hostile_site: Path) -> None:
    pages = [p for p in hostile_site.rglob("*.html") if "hostile" in p.as_posix()]
    assert len(pages) >= 7
    for page in pages:
        parsed = _Elements()
        parsed.feed(page.read_text(encoding="utf-8"))
        for tag, attrs in parsed.tags:
            where = f"{page.relative_to(hostile_site)}: <{tag} {attrs}>"
            assert tag not in ("img", "b", "abbr", "iframe", "object"), where
            assert not any(name.startswith("on") for name in attrs), where
            if tag == "script":
                assert attrs.get("type") in ALLOWED_SCRIPTS, where
                # the theme's scripts, the site's search and the scenario tracker's
                # (docs/javascripts/search.js, scenarios.js)
                src = str(attrs.get("src", "assets/javascripts/"))
                assert "assets/javascripts/" in src or src.endswith(
                    ("javascripts/search.js", "javascripts/scenarios.js")
                ), where
            for name in ("href", "src", "action", "formaction"):
                value = (attrs.get(name) or "").strip().lower()
                assert not value.startswith(("javascript:", "data:", "vbscript:")), where
            if tag == "a" and attrs.get("href", "").startswith("http"):
                assert "evil.example" not in str(attrs["href"]), where
        inline_scripts = [a for t, a in parsed.tags if t == "script" and "src" not in a]
        assert len(inline_scripts) <= 5, page


def test_hostile_text_shows_literally(hostile_site: Path) -> None:
    html = (hostile_site / "articles/hostile-article/index.html").read_text(encoding="utf-8")
    parsed = _Elements()
    parsed.feed(html)
    text = " ".join(" ".join(parsed.text).split()).replace("\u2060", "")
    for literal in (
        "<script>alert('script')</script>",
        "[click](javascript:alert('link'))",
        "{: onclick=alert('attr') }",
        '--8<-- "README.md"',
        "*[HTML]: hijacked",
        "[1]: http://evil.example/",
        "{{ 7*7 }} {% raw %}",
        "<img src=x onerror=alert('img')>",
        "</title><script>alert('title')</script>",
        '!!! danger "boom"',
        "&lt;b&gt;entity&lt;/b&gt; &amp;",
        "\\(x\\) $$y$$",
    ):
        assert literal in text, literal
    assert "49" not in text.split("{{ 7*7 }}")[0][-5:]
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<script" not in title and "</" not in title.replace("<\u2060/", "")


def test_hostile_json_ld_parses_to_the_record_text(hostile_site: Path) -> None:
    html = (hostile_site / "entities/hostile-person/index.html").read_text(encoding="utf-8")
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    data = json.loads(block)
    record = json.loads((FIXTURES / "hostile/entities/hostile-person.json").read_text("utf-8"))
    assert data["name"] == record["name"]
    assert data["description"] == record["description"]


# --- the second process ---------------------------------------------------------------------


def test_exporting_in_a_second_process_gives_the_same_files(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    report = validate_paths([FIXTURES / "corpus"])
    assert report.corpus is not None
    serial = site_files(project, report, parallel=False)
    assert site_files(project, report, parallel=True) == serial
    assert any(path.startswith("api/v1/") for path in serial)
    assert any(path.startswith("articles/") for path in serial)


def _folder(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.startswith(".stratlas")
    }


@pytest.mark.parametrize("parallel", [False, True])
def test_write_site_writes_what_sync_folder_would(tmp_path: Path, parallel: bool) -> None:
    # With parallel=True the second process writes its own files; the folder must end up
    # the same, stale files gone, and a second run must write nothing.
    project = make_project(tmp_path)
    report = validate_paths([FIXTURES / "corpus"])
    expected_folder = tmp_path / "expected"
    sync_folder(expected_folder, site_files(project, report, parallel=False))
    generated = project / GENERATED
    (generated / "articles").mkdir(parents=True)
    (generated / "articles" / "stale.md").write_text("old page")
    (generated / "api" / "v1").mkdir(parents=True)
    (generated / "api" / "v1" / "stale.json").write_text("{}")
    first = write_site(project, report, parallel=parallel)
    assert _folder(generated) == _folder(expected_folder)
    assert first.removed == ["api/v1/stale.json", "articles/stale.md"]
    assert first.written == sorted(_folder(expected_folder))
    again = write_site(project, report, parallel=parallel)
    assert (again.written, again.removed) == ([], [])
    assert again.unchanged == len(first.written)


def test_a_generated_file_the_docs_also_hold_is_refused_before_writing(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    report = validate_paths([FIXTURES / "corpus"])
    api_file = next(p for p in site_files(project, report) if p.startswith("api/v1/"))
    (project / "docs" / api_file).parent.mkdir(parents=True)
    (project / "docs" / api_file).write_text("{}")
    with pytest.raises(SiteError, match="both want"):
        write_site(project, report, parallel=True)
    assert not (project / GENERATED / api_file).exists()


def test_an_error_in_the_second_process_reaches_the_caller(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import toolkit.export

    def fails(*args: object, **kwargs: object) -> dict[str, bytes]:
        raise ValueError("cannot publish as I-JSON: integer exceeds 64-bit range")

    monkeypatch.setattr(toolkit.export, "iter_api_files", fails)
    report = validate_paths([FIXTURES / "corpus"])
    with pytest.raises(ValueError, match="I-JSON"):
        site_files(make_project(tmp_path), report, parallel=True)


def test_a_second_process_that_dies_is_a_build_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import toolkit.export

    def dies(*args: object, **kwargs: object) -> dict[str, bytes]:
        os._exit(9)

    monkeypatch.setattr(toolkit.export, "iter_api_files", dies)
    report = validate_paths([FIXTURES / "corpus"])
    with pytest.raises(SiteError, match="stopped without a result"):
        site_files(make_project(tmp_path), report, parallel=True)


def test_the_build_generates_in_a_child_whose_memory_is_gone_before_mkdocs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from toolkit.runtime.parallel import can_fork

    need(can_fork(), "forking is not possible here (one CPU, or another thread running)")
    # The modules, not the functions of the same names that toolkit.site re-exports.
    generate_module = importlib.import_module("toolkit.site.generate")
    build_module = importlib.import_module("toolkit.site.build")
    real = generate_module._generate_checked_apart
    generated_in: list[int] = []

    def spy(*args: Any) -> Any:
        (tmp_path / "pid").write_text(str(os.getpid()))  # the child's memory is its own
        return real(*args)

    def mkdocs_spy(*args: Any) -> Any:
        generated_in.append(int((tmp_path / "pid").read_text()))
        return run_mkdocs_build(*args)

    monkeypatch.setattr(generate_module, "_generate_checked_apart", spy)
    monkeypatch.setattr(build_module, "run_mkdocs_build", mkdocs_spy)
    project = make_project(tmp_path)
    result = build(project, FIXTURES / "corpus", tmp_path / "out", strict=True)
    assert result.ok
    assert generated_in and generated_in[0] != os.getpid()
    # What comes back is what the records gave: the findings, the sync counts, no records.
    assert result.report.findings == validate_paths([FIXTURES / "corpus"]).findings
    assert result.report.corpus is None
    assert result.sync is not None and result.sync.written
