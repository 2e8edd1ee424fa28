"""The JSON Schemas generated from the models (`stratlas schema`), and their drift check."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from toolkit.format.schemas import dump_schema
from toolkit.format.urls import schema_url
from toolkit.format.vocab import SCHEMA_VERSION
from toolkit.models.article import Article
from toolkit.models.entity import Entity

__all__ = ["generate_schemas", "schema_drift"]

_DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _finish(name: str, title: str, description: str, body: dict[str, Any]) -> dict[str, Any]:
    head = {
        "$schema": _DRAFT,
        "$id": schema_url(name),
        "title": title,
        "description": description,
        "x-schema-version": SCHEMA_VERSION,
    }
    body.pop("title", None)
    body.pop("description", None)
    return {**head, **body}


@cache
def generate_schemas() -> dict[str, dict[str, Any]]:
    """Return `{name: schema}` for every published schema, built from the models."""
    article = Article.model_json_schema(by_alias=True)
    entity = TypeAdapter(Entity).json_schema(by_alias=True)
    return {
        "article": _finish(
            "article",
            "Stratlas article record",
            "One analysis article: source metadata, authors with their bios, key points, "
            "actors, weapon systems, places, events, scenarios and assessments, each backed "
            "by quotes from the source snapshot or marked as an editorial addition.",
            article,
        ),
        "entity": _finish(
            "entity",
            "Stratlas entity record",
            "A person, state, government, organization, armed force, alliance, weapon "
            "system, place or outlet; `kind` selects which facts it may carry.",
            entity,
        ),
    }


def schema_drift(folder: Path) -> dict[Path, str]:
    """`{path: text the models give}` for each schema file in `folder` that is missing or
    differs from what the models generate (empty: no drift)."""
    drifted = {}
    for name, body in generate_schemas().items():
        path = folder / f"{name}.schema.json"
        text = dump_schema(body)
        try:
            current = path.read_text(encoding="utf-8")
        except OSError:
            current = None
        if current != text:
            drifted[path] = text
    return drifted
