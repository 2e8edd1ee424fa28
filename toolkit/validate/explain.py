"""Schema and model errors → findings: their codes, wording, pointers and hints.

python-jsonschema's errors become one finding each (a oneOf/anyOf failure is explained by
the branch the record meant); pydantic's, for what the schema let pass, are mapped to the
same codes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from toolkit.findings import Finding, model_error_code
from toolkit.format.pointers import escape_pointer, join_pointer
from toolkit.format.schemas import published_schemas
from toolkit.format.vocab import ENTITY_KINDS, ID_PATTERN
from toolkit.load import RecordFile
from toolkit.text.hints import did_you_mean

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError as SchemaError
    from pydantic import ValidationError

__all__ = ["explain_model", "explain_schema", "not_an_object"]

_JSON_TYPES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    bool: "true or false",
    int: "a number",
    float: "a number",
    type(None): "null",
}


def not_an_object(record: RecordFile, data: Any) -> Finding:
    """The finding for a record whose JSON is not an object."""
    found = _JSON_TYPES.get(type(data), "this")
    return record.at("json-not-object", f"a record must be a JSON object, not {found}")


def explain_schema(record: RecordFile, errors: Iterable[SchemaError]) -> list[Finding]:
    """The findings for python-jsonschema's errors on `record`, in pointer order."""
    schema_errors = sorted(errors, key=lambda e: e.path)
    return _merge_typos([f for e in schema_errors for f in _explain(record, e)])


def _merge_typos(findings: list[Finding]) -> list[Finding]:
    """Drop "missing `x`" where the same object has an unknown field that means `x`: one
    mistake, one finding (the did-you-mean hint on the unknown field says what to do)."""
    meant = {
        (f.pointer.rsplit("/", 1)[0], f.hint.split("`")[1])
        for f in findings
        if f.code == "schema-unknown-field" and f.hint.startswith("did you mean")
    }
    return [
        f
        for f in findings
        if not (f.code == "schema-required" and (f.pointer, f.message.split("`")[1]) in meant)
    ]


def _chosen_branch(error: SchemaError) -> int | None:
    """For a oneOf/anyOf failure, the branch the record meant (its tag, or the non-null one)."""
    branches = error.validator_value
    discriminator = error.schema.get("discriminator") if isinstance(error.schema, dict) else None
    if discriminator and isinstance(error.instance, dict):
        tag = error.instance.get(discriminator["propertyName"])
        target = discriminator.get("mapping", {}).get(tag) if isinstance(tag, str) else None
        for index, branch in enumerate(branches):
            if branch.get("$ref") == target:
                return index
        return None
    real = [i for i, b in enumerate(branches) if b != {"type": "null"}]
    if len(real) == 1:
        return real[0]
    if isinstance(error.instance, dict):
        # Closed objects with no key in common (a resolution's sources): the record meant
        # the one branch whose keys it uses.
        keys = set(error.instance)
        meant = [i for i in real if keys & set(_branch(branches[i]).get("properties", {}))]
        return meant[0] if len(meant) == 1 else None
    return None


def _branch(branch: dict[str, Any]) -> dict[str, Any]:
    """A union branch with its `$ref` to a definition of a published schema followed."""
    ref = branch.get("$ref")
    if not isinstance(ref, str):
        return branch
    name = ref.rsplit("/", 1)[-1]
    for schema in published_schemas().values():
        found = schema.get("$defs", {}).get(name)
        if isinstance(found, dict):
            return found
    return branch


def _shapes(branches: list[dict[str, Any]]) -> str:
    """The object branches of a union in words: `{url, basis}` or `{article, quote}`."""
    return " or ".join("`{" + ", ".join(_branch(b).get("required", [])) + "}`" for b in branches)


def _explain(record: RecordFile, error: SchemaError) -> Iterator[Finding]:
    pointer = join_pointer(error.absolute_path)
    kind = error.validator
    if kind in ("oneOf", "anyOf") and error.context is not None:
        yield from _explain_union(record, error, pointer)
        return
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else str(error.message)
        description = error.schema.get("properties", {}).get(missing, {}).get("description", "")
        yield record.at(
            "schema-required",
            f"missing required field `{missing}`",
            pointer,
            f"Add `{missing}`" + (f": {description}" if description else "."),
        )
        return
    if kind == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        for extra in sorted(set(error.instance) - set(allowed)):
            hint = did_you_mean(extra, allowed) or f"allowed here: {', '.join(allowed)}"
            yield record.at(
                "schema-unknown-field",
                f"unknown field `{extra}`",
                f"{pointer}/{escape_pointer(extra)}",
                hint,
            )
        return
    if kind == "type":
        if error.instance is None:
            # A list is never null: `[]` says "none" (and is what a required list, such as an
            # unsigned article's `authors`, needs); leaving the key out would be refused there.
            description = (
                error.schema.get("description", "") if error.validator_value == "array" else ""
            )
            yield record.at(
                "schema-null",
                "null is not allowed here",
                pointer,
                f"Write `[]` for none instead of null: {description}"
                if description
                else "Write `[]` for none instead of null."
                if error.validator_value == "array"
                else "Leave the key out instead of writing null.",
            )
            return
        found = _JSON_TYPES.get(type(error.instance), "something else")
        hint = (
            "Write the number without quotes."
            if isinstance(error.instance, str) and error.validator_value in ("integer", "number")
            else ""
        )
        yield record.at(
            "schema-type",
            f"expected {_type_name(error.validator_value)}, found {found}",
            pointer,
            hint,
        )
        return
    if kind in (
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
    ):
        yield record.at("schema-length", _length_message(kind, error), pointer)
        return
    yield record.at("schema-value", _value_message(error), pointer, _value_hint(error))


def _explain_union(record: RecordFile, error: SchemaError, pointer: str) -> Iterator[Finding]:
    branch = _chosen_branch(error)
    discriminator = error.schema.get("discriminator") if isinstance(error.schema, dict) else None
    if branch is None and discriminator and isinstance(error.instance, dict):
        key = discriminator["propertyName"]
        tags = sorted(discriminator.get("mapping", {}))
        tag = error.instance.get(key)
        if tag is None:
            yield record.at(
                "schema-required",
                f"missing required field `{key}`",
                pointer,
                f"Add `{key}`, one of: {', '.join(tags)}.",
            )
        else:
            hint = did_you_mean(str(tag), tags) or f"use one of: {', '.join(tags)}"
            yield record.at(
                "schema-kind", f"unknown {key} `{tag}`", f"{pointer}/{escape_pointer(key)}", hint
            )
        return
    if branch is None and isinstance(error.instance, dict):
        yield record.at(
            "schema-value",
            f"expected one of {_shapes(error.validator_value)}",
            pointer,
            "Keep the keys of exactly one of these shapes, and only those.",
        )
        return
    if branch is None:
        yield record.at("schema-value", _value_message(error), pointer)
        return
    for sub in error.context or []:
        if sub.relative_schema_path and sub.relative_schema_path[0] == branch:
            yield from _explain(record, sub)


def _type_name(value: Any) -> str:
    names = {
        "object": "an object",
        "array": "an array",
        "string": "a string",
        "integer": "a whole number",
        "number": "a number",
        "boolean": "true or false",
        "null": "null",
    }
    if isinstance(value, list):
        return " or ".join(names.get(str(v), str(v)) for v in value)
    return names.get(value, str(value))


def _length_message(kind: str, error: SchemaError) -> str:
    limit, instance = error.validator_value, error.instance
    if kind in ("minLength", "maxLength"):
        size = len(instance)
        return (
            "text is empty"
            if size == 0
            else f"text has {size} characters; the {'least' if kind == 'minLength' else 'most'} "
            f"allowed is {limit}"
        )
    if kind in ("minItems", "maxItems"):
        return (
            f"list has {len(instance)} items; the "
            f"{'least' if kind == 'minItems' else 'most'} allowed is {limit}"
        )
    return f"{instance} is out of range ({kind} {limit})"


def _value_message(error: SchemaError) -> str:
    instance = json.dumps(error.instance, ensure_ascii=False)
    if len(instance) > 80:
        instance = instance[:77] + "…"
    if error.validator == "enum":
        return f"{instance} is not one of: {', '.join(map(str, error.validator_value))}"
    if error.validator == "const":
        return f"{instance} must be {json.dumps(error.validator_value)}"
    if error.validator == "pattern":
        if error.validator_value == ID_PATTERN:
            return f"{instance} is not a valid ID"
        return f"{instance} does not have the expected form"
    if error.validator == "format":
        return f"{instance} is not a valid {error.validator_value}"
    return f"{instance} is not allowed here ({error.validator})"


def _value_hint(error: SchemaError) -> str:
    if error.validator == "enum" and isinstance(error.instance, str):
        return did_you_mean(error.instance, map(str, error.validator_value))
    if error.validator == "pattern":
        if error.validator_value == ID_PATTERN:
            return (
                "IDs are lower-case slugs of letters, digits and single hyphens, e.g. `joe-biden`."
            )
        description = error.schema.get("description", "")
        return description or f"It must match {error.validator_value}."
    if error.validator == "format" and error.validator_value == "uri":
        return "Write a full http(s) address, e.g. https://example.org/page."
    return ""


def explain_model(record: RecordFile, exc: ValidationError) -> Iterator[Finding]:
    """Map pydantic's errors to the same codes (used only if the schema let something pass)."""
    for error in exc.errors(include_url=False):
        pointer = join_pointer(p for p in error["loc"] if not (isinstance(p, str) and p in _TAGS))
        yield record.at(model_error_code(error["type"]), error["msg"], pointer)


_TAGS = set(ENTITY_KINDS)
