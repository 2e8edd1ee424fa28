"""The shapes a corpus brings (issue 17), validated and built, read off the built HTML.

The fixture corpus is tests/fixtures/corpus/ with tests/fixtures/shapes/ laid over it: an
unsigned brief (`lancer-brief`) with claims attributed to groups the source does not name, a
stated capability in someone else's voice, an event dated only as a range, and one event
(`lancer-authorisation`) that both it and `strike-debate` report.
"""

from __future__ import annotations

import html
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from support import make_project, run_stratlas

from toolkit.models import DateClaim, Editorial, Event
from toolkit.pages.views import event_date_key

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "fixtures" / "corpus"
SHAPES = REPO / "tests" / "fixtures" / "shapes"
BRIEF = "Ruritania Clears Lancer Strikes"
DEBATE = "The Lancer decision"


@dataclass
class Built:
    validate: subprocess.CompletedProcess[str]
    build: subprocess.CompletedProcess[str]
    site: Path
    database: Path

    def text(self, page: str) -> str:
        """A page's visible text, whitespace collapsed (scripts and tags dropped)."""
        raw = (self.site / page / "index.html").read_text("utf-8")
        raw = re.sub(r"<script.*?</script>", " ", raw, flags=re.S)
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", raw)).split())

    def body(self, page: str) -> str:
        """The page's article text: what follows its H1 (the navigation lists every page)."""
        text = self.text(page)
        return text[max(text.rfind("Table of contents"), 0) :]

    def html(self, page: str) -> str:
        return (self.site / page / "index.html").read_text("utf-8")


@pytest.fixture(scope="module")
def built() -> Iterator[Built]:
    root = Path(tempfile.mkdtemp(prefix="stratlas-shapes-"))
    try:
        project = make_project(root)
        records = project / "records"
        shutil.copytree(CORPUS, records)
        for part in ("articles", "entities", "sources"):
            shutil.copytree(SHAPES / part, records / part, dirs_exist_ok=True)
        validate = run_stratlas(project, "validate", "--strict", "records")
        build = run_stratlas(project, "build", "--strict", "--out", "site")
        export = run_stratlas(project, "export", "--format", "sqlite", "--out", "shapes.db")
        assert export.returncode == 0, export.stdout + export.stderr
        yield Built(validate, build, project / "site", project / "shapes.db")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_the_shapes_validate_strict_and_build(built: Built) -> None:
    assert built.validate.returncode == 0, built.validate.stdout + built.validate.stderr
    assert "0 errors, 0 warnings" in built.validate.stdout
    assert built.build.returncode == 0, built.build.stdout + built.build.stderr


def test_an_unsigned_article_says_so_and_lists_no_stand_in(built: Built) -> None:
    page = built.body("articles/lancer-brief")
    assert "Unsigned (“Staff report”)" in page
    assert "About the author" not in page
    # The authors index lists the signed article's author and nothing for the brief.
    authors = built.body("authors")
    assert "Mira Holt" in authors and BRIEF not in authors
    jsonld = re.search(
        r'<script type="application/ld\+json">(.*?)</script>',
        built.html("articles/lancer-brief"),
        re.S,
    )
    assert jsonld is not None and '"author"' not in jsonld.group(1)
    listing = built.body("articles")
    assert re.search(re.escape(BRIEF) + r" Unsigned · November 2024", listing), listing


def test_a_group_attribution_shows_its_words_and_entity(built: Built) -> None:
    page = built.html("articles/lancer-brief")
    assert re.search(
        r"attributed</span> to “Ruritanian officials” \(<a href=\"../../entities/ruritania/\">",
        page,
    ), "the key point names the group in the source's words, linked to its state"
    assert "attributed to “most analysts”" in built.body("articles/lancer-brief")


def test_entity_pages_keep_who_said_what(built: Built) -> None:
    kessler = built.body("entities/anna-kessler")
    # The assessment about Kessler, with its speakers, as the article page gives it.
    assert "Most analysts judged the decision" in kessler
    assert "said by “most analysts”" in kessler
    assert "said by “Ruritanian officials” ( Ruritania )" in kessler


def test_stated_capabilities_show_on_the_weapon_page_with_voice_and_quote(built: Built) -> None:
    lancer = built.body("entities/lancer")
    assert (
        "cannot reach beyond the border districts (said by Borduria ) — "
        "“the Lancer cannot reach beyond the border districts”" in lancer
    )
    # Under the article it comes from.
    assert lancer.index(BRIEF) < lancer.index("cannot reach beyond the border districts")
    assert "( attributed to Borduria )" in built.body("articles/lancer-brief")


def test_a_date_range_is_shown_as_one(built: Built) -> None:
    page = built.body("articles/lancer-brief")
    assert "November 2024 (between 18 November 2024 and 22 November 2024)" in page


def test_one_event_reported_by_two_articles_is_one_timeline_entry(built: Built) -> None:
    timeline = built.body("timeline/2024")
    assert timeline.count("Authorisation of Lancer strikes into Borduria") == 1
    entry = timeline[timeline.index("Authorisation of Lancer strikes into Borduria") :]
    assert f"Reported by {BRIEF}" in entry and f"Reported by {DEBATE}" in entry
    links = built.html("timeline/2024")
    assert 'href="../../entities/lancer-authorisation/"' in links
    for article in ("lancer-brief", "strike-debate"):
        assert f'href="../../articles/{article}/#' in links
    # The event's own page lists both accounts; each article's event links to it.
    event = built.body("entities/lancer-authorisation")
    assert BRIEF in event and DEBATE in event
    for article in ("lancer-brief", "strike-debate"):
        assert 'href="../../entities/lancer-authorisation/"' in built.html(f"articles/{article}")


def test_every_url_of_the_site_before_pagination_still_resolves(built: Built) -> None:
    """Issue 18 moved long lists onto further pages; every URL the site had before still leads
    to a page (or to a redirect page whose target exists), and old anchors still exist."""
    listed = (REPO / "tests" / "fixtures" / "urls-before-pagination.txt").read_text("utf-8")
    urls = [line for line in listed.splitlines() if line and not line.startswith("#")]
    assert len(urls) > 50
    for url in urls:
        path, _, anchor = url.partition("#")
        target = built.site / path
        page = target / "index.html" if path.endswith("/") else target
        assert page.is_file(), f"{url}: gone"
        if not page.name.endswith(".html"):
            continue
        text = page.read_text("utf-8")
        moved = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', text)
        if moved:
            page = (page.parent / moved.group(1)).resolve() / "index.html"
            assert page.is_file(), f"{url}: redirects to {moved.group(1)}, which is gone"
            text = page.read_text("utf-8")
        if anchor:
            assert f'id="{anchor}"' in text, f"{url}: no such anchor any more"


def _event(value: str, earliest: str | None = None, latest: str | None = None) -> Event:
    bounds = {"earliest": earliest, "latest": latest}
    date = DateClaim.model_validate(
        {
            "value": value,
            **{key: bound for key, bound in bounds.items() if bound},
            "editorial": {"basis": "contributor-judgement", "note": "Test."},
        }
    )
    return Event(
        id="e",
        date=date,
        description="Test.",
        editorial=Editorial(basis="contributor-judgement", note="Test."),
    )


def test_partial_dates_sort_as_the_ranges_they_are() -> None:
    events = {
        "month": _event("2024-11"),
        "day": _event("2024-11-05"),
        "last day": _event("2024-11-30"),
        "range": _event("2024-11", "2024-11-18", "2024-11-22"),
        "year": _event("2024"),
        "next month": _event("2024-12-01"),
    }
    order = sorted(events, key=lambda name: event_date_key(events[name]))
    # A month does not come before a day of it; a range sorts by where it can end.
    assert order == ["day", "range", "last day", "month", "next month", "year"]


def test_the_sqlite_export_carries_groups_ranges_and_shared_events(built: Built) -> None:
    with sqlite3.connect(built.database) as db:
        groups = db.execute(
            "SELECT attributed_group, attributed_group_entity FROM key_points"
            " WHERE article_id = 'lancer-brief'"
        ).fetchall()
        events = db.execute(
            "SELECT article_id, date, date_earliest, date_latest FROM events"
            " WHERE event_entity = 'lancer-authorisation' ORDER BY article_id"
        ).fetchall()
    assert groups == [("Ruritanian officials", "ruritania")]
    assert events == [
        ("lancer-brief", "2024-11", "2024-11-18", "2024-11-22"),
        ("strike-debate", "2024-11", None, None),
    ]
