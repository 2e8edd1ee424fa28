"""records/redirects.json: old ID → new ID, with the rules that keep it sound."""

from __future__ import annotations

from toolkit.findings import Finding, make, model_error_code
from toolkit.format.ids import is_valid_id
from toolkit.format.pointers import escape_pointer, join_pointer
from toolkit.load import Corpus

__all__ = ["REDIRECT_CODES", "load_redirects"]

#: The codes `load_redirects` can report.
REDIRECT_CODES = frozenset(
    {
        "json-not-object",
        "schema-required",
        "schema-unknown-field",
        "schema-type",
        "schema-value",
        "id-invalid",
        "redirect-shadowed",
        "redirect-cycle",
        "redirect-dangling",
    }
)


def load_redirects(corpus: Corpus) -> tuple[dict[str, str], list[Finding]]:
    """Return `{old id: final id}` for every sound redirect, and findings for the rest."""
    doc = corpus.redirects
    if doc is None or doc.findings:
        return {}, []  # missing, or its loader findings are reported by validation

    def at(code: str, message: str, pointer: str, hint: str = "") -> Finding:
        line, col = doc.position(pointer)
        return make(code, message, file=doc.file, pointer=pointer, line=line, col=col, hint=hint)

    findings: list[Finding] = []
    if not isinstance(doc.data, dict):
        return {}, [
            at("json-not-object", "redirects.json must be an object of old ID → {to, reason}", "")
        ]
    from pydantic import TypeAdapter, ValidationError

    from toolkit.models import Redirect

    try:
        table = TypeAdapter(dict[str, Redirect]).validate_python(doc.data, strict=True)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            pointer = join_pointer(error["loc"])
            findings.append(at(model_error_code(error["type"]), error["msg"], pointer))
        return {}, findings
    # Every record ID of the tree, those another process loads included: a redirect's
    # soundness depends on the whole corpus, never on the half this process holds.
    ids = {r.stem for r in corpus.records} | corpus.elsewhere_ids
    shadowed = {old for old in table if old in ids}
    for old in table:
        if not is_valid_id(old):
            findings.append(
                at(
                    "id-invalid",
                    f"`{old}` is not a valid ID",
                    f"/{escape_pointer(old)}",
                    "Old IDs are lower-case slugs like every ID; fix or remove this entry.",
                )
            )
        if old in ids:
            findings.append(
                at(
                    "redirect-shadowed",
                    f"`{old}` redirects to `{table[old].to}` but still has a record",
                    f"/{escape_pointer(old)}",
                    f"Delete the record of `{old}` (its content belongs in "
                    f"`{table[old].to}`), or remove the redirect.",
                )
            )
    resolved: dict[str, str] = {}
    for old in sorted(table):
        if old in shadowed:
            continue  # the record still exists: references to it keep meaning that record
        seen = [old]
        target = table[old].to
        while target in table and target not in seen:
            seen.append(target)
            target = table[target].to
        pointer = f"/{escape_pointer(old)}/to"
        if target in seen:
            findings.append(
                at(
                    "redirect-cycle",
                    "the redirects loop: " + " → ".join([*seen, target]),
                    pointer,
                    "Point the chain at an ID that has a record.",
                )
            )
        elif target not in ids:
            findings.append(
                at(
                    "redirect-dangling",
                    f"`{old}` redirects to `{target}`, which has no record",
                    pointer,
                    "Point it at an existing entity ID.",
                )
            )
        else:
            resolved[old] = target
    return resolved, findings
