"""Validation: JSON syntax → JSON Schema → models → semantic checks, all findings together."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.checks import (
    CORPUS_WIDE,
    Elsewhere,
    check_context,
    referenced_entities,
    run_checks,
    run_in_context,
)
from toolkit.corpus import Corpus, RecordFile, article_files, discover, find_records_root
from toolkit.errors import UsageError
from toolkit.findings import Finding, Severity, sort_findings
from toolkit.format.placeholders import may_hold_placeholders
from toolkit.format.pointers import escape_pointer, join_pointer
from toolkit.format.vocab import ENTITY_KINDS, ID_PATTERN
from toolkit.load import Document, strict_reload
from toolkit.runtime.parallel import cyclic_gc_paused
from toolkit.schema import published_schemas
from toolkit.text.hints import did_you_mean

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError as SchemaError
    from pydantic import ValidationError


__all__ = ["Report", "UsageError", "validate_corpus", "validate_paths"]

_JSON_TYPES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    bool: "true or false",
    int: "a number",
    float: "a number",
    type(None): "null",
}


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    files_checked: int = 0
    corpus: Corpus | None = None
    #: What this validation loaded and computed (with two processes, this process's part),
    #: kept alive so that the caller chooses when to free it: object by object, a large
    #: corpus takes most of a second to free, and a command about to exit need not.
    retained: list[object] = field(default_factory=list, repr=False)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]


#: From this many article files on, `validate_paths(parallel=None)` uses a second process.
PARALLEL_FROM = 200


def validate_paths(
    paths: list[Path],
    *,
    fast: bool = True,
    parallel: bool | None = False,
    keep_corpus: bool = True,
) -> Report:
    """Validate the records trees holding `paths`; report findings for those paths only.

    `fast=False` takes the detailed path for every file (the same findings, slower; tests
    use it to prove the two paths agree). `parallel=None` validates half of the article files
    in a second process when there are `PARALLEL_FROM` or more and the machine allows it;
    `True` always does; the findings are the same either way. The report's `corpus` then
    holds every record only with `keep_corpus` (this process reads the other half again,
    refusing files that changed meanwhile); without it, `corpus` is None.
    """
    roots: dict[Path, list[Path]] = {}
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"{path}: no such file or folder")
        root = find_records_root(path)
        if root is None:
            raise UsageError(
                f"{path}: not inside a records folder (one holding articles/ or entities/)"
            )
        roots.setdefault(root, []).append(path.absolute())
    report = Report()
    with cyclic_gc_paused():
        _validate_roots(roots, report, fast, parallel, keep_corpus)
    report.findings = sort_findings(report.findings)
    return report


def _validate_roots(
    roots: dict[Path, list[Path]],
    report: Report,
    fast: bool,
    parallel: bool | None,
    keep_corpus: bool,
) -> None:
    for root, selected in sorted(roots.items()):
        corpus: Corpus | None
        files = article_files(root) if parallel is not False else []
        if _in_two_processes(files, parallel):
            findings, checked, corpus = _validate_in_two_processes(
                root, files, fast, keep_corpus, report.retained
            )
        else:
            corpus = discover(root, fast=fast)
            report.retained.append(corpus)
            findings = validate_corpus(corpus, fast=fast)
            checked = len(corpus.records) + len(corpus.sources)
        report.corpus = corpus
        if root not in selected:
            findings = [f for f in findings if _selected(f.file, selected)]
        report.findings.extend(findings)
        report.files_checked += checked


def _in_two_processes(files: list[Path], parallel: bool | None) -> bool:
    if parallel is None:
        from toolkit.runtime.parallel import can_fork

        return len(files) >= PARALLEL_FROM and can_fork()
    return parallel


@dataclass
class _Half:
    """What the second process sends back about the article files it validated."""

    findings: list[Finding]
    #: (path, display name, raw `id`, valid, digest of the bytes validated) of each file.
    records: list[tuple[Path, str, Any, bool, bytes]]
    used: set[str]
    broken_article: bool
    files_checked: int
    #: The snapshots it read, when the caller keeps the corpus.
    sources: dict[str, str]


def _validate_in_two_processes(
    root: Path, files: list[Path], fast: bool, keep_corpus: bool, retained: list[object]
) -> tuple[list[Finding], int, Corpus | None]:
    """Each process loads every entity, source and redirect but only every other article
    file, and runs all the checks on that; the corpus-wide checks (IDs, orphans) then run
    here, over this half and what the other process reports of its own."""
    from toolkit.runtime.parallel import in_background

    # Sets of path strings: hashing a Path parses it again.
    mine, theirs = {str(p) for p in files[0::2]}, {str(p) for p in files[1::2]}
    # Each process reads and checks the snapshots of its own article files (and reads
    # another only if one of its records quotes it); snapshots of no article file, here.
    their_stems = {path.stem for path in files[1::2]}

    def theirs_quote(path: Path) -> bool:
        return path.stem in their_stems

    def not_theirs(path: Path) -> bool:
        return path.stem not in their_stems

    def other_half() -> _Half:
        corpus = discover(
            root,
            fast=fast,
            articles=lambda path: str(path) in theirs,
            sources=theirs_quote,
            digests=keep_corpus,
        )
        findings = _file_findings(corpus, fast)  # first: it marks the valid records
        context = check_context(corpus)
        retained.extend((corpus, context))  # not freed before the result is sent
        findings += run_in_context(corpus, context, skip=CORPUS_WIDE)
        articles = [r for r in corpus.records if r.kind == "article"]
        own = {r.file for r in articles} | set(corpus.source_files.values())
        return _Half(
            findings=[f for f in findings if f.file in own],
            records=[
                (r.path, r.file, r.raw_id, r.data is not None, r.document.digest) for r in articles
            ],
            used=referenced_entities(corpus, context),
            broken_article=any(r.data is None for r in articles),
            files_checked=len(articles) + len(corpus.sources),
            sources=corpus.sources if keep_corpus else {},
        )

    with in_background(other_half) as pending:
        corpus = discover(
            root, fast=fast, articles=lambda path: str(path) in mine, sources=not_theirs
        )
        findings = _file_findings(corpus, fast)
        context = check_context(corpus)
        retained.extend((corpus, context))
        findings += run_in_context(corpus, context, skip=CORPUS_WIDE)
        referenced_entities(corpus, context)  # for the orphan check, while the child works
        half = pending.result()
    context.elsewhere = Elsewhere(
        records=[
            RecordFile("article", path, Document(file=file, data={"id": raw_id}, path=path))
            for path, file, raw_id, _, _ in half.records
        ],
        used=half.used,
        broken_article=half.broken_article,
    )
    findings += run_in_context(corpus, context, only=CORPUS_WIDE)
    findings += half.findings
    checked = len(corpus.records) + len(corpus.sources) + half.files_checked
    whole = _with_other_half(corpus, files, half) if keep_corpus else None
    return sort_findings(findings), checked, whole


def _with_other_half(corpus: Corpus, files: list[Path], half: _Half) -> Corpus:
    """`corpus` with the other process's article files read again (its valid ones parsed:
    they passed every check there, so the plain parser gives the same data), in the order
    a one-process run would list them."""
    import orjson

    from toolkit.load import file_digest

    theirs: dict[Path, RecordFile] = {}
    for path, file, _, valid, digest in half.records:
        document = Document(file=file, path=path)
        if valid:
            raw = path.read_bytes()
            if file_digest(raw) != digest:
                raise UsageError(f"{file}: changed while the records were checked; run again")
            document.data = orjson.loads(raw)
        theirs[path] = RecordFile("article", path, document, valid=valid)
    corpus.sources.update(half.sources)
    corpus.unread_sources.clear()
    corpus.elsewhere_ids.clear()
    mine = {r.path: r for r in corpus.records if r.kind == "article"}
    corpus.records = [
        *(mine[p] if p in mine else theirs[p] for p in files if p in mine or p in theirs),
        *(r for r in corpus.records if r.kind != "article"),
    ]
    return corpus


def _selected(file: str, selected: list[Path]) -> bool:
    path = Path(file).absolute()
    return any(path == s or s in path.parents for s in selected)


def validate_corpus(corpus: Corpus, *, fast: bool = True) -> list[Finding]:
    """Every finding for a loaded corpus; marks each record that passes the file layers
    (JSON, schema) as `valid`."""
    findings = _file_findings(corpus, fast)
    findings.extend(run_checks(corpus))
    return sort_findings(findings)


def _file_findings(corpus: Corpus, fast: bool) -> list[Finding]:
    """Findings of the file layers: discovery, JSON syntax, schema, models."""
    findings = list(corpus.findings)
    for record in corpus.records:
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
    # python-jsonschema's messages, did-you-mean hints.
    strict = strict_reload(record.document)
    if strict.findings:
        record.document = strict
        return strict.findings
    if not isinstance(data, dict):
        found = _JSON_TYPES.get(type(data), "this")
        return [record.at("json-not-object", f"a record must be a JSON object, not {found}")]
    schema_errors = sorted(_validators()[record.kind].iter_errors(data), key=lambda e: e.path)
    findings = _merge_typos([f for e in schema_errors for f in _explain(record, e)])
    if findings:
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
        return list(_explain_model(record, exc))
    record.valid = True
    return []


@cache
def _fast_validators() -> dict[str, Any]:
    import jsonschema_rs

    return {
        name: jsonschema_rs.validator_for(schema, validate_formats=True)
        for name, schema in published_schemas().items()
    }


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


@cache
def _validators() -> dict[str, Draft202012Validator]:
    from jsonschema import Draft202012Validator

    return {
        name: Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        for name, schema in published_schemas().items()
    }


def _pointer(parts: Iterable[str | int]) -> str:
    return join_pointer(parts)


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
    return real[0] if len(real) == 1 else None


def _explain(record: RecordFile, error: SchemaError) -> Iterator[Finding]:
    pointer = _pointer(error.absolute_path)
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
            yield record.at(
                "schema-null",
                "null is not allowed here",
                pointer,
                "Leave the key out instead of writing null.",
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


_MODEL_CODES = {
    "missing": "schema-required",
    "extra_forbidden": "schema-unknown-field",
    "null_not_allowed": "schema-null",
    "union_tag_invalid": "schema-kind",
    "union_tag_not_found": "schema-required",
    "too_short": "schema-length",
    "too_long": "schema-length",
    "string_too_short": "schema-length",
    "string_too_long": "schema-length",
    "greater_than_equal": "schema-length",
    "less_than_equal": "schema-length",
}


def _explain_model(record: RecordFile, exc: ValidationError) -> Iterator[Finding]:
    """Map pydantic's errors to the same codes (used only if the schema let something pass)."""
    for error in exc.errors(include_url=False):
        pointer = _pointer(p for p in error["loc"] if not (isinstance(p, str) and p in _TAGS))
        code = _MODEL_CODES.get(error["type"])
        if code is None:
            code = "schema-type" if error["type"].endswith("_type") else "schema-value"
        yield record.at(code, error["msg"], pointer)


_TAGS = set(ENTITY_KINDS)
