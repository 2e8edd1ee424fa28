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

__all__ = ["Shape", "checked_objects", "record_shape", "walk_plan_table"]


@dataclass(frozen=True)
class Shape:
    """What the checks need to know about one object definition of the schema."""

    name: str
    provenance: bool  # carries `evidence` / `editorial`
    voiced: bool  # carries `voice` / `attributed_to`
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
def _shapes(schema_name: str) -> dict[str, Shape]:
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
            voiced={"voice", "attributed_to"} <= set(props),
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
        return "article", _shapes("article")[""]
    mapping = published_schemas()["entity"].get("discriminator", {}).get("mapping", {})
    ref = mapping.get(data.get("kind"))
    if not isinstance(ref, str):
        return None
    return "entity", _shapes("entity")[ref.rsplit("/", 1)[-1]]


def checked_objects(
    data: Any, schema_name: str, shape: Shape
) -> list[tuple[str, Shape, dict[str, Any]]]:
    """Every object of `data` (itself included) whose shape a check looks at
    (`Shape.checked`), with its pointer and shape, depth first. The walk does not enter
    parts that hold no such object (the evidence anchors: most of a record's objects)."""
    found: list[tuple[str, Shape, dict[str, Any]]] = []
    _collect_checked(data, _walk_plan(schema_name), shape, "", found)
    return found


#: For each shape: whether it is checked, and the children a checked walk enters.
_Plan = dict[Shape, tuple[bool, tuple[tuple[str, Shape, bool], ...]]]


@cache
def _walk_plan(schema_name: str) -> _Plan:
    shapes = _shapes(schema_name)
    return {
        shape: (
            shape.checked,
            tuple(
                (key, shapes[child], is_list)
                for key, child, is_list in shape.children
                if shapes[child].checked or shapes[child].children
            ),
        )
        for shape in shapes.values()
    }


def _collect_checked(
    node: Any,
    plan: _Plan,
    shape: Shape,
    pointer: str,
    found: list[tuple[str, Shape, dict[str, Any]]],
) -> None:
    if not isinstance(node, dict):
        return
    checked, children = plan[shape]
    if checked:
        found.append((pointer, shape, node))
    for key, child, is_list in children:
        value = node.get(key)
        if value is None:
            continue
        if not is_list:
            _collect_checked(value, plan, child, f"{pointer}/{key}", found)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                _collect_checked(item, plan, child, f"{pointer}/{key}/{index}", found)


def walk_plan_table(schema_name: str) -> list[tuple[Shape, tuple[tuple[str, int, bool], ...]]]:
    """The walk plan as a list: each shape with the children a checked walk enters, as
    (property, index of the child's shape in this list, is a list); the record's own shape
    comes first. (The form toolkit._native walks.)"""
    plan = _walk_plan(schema_name)
    root = _shapes(schema_name)[""] if schema_name == "article" else None
    shapes = [*([root] if root is not None else []), *(s for s in plan if s is not root)]
    index = {shape: number for number, shape in enumerate(shapes)}
    return [
        (shape, tuple((key, index[child], is_list) for key, child, is_list in plan[shape][1]))
        for shape in shapes
    ]
