"""The schema-derived shapes the fast checks use agree with the model class hierarchy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from support import example_records

from toolkit import models
from toolkit.format.schemas import published_schemas
from toolkit.format.shape import Shape, _shapes, checked_objects, record_shape

ROOT = Path(__file__).resolve().parents[1]

TRAITS = {
    "provenance": models.Provenance,
    "voiced": models.Voiced,
    "mention": models.Mention,
    "fact": models.Fact,
    "date_claim": models.DateClaim,
    "resolution": models.Resolution,
}


@pytest.mark.parametrize("schema_name", ["article", "entity"])
@pytest.mark.parametrize("trait", sorted(TRAITS))
def test_shape_traits_match_model_classes(schema_name: str, trait: str) -> None:
    shapes = {n: s for n, s in _shapes(schema_name).items() if n}
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
        child_shape = _shapes(schema_name)[child]
        if is_list and isinstance(value, list):
            for index, item in enumerate(value):
                found += _every_object(item, schema_name, child_shape, f"{pointer}/{key}/{index}")
        elif not is_list and value is not None:
            found += _every_object(value, schema_name, child_shape, f"{pointer}/{key}")
    return found


def test_checked_objects_are_the_checked_ones_of_the_plain_walk() -> None:
    compared = 0
    for path, kind, data in example_records():
        found = record_shape(kind, data) if isinstance(data, dict) else None
        if found is None:
            continue
        expected = [o for o in _every_object(data, *found) if o[1].checked]
        assert checked_objects(data, *found) == expected, path
        compared += len(expected)
    assert compared > 100
