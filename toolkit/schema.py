"""The published JSON Schemas: generated from the models (`stratlas schema`), read back cheaply.

Validation reads the committed files in `schema/` (what downstream projects validate with);
only `stratlas schema` and the tests import pydantic to generate them.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from toolkit.format.urls import schema_url
from toolkit.format.vocab import SCHEMA_VERSION

__all__ = ["SCHEMA_DIR", "SCHEMA_NAMES", "dump_schema", "generate_schemas", "published_schemas"]

SCHEMA_NAMES = ("article", "entity")
SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"
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
    from pydantic import TypeAdapter

    from toolkit.models import Article, Entity

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


@cache
def published_schemas() -> dict[str, dict[str, Any]]:
    """The committed schemas in `schema/`; generated from the models if a file is missing."""
    result = {}
    for name in SCHEMA_NAMES:
        try:
            result[name] = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text("utf-8"))
        except (OSError, ValueError):
            result[name] = generate_schemas()[name]
    return result


def dump_schema(schema: dict[str, Any]) -> str:
    """The committed text of a schema: stable, indented, final newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
