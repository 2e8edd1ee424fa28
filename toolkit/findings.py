"""Findings: what validation reports, as data. One registry holds every code.

Over 300 lines because the registry (`CODES`) is one table by design: the code, its
severity, layer and description side by side, in the order `docs/codes.md` lists them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

__all__ = [
    "CODES",
    "Code",
    "Finding",
    "Report",
    "Severity",
    "model_error_code",
    "sort_findings",
]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Code:
    name: str
    severity: Severity
    layer: str
    description: str

    def as_dict(self) -> dict[str, str]:
        """The row `stratlas codes --format json` lists."""
        return {
            "code": self.name,
            "severity": str(self.severity),
            "layer": self.layer,
            "description": self.description,
        }


def _codes(*rows: tuple[str, Severity, str, str]) -> dict[str, Code]:
    return {name: Code(name, sev, layer, desc) for name, sev, layer, desc in rows}


E, W = Severity.ERROR, Severity.WARNING

#: The registry: every finding code, its default severity, layer and a one-line description.
CODES: dict[str, Code] = _codes(
    # file and JSON syntax
    (
        "file-unreadable",
        E,
        "file",
        "The file could not be read (missing, a folder, no permission).",
    ),
    (
        "folder-unreadable",
        E,
        "file",
        "A folder under records/ could not be read (no permission): its files went unchecked.",
    ),
    ("file-symlink", E, "file", "Records may not be symbolic links."),
    ("file-too-large", E, "file", "The file is larger than the size cap for a record."),
    (
        "file-unexpected",
        E,
        "file",
        "A file under records/ that is not a record, source or redirect.",
    ),
    (
        "json-bom",
        E,
        "json",
        "The file starts with a byte-order mark; save it as UTF-8 without BOM.",
    ),
    ("json-encoding", E, "json", "The file is not valid UTF-8."),
    ("json-syntax", E, "json", "The file is not well-formed JSON."),
    (
        "json-duplicate-key",
        E,
        "json",
        "An object has the same key twice (one value would be lost).",
    ),
    ("json-nonfinite", E, "json", "NaN, Infinity and -Infinity are not JSON."),
    ("json-number-range", E, "json", "A number does not fit a double (I-JSON, RFC 7493)."),
    ("json-lone-surrogate", E, "json", "A string holds an unpaired UTF-16 surrogate escape."),
    ("json-too-deep", E, "json", "Arrays and objects are nested deeper than the loader allows."),
    ("json-not-object", E, "json", "A record must be a JSON object."),
    # schema
    ("schema-required", E, "schema", "A required field is missing."),
    ("schema-unknown-field", E, "schema", "A field the schema does not define (often a typo)."),
    ("schema-type", E, "schema", "A value has the wrong JSON type (e.g. a string for a number)."),
    (
        "schema-value",
        E,
        "schema",
        "A value is not allowed (wrong pattern, enum, constant, format).",
    ),
    ("schema-null", E, "schema", "null where the field may only be left out."),
    (
        "schema-length",
        E,
        "schema",
        "A text or list is too short or too long, or a number out of range.",
    ),
    ("schema-kind", E, "schema", "An entity's `kind` is not one of the known kinds."),
    (
        "version-too-old",
        E,
        "schema",
        "A record uses a field added in a later version than its `schema_version` declares.",
    ),
    # identity
    ("id-invalid", E, "identity", "An ID is not a lower-case slug of at most 80 characters."),
    ("id-reserved", E, "identity", "An ID collides with a site path or an operating-system name."),
    ("id-file-mismatch", E, "identity", "A record's `id` differs from its file name."),
    (
        "id-duplicate",
        E,
        "identity",
        "Two records (articles and entities share one namespace) have one ID.",
    ),
    ("id-collision", E, "identity", "Two IDs differ only in case or Unicode normalisation."),
    (
        "local-id-duplicate",
        E,
        "identity",
        "Two events, scenarios or assessments of one article share an ID.",
    ),
    # invisible characters
    (
        "name-invisible",
        E,
        "text",
        "A name, alias, title or label holds a character readers do not see (bidi control, "
        "zero-width or control character).",
    ),
    (
        "text-invisible",
        W,
        "text",
        "Text holds a control character or a bidi control, which changes what readers see.",
    ),
    # references
    ("ref-unknown", E, "reference", "A reference names no entity."),
    (
        "ref-wrong-kind",
        E,
        "reference",
        "A reference names an entity of a kind that does not fit there.",
    ),
    (
        "ref-redirected",
        W,
        "reference",
        "A reference uses an old ID that now redirects; use the new one.",
    ),
    ("redirect-cycle", E, "reference", "records/redirects.json sends an ID round in a loop."),
    ("redirect-dangling", E, "reference", "A redirect points to an ID that has no record."),
    ("redirect-shadowed", E, "reference", "A redirected (old) ID still has a record file."),
    ("entity-orphan", E, "reference", "No article references this entity."),
    (
        "name-shared",
        E,
        "reference",
        "Two entities share a name or alias and neither says how they differ.",
    ),
    # bylines
    (
        "byline-unsigned",
        E,
        "provenance",
        "An article has neither authors nor `unsigned`, or both.",
    ),
    # provenance
    (
        "source-missing",
        E,
        "provenance",
        "The article has no source snapshot `records/sources/<id>.txt`.",
    ),
    ("evidence-orphaned", E, "provenance", "A quote does not occur in the source snapshot."),
    (
        "evidence-ambiguous",
        E,
        "provenance",
        "A quote occurs more than once; prefix/suffix do not settle which.",
    ),
    ("evidence-offset", E, "provenance", "start/end offsets do not point at the quote."),
    (
        "evidence-partial-word",
        W,
        "provenance",
        'A quote starts or ends inside a word of the source ("ashington").',
    ),
    (
        "evidence-missing",
        E,
        "provenance",
        "A claim has neither evidence quotes nor an editorial basis.",
    ),
    (
        "evidence-unsourced-fact",
        E,
        "provenance",
        "An entity fact quotes evidence without naming its article.",
    ),
    (
        "voice-attribution",
        E,
        "provenance",
        "An attributed claim names its speaker (`attributed_to` or `attributed_group`, one of "
        "them); a claim in the author's voice names none.",
    ),
    (
        "attribution-unquoted",
        E,
        "provenance",
        "A described group's `label_in_source` does not occur in the source snapshot.",
    ),
    (
        "identification-missing",
        E,
        "provenance",
        "The source never names a mentioned entity and no `identification` says why its "
        "words (`label_in_source`) mean it.",
    ),
    (
        "wording-missing",
        E,
        "provenance",
        "A scenario's `likelihood.wording` (the source's own hedge) does not occur in the "
        "source snapshot.",
    ),
    # dates
    ("date-invalid", E, "dates", "A date is not a real calendar date."),
    (
        "date-bounds",
        E,
        "dates",
        "A date's `earliest`/`latest` lie outside its `value`, or after one another.",
    ),
    (
        "date-order",
        E,
        "dates",
        "Dates are out of order (e.g. an event after the article's publication).",
    ),
    # resolutions
    (
        "resolution-unsupported",
        E,
        "resolutions",
        "A scenario marked `happened` or `did-not-happen` gives no basis: no `sources`, "
        "`evidence` or `editorial`.",
    ),
    (
        "resolution-undated",
        E,
        "resolutions",
        "A settled scenario of a 1.2 record has no `resolved_on`.",
    ),
    (
        "resolution-open-settled",
        E,
        "resolutions",
        "An `open` resolution has `resolved_on` or `sources` (a contradiction).",
    ),
    (
        "resolution-source-unknown",
        E,
        "resolutions",
        "A resolution source names an article the corpus does not hold.",
    ),
    (
        "resolution-source-not-later",
        E,
        "resolutions",
        "A resolution source's article is the scenario's own, or was published before it.",
    ),
    (
        "resolution-quote-missing",
        E,
        "resolutions",
        "A resolution source's quote does not occur in its article's source snapshot.",
    ),
    # likely gaps
    (
        "mention-unreferenced",
        W,
        "coverage",
        "A registered entity's name occurs in the source (not only inside a longer registered "
        "name) but the article does not reference it; located in the snapshot.",
    ),
    ("draft-incomplete", E, "draft", "A scaffolded record still has a part to complete."),
)


#: What to do, for findings whose call site has nothing more specific to say.
DEFAULT_HINTS: dict[str, str] = {
    "file-unreadable": "Check that the path is a plain, readable file.",
    "file-unexpected": "Move or delete this file: articles/ and entities/ hold <id>.json "
    "records, sources/ holds <article-id>.txt snapshots.",
    "json-number-range": "Use a smaller number, or a string if the schema allows one.",
    "json-not-object": 'A record is one JSON object: { "id": …, … }.',
    "schema-length": "Shorten or lengthen the value to fit the limit the schema gives.",
    "schema-value": "Check the allowed values for this field in docs/records.md.",
    "schema-type": "Check the type this field takes in docs/records.md.",
    "schema-required": "Add the missing field.",
    "schema-unknown-field": "Remove the field, or fix its spelling.",
    "ref-wrong-kind": "Point at an entity of a fitting kind, or fix the entity's `kind`.",
}


#: pydantic error types → finding codes. Other types: `*_type` → schema-type, the rest
#: schema-value. Pure data (no pydantic import), so that both the validation of records and
#: the checks of records/redirects.json (which only the models check) map errors one way.
_MODEL_ERROR_CODES = {
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


def model_error_code(error_type: str) -> str:
    """The finding code for a pydantic error of type `error_type` (its `type` slug)."""
    code = _MODEL_ERROR_CODES.get(error_type)
    if code is None:
        return "schema-type" if error_type.endswith("_type") else "schema-value"
    return code


@dataclass(frozen=True, order=True)
class Finding:
    """One problem found in one place. `line` and `col` are 1-based; 0 means "whole file".

    `record` is the record file the finding is about when `file` is another: a name that
    an article's source snapshot holds is located in the snapshot (`file`, `line`, `col`)
    but concerns the article."""

    file: str
    line: int
    col: int
    code: str
    message: str
    pointer: str = ""
    hint: str = ""
    severity: Severity = field(default=Severity.ERROR, compare=False)
    record: str = ""

    def __post_init__(self) -> None:
        if self.code not in CODES:  # a typo in our own code must fail loudly in tests
            raise ValueError(f"unregistered finding code {self.code!r}")

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = str(self.severity)
        if not self.record:
            del data["record"]  # the common case: the shape every other finding keeps
        return data


def make(
    code: str,
    message: str,
    *,
    file: str,
    pointer: str = "",
    line: int = 0,
    col: int = 0,
    hint: str = "",
    record: str = "",
) -> Finding:
    """Build a finding with the code's registered severity."""
    return Finding(
        file=file,
        line=line,
        col=col,
        code=code,
        message=message,
        pointer=pointer,
        hint=hint or DEFAULT_HINTS.get(code, ""),
        severity=CODES[code].severity,
        record=record,
    )


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Stable report order: by file, position, code."""
    return sorted(
        set(findings), key=lambda f: (f.file, f.line, f.col, f.code, f.pointer, f.message)
    )


@dataclass(frozen=True)
class Report:
    """What a validation found: its findings (sorted) and how many files it checked.

    `corpus` and `retained` are not results, and leave once the pipeline carries them
    (ARCHITECTURE.md §6.2, `pipeline.Validated`): today the site builds its pages from
    `report.corpus`, and a command keeps its report alive until it exits so that what the
    validation loaded is never freed object by object (most of a second for a large
    corpus). `corpus` is the loaded `Corpus` of toolkit.load, or None; it is typed `Any`
    because this module sits below the load stage.
    """

    findings: list[Finding] = field(default_factory=list)
    files_checked: int = 0
    corpus: Any = None
    #: What this validation loaded and computed (with two processes, this process's part),
    #: kept alive so that the caller chooses when to free it.
    retained: list[object] = field(default_factory=list, repr=False)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]

    def failing(self, strict: bool) -> list[Finding]:
        """The findings that fail the run: every one with `strict`, else the errors."""
        return list(self.findings) if strict else self.errors


LAYER_TITLES = {
    "file": "Files",
    "json": "JSON syntax",
    "schema": "Schema",
    "identity": "Identity",
    "text": "Invisible characters",
    "reference": "References",
    "provenance": "Provenance",
    "dates": "Dates",
    "resolutions": "Resolutions",
    "coverage": "Coverage (warnings)",
    "draft": "Drafts",
}


def codes_markdown() -> str:
    """docs/codes.md: the registry as a page (kept in sync by a test)."""
    lines = [
        "# Finding codes",
        "",
        "Every problem `stratlas validate` can report, with its default severity. Warnings",
        "become errors with `--strict`. Generated by `stratlas codes --format markdown`;",
        "a test fails when this page and the registry differ.",
        "",
    ]
    layer = ""
    for code in CODES.values():
        if code.layer != layer:
            layer = code.layer
            lines += [
                "",
                f"## {LAYER_TITLES[layer]}",
                "",
                "| code | severity | meaning |",
                "|---|---|---|",
            ]
        lines.append(f"| `{code.name}` | {code.severity} | {code.description} |")
    return "\n".join(lines).replace("\n\n\n", "\n\n") + "\n"
