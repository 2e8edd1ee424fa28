"""Long lists in pages (issue 18): bounded pages, every item once and in order, stable URLs.

`paginate` on its own (hypothesis), then the pages `render_pages` writes for a generated corpus
whose few entities are each named by most articles, with the budgets made small so that every
list runs over several pages.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_bench_smoke import _load_generator

from toolkit.checks.redirects import load_redirects
from toolkit.link import Graph, build_graph
from toolkit.pages import render_pages
from toolkit.pages.paginate import BUDGET, page_numbers, page_path, paginate
from toolkit.pages.views import SiteView
from toolkit.validate import validate_paths

REPO = Path(__file__).resolve().parent.parent

# --- paginate -----------------------------------------------------------------------------


@given(
    weights=st.lists(st.integers(min_value=0, max_value=30), max_size=60),
    budget=st.integers(min_value=1, max_value=40),
)
def test_pages_keep_every_item_once_in_order_within_the_budget(
    weights: list[int], budget: int
) -> None:
    items = list(enumerate(weights))
    pages = paginate(items, "entities/x/index.md", "mentions", budget=budget, weight=lambda i: i[1])
    assert [item for page in pages for item in page.items] == items
    assert [page.number for page in pages] == list(range(1, len(pages) + 1))
    for page in pages:
        assert page.count == len(pages) and page.total == len(items)
        assert page.start == 1 + sum(len(p.items) for p in pages[: page.number - 1])
        cost = sum(max(1, w) for _, w in page.items)
        # Over budget only as a page of one item that alone is over it.
        assert cost <= budget or len(page.items) == 1
        if page.next is not None:
            # A page is cut only where the next item would not fit.
            following = pages[page.number].items[0][1]
            assert cost + max(1, following) > budget


def test_an_empty_list_has_one_empty_page() -> None:
    (page,) = paginate([], "articles/index.md", "page", budget=5)
    assert page.items == [] and page.path == "articles/index.md" and page.next is None


def test_page_urls_are_stable_and_keep_the_first_page_where_the_list_was() -> None:
    assert page_path("entities/x/index.md", "mentions", 1) == "entities/x/index.md"
    assert page_path("entities/x/index.md", "mentions", 2) == "entities/x/mentions/2/index.md"
    assert page_path("articles/index.md", "page", 3) == "articles/page/3/index.md"
    assert page_path("timeline/2024/index.md", "page", 2) == "timeline/2024/page/2/index.md"


@pytest.mark.parametrize(
    ("number", "count", "shown"),
    [
        (1, 1, [1]),
        (1, 4, [1, 2, 3, 4]),
        (1, 10, [1, 2, 3, 0, 10]),
        (6, 12, [1, 0, 4, 5, 6, 7, 8, 0, 12]),
        (12, 12, [1, 0, 10, 11, 12]),
    ],
)
def test_the_pager_shows_first_last_and_neighbours(
    number: int, count: int, shown: list[int]
) -> None:
    pages = paginate(list(range(count)), "articles/index.md", "page", budget=1)
    assert page_numbers(pages[number - 1]) == shown


# --- the pages of a corpus ------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Graph, dict[str, str]]:
    records = tmp_path_factory.mktemp("paged") / "records"
    _load_generator().generate(40, 5, records, pool=14)
    report = validate_paths([records])
    assert not report.errors, [str(f) for f in report.errors]
    assert report.corpus is not None
    graph = build_graph(report.corpus, load_redirects(report.corpus)[0])
    with pytest.MonkeyPatch.context() as patch:
        for name in BUDGET:
            patch.setitem(BUDGET, name, 12)
        pages = render_pages(graph)
    return graph, pages


def _chain(pages: dict[str, str], first: str, list_name: str) -> list[str]:
    """The pages of one list: its first page, then `<list>/<n>/` while they exist."""
    chain = [first]
    stem = first.removesuffix("/index.md")
    while f"{stem}/{list_name}/{len(chain) + 1}/index.md" in pages:
        chain.append(f"{stem}/{list_name}/{len(chain) + 1}/index.md")
    return chain


def test_every_mention_is_on_one_page_of_its_entity_newest_first(
    corpus: tuple[Graph, dict[str, str]],
) -> None:
    graph, pages = corpus
    view = SiteView(graph)
    paged = 0
    for entity_id in graph.entities:
        expected = [article.id for article, _ in view.mentions(entity_id)]
        chain = _chain(pages, f"entities/{entity_id}/index.md", "mentions")
        paged += len(chain) > 1
        found = [
            match
            for page in chain
            for match in re.findall(r'<h3 id="in-([a-z0-9-]+)"', pages[page])
        ]
        assert found == expected, entity_id
        for number, page in enumerate(chain[1:], 2):
            # Each further page names its place and links back to the entity.
            assert f"page {number} of {len(chain)}" in pages[page]
            assert 'Continued from <a href="../../">' in pages[page]
    assert paged, "the corpus should have entities named on more than one page"


def test_articles_index_and_timeline_cover_everything_once(
    corpus: tuple[Graph, dict[str, str]],
) -> None:
    graph, pages = corpus
    chain = _chain(pages, "articles/index.md", "page")
    assert len(chain) > 1
    listed = [
        match
        for page in chain
        for match in re.findall(
            r'<p class="stratlas-lead"><a href="(?:\.\./)*([a-z0-9-]+)/">', pages[page]
        )
    ]
    assert sorted(listed) == sorted(graph.articles)
    view = SiteView(graph)
    years = re.findall(r'<li id="year-([0-9]{4}|undated)">', pages["timeline/index.md"])
    assert years and years == sorted(years)
    events = 0
    for year in years:
        year_chain = _chain(pages, f"timeline/{year}/index.md", "page")
        events += sum(
            pages[page].count('<div class="stratlas-item stratlas-event"') for page in year_chain
        )
    assert events == len(view.timeline)


def test_an_entity_page_json_ld_names_only_the_articles_it_shows(
    corpus: tuple[Graph, dict[str, str]],
) -> None:
    graph, pages = corpus
    paged = [e for e in graph.entities if f"entities/{e}/mentions/2/index.md" in pages]
    assert paged
    for entity_id in paged:
        page = pages[f"entities/{entity_id}/index.md"]
        named = set(re.findall(r'"@id":"[^"]*/articles/([a-z0-9-]+)/"', page))
        shown = set(re.findall(r'href="\.\./\.\./articles/([a-z0-9-]+)/"', page))
        assert named and named <= shown
        assert len(named) < len(graph.articles_mentioning(entity_id))
