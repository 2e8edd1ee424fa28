"""What one record can add to the site is bounded (issue 16, item 3): other records' pages and
documents show excerpts and link to the full text, which stays on the record's own page.

The record: one event with n actors, a description and quotes that grow with n (bench/
scaling_site.py). Sizes are compared in bytes, never in time.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import unicodedata
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.checks.redirects import load_redirects
from toolkit.export import api_files
from toolkit.format.urls import json_path
from toolkit.link import Graph, build_graph
from toolkit.pages import render_pages
from toolkit.pages.escape import html_text
from toolkit.text.excerpt import ELLIPSIS, QUOTES, RELATED, TEXT_CHARS, excerpt, normalized
from toolkit.validate import validate_paths

REPO = Path(__file__).resolve().parent.parent


def _scaling_site() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "scaling_site", REPO / "bench" / "scaling_site.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _graph(records: Path) -> Graph:
    report = validate_paths([records])
    assert not report.errors, [str(f) for f in report.errors]
    assert report.corpus is not None
    return build_graph(report.corpus, load_redirects(report.corpus)[0])


def _site(tmp_path: Path, n: int) -> tuple[Graph, dict[str, str], dict[str, bytes]]:
    records = tmp_path / f"records-{n}"
    _scaling_site().fanout_records(records, n)
    graph = _graph(records)
    return graph, render_pages(graph), api_files(graph, sqlite=False)


def _bytes(pages: dict[str, str], api: dict[str, bytes]) -> int:
    """Pages and per-record documents; the bulk downloads (one row per link) are apart."""
    documents = sum(len(data) for path, data in api.items() if path.endswith(".json"))
    return sum(len(text.encode()) for text in pages.values()) + documents


def test_one_records_fan_out_grows_the_site_linearly(tmp_path: Path) -> None:
    sizes = {n: _bytes(*_site(tmp_path, n)[1:]) for n in (40, 80)}
    assert sizes[80] / sizes[40] <= 2.2, sizes


@pytest.fixture(scope="module")
def fanout(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Graph, dict[str, str], dict[str, bytes]]:
    return _site(tmp_path_factory.mktemp("fanout"), 100)


def test_full_text_stays_on_the_article_page(
    fanout: tuple[Graph, dict[str, str], dict[str, bytes]],
) -> None:
    graph, pages, api = fanout
    event = graph.articles["fanout"].events[0]
    assert len(event.description) > TEXT_CHARS and len(event.evidence) > QUOTES
    article = pages["articles/fanout/index.md"]
    assert html_text(event.description) in article
    for anchor in event.evidence:
        assert html_text(anchor.quote) in article
    record = json.loads(api[json_path("article", "fanout")])["record"]
    assert record["events"][0]["description"] == event.description


def test_entity_pages_show_an_excerpt_and_link_to_it(
    fanout: tuple[Graph, dict[str, str], dict[str, bytes]],
) -> None:
    graph, pages, _ = fanout
    event = graph.articles["fanout"].events[0]
    page = pages["entities/organization-007/index.md"]
    assert html_text(event.description) not in page
    assert html_text(excerpt(event.description).text) in page
    context = '<a href="../../articles/fanout/#event-the-event" class="stratlas-context">'
    assert f"{context}In context</a>" in page
    assert f"{len(event.evidence) - QUOTES} more quotes {context}on the article page</a>" in page
    assert page.count("<p>“") == QUOTES
    named = len(event.actors) + len(event.places) + len(event.weapon_systems)
    related, more = page.split("## Related entities", 1)[1].split("And ", 1)
    assert related.count('<a href="') == RELATED
    assert more.startswith(f'{named - 1 - RELATED} more, named in <a href="#mentioned-in">')


def test_api_documents_show_excerpts_and_totals(
    fanout: tuple[Graph, dict[str, str], dict[str, bytes]],
) -> None:
    graph, _, api = fanout
    event = graph.articles["fanout"].events[0]
    named = len(event.actors) + len(event.places) + len(event.weapon_systems)
    entity = json.loads(api[json_path("entity", "organization-007")])
    (role,) = entity["articles"][0]["roles"]
    assert role["role"] == excerpt(event.description).text
    assert role["truncated"] is True and role["quotes_total"] == len(event.evidence)
    assert role["quotes"] == [excerpt(a.quote).text for a in event.evidence[:QUOTES]]
    assert role["pointer"] == "/events/0/actors/7"
    assert len(entity["co_mentions"]) == RELATED
    assert entity["co_mentions_total"] == named - 1
    article = json.loads(api[json_path("article", "fanout")])
    roles = [r for e in article["entities"] for r in e["roles"] if r["section"] == "events"]
    assert roles and all(len(r["role"]) <= TEXT_CHARS + 1 for r in roles)


# --- excerpts cut safely ----------------------------------------------------------------------

#: Letters, spaces, combining marks, ZWJ emoji sequences, skin tones, flags, Hangul jamo.
_PIECES = st.sampled_from(
    [
        "a",
        "é",
        " ",
        "\u0301",
        "\u0308",
        "\u200d",
        "\ufe0f",
        "👩",
        "👩\u200d👩\u200d👧",
        "👍\U0001f3fd",
        "\U0001f1eb\U0001f1f7",
        "\U0001f1e9",
        "\u1100\u1161\u11a8",
        "क्ष",
        "<",
        "&",
        "\n",
    ]
)
_TEXT = st.one_of(
    st.lists(_PIECES, max_size=120).map("".join),
    st.text(max_size=400),
)


def _splits_a_cluster(text: str, index: int) -> bool:
    """Whether a cut at `index` separates characters that belong to one grapheme cluster
    (the cases the pages meet: marks, joiners, modifiers, flags, jamo, surrogates)."""
    if index == 0 or index >= len(text):
        return False
    before, after = text[index - 1], text[index]
    extends = unicodedata.category(after) in ("Mn", "Mc", "Me") or after == "\u200d"
    modifier = 0x1F3FB <= ord(after) <= 0x1F3FF
    regional = [0x1F1E6 <= ord(c) <= 0x1F1FF for c in text[:index]]
    flags_run = len(regional) - (regional[::-1].index(False) if False in regional else 0)
    pair = 0x1F1E6 <= ord(after) <= 0x1F1FF and (len(regional) - flags_run) % 2 == 1
    jamo = 0x1100 <= ord(before) <= 0x11FF and 0x1160 <= ord(after) <= 0x11FF
    joined = before == "\u200d" and after != " "  # a space never joins (UAX #29, GB11)
    return extends or modifier or joined or pair or jamo


@given(_TEXT, st.integers(min_value=1, max_value=60))
def test_an_excerpt_is_a_prefix_cut_at_a_grapheme_boundary(text: str, limit: int) -> None:
    whole = normalized(text)
    cut = excerpt(text, limit)
    if not cut.cut:
        assert cut.text == whole and len(whole) <= limit
        return
    assert cut.text.endswith(ELLIPSIS)
    kept = cut.text[: -len(ELLIPSIS)]
    assert whole.startswith(kept) and len(kept) <= limit
    assert not _splits_a_cluster(whole, len(kept))
    # Escaping comes after the cut: the escaped excerpt is the escaped prefix, whole.
    assert str(html_text(cut.text)) == str(html_text(kept)) + ELLIPSIS


def test_an_excerpt_keeps_whole_words_and_emoji() -> None:
    assert excerpt("one two three", 9).text == "one two…"
    family = "👩\u200d👩\u200d👧"
    assert excerpt(family * 3, 9).text == family + ELLIPSIS
    assert excerpt("e\u0301" * 5, 4).text == "e\u0301e\u0301" + ELLIPSIS
    assert excerpt("\U0001f1eb\U0001f1f7" * 3, 3).text == "\U0001f1eb\U0001f1f7" + ELLIPSIS
