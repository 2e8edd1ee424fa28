"""The scenario tracker (/scenarios/): every scenario with its status, in a stable order, linked
to its anchor on the article page and to the basis of its resolution; the article page shows
the resolution; in a browser, sorting, filtering and the "due for resolution" marks work on a
phone's width with no axe violation."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_regressions.file_regression import FileRegressionFixture
from support import CHROMIUM, CHROMIUM_ARGS, http_served, make_project, need, need_playwright
from test_render import graph_of

from toolkit.authoring.fmt import canonical_text
from toolkit.pages import render_pages
from toolkit.pages.paginate import BUDGET

REPO = Path(__file__).resolve().parent.parent
RESOLVED = REPO / "tests" / "examples" / "valid" / "resolved"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


def _scenario(base: dict[str, Any], id: str, title: str, **changes: Any) -> dict[str, Any]:
    return {**json.loads(json.dumps(base)), "id": id, "title": title, **changes}


def tracker_corpus(root: Path) -> Path:
    """Two articles, five scenarios: open and due long ago, open and due in 2999, open with no
    due date, settled with sources (1.2), settled on an editorial basis (1.0, undated)."""
    records = root / "records"
    shutil.copytree(RESOLVED, records)
    path = records / "articles" / "spear-strikes.json"
    data = json.loads(path.read_text("utf-8"))
    settled = data["scenarios"][0]
    opened = {**settled, "resolution": {"status": "open"}}
    opened.pop("due")
    data["scenarios"] = [
        _scenario(opened, "overdue", "Tarsis sues for peace", due="2024-12"),
        _scenario(
            opened,
            "answer-in-kind",
            "Tarsis answers in kind",
            due="2999",
            evidence=[{"quote": "Tarsis will probably answer in kind"}],
            likelihood={"wording": "will probably", "estimate": "likely"},
        ),
        _scenario(opened, "undated", "The strikes go on"),
        settled,
    ]
    path.write_text(canonical_text(data, "article"), "utf-8")
    later = records / "articles" / "spear-ceasefire.json"
    data = json.loads(later.read_text("utf-8"))
    data["scenarios"][0]["resolution"] = {
        "status": "happened",
        "note": "The cease-fire held until spring.",
        "editorial": {"basis": "external-source", "note": "Fixture."},
    }
    later.write_text(canonical_text(data, "article"), "utf-8")
    return records


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return render_pages(graph_of(tracker_corpus(tmp_path_factory.mktemp("tracker"))))


def test_tracker_snapshot(pages: dict[str, str], file_regression: FileRegressionFixture) -> None:
    file_regression.check(pages["scenarios/index.md"], basename="tracker", extension=".md")


def _rows(page: str) -> list[str]:
    """Each row's first cell: the scenario's title, linked to its anchor."""
    return [line for line in page.splitlines() if line.startswith("<td>") and "#scenario-" in line]


def test_open_first_by_due_date_then_settled_newest_first(pages: dict[str, str]) -> None:
    rows = _rows(pages["scenarios/index.md"])
    assert [row.split("#scenario-")[1].split('"')[0] for row in rows] == [
        "overdue",  # open, due 2024-12
        "answer-in-kind",  # open, due 2999
        "undated",  # open, no due date
        "no-ceasefire",  # did not happen, resolved 2025-01-12 (spear-strikes)
        "no-ceasefire",  # happened, no date (spear-ceasefire, a 1.0 record)
    ]
    assert "spear-strikes" in rows[3] and "spear-ceasefire" in rows[4]


def test_each_title_links_to_an_anchor_its_article_page_has(pages: dict[str, str]) -> None:
    for row in _rows(pages["scenarios/index.md"]):
        target = row.split('href="../')[1].split('"')[0]
        article, anchor = target.split("#")
        page = pages[f"{article}index.md"]
        assert f"{{ #{anchor} " in page, (article, anchor)


def test_due_date_is_printed_and_given_to_the_browser(pages: dict[str, str]) -> None:
    page = pages["scenarios/index.md"]
    assert '<tr data-status="open" data-due="2024-12-31">' in page
    assert '<time datetime="2024-12">December 2024</time>' in page
    assert '<tr data-status="open" data-due="2999-12-31">' in page
    # Never decided at build time: every open row with a due date has a hidden marker.
    assert page.count("data-due-marker hidden>due for resolution</span>") == 2
    assert "data-overdue" not in page


def test_settled_rows_link_their_basis(pages: dict[str, str]) -> None:
    page = pages["scenarios/index.md"]
    assert (
        'Basis: <a href="../articles/spear-ceasefire/">Cease-fire on Tarsis</a>; '
        '<a href="https://example.org/ceasefire">example.org</a>'
    ) in page
    assert (
        '<a href="../articles/spear-ceasefire/#scenario-no-ceasefire">on the article page</a>'
        in page
    )


def test_the_article_page_shows_the_resolution(pages: dict[str, str]) -> None:
    page = pages["articles/spear-strikes/index.md"]
    assert (
        '<strong>Status</strong> <span class="stratlas-badge stratlas-badge--did-not-happen">'
        'did not happen</span> on <time datetime="2025-01-12">12 January 2025</time> Tarsis and '
        "Valeria signed a cease-fire on 12 January 2025."
    ) in page
    assert (
        '<li>“signed a cease-fire on 12 January” in <a href="../spear-ceasefire/">Cease-fire on '
        "Tarsis</a></li>"
    ) in page
    assert '<li>The text of the cease-fire. <a href="https://example.org/ceasefire">' in page
    assert '<strong>Due</strong> by <time datetime="2999">2999</time>' in page


def test_the_tracker_is_paginated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(BUDGET, "scenarios", 2)
    pages = render_pages(graph_of(tracker_corpus(tmp_path)))
    assert [p for p in sorted(pages) if p.startswith("scenarios/")] == [
        "scenarios/index.md",
        "scenarios/page/2/index.md",
        "scenarios/page/3/index.md",
        "scenarios/page/4/index.md",
    ]
    # A row with two bases weighs two (`tracker_weight`): the settled one has a page alone.
    assert '<a href="../3/" rel="next">Next →</a>' in pages["scenarios/page/2/index.md"]
    assert "4–4 of 5 scenarios, page 3 of 4" in pages["scenarios/page/3/index.md"]


SEED = "bidens-atacms-decision-escalation-or-strategic-necessity"


def test_the_seed_scenarios_are_tracked(tmp_path: Path) -> None:
    # The seed article alone (whatever else records/ holds), with the entities it names.
    records = tmp_path / "records"
    shutil.copytree(REPO / "records", records)
    for folder, suffix in (("articles", ".json"), ("sources", ".txt")):
        for path in (records / folder).iterdir():
            if path.name != SEED + suffix:
                path.unlink()
    pages = render_pages(graph_of(records))
    rows = _rows(pages["scenarios/index.md"])
    statuses = [
        line.split('data-status="')[1].split('"')[0]
        for line in pages["scenarios/index.md"].splitlines()
        if line.startswith("<tr data-status=")
    ]
    assert len(rows) == 10
    assert statuses.count("happened") == 1 and statuses.count("open") == 9
    assert "#scenario-trump-reassumes-office" in rows[-1]  # settled: after the open ones


# --- in a browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    need_playwright()
    from toolkit.site import build

    root = tmp_path_factory.mktemp("tracker-site")
    project = make_project(root)
    records = tracker_corpus(root)
    out = root / "site"
    result = build(project, records, out)
    assert result.ok, result.mkdocs.output if result.mkdocs else result.report.findings
    with http_served(out) as base:
        yield base


def _titles(tab: Any) -> list[str]:
    return list(
        tab.evaluate(
            "Array.from(document.querySelectorAll('[data-stratlas-tracker] tbody tr'))"
            ".filter(r => !r.hidden).map(r => r.cells[0].textContent.trim())"
        )
    )


@pytest.mark.browser
def test_sorting_filtering_and_due_marks_on_a_phone(served: str) -> None:
    sync_api = need_playwright()
    need(AXE.is_file(), f"{AXE} is missing (run `npm ci`)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(viewport={"width": 390, "height": 844})
            tab.goto(served + "scenarios/", wait_until="networkidle")
            # The due marks: the reader's today is long after 2024 and long before 2999.
            assert tab.locator("[data-overdue]").count() == 1
            marker = tab.locator("tr[data-overdue] [data-due-marker]")
            assert marker.is_visible() and marker.text_content() == "due for resolution"
            # Sorting by title, both ways.
            tab.get_by_role("button", name="Scenario").click()
            assert _titles(tab) == sorted(_titles(tab))
            assert tab.locator("th[aria-sort=ascending]").inner_text().startswith("Scenario")
            tab.get_by_role("button", name="Scenario").click()
            assert _titles(tab) == sorted(_titles(tab), reverse=True)
            # Sorting by due date puts the rows without one last, in the page's order.
            tab.get_by_role("button", name="Due").click()
            assert _titles(tab) == [
                "Tarsis sues for peace",  # 2024-12
                "No cease-fire before winter",  # 2025-03 (settled)
                "Tarsis answers in kind",  # 2999
                "The strikes go on",
                "No cease-fire before winter",
            ]
            # Filtering by status, then by text.
            tab.get_by_label("Status").select_option("due")
            assert _titles(tab) == ["Tarsis sues for peace"]
            tab.get_by_label("Status").select_option("happened")
            assert _titles(tab) == ["No cease-fire before winter"]
            tab.get_by_label("Status").select_option("")
            tab.get_by_label("Filter", exact=True).fill("tarsis ANSWERS")
            assert _titles(tab) == ["Tarsis answers in kind"]
            assert "1 of 5 scenarios on this page shown." in tab.content()
            overflow = tab.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0
            tab.add_script_tag(path=str(AXE))
            violations = tab.evaluate(
                "async () => (await axe.run(document, {resultTypes: ['violations']}))"
                ".violations.map(v => `${v.id}: ${v.help} at ` + v.nodes.map(n => n.target).join(' '))"
            )
            assert violations == []
        finally:
            browser.close()


def test_the_database_holds_due_dates_and_resolutions(tmp_path: Path) -> None:
    import sqlite3

    from toolkit.export import export_sqlite

    database = tmp_path / "stratlas.db"
    database.write_bytes(export_sqlite(graph_of(tracker_corpus(tmp_path))))
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT local_id, due, resolution_status, resolved_on, resolution_sources "
            "FROM scenarios WHERE article_id = 'spear-strikes' ORDER BY position"
        ).fetchall()
    settled = json.loads(rows[3][4])
    assert [row[:3] for row in rows[:3]] == [
        ("overdue", "2024-12", "open"),
        ("answer-in-kind", "2999", "open"),
        ("undated", None, "open"),
    ]
    assert rows[3][2] != "open" and rows[3][3] and settled
    assert all(("url" in s and "basis" in s) or ("article" in s and "quote" in s) for s in settled)
    assert [json.loads(row[4]) for row in rows[:3]] == [[], [], []]
