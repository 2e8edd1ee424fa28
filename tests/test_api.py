"""The Python API: `toolkit.load_corpus` returns typed models and the entity graph."""

from __future__ import annotations

import doctest
import json
import subprocess
import sys
from pathlib import Path

import pytest

import toolkit
import toolkit.api
from toolkit.link import Graph
from toolkit.models import Article, EntityBase, WeaponSystem

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "corpus"


@pytest.fixture(scope="module")
def corpus() -> toolkit.LoadedCorpus:
    return toolkit.load_corpus(FIXTURE)


def test_models_are_typed(corpus: toolkit.LoadedCorpus) -> None:
    assert list(corpus.articles) == ["strike-debate", "winter-front"]
    assert all(isinstance(a, Article) for a in corpus.articles.values())
    assert all(isinstance(e, EntityBase) for e in corpus.entities.values())
    assert list(corpus.entities) == sorted(corpus.entities)
    lancer = corpus.entities["lancer"]
    assert isinstance(lancer, WeaponSystem)
    assert lancer.facts.origin_state is not None
    assert lancer.facts.origin_state.value == "ruritania"
    assert isinstance(corpus.graph, Graph)
    assert corpus.root == FIXTURE
    assert corpus.warnings == []


def test_mentions_in_document_order(corpus: toolkit.LoadedCorpus) -> None:
    mentions = corpus.mentions("lancer")
    assert [(m.article, m.relation) for m in mentions] == [
        ("strike-debate", "key-point"),
        ("strike-debate", "weapon-system"),
        ("strike-debate", "event-weapon-system"),
        ("winter-front", "weapon-system"),
    ]
    event = mentions[2]
    assert (event.section, event.item) == ("events", "lancer-authorisation")
    assert event.quotes and "Lancer" in event.quotes[0]
    everything = corpus.mentions()
    assert {m.entity for m in everything} >= {"lancer", "anna-kessler", "borduria"}
    assert all(isinstance(m, toolkit.Mention) for m in everything)


def test_backlinks_and_co_mentions(corpus: toolkit.LoadedCorpus) -> None:
    assert corpus.articles_mentioning("anna-kessler") == ["strike-debate", "winter-front"]
    sources = {(b.source, b.source_kind) for b in corpus.backlinks["ruritania"]}
    assert ("lancer", "entity") in sources  # lancer's origin_state fact
    assert ("strike-debate", "article") in sources
    ranked = corpus.co_mentioned("lancer")
    assert ranked[0] == ("anna-kessler", 2)
    assert [count for _, count in ranked] == sorted((c for _, c in ranked), reverse=True)
    assert corpus.co_mentions["lancer"]["anna-kessler"] == 2


def test_redirects_resolve(corpus_copy: Path) -> None:
    (corpus_copy / "redirects.json").write_text(
        json.dumps({"lancer-missile": {"to": "lancer", "reason": "Merged duplicate."}}),
        encoding="utf-8",
    )
    loaded = toolkit.load_corpus(corpus_copy)
    assert loaded.redirects == {"lancer-missile": "lancer"}
    assert loaded.resolve("lancer-missile") == "lancer"
    assert loaded.articles_mentioning("lancer-missile") == ["strike-debate", "winter-front"]
    assert len(loaded.mentions("lancer-missile")) == 4


def test_a_path_inside_the_records_folder_works() -> None:
    loaded = toolkit.load_corpus(FIXTURE / "entities")
    assert loaded.root == FIXTURE


def test_invalid_records_raise_with_findings(
    corpus_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = corpus_copy / "entities" / "lancer.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["kind"] = "spaceship"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(toolkit.InvalidCorpusError) as caught:
        toolkit.load_corpus(corpus_copy)
    error = caught.value
    assert isinstance(error, toolkit.CorpusError)
    assert error.root == corpus_copy
    assert error.findings
    assert any(f.file.endswith("lancer.json") for f in error.findings)
    assert "lancer.json" in str(error)
    assert capsys.readouterr() == ("", "")  # the library never prints


def test_missing_and_foreign_paths(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        toolkit.load_corpus(tmp_path / "nope")
    with pytest.raises(toolkit.CorpusError):
        toolkit.load_corpus(tmp_path)


def test_warnings_load_and_strict_refuses_them(corpus_copy: Path) -> None:
    (corpus_copy / "redirects.json").write_text(
        json.dumps({"lancer-missile": {"to": "lancer", "reason": "Merged duplicate."}}),
        encoding="utf-8",
    )
    path = corpus_copy / "articles" / "strike-debate.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["weapon_systems"][0]["entity"] = "lancer-missile"  # an old ID: a warning
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    loaded = toolkit.load_corpus(corpus_copy)
    assert [f.code for f in loaded.warnings] == ["ref-redirected"]
    weapon = [m for m in loaded.mentions("lancer") if m.relation == "weapon-system"]
    assert [m.article for m in weapon] == ["strike-debate", "winter-front"]
    with pytest.raises(toolkit.InvalidCorpusError) as caught:
        toolkit.load_corpus(corpus_copy, strict=True)
    assert caught.value.findings == loaded.warnings


def test_importing_toolkit_stays_light() -> None:
    code = (
        "import sys, toolkit; "
        "heavy = [m for m in ('pydantic', 'jsonschema', 'sqlite_utils', 'toolkit.validate') "
        "if m in sys.modules]; print(heavy)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


def test_docstring_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = doctest.testmod(toolkit.api, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 5
    assert result.failed == 0
