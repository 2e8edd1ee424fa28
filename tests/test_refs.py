"""`data_references` finds exactly the string values at the declared pointer patterns."""

from __future__ import annotations

import re
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from support import example_records

from toolkit.format.relations import (
    ARTICLE_REFERENCES,
    ENTITY_REFERENCES,
    RELATIONS,
    data_references,
)
from toolkit.models import Article, EntityBase, EntityReference


def _leaves(node: Any, pointer: str = "") -> list[tuple[str, Any]]:
    """Every (pointer, value) of a JSON tree, in document order (list items by index)."""
    found = [(pointer, node)]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _leaves(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _leaves(value, f"{pointer}/{index}")
    return found


def _expected(data: Any, kind: str) -> list[tuple[str, str, str]]:
    """The plain reading of the tables: per pattern in table order, every string whose
    pointer matches it (`*` = an index), in index order."""
    table = ARTICLE_REFERENCES if kind == "article" else ENTITY_REFERENCES
    leaves = _leaves(data)
    found = []
    for pattern, relation in table:
        regex = re.compile(
            "/".join(r"(\d+)" if part == "*" else re.escape(part) for part in pattern.split("/"))
        )
        matches = []
        for pointer, value in leaves:
            match = regex.fullmatch(pointer)
            if match and isinstance(value, str):
                # index order, not key order: a dict may list its keys in any order
                matches.append(([int(g) for g in match.groups()], pointer, value))
        found += [(pointer, value, relation) for _, pointer, value in sorted(matches)]
    return found


def _actual(data: Any, kind: str) -> list[tuple[str, str, str]]:
    return [(r.pointer, r.target, r.relation.name) for r in data_references(data, kind)]


def test_references_of_every_example_record() -> None:
    compared = 0
    for path, kind, data in example_records():
        assert _actual(data, kind) == _expected(data, kind), path
        compared += len(_expected(data, kind))
    assert compared > 50


# Trees built from the keys the patterns use (and a stranger), so that generated records
# reach every pattern, stop part way down, or hold the wrong type where a list belongs.
_PARTS = {p for pattern, _ in ARTICLE_REFERENCES + ENTITY_REFERENCES for p in pattern.split("/")}
_KEYS = [*sorted(_PARTS - {"", "*"}), "other", "%d"]
_SCALARS = st.one_of(st.sampled_from(["a", "b", ""]), st.integers(0, 3), st.none(), st.booleans())
_TREES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(_KEYS), inner, max_size=5)
    ),
    max_leaves=40,
)


@settings(max_examples=400, deadline=None)
@given(
    tree=st.dictionaries(st.sampled_from(_KEYS), _TREES, max_size=6),
    kind=st.sampled_from(["article", "entity"]),
)
def test_references_of_generated_trees(tree: dict[str, Any], kind: str) -> None:
    assert _actual(tree, kind) == _expected(tree, kind)


def test_every_relation_in_the_tables_exists() -> None:
    for _, name in ARTICLE_REFERENCES + ENTITY_REFERENCES:
        assert name in RELATIONS


def _reference_paths(model: type[BaseModel]) -> set[str]:
    """Pointer patterns (`*` for list items) of every field the models mark as an entity
    reference (`EntityRef`), found by walking the model classes."""

    def walk(annotation: Any, pointer: str, marked: bool) -> set[str]:
        origin = get_origin(annotation)
        if origin is Annotated:
            base, *metadata = get_args(annotation)
            marked = marked or any(isinstance(m, EntityReference) for m in metadata)
            return walk(base, pointer, marked)
        if origin is list:
            return walk(get_args(annotation)[0], pointer + "/*", marked)
        if origin in (Union, UnionType):
            return set().union(*(walk(arg, pointer, marked) for arg in get_args(annotation)))
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return fields_of(annotation, pointer)
        return {pointer} if marked else set()

    def fields_of(cls: type[BaseModel], pointer: str) -> set[str]:
        found: set[str] = set()
        for name, field in cls.model_fields.items():
            marked = any(isinstance(m, EntityReference) for m in field.metadata)
            found |= walk(field.annotation, f"{pointer}/{field.alias or name}", marked)
        return found

    return fields_of(model, "")


def test_every_reference_field_of_the_models_is_in_the_tables() -> None:
    # A field typed EntityRef without its row would be neither checked nor linked.
    assert _reference_paths(Article) == {pattern for pattern, _ in ARTICLE_REFERENCES}
    entity_paths = set().union(*(_reference_paths(kind) for kind in EntityBase.__subclasses__()))
    assert entity_paths == {pattern for pattern, _ in ENTITY_REFERENCES}
