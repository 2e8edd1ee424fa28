"""Site search: Pagefind's index of the built site, and its dialog in a real browser.

The fixture corpus is built once and served on 127.0.0.1 under a path prefix (`/pre/`, as the
published site lives under /stratlas/), then Debian's chromium (Playwright) opens the dialog
from the keyboard and the header, searches, follows a result with instant navigation, in the
light and dark schemes, at phone width, and runs axe-core with results showing. Without
chromium the browser tests skip locally and fail in CI (CI=true).
"""

from __future__ import annotations

import importlib
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support import CHROMIUM, CHROMIUM_ARGS, http_served, make_project, need, need_playwright
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.site import build
from toolkit.site.search import SearchRun, run_pagefind

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "fixtures" / "corpus"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
PREFIX = "pre/"
INPUT = ".pagefind-ui__search-input"
RESULT = ".pagefind-ui__result-link"


# --- the index --------------------------------------------------------------------------------


def test_pagefind_fails_on_a_folder_without_pages(tmp_path: Path) -> None:
    run = run_pagefind(tmp_path)
    assert run.returncode != 0
    assert any("not able to build an index" in line for line in run.problems), run.output


def test_pagefind_indexes_only_marked_content(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        '<html lang="en"><body><nav>Navigation</nav><main data-pagefind-body>'
        '<h1>Lancer<a class="headerlink" href="#x">¶</a></h1><p>long-range missile</p>'
        "</main></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "other.html").write_text(
        '<html lang="en"><body><p>not marked</p></body></html>', encoding="utf-8"
    )
    run = run_pagefind(tmp_path)
    assert run.returncode == 0, run.output
    assert run.problems == []
    entry = (tmp_path / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8")
    assert '"page_count":1' in entry


def test_the_cli_reports_a_pagefind_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_module = importlib.import_module("toolkit.site.build")
    monkeypatch.setattr(
        build_module, "run_pagefind", lambda site: SearchRun(1, "Error: no index here\n")
    )
    project = make_project(tmp_path)
    cwd = Path.cwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(app, ["build", "--records", str(CORPUS), "--out", "out"])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 1
    assert "Error: no index here" in result.output
    assert "indexing the site for search failed (Pagefind)" in result.output
    assert "built the site" not in result.output


# --- in the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture corpus built and served at `<base>/pre/`."""
    need_playwright()
    root = tmp_path_factory.mktemp("search")
    records = root / "records"
    shutil.copytree(CORPUS, records)
    result = build(make_project(root), records, root / "served" / PREFIX, strict=True)
    assert result.ok, result.mkdocs.output if result.mkdocs else result.report.findings
    with http_served(root / "served") as base:
        yield base


@pytest.fixture
def browser(server: str) -> Iterator[Any]:
    sync_api = need_playwright()
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _open_tab(browser: Any, server: str, path: str, **options: Any) -> tuple[Any, list[str]]:
    """A tab on `path`, and the list of every URL it requests from then on."""
    tab = browser.new_page(**{"viewport": {"width": 1280, "height": 900}, **options})
    requested: list[str] = []
    tab.on("request", lambda request: requested.append(request.url))
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.goto(server + PREFIX + path, wait_until="load")
    assert errors == []
    return tab, requested


def _search(tab: Any, query: str) -> list[str]:
    field = tab.locator(INPUT)
    field.fill("")
    field.press_sequentially(query, delay=20)
    tab.locator(RESULT).first.wait_for(timeout=15_000)
    tab.wait_for_timeout(300)  # results render one by one
    return [link.get_attribute("href") for link in tab.locator(RESULT).all()]


def _dialog_open(tab: Any) -> bool:
    return bool(tab.evaluate("() => document.getElementById('stratlas-search').open"))


@pytest.mark.browser
def test_slash_opens_search_that_finds_an_article_and_an_entity(server: str, browser: Any) -> None:
    tab, requested = _open_tab(browser, server, "articles/winter-front/")
    tab.keyboard.press("/")
    tab.locator(INPUT).wait_for(timeout=15_000)
    assert tab.evaluate(f"() => document.activeElement.matches('{INPUT}')")
    hrefs = _search(tab, "Lancer")
    # Result links carry the site's path prefix, whatever page the search started on
    assert f"/{PREFIX}articles/strike-debate/" in hrefs
    assert f"/{PREFIX}entities/lancer/" in hrefs
    tab.locator(f'{RESULT}[href="/{PREFIX}entities/lancer/"]').click()
    tab.wait_for_url(re.compile(rf"/{PREFIX}entities/lancer/$"))
    assert tab.locator("article h1").inner_text().startswith("Lancer")
    assert not _dialog_open(tab)
    # after instant navigation the same dialog opens again, from `s` this time
    tab.keyboard.press("s")
    tab.locator(INPUT).wait_for()
    assert _dialog_open(tab)
    assert tab.evaluate(f"() => document.activeElement.matches('{INPUT}')")
    hrefs = _search(tab, "Mira Holt")
    assert f"/{PREFIX}entities/mira-holt/" in hrefs
    # no external requests: everything comes from the site itself
    assert [url for url in requested if not url.startswith(server)] == []


@pytest.mark.browser
def test_the_header_button_opens_and_escape_closes_with_focus_back(
    server: str, browser: Any
) -> None:
    tab, _ = _open_tab(browser, server, "")
    button = tab.locator(".md-header [data-stratlas-search-open]")
    # where Material's search was: the last control of the header bar
    assert tab.evaluate(
        "() => document.querySelector('.md-header__inner').lastElementChild"
        ".matches('[data-stratlas-search-open]')"
    )
    button.focus()
    tab.keyboard.press("Enter")
    tab.locator(INPUT).wait_for(timeout=15_000)
    assert _dialog_open(tab)
    tab.keyboard.press("Escape")
    assert not _dialog_open(tab)
    assert tab.evaluate("() => document.activeElement.matches('[data-stratlas-search-open]')")
    # and `/` opens it again from there
    tab.keyboard.press("/")
    assert _dialog_open(tab)
    tab.keyboard.press("Escape")


@pytest.mark.browser
def test_dark_scheme_gives_the_dialog_materials_slate_background(server: str, browser: Any) -> None:
    tab, _ = _open_tab(browser, server, "", color_scheme="dark")
    assert tab.evaluate("() => document.body.dataset.mdColorScheme") == "slate"
    tab.keyboard.press("/")
    tab.locator(INPUT).wait_for(timeout=15_000)
    colours = tab.evaluate(
        """() => ({
            dialog: getComputedStyle(document.getElementById('stratlas-search')).backgroundColor,
            body: getComputedStyle(document.body).backgroundColor,
            input: getComputedStyle(document.querySelector('.pagefind-ui__search-input')).color,
            text: getComputedStyle(document.body).color,
        })"""
    )
    assert colours["dialog"] == colours["body"], colours
    assert colours["dialog"] not in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), colours
    assert colours["input"] == colours["text"], colours


@pytest.mark.browser
def test_at_phone_width_the_dialog_causes_no_horizontal_overflow(server: str, browser: Any) -> None:
    tab, _ = _open_tab(browser, server, "entities/lancer/", viewport={"width": 390, "height": 844})
    assert tab.locator(".md-header [data-stratlas-search-open]").is_visible()
    tab.locator(".md-header [data-stratlas-search-open]").click()
    _search(tab, "Lancer")
    sizes = tab.evaluate(
        """() => {
            const box = document.getElementById('stratlas-search');
            const rect = box.getBoundingClientRect();
            return {page: document.documentElement.scrollWidth, view: window.innerWidth,
                    box: box.scrollWidth, boxView: box.clientWidth,
                    left: rect.left, right: rect.right};
        }"""
    )
    assert sizes["page"] <= sizes["view"], sizes
    assert sizes["box"] <= sizes["boxView"], sizes
    assert sizes["left"] >= 0 and sizes["right"] <= sizes["view"], sizes


@pytest.mark.browser
def test_axe_finds_no_violations_with_the_dialog_open(server: str, browser: Any) -> None:
    need(AXE.exists(), f"{AXE.relative_to(REPO)} is missing: run `make test` (npm ci)")
    problems = []
    for scheme in ("light", "dark"):
        tab, _ = _open_tab(browser, server, "", color_scheme=scheme)
        tab.add_script_tag(path=str(AXE))
        tab.keyboard.press("/")
        tab.locator(INPUT).wait_for(timeout=15_000)
        for state in ("empty", "results"):
            if state == "results":
                _search(tab, "Lancer")
            violations = tab.evaluate(
                "async () => (await axe.run({include: [['#stratlas-search']]},"
                " {resultTypes: ['violations']})).violations.map(v => ({id: v.id,"
                " impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))"
            )
            problems += [f"{scheme}, {state}: {v}" for v in violations]
        tab.close()
    assert problems == [], "\n".join(problems)


@pytest.mark.browser
def test_without_a_bundle_the_dialog_says_what_search_needs(server: str, browser: Any) -> None:
    """As in the live preview (`stratlas serve` runs no Pagefind): the bundle is missing."""
    tab, _ = _open_tab(browser, server, "")
    tab.route("**/pagefind/**", lambda route: route.fulfill(status=404, body="not found"))
    tab.keyboard.press("/")
    note = tab.locator("[data-stratlas-search-note]")
    note.wait_for(timeout=15_000)
    assert "stratlas build" in note.inner_text()
    assert tab.evaluate("() => document.activeElement.matches('[data-stratlas-search-close]')")
    tab.keyboard.press("Enter")
    assert not _dialog_open(tab)
