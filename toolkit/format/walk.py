"""One walk over a schema-valid record: its entity references and the objects checks read.

The semantic checks need two things of every record: the references it makes (the
`ARTICLE_REFERENCES` / `ENTITY_REFERENCES` tables of `toolkit.format.relations`) and its
objects whose shape a check looks at (`Shape.checked`). Both are read off one walk, driven
by a plan that lays the reference patterns over the schema's shapes: each step knows which
of its keys hold references, which objects to collect, and which children lead to either
(the evidence anchors, most of a record's objects, are never entered).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple

from toolkit.format.relations import (
    ARTICLE_REFERENCES,
    ENTITY_REFERENCES,
    RELATIONS,
    Reference,
    Relation,
)
from toolkit.format.shape import Shape, record_shape, shapes_of

__all__ = ["Checked", "Walk", "walk_record"]

#: An object a check looks at: its pointer, its shape and the object.
Checked = tuple[str, Shape, dict[str, Any]]


class Walk(NamedTuple):
    """What the walk of one record found, in document order of the plan."""

    references: list[Reference]
    checked: list[Checked]


@dataclass(eq=False, slots=True)
class _Step:
    """The plan at one object: its shape, and under which keys references and children
    that lead to a reference or a checked object are."""

    shape: Shape
    checked: bool
    #: (key, relation, whether the key holds a list of IDs rather than one)
    references: list[tuple[str, Relation, bool]] = field(default_factory=list)
    #: (key, the child's step, whether the key holds a list of objects)
    children: list[tuple[str, _Step, bool]] = field(default_factory=list)


#: A reference pattern still to follow: the remaining path parts, and its relation.
_Pattern = tuple[tuple[str, ...], str]


def _plan(schema_name: str, shape: Shape, patterns: frozenset[_Pattern]) -> _Step:
    shapes = shapes_of(schema_name)
    steps: dict[tuple[str, frozenset[_Pattern]], _Step] = {}

    def build(shape: Shape, patterns: frozenset[_Pattern]) -> _Step:
        found = steps.get((shape.name, patterns))
        if found is not None:
            return found
        step = steps[(shape.name, patterns)] = _Step(shape, shape.checked)
        for parts, relation in sorted(patterns):
            if parts[1:] in ((), ("*",)):
                step.references.append((parts[0], RELATIONS[relation], parts[1:] == ("*",)))
        for key, child, is_list in shape.children:
            rest = frozenset(
                (parts[2:] if is_list else parts[1:], relation)
                for parts, relation in patterns
                if parts[0] == key
                and len(parts) > (2 if is_list else 1)
                and (parts[1] == "*") == is_list
            )
            step.children.append((key, build(shapes[child], rest), is_list))
        return step

    root = build(shape, patterns)
    # Keep only the children below which something is found (a fixed point: the shapes
    # may refer to each other).
    useful = {id(step) for step in steps.values() if step.checked or step.references}
    grown = True
    while grown:
        grown = False
        for step in steps.values():
            if id(step) not in useful and any(id(c) in useful for _, c, _ in step.children):
                useful.add(id(step))
                grown = True
    for step in steps.values():
        step.children = [child for child in step.children if id(child[1]) in useful]
    return root


def _patterns(table: tuple[tuple[str, str], ...]) -> frozenset[_Pattern]:
    return frozenset((tuple(pattern.strip("/").split("/")), name) for pattern, name in table)


@cache
def _root_step(schema_name: str, shape: Shape) -> _Step:
    table = ARTICLE_REFERENCES if schema_name == "article" else ENTITY_REFERENCES
    return _plan(schema_name, shape, _patterns(table))


def walk_record(kind: str, data: dict[str, Any]) -> Walk:
    """The references and checked objects of a schema-valid record's parsed JSON (`kind`:
    "article" or "entity")."""
    found = Walk([], [])
    typed = record_shape(kind, data)
    if typed is not None:
        _walk(data, _root_step(*typed), "", found.references, found.checked)
    return found


def _walk(
    node: dict[str, Any],
    step: _Step,
    pointer: str,
    references: list[Reference],
    checked: list[Checked],
) -> None:
    if step.checked:
        checked.append((pointer, step.shape, node))
    for key, relation, is_list in step.references:
        value = node.get(key)
        if value is None:
            continue
        if not is_list:
            if isinstance(value, str):
                references.append(Reference(f"{pointer}/{key}", value, relation))
        elif isinstance(value, list):
            for index, target in enumerate(value):
                if isinstance(target, str):
                    references.append(Reference(f"{pointer}/{key}/{index}", target, relation))
    for key, child, is_list in step.children:
        value = node.get(key)
        if value is None:
            continue
        if not is_list:
            if isinstance(value, dict):
                _walk(value, child, f"{pointer}/{key}", references, checked)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    _walk(item, child, f"{pointer}/{key}/{index}", references, checked)
