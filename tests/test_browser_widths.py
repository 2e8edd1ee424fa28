"""Readers on phones and desktops (issue 18, target 6): Debian's chromium at 390×844 and
1280×900 on an article, an entity page whose mentions run over several pages, one of those
pages, the timeline, a year of it, the scenario tracker and the calibration page (issue 19),
and search with results: nothing overflows horizontally, axe-core finds no violations, and
each page's weight (every byte the browser fetched) is recorded as a test property and kept
under a bound.

The corpus is generated (bench/generate.py) with few entities, so that the most-named entity's
"Mentioned in" runs over several pages at the site's own page budgets.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support import CHROMIUM, CHROMIUM_ARGS, http_served, make_project, need, need_playwright
from test_bench_smoke import _load_generator

from toolkit.site import build

REPO = Path(__file__).resolve().parent.parent
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {"phone": (390, 844), "desktop": (1280, 900)}
#: Everything one page makes the browser fetch (HTML, theme CSS and JS, fonts are local).
MAX_PAGE_WEIGHT = 1_500_000

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """The built site served on 127.0.0.1, and the paths of the pages to check."""
    need_playwright()
    root = tmp_path_factory.mktemp("widths")
    project = make_project(root)
    _load_generator().generate(150, 2, project / "records", pool=14)
    out = root / "site"
    result = build(project, project / "records", out)
    assert result.ok, result.mkdocs.output if result.mkdocs else result.report.findings
    continued = sorted(out.glob("entities/*/mentions/2/index.html"))
    assert continued, "the corpus should give an entity more than one page of mentions"
    entity = continued[0].parent.parent.parent.name
    article = sorted(
        p.parent.name for p in out.glob("articles/*/index.html") if p.parent.name != "page"
    )[0]
    year = sorted(p.parent.name for p in out.glob("timeline/*/index.html"))[0]
    pages = {
        "article": f"articles/{article}/",
        "entity with pages of mentions": f"entities/{entity}/",
        "second page of mentions": f"entities/{entity}/mentions/2/",
        "timeline": "timeline/",
        "a year of the timeline": f"timeline/{year}/",
        "calibration": "calibration/",
        "scenario tracker": "scenarios/",
    }
    with http_served(out) as base:
        yield base, pages


def _axe(tab: Any) -> list[str]:
    tab.add_script_tag(path=str(AXE))
    found = tab.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']}))"
        ".violations.map(v => `${v.id} [${v.impact}] ${v.help} at `"
        " + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"
    )
    return list(found)


def _size(request: Any) -> int:
    """Bytes of one response as they came over the wire (headers and body)."""
    sizes = request.sizes()
    return int(sizes["responseBodySize"]) + int(sizes["responseHeadersSize"])


def _overflow(tab: Any) -> int:
    """How far the page is wider than the window, in CSS pixels (0: it fits)."""
    return int(
        tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


@pytest.mark.parametrize("device", sorted(VIEWPORTS))
def test_pages_fit_the_screen_pass_axe_and_stay_light(
    site: tuple[str, dict[str, str]], device: str, record_property: Any
) -> None:
    sync_api = need_playwright()
    need(AXE.is_file(), f"{AXE} is missing (run `npm ci`)")
    base, pages = site
    query = "armed"  # in every generated corpus's names ("… Armed Forces")
    width, height = VIEWPORTS[device]
    problems: list[str] = []
    weights: dict[str, int] = {}
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for name, path in pages.items():
                tab = browser.new_page(viewport={"width": width, "height": height})
                fetched: list[int] = []
                tab.on("requestfinished", lambda request, into=fetched: into.append(_size(request)))
                tab.goto(base + path, wait_until="networkidle")
                weights[name] = sum(fetched)
                if (wider := _overflow(tab)) > 0:
                    problems.append(f"{name} /{path}: {wider}px wider than the {width}px screen")
                problems += [f"{name} /{path}: {v}" for v in _axe(tab)]
                if weights[name] > MAX_PAGE_WEIGHT:
                    problems.append(f"{name} /{path}: {weights[name]} bytes fetched")
                tab.close()
            # Search: the dialog open with results, over the article page.
            tab = browser.new_page(viewport={"width": width, "height": height})
            tab.goto(base + pages["article"], wait_until="networkidle")
            tab.keyboard.press("/")
            tab.locator(".pagefind-ui__search-input").fill(query)
            tab.locator(".pagefind-ui__result-link").first.wait_for()
            if (wider := _overflow(tab)) > 0:
                problems.append(f"search: {wider}px wider than the {width}px screen")
            problems += [f"search: {v}" for v in _axe(tab)]
            tab.close()
        finally:
            browser.close()
    record_property("page_weight_bytes", json.dumps(weights, sort_keys=True))
    assert problems == [], "\n".join(problems)
