"""The file layers of each record: JSON → jsonschema-rs → python-jsonschema → pydantic.

A record that jsonschema-rs accepts is done (the fast path). Only a record with findings
takes the detailed path: a strict reload for positions, python-jsonschema for messages,
and the models last, for what the schema let pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from toolkit.findings import Finding
from toolkit.format.placeholders import may_hold_placeholders
from toolkit.format.schemas import published_schemas
from toolkit.load import Corpus, RecordFile, strict_reload
from toolkit.runtime.progress import task

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

__all__ = ["file_findings"]


def file_findings(corpus: Corpus, fast: bool) -> list[Finding]:
    """Findings of the file layers: discovery, JSON syntax, schema, models; marks each
    record that passes them as `valid`."""
    findings = list(corpus.findings)
    with task("checking records", len(corpus.records)) as progress:
        for record in corpus.records:
            progress.advance()
            findings.extend(record.document.findings)
            if record.document.findings:
                continue
            findings.extend(_validate_record(record, fast))
    if corpus.redirects is not None:
        findings.extend(corpus.redirects.findings)
    return findings


def _validate_record(record: RecordFile, fast: bool = True) -> list[Finding]:
    data = record.document.data
    # Fast path: one native schema check. A schema-valid record is also model-valid (a
    # test holds the models, python-jsonschema and jsonschema-rs to one verdict).
    document = record.document
    if (
        fast
        and isinstance(data, dict)
        and not document.has_floats
        and _fast_validators()[record.kind].is_valid(data)
    ):
        record.valid = True
        record.may_hold_placeholders = (
            document.placeholders
            if document.placeholders is not None
            else may_hold_placeholders(document.text)
        )
        document.release_text()
        return []
    # Detailed path, only for records with findings: full strict load, positions,
    # python-jsonschema's messages, did-you-mean hints (imported here: a valid corpus
    # never needs them, and every module costs a cold start).
    from toolkit.validate.explain import explain_model, explain_schema, not_an_object

    strict = strict_reload(record.document)
    if strict.findings:
        record.document = strict
        return strict.findings
    if not isinstance(data, dict):
        return [not_an_object(record, data)]
    errors = list(_validators()[record.kind].iter_errors(data))
    findings = explain_schema(record, errors)
    if findings:
        if record.kind == "article":
            from toolkit.validate.partial import salvage

            salvage(record, data, [e.absolute_path for e in errors], _fast_validators()["article"])
        return findings
    # Only now: the models cost ~0.4 s of imports, and most broken files stop above.
    from pydantic import ValidationError

    from toolkit.models import Article, entity_adapter

    try:
        if record.kind == "article":
            Article.model_validate(data)
        else:
            entity_adapter().validate_python(data)
    except ValidationError as exc:
        return list(explain_model(record, exc))
    record.valid = True
    return []


@cache
def _fast_validators() -> dict[str, Any]:
    import jsonschema_rs

    return {
        name: jsonschema_rs.validator_for(schema, validate_formats=True)
        for name, schema in published_schemas().items()
    }


@cache
def _validators() -> dict[str, Draft202012Validator]:
    from jsonschema import Draft202012Validator, validators

    checks = Draft202012Validator.VALIDATORS
    check_items = checks["items"]

    def bounded_items(
        validator: Draft202012Validator, items: Any, instance: Any, schema: dict[str, Any]
    ) -> Iterator[Any]:
        # A list past its `maxItems` is reported once (by `maxItems`); its items past the
        # limit are not checked: each could add findings, so the work would follow the
        # length of the list, which the schema bounds for every valid record.
        limit = schema.get("maxItems")
        if isinstance(instance, list) and isinstance(limit, int) and len(instance) > limit:
            instance = instance[:limit]
        yield from check_items(validator, items, instance, schema)

    bounded = validators.extend(Draft202012Validator, {"items": bounded_items})
    return {
        name: bounded(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        for name, schema in published_schemas().items()
    }
