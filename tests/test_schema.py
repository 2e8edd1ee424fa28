"""The published schemas: generated from the models, pinned, complete, and in agreement."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from jsonschema import Draft202012Validator
from pydantic import TypeAdapter, ValidationError
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.format.schemas import SCHEMA_NAMES, dump_schema
from toolkit.load import load_document
from toolkit.models import Article, Entity
from toolkit.models.schema import generate_schemas

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_snapshot(name: str, file_regression: Any) -> None:
    file_regression.check(dump_schema(generate_schemas()[name]), basename=name, extension=".json")


def test_committed_schemas_match_the_models(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(app, ["schema", "--check"])
    assert result.exit_code == 0, result.output


def test_schema_check_fails_on_drift(tmp_path: Path) -> None:
    (tmp_path / "article.schema.json").write_text("{}\n")
    result = CliRunner().invoke(app, ["schema", "--check", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "article.schema.json" in result.output


def _properties(node: Any, path: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        for key, value in node.get("properties", {}).items():
            yield f"{path}/{key}", value
        for key, value in node.items():
            yield from _properties(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _properties(value, f"{path}/{index}")


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    for branch in node.get("anyOf", []):
        if "$ref" in branch:
            return _resolve(schema, branch)
    ref = node.get("$ref")
    if ref:
        return _resolve(schema, schema["$defs"][ref.split("/")[-1]])
    return node


def _is_leaf(prop: dict[str, Any]) -> bool:
    text = str(prop)
    return "$ref" not in text


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_field_has_title_description_and_examples(name: str) -> None:
    schema = generate_schemas()[name]
    missing = []
    for path, prop in _properties(schema):
        target = _resolve(schema, prop)
        for key in ("title", "description"):
            if key not in target and key not in prop:
                missing.append(f"{path}: {key}")
        # Examples are required on values a person types (scalars, lists of scalars);
        # objects are covered by the examples on their own fields.
        if _is_leaf(prop) and "examples" not in prop and "const" not in prop:
            missing.append(f"{path}: examples")
    assert missing == []


def _strings(node: Any, path: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        if node.get("type") == "string" and "const" not in node and "enum" not in node:
            yield path, node
        for key, value in node.items():
            yield from _strings(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, f"{path}/{index}")


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_text_field_has_a_length_limit(name: str) -> None:
    unbounded = [p for p, s in _strings(generate_schemas()[name]) if "maxLength" not in s]
    assert unbounded == []


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_has_draft_and_versioned_id(name: str) -> None:
    schema = generate_schemas()[name]
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"https://stratlas.github.io/stratlas/schema/v1/{name}.schema.json"
    Draft202012Validator.check_schema(schema)
    jsonschema_rs.validator_for(schema)


def _record_files() -> list[Path]:
    roots = [REPO / "tests" / "examples", REPO / "tests" / "fixtures", REPO / "records"]
    files = []
    for root in roots:
        for path in sorted(root.rglob("*.json")):
            if (
                (
                    path.parent.name in ("articles", "entities")
                    or path.parent.parent.name == "entities"
                )
                and path.is_file()
                and not path.is_symlink()
            ):
                document = load_document(path, str(path))
                # Files the strict loader refuses never reach a schema: nothing to compare.
                if document.ok and isinstance(document.data, dict):
                    files.append(path)
    return files


@pytest.mark.parametrize("path", _record_files(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_schema_and_models_agree(path: Path) -> None:
    document = load_document(path, str(path))
    kind = "article" if path.parent.name == "articles" else "entity"
    schema = generate_schemas()[kind]
    python_verdict = Draft202012Validator(
        schema, format_checker=Draft202012Validator.FORMAT_CHECKER
    ).is_valid(document.data)
    rust_verdict = jsonschema_rs.validator_for(schema, validate_formats=True).is_valid(
        document.data
    )
    try:
        if kind == "article":
            Article.model_validate(document.data)
        else:
            TypeAdapter(Entity).validate_python(document.data)
        model_verdict = True
    except ValidationError:
        model_verdict = False
    assert python_verdict == rust_verdict == model_verdict
