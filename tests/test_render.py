"""Page rendering: snapshots of every page kind, determinism, and record text kept inert."""

from __future__ import annotations

import json
import os
import shutil
import string
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pytest_regressions.file_regression import FileRegressionFixture

from toolkit.checks.redirects import load_redirects
from toolkit.errors import RenderError
from toolkit.link import Graph, build_graph
from toolkit.pages import HOME_MARKER, fill_home, render_pages
from toolkit.pages.escape import markdown_text
from toolkit.validate import validate_paths

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
    "article_full": "articles/strike-debate.md",
    "article_sparse": "articles/winter-front.md",
    "entity_weapon_system": "entities/lancer.md",
    "entity_author": "entities/mira-holt.md",
    "entity_state": "entities/borduria.md",
    "entity_place": "entities/szohod.md",
    "entity_outlet": "entities/strategy-review.md",
    "redirect": "entities/lancer-missile.md",
    "kind_index": "kinds/weapon-system.md",
    "kind_index_empty": "kinds/government.md",
    "articles_index": "articles/index.md",
    "entities_index": "entities/index.md",
    "authors_index": "authors/index.md",
    "publishers_index": "publishers/index.md",
    "timeline": "timeline.md",
    "tags": "tags.md",
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
        assert f"articles/{article_id}.md" in pages
    for entity_id in graph.entities:
        assert f"entities/{entity_id}.md" in pages


def test_article_links_every_entity_it_references_and_back(pages: dict[str, str]) -> None:
    graph = graph_of(FIXTURES / "corpus")
    for article_id in graph.articles:
        page = pages[f"articles/{article_id}.md"]
        for entity_id in graph.entities:
            if article_id in graph.articles_mentioning(entity_id):
                assert f"(../entities/{entity_id}.md" in page, (article_id, entity_id)
                assert f"(../articles/{article_id}.md" in pages[f"entities/{entity_id}.md"]


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


def test_hostile_pages_hold_no_live_payload(hostile_pages: dict[str, str]) -> None:
    """Every payload in tests/fixtures/hostile arrives character-encoded, never as syntax."""
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
        "<!-- stratlas",
    ]
    for path, text in hostile_pages.items():
        body, marker, jsonld = text.rpartition("<!-- stratlas-jsonld:")
        body = body if marker else text
        for needle in forbidden:
            assert needle not in body, (path, needle)
        # the JSON-LD comment holds no `<`, `>` or `&` and ends exactly once, at the end
        if marker:
            data, end, rest = jsonld.partition(" -->")
            assert end and rest == "\n"
            assert not set(data) & {"<", ">", "&"}
            json.loads(data)
        # nothing from a record reaches front matter: only our own constant keys
        if text.startswith("---\n"):
            front = text.split("---\n", 2)[1]
            assert set(front.split()) <= {
                "tags:",
                "-",
                "Article",
                "Person",
                "State",
                "Place",
                "Outlet",
                "Organization",
                "Weapon",
                "system",
                "search:",
                "boost:",
                "exclude:",
                "true",
                "2",
                "3",
            }, (path, front)


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
    heading = hostile_pages["articles/hostile-article.md"].split("\n# ", 1)[1].split("\n", 1)[0]
    # every `<` is followed by a word joiner, so `| striptags` cannot rebuild `</title>`
    assert heading.count("&#60;") == heading.count("&#60;&#8288;") > 0


def test_seed_article_and_its_entities_link_both_ways() -> None:
    """Done-when of the site issue, on the shipped records: every entity the seed article
    references has a page linking back to it, and the article page links to all of them."""
    from toolkit.format.relations import article_references

    graph = graph_of(REPO / "records")
    shipped = render_pages(graph)
    for article in graph.articles.values():
        page = shipped[f"articles/{article.id}.md"]
        for ref in article_references(article):
            target = graph.resolve(ref.target)
            assert f"(../entities/{target}.md" in page, (article.id, target)
            assert f"(../articles/{article.id}.md" in shipped[f"entities/{target}.md"], target


# --- pages Python-Markdown converts in linear time --------------------------------------------


def _top_level_html_blocks(page: str) -> int:
    """`<div` blocks at the top of the page (templates open and close each on its own line)."""
    depth = blocks = 0
    for line in page.split("\n"):
        if line.startswith("<div"):
            blocks += depth == 0
            depth += 1
        elif line.startswith("</div>"):
            depth -= 1
    assert depth == 0
    return blocks


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


def test_long_lists_are_one_html_block_and_keep_their_headings(tmp_path: Path) -> None:
    """Python-Markdown copies the rest of the page at the end of each top-level HTML block,
    so a page with one block per item converts in time quadratic in its length (the largest
    entity pages and the timeline at 10,000 articles took minutes each). The lists of
    articles, entities, events and mentions are one block whatever their length, and the
    per-article headings inside still reach the table of contents."""
    from test_bench_smoke import _load_generator

    _load_generator().generate(40, 3, tmp_path / "corpus")
    pages = render_pages(graph_of(tmp_path / "corpus"))
    items = {path: page.count('<div class="stratlas-item') for path, page in pages.items()}
    assert items["articles/index.md"] == 40
    assert items["timeline.md"] > 40
    most_mentioned = max((p for p in pages if p.startswith("entities/")), key=items.__getitem__)
    assert items[most_mentioned] > 40
    for path, page in pages.items():
        if not path.startswith("articles/") or path == "articles/index.md":
            # the meta block, a few facts, the list blocks: nothing that grows with the corpus
            assert _top_level_html_blocks(page) <= 8, path

    page = pages[most_mentioned]
    converter = _markdown_converter()
    html = converter.convert(page)
    headings = [
        line.split("{ #")[1].split()[0] for line in page.split("\n") if line.startswith("### ")
    ]
    assert len(headings) > 20
    in_toc: list[str] = []
    tokens = list(converter.toc_tokens)
    while tokens:
        token = tokens.pop()
        in_toc.append(token["id"])
        tokens.extend(token["children"])
    assert set(headings) <= set(in_toc)
    assert all(f'id="{anchor}"' in html for anchor in headings)
