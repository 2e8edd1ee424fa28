"""A corpus, not one record (issue 17, item 8): the repository's records/ with a second article
added, as a contributor would add one, validates strict and builds strict, and the site links
the articles and their entities both ways, shared entities included.

The second article is the synthetic brief of tests/fixtures/second_article/ (laid out like
records/): new entities (`dnipro`, `lena-marsh`) and entities the seed article already has
(`oreshnik`, `russia`, `ukraine`, `vladimir-putin`). What the pages must link is derived from
the records' data, not from what records/ holds today: any valid records/ passes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from support import broken_links, make_project, run_stratlas

from toolkit.format.relations import data_references

REPO = Path(__file__).resolve().parent.parent
SECOND = REPO / "tests" / "fixtures" / "second_article"
SECOND_ID = "synthetic-brief-new-missile-at-dnipro"
SEED_ID = "bidens-atacms-decision-escalation-or-strategic-necessity"
#: Entities of the seed the fixture was written to share with it.
SEED_SHARED = {"oreshnik", "russia", "ukraine", "vladimir-putin"}


def _ids(records: Path, kind: str) -> set[str]:
    return {p.stem for p in (records / kind).rglob("*.json")}


def _references(article: Path) -> set[str]:
    """The entity IDs an article record references, read off its JSON."""
    data = json.loads(article.read_text(encoding="utf-8"))
    return {ref.target for ref in data_references(data, "article")}


def _named(records: Path, entities: list[Path]) -> list[str]:
    """`snapshot: name` for each name or alias of `entities` that a snapshot of `records`
    holds (a plain substring search: enough to explain a `mention-unreferenced`)."""
    names = []
    for path in entities:
        data = json.loads(path.read_text(encoding="utf-8"))
        names += [data["name"], *data.get("aliases", [])]
    return [
        f"{source.relative_to(records.parent)}: {name}"
        for source in sorted((records / "sources").rglob("*.txt"))
        for name in names
        if name in source.read_text(encoding="utf-8")
    ]


class _Links(HTMLParser):
    """The targets of the links inside a page's <article> (the content, not the navigation),
    as site paths: `entities/dnipro/`, fragments dropped."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = f"http://site/{page}"
        self.depth = 0
        self.targets: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth += 1
        href = dict(attrs).get("href")
        if self.depth and tag == "a" and href:
            url = urlsplit(urljoin(self.base, href))
            if url.netloc == "site":
                self.targets.add(url.path.lstrip("/"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self.depth:
            self.depth -= 1


@dataclass(frozen=True)
class Combined:
    records: Path
    site: Path
    validate: subprocess.CompletedProcess[str]
    build: subprocess.CompletedProcess[str]
    #: article ID → the entity IDs it references, for every article of the combined corpus
    references: dict[str, set[str]]
    #: the fixture's entities that records/ lacks (added), and the entities of records/ that
    #: the second article references (shared)
    new: set[str]
    shared: set[str]
    #: `file: name` where a snapshot of records/ names a new entity (see the premise test)
    named: list[str]

    def links(self, page: str) -> set[str]:
        """Site paths the content of `page` (e.g. `entities/dnipro/`) links to."""
        html = self.site / page / "index.html"
        assert html.is_file(), f"{page} was not built"
        parser = _Links(page)
        parser.feed(html.read_text(encoding="utf-8"))
        parser.close()
        return parser.targets


@pytest.fixture(scope="module")
def combined() -> Iterator[Combined]:
    """A copy of the project (mkdocs.yml, overrides/, docs/, records/) with the second article
    added, validated and built as a contributor would: `stratlas validate --strict`, then
    `stratlas build --strict --out site`. World-readable, for linkchecker (see broken_links)."""
    root = Path(tempfile.mkdtemp(prefix="stratlas-corpus-"))
    try:
        root.chmod(0o755)
        project = make_project(root)
        records = project / "records"
        shutil.copytree(REPO / "records", records)
        # records/ may already hold the fixture (someone tried it as the second article): take
        # the copy back to the corpus without it, so the fixture is added as new again.
        for path in SECOND.rglob("*"):
            copied = records / path.relative_to(SECOND)
            if path.is_file() and copied.is_file() and copied.read_bytes() == path.read_bytes():
                copied.unlink()
        held = _ids(records, "entities")
        new = _ids(SECOND, "entities") - held
        named = _named(records, [SECOND / "entities" / f"{e}.json" for e in new])
        assert SECOND_ID not in _ids(records, "articles") | held, (
            "records/ holds the fixture's article: see tests/fixtures/second_article/README.md"
        )
        for path in sorted(SECOND.rglob("*")):
            if not path.is_file() or path.parent == SECOND or path.stem in held:
                continue  # the README; an entity records/ has already (its own record wins)
            target = records / path.relative_to(SECOND)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
        validate = run_stratlas(project, "validate", "--strict", "records")
        build = run_stratlas(project, "build", "--strict", "--out", "site")
        subprocess.run(["chmod", "-R", "a+rX", str(root)], check=True)
        references = {
            path.stem: _references(path) for path in sorted((records / "articles").rglob("*.json"))
        }
        shared = references[SECOND_ID] & held
        yield Combined(records, project / "site", validate, build, references, new, shared, named)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_the_fixture_adds_an_article_with_new_and_shared_entities(combined: Combined) -> None:
    """The premise of the other tests: the second article brings entities of its own and
    references entities of the seed."""
    assert set(combined.references) >= {SEED_ID, SECOND_ID}
    assert "lena-marsh" in combined.new  # a fictional author: never in records/
    assert combined.new <= combined.references[SECOND_ID]
    assert combined.shared >= SEED_SHARED
    assert combined.references[SEED_ID] >= SEED_SHARED
    # An article of records/ that names a new entity would have to reference it once the
    # entity exists (`mention-unreferenced`): the fixture's new entities must be new to the
    # texts too. (When records/ holds the entity, the fixture shares it instead.)
    assert combined.named == [], "records/ names an entity the fixture adds; give it that entity"


def test_the_combined_corpus_validates_strict(combined: Combined) -> None:
    result = combined.validate
    assert result.returncode == 0, "\n".join([result.stdout, result.stderr, *combined.named])
    assert "0 errors, 0 warnings" in result.stdout


def test_the_combined_corpus_builds_strict_with_a_page_per_article(combined: Combined) -> None:
    result = combined.build
    assert result.returncode == 0, result.stdout + result.stderr
    index = combined.links("articles/")
    for article in combined.references:
        assert (combined.site / "articles" / article / "index.html").is_file(), article
        assert f"articles/{article}/" in index, article


def test_a_new_entity_has_a_page_that_links_to_the_second_article(combined: Combined) -> None:
    for entity in sorted(combined.new):
        assert f"articles/{SECOND_ID}/" in combined.links(f"entities/{entity}/"), entity


def test_a_shared_entity_links_to_every_article_that_references_it(combined: Combined) -> None:
    """The second article and the articles of records/ that name the entity (the seed's
    entities: the seed among them)."""
    for entity in sorted(combined.shared):
        citing = {a for a, entities in combined.references.items() if entity in entities}
        assert SECOND_ID in citing and len(citing) >= 2, entity
        if entity in SEED_SHARED:
            assert SEED_ID in citing, entity
        links = combined.links(f"entities/{entity}/")
        missing = sorted(a for a in citing if f"articles/{a}/" not in links)
        assert missing == [], entity


def test_every_article_links_to_each_entity_it_references(combined: Combined) -> None:
    for article, entities in sorted(combined.references.items()):
        links = combined.links(f"articles/{article}/")
        missing = sorted(e for e in entities if f"entities/{e}/" not in links)
        assert missing == [], article
    assert combined.references[SECOND_ID] >= combined.new | combined.shared  # among them


def test_the_combined_site_has_no_broken_internal_links(combined: Combined) -> None:
    assert combined.build.returncode == 0, combined.build.stdout + combined.build.stderr
    broken = broken_links(combined.site)
    assert broken == [], "\n".join(broken[:20])
