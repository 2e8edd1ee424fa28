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
    ends, loops = _chains({old: entry.to for old, entry in table.items()})
    resolved: dict[str, str] = {}
    caught = [0] * len(loops)  # entries whose chain runs into each loop
    reported = [False] * len(loops)
    for old in sorted(table):
        end = ends[old]
        if isinstance(end, int):
            caught[end] += 1
        if old in shadowed:
            continue  # the record still exists: references to it keep meaning that record
        if isinstance(end, int):
            reported[end] = True
        elif end not in ids:
            findings.append(
                at(
                    "redirect-dangling",
                    f"`{old}` redirects to `{end}`, which has no record",
                    f"/{escape_pointer(old)}/to",
                    "Point it at an existing entity ID.",
                )
            )
        else:
            resolved[old] = end
    for loop, count, report in zip(loops, caught, reported, strict=True):
        if report:
            findings.append(
                at(
                    "redirect-cycle",
                    _loop_message(loop, count),
                    f"/{escape_pointer(loop[0])}/to",
                    "Point the chain at an ID that has a record.",
                )
            )
    return resolved, findings


#: How many members of a loop its finding names (a loop may have thousands).
LOOP_NAMED = 5


def _chains(table: dict[str, str]) -> tuple[dict[str, str | int], list[list[str]]]:
    """Where each entry's chain ends: the first ID that is no old ID, or the index of the
    loop it runs into; and each loop once, from its smallest member. Every entry is walked
    once (each chain stops at an entry already resolved), so the work is linear."""
    ends: dict[str, str | int] = {}
    loops: list[list[str]] = []
    for start in sorted(table):
        path: dict[str, None] = {}  # the chain walked from `start`, in order
        node = start
        while node in table and node not in ends and node not in path:
            path[node] = None
            node = table[node]
        end: str | int
        if node in path:
            members = list(path)
            members = members[members.index(node) :]
            first = members.index(min(members))
            loops.append(members[first:] + members[:first])
            end = len(loops) - 1
        else:
            end = ends.get(node, node)
        for old in path:
            ends[old] = end
    return ends, loops


def _loop_message(loop: list[str], caught: int) -> str:
    """One loop, naming at most LOOP_NAMED members."""
    shown = loop[:LOOP_NAMED] + (["…"] if len(loop) > LOOP_NAMED else []) + [loop[0]]
    size = "1 entry" if len(loop) == 1 else f"{len(loop)} entries"
    message = f"the redirects loop: {' → '.join(shown)} ({size})"
    if caught > len(loop):
        message += f"; {caught - len(loop)} more redirect into it"
    return message
