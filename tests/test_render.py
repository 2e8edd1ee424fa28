"""Page rendering: snapshots of every page kind, determinism, and record text kept inert."""

from __future__ import annotations

import json
import os
import re
import shutil
import string
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from mkdocs.utils.meta import get_data
from pytest_regressions.file_regression import FileRegressionFixture

from toolkit.checks.redirects import load_redirects
from toolkit.errors import RenderError
from toolkit.format.vocab import KIND_LABELS
from toolkit.link import Graph, build_graph
from toolkit.pages import FEED_TITLES, HOME_MARKER, fill_home, render_pages
from toolkit.pages.escape import markdown_text
from toolkit.site.plugin import html_blocks
from toolkit.validate import validate_paths

KINDS = [label for label, _ in KIND_LABELS.values()]

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
TEMPLATES = REPO / "toolkit" / "pages" / "templates"


def graph_of(records: Path) -> Graph:
    report = validate_paths([records])
    assert not report.errors, [str(f) for f in report.errors]
    assert report.corpus is not None
    redirects, _ = load_redirects(report.corpus)
    return build_graph(report.corpus, redirects)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The fixture corpus plus one redirect (merged `lancer-missile` → `lancer`)."""
    records = tmp_path_factory.mktemp("render") / "records"
    shutil.copytree(FIXTURES / "corpus", records)
    redirect = {"lancer-missile": {"to": "lancer", "reason": "Duplicate of Lancer."}}
    (records / "redirects.json").write_text(json.dumps(redirect), encoding="utf-8")
    return render_pages(graph_of(records))


@pytest.fixture(scope="module")
def hostile_pages() -> dict[str, str]:
    return render_pages(graph_of(FIXTURES / "hostile"))


# --- snapshots ------------------------------------------------------------------------------

SNAPSHOTS = {
    "article_full": "articles/strike-debate/index.md",
    "article_sparse": "articles/winter-front/index.md",
    "entity_weapon_system": "entities/lancer/index.md",
    "entity_author": "entities/mira-holt/index.md",
    "entity_state": "entities/borduria/index.md",
    "entity_place": "entities/szohod/index.md",
    "entity_outlet": "entities/strategy-review/index.md",
    "redirect": "entities/lancer-missile/index.md",
    "kind_index": "kinds/weapon-system/index.md",
    "kind_index_empty": "kinds/government/index.md",
    "articles_index": "articles/index.md",
    "entities_index": "entities/index.md",
    "authors_index": "authors/index.md",
    "publishers_index": "publishers/index.md",
    "timeline": "timeline/index.md",
    "timeline_year": "timeline/2024/index.md",
    "tags": "tags/index.md",
    "calibration": "calibration/index.md",
    "scenarios_index": "scenarios/index.md",
}


@pytest.mark.parametrize("name", sorted(SNAPSHOTS))
def test_page_snapshot(
    name: str, pages: dict[str, str], file_regression: FileRegressionFixture
) -> None:
    file_regression.check(pages[SNAPSHOTS[name]], basename=name, extension=".md")


def test_home_summary_snapshot(file_regression: FileRegressionFixture) -> None:
    home = fill_home(f"# Home\n\n{HOME_MARKER}\n\nMore.\n", graph_of(FIXTURES / "corpus"))
    assert HOME_MARKER not in home
    file_regression.check(home, basename="home", extension=".md")


def test_every_page_kind_is_snapshotted(pages: dict[str, str]) -> None:
    kinds = {path.split("/")[0] if "/" in path else path for path in pages}
    covered = {path.split("/")[0] if "/" in path else path for path in SNAPSHOTS.values()}
    assert kinds <= covered


def test_pages_cover_every_record(pages: dict[str, str]) -> None:
    graph = graph_of(FIXTURES / "corpus")
    for article_id in graph.articles:
        assert f"articles/{article_id}/index.md" in pages
    for entity_id in graph.entities:
        assert f"entities/{entity_id}/index.md" in pages


def test_article_links_every_entity_it_references_and_back(pages: dict[str, str]) -> None:
    graph = graph_of(FIXTURES / "corpus")
    for article_id in graph.articles:
        page = pages[f"articles/{article_id}/index.md"]
        for entity_id in graph.entities:
            if article_id in graph.articles_mentioning(entity_id):
                assert f'href="../../entities/{entity_id}/"' in page, (article_id, entity_id)
                assert (
                    f'href="../../articles/{article_id}/"'
                    in pages[f"entities/{entity_id}/index.md"]
                )


# --- determinism ----------------------------------------------------------------------------


def test_render_is_deterministic(pages: dict[str, str], tmp_path: Path) -> None:
    records = tmp_path / "records"
    shutil.copytree(FIXTURES / "corpus", records)
    (records / "redirects.json").write_text(
        json.dumps({"lancer-missile": {"to": "lancer", "reason": "Duplicate of Lancer."}}),
        encoding="utf-8",
    )
    assert render_pages(graph_of(records)) == pages


def test_render_is_the_same_across_hash_seeds() -> None:
    script = (
        "import hashlib, sys\n"
        "from pathlib import Path\n"
        "from toolkit.link import build_graph\n"
        "from toolkit.checks.redirects import load_redirects\n"
        "from toolkit.pages import render_pages\n"
        "from toolkit.validate import validate_paths\n"
        "r = validate_paths([Path(sys.argv[1])])\n"
        "pages = render_pages(build_graph(r.corpus, load_redirects(r.corpus)[0]))\n"
        "print(hashlib.sha256(repr(sorted(pages.items())).encode()).hexdigest())\n"
    )
    digests = set()
    for seed in ("1", "2", "random"):
        done = subprocess.run(
            [sys.executable, "-c", script, str(FIXTURES / "corpus")],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO,
        )
        digests.add(done.stdout.strip())
    assert len(digests) == 1


# --- record text stays text -----------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
        "{: onclick=alert(1)}",
        '--8<-- "README.md"',
        "*[HTML]: x",
        "[1]: http://evil",
        "---\ntitle: x\n---",
        "{{ 7*7 }}",
        "\\(x\\)",
        "    indented code",
        "1. list\n# heading",
    ],
)
def test_markdown_text_leaves_no_markdown_or_html(payload: str) -> None:
    text = str(markdown_text(payload))
    raw = text.replace("&#", "").replace(";", "")
    assert not set(raw) & set(string.punctuation), text
    assert "\n" not in text and not text.startswith("  ")


def test_markdown_text_drops_control_characters_and_keeps_unicode() -> None:
    assert str(markdown_text("a\x00b\x02c\u2028d’é")) == "abc d’é"


class _Tags(HTMLParser):
    """Every start tag of an HTML fragment, with its attributes; the text of its scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._script = False

    def handle_data(self, data: str) -> None:
        if self._script:
            self.scripts.append(data)


#: The elements and attributes the templates write; record text can add none.
_TAGS = {"a", "blockquote", "br", "code", "div", "em", "h3", "li", "meta", "p", "script"}
_TAGS |= {"span", "strong", "ul", "nav", "table", "thead", "tbody", "tr", "th", "td"}
_ATTRIBUTES = {"class", "href", "id", "title", "type", "data-pagefind-ignore"}
_ATTRIBUTES |= {"http-equiv", "content", "aria-label", "aria-current", "rel", "tabindex", "role"}
# The scenario tracker: a table whose rows and cells carry what its script sorts and filters
# by (dates, statuses and ranks, each a validated pattern or one of our constants).
_TAGS |= {"table", "thead", "tbody", "tr", "th", "td", "time"}
_ATTRIBUTES |= {"scope", "datetime", "hidden", "data-stratlas-tracker", "data-status"}
_ATTRIBUTES |= {"data-due", "data-key", "data-due-marker"}


def test_hostile_pages_hold_no_live_payload(hostile_pages: dict[str, str]) -> None:
    """Every payload in tests/fixtures/hostile arrives escaped: in the Markdown headings as
    character references, in the HTML blocks as text that opens no tag, attribute or link."""
    forbidden = [
        "<script",
        "<img",
        "<b>",
        "](javascript",
        "onclick=",
        "onerror=",
        "--8<--",
        "*[HTML]",
        "[1]:",
        "{{",
        "{%",
        "\\(",
        "!!! danger",
        'markdown="1"',
        "title: <",
        ":material-alert:",
        "<http",
        "<!--",
    ]
    for path, text in hostile_pages.items():
        front, markdown = get_data(text)[1], get_data(text)[0]
        blocks = html_blocks(markdown)
        rest = "\n\n".join(c for c in markdown.split("\n\n") if not c.startswith("<"))
        # outside the blocks (headings): Markdown-escaped, nothing live
        for needle in forbidden:
            assert needle not in rest, (path, needle)
        # inside: only our elements and attributes; links only to our pages or http(s)
        parsed = _Tags()
        parsed.feed("\n".join(blocks))
        for tag, attrs in parsed.tags:
            assert tag in _TAGS and set(attrs) <= _ATTRIBUTES, (path, tag, attrs)
            if tag == "script":
                assert attrs == {"type": "application/ld+json"}, path
            link = attrs.get("href") or ""
            assert not link.lower().startswith(("javascript:", "data:", "vbscript:")), path
            assert "evil" not in link, (path, link)
        # the JSON-LD is the last block, holds no `<`, `>` or `&`, and parses
        assert len(parsed.scripts) == (1 if path.startswith(("articles/h", "entities/h")) else 0)
        for data in parsed.scripts:
            assert blocks[-1] == f'<script type="application/ld+json">{data}</script>'
            assert not set(data) & {"<", ">", "&"}
            json.loads(data)
        # nothing from a record reaches front matter: only our own constant keys
        assert set(front) <= {"stratlas", "tags", "search", "feeds"}, (path, front)
        for feed in front.get("feeds", []):  # an entity's feeds: our words, its (slug) ID
            assert feed["title"] in FEED_TITLES.values(), (path, feed)
            assert re.fullmatch(r"feeds/(entities|authors)/[a-z0-9-]+\.atom", feed["path"])
        assert front.get("stratlas", "html") == "html"
        assert set(front.get("tags", [])) <= set(KINDS) | {"Article"}, (path, front)
        assert set(front.get("search", {}).items()) <= {
            ("boost", 2),
            ("boost", 3),
            ("exclude", True),
        }


def test_html_blocks_hold_no_blank_line(
    hostile_pages: dict[str, str], pages: dict[str, str]
) -> None:
    """A blank line would end a block for Python-Markdown (and the plugin): none inside."""
    for path, text in {**pages, **hostile_pages}.items():
        for block in html_blocks(get_data(text)[0]):
            assert "\n\n" not in block and block.startswith("<"), path


def test_templates_print_nothing_that_skips_markdown_escaping() -> None:
    """Filters that would hand record text to Markdown as Markup are not used in templates."""
    for template in TEMPLATES.glob("*.j2"):
        source = template.read_text(encoding="utf-8")
        for construct in ("|safe", "| safe", "|join", "| join", "|e ", "|escape", "|format"):
            assert construct not in source, (template.name, construct)


def test_a_template_printing_none_is_an_error(hostile_pages: dict[str, str]) -> None:
    from toolkit.pages.escape import finalize

    with pytest.raises(RenderError):
        finalize(None)
    with pytest.raises(RenderError):
        finalize(["a list"])


def test_title_cannot_close_the_title_element(hostile_pages: dict[str, str]) -> None:
    heading = (
        hostile_pages["articles/hostile-article/index.md"].split("\n# ", 1)[1].split("\n", 1)[0]
    )
    # every `<` is followed by a word joiner, so `| striptags` cannot rebuild `</title>`
    assert heading.count("&#60;") == heading.count("&#60;&#8288;") > 0


def test_seed_article_and_its_entities_link_both_ways() -> None:
    """Done-when of the site issue, on the shipped records: every entity the seed article
    references has a page linking back to it, and the article page links to all of them."""
    from toolkit.format.relations import article_references

    graph = graph_of(REPO / "records")
    shipped = render_pages(graph)
    for article in graph.articles.values():
        page = shipped[f"articles/{article.id}/index.md"]
        for ref in article_references(article):
            target = graph.resolve(ref.target)
            assert f'href="../../entities/{target}/"' in page, (article.id, target)
            assert f'href="../../articles/{article.id}/"' in shipped[f"entities/{target}/index.md"]


# --- pages Python-Markdown converts in linear time --------------------------------------------


def _markdown_converter() -> Any:
    """Python-Markdown with the extensions and settings mkdocs.yml gives it."""
    import markdown
    import yaml

    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    names, settings = [], {}
    for entry in config["markdown_extensions"]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        names.append(name)
        settings[name] = options
    return markdown.Markdown(extensions=names, extension_configs=settings)


def test_long_lists_are_one_html_block_per_section(tmp_path: Path) -> None:
    """Python-Markdown copies the rest of the page at the end of each top-level HTML block,
    so a page with one block per item converts in time quadratic in its length (the largest
    entity pages and the timeline at 10,000 articles took minutes each, without the plugin,
    as under Zensical). The lists of articles, entities, events and mentions are one block per
    section whatever their length; the per-article headings of "Mentioned in" are in that
    block, with their anchors and permalinks (not in the table of contents: thousands of
    entries on the largest pages)."""
    from test_bench_smoke import _load_generator

    _load_generator().generate(40, 3, tmp_path / "corpus")
    pages = render_pages(graph_of(tmp_path / "corpus"))
    items = {path: page.count('<div class="stratlas-item') for path, page in pages.items()}
    assert items["articles/index.md"] == 40
    assert sum(n for path, n in items.items() if path.startswith("timeline/")) > 40
    most_mentioned = max((p for p in pages if p.startswith("entities/")), key=items.__getitem__)
    assert items[most_mentioned] > 40
    for path, page in pages.items():
        blocks = len(html_blocks(get_data(page)[0]))
        if path == "timeline/index.md":
            assert blocks == 1  # the years
        elif path in ("authors/index.md", "publishers/index.md"):
            # a section per author or publisher, headed in the table of contents (these
            # indexes are split into pages, not their sections into blocks), and the pagers
            assert blocks <= page.count("\n## ") + 2
        elif path == "entities/index.md":
            assert blocks == page.count("\n## ") + 1  # the count, and a section per kind
        elif not path.startswith("articles/") or path == "articles/index.md":
            # the meta block, a few facts, the list blocks: nothing that grows with the corpus
            assert blocks <= 8, path

    page = pages[most_mentioned]
    html = _markdown_converter().convert(get_data(page)[0])
    headings = re.findall(r'<h3 id="(in-[a-z0-9-]+)">', page)
    assert len(headings) > 20
    for anchor in headings:
        assert f'<h3 id="{anchor}">' in html
        assert f'<a class="headerlink" href="#{anchor}" title="Permanent link">' in html
