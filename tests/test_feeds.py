"""The Atom feeds (toolkit/export/feeds.py): every feed parsed with feedparser, their entries,
order, caps and dates; hostile record text; the built site's head links; the Data Package."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from posixpath import normpath
from typing import Any

import feedparser
import pytest
from support import make_project

import toolkit
from toolkit.export import api_files, iter_feeds
from toolkit.export.feeds import ENTRIES, UNDATED, feed
from toolkit.format.urls import SITE_URL, feed_path, page_path
from toolkit.link import Graph
from toolkit.site import build

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "corpus"
ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE_TITLE = "<script>alert(1)</script> & \"q\" 'a' ]]> שלום עולם"
HOSTILE_NAME = "مريم هولت & <i>"


def _edit(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _graph(records: Path) -> Graph:
    return toolkit.load_corpus(records).graph


def _parsed(data: bytes, base: str = SITE_URL) -> Any:
    """The feed as feedparser reads it, after checking what every feed must hold."""
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.id and parsed.feed.title and parsed.feed.updated
    links = {link.rel: link.href for link in parsed.feed.links}
    assert links["self"] == parsed.feed.id
    assert links["alternate"].startswith(base)
    for entry in parsed.entries:
        assert entry.id.startswith(base) and entry.title and entry.updated and entry.published
        assert entry.link == entry.id
        assert entry.authors and all(author.name for author in entry.authors)
    ids = [entry.id for entry in parsed.entries]
    assert len(ids) == len(set(ids))
    return parsed


def _check_all(graph: Graph, **options: Any) -> dict[str, Any]:
    """Every feed of `graph`, parsed and checked: which exist, and their order."""
    base = options.get("base_url", SITE_URL)
    feeds = {path: _parsed(data, base) for path, data in iter_feeds(graph, **options)}
    expected = {feed_path("site")}
    for entity_id in graph.entities:
        if graph.articles_referring(entity_id):
            expected.add(feed_path("entity", entity_id))
        if graph.articles_authored(entity_id):
            expected.add(feed_path("author", entity_id))
    assert set(feeds) == expected
    for path, parsed in feeds.items():
        stamps = [(entry.updated_parsed, entry.id) for entry in parsed.entries]
        newest_first = sorted(stamps, key=lambda s: s[1])
        newest_first.sort(key=lambda s: s[0], reverse=True)
        assert stamps == newest_first, path
        assert parsed.feed.updated == (parsed.entries[0].updated if stamps else UNDATED)
        assert parsed.feed.id == base + path
    return feeds


def test_every_fixture_feed_parses() -> None:
    graph = _graph(FIXTURE)
    feeds = _check_all(graph)
    site = feeds[feed_path("site")]
    assert [e.id for e in site.entries] == [
        SITE_URL + page_path("article", "strike-debate"),  # 2024-11-20
        SITE_URL + page_path("article", "winter-front"),  # undated: the epoch
    ]
    assert site.entries[1].updated == UNDATED
    assert site.entries[0].summary.startswith("Ruritania's leaders approved")
    author = feeds[feed_path("author", "mira-holt")]
    assert author.feed.title == "Stratlas: articles by Mira Holt"
    assert author.feed.link == SITE_URL + page_path("entity", "mira-holt")
    assert author.entries[0].author_detail.href == SITE_URL + page_path("entity", "mira-holt")
    # mira-holt writes both articles and neither mentions her: an author feed only
    assert feed_path("entity", "mira-holt") not in feeds
    lancer = feeds[feed_path("entity", "lancer")]
    assert lancer.feed.title == "Stratlas: articles mentioning Lancer"
    assert len(lancer.entries) == 2


def test_feeds_are_byte_identical_and_follow_base_url() -> None:
    first, second = dict(iter_feeds(_graph(FIXTURE))), dict(iter_feeds(_graph(FIXTURE)))
    assert first == second
    graph = _graph(FIXTURE)
    assert dict(iter_feeds(graph)) == dict(iter_feeds(graph))
    elsewhere = _check_all(graph, base_url="https://example.org/mirror/")
    assert elsewhere[feed_path("site")].entries[0].id.startswith("https://example.org/mirror/")


def test_small_feed_snapshot(file_regression: Any) -> None:
    data = feed(_graph(FIXTURE), "author", "mira-holt")
    file_regression.check(
        data.decode("utf-8"), extension=".atom", basename="feed_author_mira_holt", newline=""
    )


def test_unsigned_redirected_and_hostile_text(corpus_copy: Path) -> None:
    """An unsigned article with and without a publisher, an old ID in a byline, and record
    text that is markup, RTL or control characters: every feed still parses, and says it."""
    (corpus_copy / "redirects.json").write_text(
        json.dumps({"holt-mira": {"to": "mira-holt", "reason": "Renamed."}}), encoding="utf-8"
    )

    def unsigned(data: dict[str, Any]) -> None:
        data["schema_version"] = "1.1.0"
        data["authors"] = []
        data["unsigned"] = {
            "label_in_source": "Staff <b>&</b> report",
            "editorial": {"basis": "contributor-judgement", "note": "Test."},
        }

    def hostile(data: dict[str, Any]) -> None:
        data["source"]["title"] = HOSTILE_TITLE
        data["authors"][0]["person"] = "holt-mira"  # an old ID: a warning, resolved
        data["key_points"][0]["text"] = "Tom & Jerry <b>\x07bell\x1b</b> " + "word " * 200

    _edit(corpus_copy / "articles" / "winter-front.json", unsigned)
    _edit(corpus_copy / "articles" / "strike-debate.json", hostile)
    _edit(corpus_copy / "entities" / "mira-holt.json", lambda d: d.update(name=HOSTILE_NAME))
    graph = _graph(corpus_copy)
    feeds = _check_all(graph)
    assert feed_path("author", "holt-mira") not in feeds  # no feed for an old ID
    assert feed_path("entity", "holt-mira") not in feeds
    author = feeds[feed_path("author", "mira-holt")]
    assert author.feed.title == f"Stratlas: articles by {HOSTILE_NAME}"
    [entry] = author.entries
    assert entry.title == HOSTILE_TITLE  # markup is text, and comes back as it was
    assert [a.name for a in entry.authors] == [HOSTILE_NAME]
    assert entry.summary.startswith("Tom & Jerry <b>bell</b> word")  # control characters gone
    assert entry.summary.endswith("…") and len(entry.summary) <= 501
    site = feeds[feed_path("site")]
    by_id = {e.id: e for e in site.entries}
    winter = by_id[SITE_URL + page_path("article", "winter-front")]
    assert [a.name for a in winter.authors] == ["Staff <b>&</b> report"]  # no publisher

    def published_by(data: dict[str, Any]) -> None:
        data["source"]["publisher"] = {
            "entity": "strategy-review",
            "editorial": {"basis": "external-source", "note": "Test."},
        }

    _edit(corpus_copy / "articles" / "winter-front.json", published_by)
    site = _check_all(_graph(corpus_copy))[feed_path("site")]
    winter = {e.id: e for e in site.entries}[SITE_URL + page_path("article", "winter-front")]
    assert [a.name for a in winter.authors] == ["Strategy Review"]


def test_text_the_schema_would_refuse_is_still_valid_xml() -> None:
    """Feeds take the graph as it is: a title with characters XML 1.0 forbids (a control
    character, a lone surrogate) drops them rather than write a feed no reader parses."""
    graph = _graph(FIXTURE)
    graph.articles["strike-debate"].source.title = "A\x01B\ud800C\ufffeD\tE"
    parsed = _parsed(feed(graph, "site"))
    assert parsed.entries[0].title == "ABCD E"
    ET.fromstring(feed(graph, "entity", "lancer"))  # a strict parser too


def test_dates_from_history_order_and_cap(tmp_path: Path) -> None:
    """With more articles than a feed holds: the newest by their `dates`, newest first, ties
    by ID; an article `dates` lacks falls back to its source's date."""
    records = tmp_path / "records"
    shutil.copytree(FIXTURE, records)
    source = json.loads((records / "articles" / "strike-debate.json").read_text("utf-8"))
    count = ENTRIES["site"] + 5
    for number in range(count):
        article_id = f"copy-{number:02d}"
        source["id"] = article_id
        (records / "articles" / f"{article_id}.json").write_text(json.dumps(source), "utf-8")
        shutil.copy(
            records / "sources" / "strike-debate.txt", records / "sources" / f"{article_id}.txt"
        )
    graph = _graph(records)
    dates = {
        f"copy-{n:02d}": ("2026-01-01T00:00:00Z", f"2026-12-{n % 28 + 1:02d}T10:00:00Z")
        for n in range(count)
    }
    dates["copy-54"] = ("2026-01-01T00:00:00+02:00", "2027-01-01T00:30:00+01:00")
    feeds = _check_all(graph, dates=dates)
    site = feeds[feed_path("site")]
    assert len(site.entries) == ENTRIES["site"]
    assert site.entries[0].id.endswith("/copy-54/")  # 2026-12-31T23:30:00Z in UTC
    assert site.entries[0].updated == "2026-12-31T23:30:00Z"
    assert site.entries[0].published == "2025-12-31T22:00:00Z"
    assert site.feed.updated == "2026-12-31T23:30:00Z"
    ids = [e.id.rsplit("/", 2)[1] for e in site.entries]
    assert [i for i in ids if i in ("copy-09", "copy-37")] == ["copy-09", "copy-37"]  # a tie
    # the last place: copy-02 and copy-30 tie, and the lower ID wins it
    assert ids[-1] == "copy-02" and "copy-30" not in ids
    assert "winter-front" not in ids and "strike-debate" not in ids  # 2024 and the epoch
    for path, parsed in feeds.items():
        if path != feed_path("site"):
            assert len(parsed.entries) <= ENTRIES["entity"] == ENTRIES["author"]
    assert len(feeds[feed_path("entity", "lancer")].entries) == ENTRIES["entity"]


def test_feed_paths_stay_inside_feeds() -> None:
    assert feed_path("entity", "lancer") == "feeds/entities/lancer.atom"
    for bad in ("../x", "", "a/b", "Lancer"):
        with pytest.raises(ValueError):
            feed_path("author", bad)
    with pytest.raises(ValueError):
        feed_path("nothing", "lancer")


def test_data_package_lists_the_site_feed() -> None:
    files = api_files(_graph(FIXTURE), sqlite=False, bulk=False)
    package = json.loads(files["datapackage.json"])
    [resource] = [r for r in package["resources"] if r["path"].endswith(".atom")]
    assert resource["path"] == feed_path("site")
    assert resource["mediatype"] == "application/atom+xml"
    assert resource["x-feeds"] == {
        "entity": "feeds/entities/{id}.atom",
        "author": "feeds/authors/{id}.atom",
    }
    assert files[resource["x-feeds"]["entity"].format(id="lancer")] == feed(
        _graph(FIXTURE), "entity", "lancer"
    )


# --- the built site -------------------------------------------------------------------------


class _HeadFeeds(HTMLParser):
    """title → href of each `<link rel="alternate" type="application/atom+xml">` of a head."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, str] = {}
        self.in_head = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "body":
            self.in_head = False
        elif tag == "link" and values.get("type") == "application/atom+xml":
            assert self.in_head and values["rel"] == "alternate"
            self.found[values["title"] or ""] = values["href"] or ""


def _head_feeds(html: str) -> dict[str, str]:
    parser = _HeadFeeds()
    parser.feed(html)
    return parser.found


def check_site_feeds(site: Path) -> None:
    """The feeds are published and every page's head links them, relative to the page (also
    run on Zensical's build by tests/test_zensical.py)."""
    for path, _ in iter_feeds(_graph(FIXTURE)):
        _parsed((site / path).read_bytes())
    pages = {
        "index.html": 1,
        "consumers/index.html": 1,
        "articles/strike-debate/index.html": 1,
        "entities/lancer/index.html": 2,
        "entities/mira-holt/index.html": 2,
    }
    for page, count in pages.items():
        links = _head_feeds((site / page).read_text(encoding="utf-8"))
        assert len(links) == count, (page, links)
        folder = page.rsplit("/", 1)[0] if "/" in page else ""
        targets = {title: normpath(f"{folder}/{href}".lstrip("/")) for title, href in links.items()}
        assert targets["Stratlas: new and updated articles"] == feed_path("site"), page
        for target in targets.values():
            assert (site / target).is_file(), (page, target)
    lancer = _head_feeds((site / "entities/lancer/index.html").read_text(encoding="utf-8"))
    assert lancer["Stratlas: new articles mentioning this entity"] == "../../" + feed_path(
        "entity", "lancer"
    )
    holt = _head_feeds((site / "entities/mira-holt/index.html").read_text(encoding="utf-8"))
    assert holt["Stratlas: new articles by this author"] == "../../" + feed_path(
        "author", "mira-holt"
    )


def test_built_site_publishes_and_links_the_feeds(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    shutil.copytree(FIXTURE, tmp_path / "records")
    result = build(project, tmp_path / "records", project / "site", strict=True)
    assert result.ok, result.mkdocs.output if result.mkdocs else result.report.findings
    check_site_feeds(project / "site")
