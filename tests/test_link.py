"""The link stage: models built from the records' data, references walked on that data."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel

from toolkit.format.relations import article_references, data_references, entity_references
from toolkit.link import Graph, build_graph, models_of
from toolkit.load import discover
from toolkit.models import Anchor, Article
from toolkit.pipeline import linked, linked_files, validated, validated_apart
from toolkit.validate import validate_corpus

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("root", ["records", "tests/fixtures/corpus"])
def test_references_from_the_data_are_those_of_the_models(root: str) -> None:
    """`build_graph` walks each record's data instead of a dump of its model: the models keep
    every string as given and add no reference by default, so both walks agree."""
    corpus = discover(REPO / root)
    validate_corpus(corpus)
    articles, entities = models_of(corpus)
    assert articles and entities
    for record in corpus.records:
        if record.data is None:
            continue
        model = (articles if record.kind == "article" else entities)[record.data["id"]]
        from_model = list(
            article_references(model) if isinstance(model, Article) else entity_references(model)
        )
        assert data_references(record.data, record.kind) == from_model, record.file


def test_models_of_gives_every_valid_record_sorted() -> None:
    corpus = discover(REPO / "tests" / "fixtures" / "corpus")
    validate_corpus(corpus)
    articles, entities = models_of(corpus)
    valid = [r for r in corpus.records if r.data is not None]
    assert list(articles) == sorted(r.data["id"] for r in valid if r.kind == "article")
    assert list(entities) == sorted(r.data["id"] for r in valid if r.kind == "entity")
    graph = build_graph(corpus)
    assert graph.articles == articles and graph.entities == entities


# --- the site build's graph: read-only models, built from the files validation passed ------


def _models(node: object, kind: type[BaseModel]) -> Iterator[BaseModel]:
    if isinstance(node, kind):
        yield node
    if isinstance(node, BaseModel):
        node = list(node.__dict__.values())
    if isinstance(node, list):
        for item in node:
            yield from _models(item, kind)


def _graph_facts(graph: Graph) -> tuple[object, ...]:
    return (
        {k: a.model_dump(exclude_unset=True) for k, a in graph.articles.items()},
        {k: e.model_dump(exclude_unset=True) for k, e in graph.entities.items()},
        graph.backlinks,
        graph.co_mentions,
        graph.redirects,
    )


@pytest.mark.parametrize("root", ["tests/fixtures/corpus", "tests/fixtures/shapes"])
def test_the_graph_from_the_checked_files_is_the_graph_of_the_corpus(root: str) -> None:
    # The build validates in one process and reads the files again in another: the graph
    # must be the one the Python API builds from the validated corpus.
    expected = linked(validated(Path(root)))
    checked = validated_apart(Path(root))
    assert checked.files and all(digest for _, _, digest in checked.files)
    assert _graph_facts(linked_files(checked)) == _graph_facts(expected)
    assert _graph_facts(linked(validated(Path(root)), read_only=True)) == _graph_facts(expected)


def test_a_record_changed_after_it_was_checked_is_refused(tmp_path: Path) -> None:
    records = tmp_path / "records"
    shutil.copytree("tests/fixtures/corpus", records)
    checked = validated_apart(records)
    article = next(path for kind, path, _ in checked.files if kind == "article")
    article.write_text(article.read_text(encoding="utf-8").replace("\n", "\n ", 1))
    with pytest.raises(ValueError, match="changed while the records were checked"):
        linked_files(checked)


def test_read_only_models_share_their_field_sets_and_refuse_assignment() -> None:
    graph = linked(validated(Path("tests/fixtures/corpus")), read_only=True)
    anchors = [a for article in graph.articles.values() for a in _models(article, Anchor)]
    plain = [a for a in anchors if a.model_fields_set == {"quote"}]
    assert len(plain) > 1
    assert len({id(a.__pydantic_fields_set__) for a in plain}) == 1
    article = next(iter(graph.articles.values()))
    with pytest.raises(TypeError, match="read-only"):
        article.source.title = "changed"
    # The Python API's models stay ordinary ones.
    mutable = next(iter(linked(validated(Path("tests/fixtures/corpus"))).articles.values()))
    mutable.source.title = "changed"
    assert "title" in mutable.source.model_fields_set


def test_release_frees_the_records_but_keeps_the_findings(tmp_path: Path) -> None:
    checked = validated(Path("tests/fixtures/corpus"))
    findings = list(checked.report.findings)
    graph = linked(checked)
    checked.release()
    assert all(record.data is None for record in checked.corpus.records)
    assert not checked.report.retained and not checked.corpus.sources
    assert checked.report.findings == findings and graph.articles
