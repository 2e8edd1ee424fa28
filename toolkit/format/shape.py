"""Walk a schema-valid record as plain data, knowing which model each object is.

The fast validation path never builds pydantic models (they cost several times the parse,
and importing them costs more than a whole pre-commit run should). The semantic checks read
the parsed dicts instead, typed by the published schema's `$defs`: the definition names are
the model class names, and the traits below are read off their properties (a test holds
them to the model class hierarchy).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from toolkit.format.schemas import published_schemas

__all__ = ["Shape", "record_shape", "shapes_of"]


@dataclass(frozen=True)
class Shape:
    """What the checks need to know about one object definition of the schema."""

    name: str
    provenance: bool  # carries `evidence` / `editorial`
    voiced: bool  # carries `voice` / `attributed_to` / `attributed_group`
    mention: bool  # an entity as it figures in an article (`label_in_source`)
    fact: bool  # an entity fact (its evidence names its `article`)
    date_claim: bool
    resolution: bool
    children: tuple[tuple[str, str, bool], ...]  # (property, definition name, is a list)

    @property
    def checked(self) -> bool:
        """Whether a check looks at objects of this shape themselves (not only inside)."""
        return (
            self.provenance
            or self.voiced
            or self.mention
            or self.fact
            or self.date_claim
            or self.resolution
        )


def _ref_name(node: dict[str, Any]) -> str | None:
    ref = node.get("$ref")
    if isinstance(ref, str):
        return ref.rsplit("/", 1)[-1]
    for branch in node.get("anyOf", []):
        name = _ref_name(branch)
        if name:
            return name
    return None


@cache
def shapes_of(schema_name: str) -> dict[str, Shape]:
    """Every object definition of a published schema by name (the article's own shape
    under "")."""
    defs: dict[str, Any] = published_schemas()[schema_name].get("$defs", {})
    shapes = {}
    for name, definition in defs.items():
        props: dict[str, Any] = definition.get("properties", {})
        children = []
        for key, prop in props.items():
            if prop.get("type") == "array" and isinstance(prop.get("items"), dict):
                child = _ref_name(prop["items"])
                if child:
                    children.append((key, child, True))
                continue
            child = _ref_name(prop)
            if child:
                children.append((key, child, False))
        shapes[name] = Shape(
            name=name,
            provenance={"evidence", "editorial"} <= set(props),
            voiced={"voice", "attributed_to", "attributed_group"} <= set(props),
            mention={"entity", "role", "label_in_source", "identification"} <= set(props),
            fact={"article", "value", "evidence"} <= set(props),
            date_claim=name == "DateClaim",
            resolution=name == "Resolution",
            children=tuple(children),
        )
    if schema_name == "article":
        root = published_schemas()["article"]
        shapes[""] = Shape(
            "Article", False, False, False, False, False, False, tuple(_root_children(root))
        )
    return shapes


def _root_children(root: dict[str, Any]) -> Iterator[tuple[str, str, bool]]:
    for key, prop in root.get("properties", {}).items():
        if prop.get("type") == "array" and isinstance(prop.get("items"), dict):
            child = _ref_name(prop["items"])
            if child:
                yield key, child, True
        else:
            child = _ref_name(prop)
            if child:
                yield key, child, False


def record_shape(kind: str, data: dict[str, Any]) -> tuple[str, Shape] | None:
    """(schema name, shape) of a record file's top-level object (entities by `kind`)."""
    if kind == "article":
        return "article", shapes_of("article")[""]
    mapping = published_schemas()["entity"].get("discriminator", {}).get("mapping", {})
    ref = mapping.get(data.get("kind"))
    if not isinstance(ref, str):
        return None
    return "entity", shapes_of("entity")[ref.rsplit("/", 1)[-1]]
