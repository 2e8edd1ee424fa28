"""The schema-derived shapes the fast checks use agree with the model class hierarchy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from support import example_records

from toolkit import models
from toolkit.format.relations import data_references
from toolkit.format.schemas import published_schemas
from toolkit.format.shape import Shape, record_shape, shapes_of
from toolkit.format.walk import walk_record

ROOT = Path(__file__).resolve().parents[1]

TRAITS = {
    "provenance": models.Provenance,
    "voiced": models.Attribution,
    "mention": models.Mention,
    "fact": models.Fact,
    "date_claim": models.DateClaim,
    "resolution": models.Resolution,
}


@pytest.mark.parametrize("schema_name", ["article", "entity"])
@pytest.mark.parametrize("trait", sorted(TRAITS))
def test_shape_traits_match_model_classes(schema_name: str, trait: str) -> None:
    shapes = {n: s for n, s in shapes_of(schema_name).items() if n}
    from_schema = {name for name, shape in shapes.items() if getattr(shape, trait)}
    from_models = {
        name
        for name in shapes
        if isinstance(cls := getattr(models, name, None), type) and issubclass(cls, TRAITS[trait])
    }
    assert from_schema == from_models


def _integers(node: Any) -> list[dict[str, Any]]:
    found = []
    if isinstance(node, dict):
        if node.get("type") in ("integer", "number"):
            found.append(node)
        for value in node.values():
            found.extend(_integers(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_integers(value))
    return found


def test_every_number_in_the_schemas_is_bounded() -> None:
    # The fast path leaves the number-range check to the schema: it must bound every number.
    for schema in published_schemas().values():
        for node in _integers(schema):
            assert node["type"] == "integer" and "minimum" in node and "maximum" in node


def test_validate_does_not_import_pydantic_models_or_python_jsonschema() -> None:
    # A pre-commit hook pays for every import: the fast path needs neither.
    code = (
        "import sys; from toolkit.validate import validate_paths; "
        "from pathlib import Path; validate_paths([Path('records')]); "
        "print(sorted(m for m in ('toolkit.models', 'jsonschema') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=str(__import__("pathlib").Path(__file__).parents[1]),
    )
    assert result.stdout.strip() == "[]"


def test_the_validate_command_does_not_import_pydantic() -> None:
    # The whole command, CLI included: typer 0.29 and later build pydantic adapters for
    # every option (about 0.1 s of imports), which is why typer is held at 0.28.
    # The program ends with os._exit (no clean-up): made to raise here, to look afterwards.
    code = (
        "import os, sys; from toolkit.cli import main; sys.argv = ['stratlas', 'validate', 'records']\n"
        "def stop(code):\n    raise SystemExit(code)\n"
        "os._exit = stop\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pydantic', 'toolkit.models', 'jsonschema') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=str(Path(__file__).parents[1]),
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"


def _every_object(
    data: Any, schema_name: str, shape: Shape, pointer: str = ""
) -> list[tuple[str, Shape, dict[str, Any]]]:
    """The plain walk: every object with its shape, entering every child."""
    if not isinstance(data, dict):
        return []
    found = [(pointer, shape, data)]
    for key, child, is_list in shape.children:
        value = data.get(key)
        child_shape = shapes_of(schema_name)[child]
        if is_list and isinstance(value, list):
            for index, item in enumerate(value):
                found += _every_object(item, schema_name, child_shape, f"{pointer}/{key}/{index}")
        elif not is_list and value is not None:
            found += _every_object(value, schema_name, child_shape, f"{pointer}/{key}")
    return found


def test_the_walk_finds_the_checked_objects_of_the_plain_walk_and_every_reference() -> None:
    """One walk gives what the checks read: the checked objects, in the plain walk's order,
    and the references `data_references` reads off the pointer tables (in another order)."""
    compared = references = 0
    for path, kind, data in example_records():
        found = record_shape(kind, data) if isinstance(data, dict) else None
        if found is None:
            continue
        walk = walk_record(kind, data)
        expected = [o for o in _every_object(data, *found) if o[1].checked]
        assert walk.checked == expected, path
        assert sorted(walk.references) == sorted(data_references(data, kind)), path
        compared += len(expected)
        references += len(walk.references)
    assert compared > 100 and references > 50


def _plan_patterns(step: Any, prefix: str, seen: set[int]) -> set[tuple[str, str]]:
    """(pointer pattern, relation) of every reference the walk plan below `step` reads."""
    if id(step) in seen:
        return set()
    seen = seen | {id(step)}
    found = {
        (f"{prefix}/{key}" + ("/*" if is_list else ""), relation.name)
        for key, relation, is_list in step.references
    }
    for key, child, is_list in step.children:
        found |= _plan_patterns(child, f"{prefix}/{key}" + ("/*" if is_list else ""), seen)
    return found


def test_the_walk_plan_reads_every_reference_pattern() -> None:
    """Each pointer pattern of the reference tables lies along the schema's shapes: none is
    lost by the walk (for entities: in the facts of some kind)."""
    from toolkit.format.relations import ARTICLE_REFERENCES, ENTITY_REFERENCES
    from toolkit.format.vocab import ENTITY_KINDS
    from toolkit.format.walk import _root_step

    found = record_shape("article", {})
    assert found is not None
    article = _plan_patterns(_root_step(*found), "", set())
    assert article == set(ARTICLE_REFERENCES)
    entity: set[tuple[str, str]] = set()
    for kind in ENTITY_KINDS:
        of_kind = record_shape("entity", {"kind": kind})
        assert of_kind is not None
        entity |= _plan_patterns(_root_step(*of_kind), "", set())
    assert entity == set(ENTITY_REFERENCES)
