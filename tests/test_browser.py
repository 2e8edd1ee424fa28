"""A real browser on the built site: Debian's chromium driven by Playwright (no browser download).

Builds the shipped records (the seed article) and the hostile fixture into temporary folders,
serves them on 127.0.0.1, and clicks through as a reader would. Without chromium the test skips
locally and fails in CI (CI=true): `make test` installs it (`make browser-deps`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support import CHROMIUM, CHROMIUM_ARGS, http_served, make_project, need_playwright

from toolkit.site import build

REPO = Path(__file__).resolve().parent.parent
SEED = "bidens-atacms-decision-escalation-or-strategic-necessity"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Both sites built and served: `<base>/seed/…` and `<base>/hostile/…`."""
    need_playwright()
    root = tmp_path_factory.mktemp("browser")
    served = root / "served"
    for name, records in (("seed", REPO / "records"), ("hostile", REPO / "tests/fixtures/hostile")):
        home = root / name
        home.mkdir()
        result = build(make_project(home), records, served / name)
        assert result.ok, result.mkdocs.output if result.mkdocs else result.report.findings
    with http_served(served) as base:
        yield base


@pytest.fixture
def page(server: str) -> Iterator[Any]:
    sync_api = need_playwright()
    dialogs: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(viewport={"width": 1280, "height": 900})

            def on_dialog(dialog: Any) -> None:
                dialogs.append(f"{dialog.type}: {dialog.message}")
                dialog.dismiss()

            tab.on("dialog", on_dialog)
            yield tab
        finally:
            browser.close()
    assert dialogs == [], f"a page opened a dialog: {dialogs}"


def test_article_to_entity_and_back(server: str, page: Any) -> None:
    page.goto(f"{server}seed/articles/{SEED}/")
    heading = page.locator("article h1")
    assert "Biden’s ATACMS Long-Range Missiles Decision" in heading.inner_text()
    assert page.title().startswith("Biden’s ATACMS")

    page.locator("article a", has_text=re.compile(r"^ATACMS$")).first.click()
    page.wait_for_url(re.compile(r"/seed/entities/atacms/$"))
    assert page.locator("article h1").inner_text().startswith("ATACMS")
    assert "Army Tactical Missile System" in page.locator("article").inner_text()

    page.locator(f'article a[href*="articles/{SEED}/"]').first.click()
    page.wait_for_url(re.compile(rf"/seed/articles/{SEED}/(#.*)?$"))
    assert "Biden’s ATACMS" in page.locator("article h1").inner_text()


def test_search_finds_an_entity_by_alias(server: str, page: Any) -> None:
    page.goto(f"{server}seed/")
    page.keyboard.press("/")
    search = page.locator(".pagefind-ui__search-input")
    search.wait_for(timeout=15_000)
    search.press_sequentially("Army Tactical Missile System", delay=20)
    result = page.locator(".pagefind-ui__result-link[href*='entities/atacms/']").first
    result.wait_for(timeout=15_000)
    result.click()
    page.wait_for_url(re.compile(r"/seed/entities/atacms/"))
    assert page.locator("article h1").inner_text().startswith("ATACMS")


def test_hostile_pages_open_no_dialog_and_show_the_text(server: str, page: Any) -> None:
    for path in (
        "hostile/articles/hostile-article/",
        "hostile/entities/hostile-person/",
        "hostile/entities/hostile-missile/",
        "hostile/entities/hostile-outlet/",
        "hostile/timeline/",
        "hostile/",
    ):
        page.goto(server + path)
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)
    page.goto(f"{server}hostile/articles/hostile-article/")
    text = page.locator("article").inner_text().replace("\u2060", "")
    assert "<script>alert('script')</script>" in text
    assert "[click](javascript:alert('link'))" in text
    assert "</title><script>alert('title')</script>" in page.title().replace("\u2060", "")
    assert page.evaluate("() => document.querySelectorAll('article img, article b').length") == 0
    data = page.evaluate(
        "() => JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').text)"
    )
    assert data["headline"].startswith("</title><script>")
