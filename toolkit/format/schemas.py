"""The published JSON Schemas as files: read back cheaply (no pydantic) and written canonically.

Validation reads the committed files in `schema/` (what downstream projects validate with);
`toolkit.models.schema` generates them from the models.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["SCHEMA_DIR", "SCHEMA_NAMES", "dump_schema", "published_schemas"]

SCHEMA_NAMES = ("article", "entity")
SCHEMA_DIR = Path(__file__).resolve().parent.parent.parent / "schema"


@cache
def published_schemas() -> dict[str, dict[str, Any]]:
    """The committed schemas in `schema/`; generated from the models if a file is missing
    (an install without the repository's schema/ folder)."""
    result = {}
    for name in SCHEMA_NAMES:
        try:
            result[name] = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text("utf-8"))
        except (OSError, ValueError):
            from toolkit.models.schema import generate_schemas

            result[name] = generate_schemas()[name]
    return result


def dump_schema(schema: dict[str, Any]) -> str:
    """The committed text of a schema: stable, indented, final newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
