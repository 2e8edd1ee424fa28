"""The link stage: models built from the records' data, references walked on that data."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.format.relations import article_references, data_references, entity_references
from toolkit.link import build_graph, models_of
from toolkit.load import discover
from toolkit.models import Article
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
