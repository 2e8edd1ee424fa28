"""Semantic checks over a whole corpus, as small registered functions returning findings.

Checks read each valid record's parsed JSON (typed by `toolkit.format.shape`), never pydantic
models: building models costs several times the parse, and validation must stay fast.
"""

from __future__ import annotations

import calendar
import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.findings import Finding, make
from toolkit.format.ids import RESERVED_IDS, is_valid_id, suggest_id
from toolkit.format.placeholders import PLACEHOLDER_ID_PREFIX
from toolkit.format.relations import article_patterns, data_references
from toolkit.format.shape import Shape, checked_objects, record_shape, walk_plan_table
from toolkit.format.vocab import ENTITY_KINDS
from toolkit.load import Corpus, RecordFile, read_text_file
from toolkit.redirects import load_redirects
from toolkit.runtime import native as speedups
from toolkit.text.hints import did_you_mean
from toolkit.text.names import NameIndex
from toolkit.text.quotes import Snapshot

__all__ = [
    "CHECKS",
    "CORPUS_WIDE",
    "Context",
    "Elsewhere",
    "check_context",
    "date_bounds",
    "referenced_entities",
    "run_checks",
    "run_in_context",
]

Check = Callable[[Corpus, "Context"], Iterator[Finding]]
CHECKS: list[Check] = []


def check(function: Check) -> Check:
    CHECKS.append(function)
    return function


@dataclass
class Elsewhere:
    """What another process learnt from the article files it validated (see
    `validate.validate_paths(parallel=True)`): all the corpus-wide checks need of them."""

    #: Stand-ins for those files: path, display name and the raw `id` (no data).
    records: list[RecordFile]
    #: Entity IDs (redirects followed) that their valid articles reference.
    used: set[str]
    #: Whether one of them failed to load or validate.
    broken_article: bool


class Snapshots:
    """Source snapshots by article ID, prepared on first use (a process validating part of
    the corpus prepares only the ones its records quote). Snapshots that another process
    reads and checks (`unread`) are read here only when asked for; that process reports
    what is wrong with them."""

    def __init__(self, sources: dict[str, str], unread: dict[str, Path] | None = None) -> None:
        self._sources = sources
        self._unread = dict(unread or {})
        self._read_here: dict[str, str | None] = {}
        self._ready: dict[str, Snapshot] = {}

    def _text(self, article_id: object) -> str | None:
        if not isinstance(article_id, str):
            return None
        text = self._sources.get(article_id)
        if text is None and article_id in self._unread:
            if article_id not in self._read_here:
                text, _ = read_text_file(self._unread[article_id], article_id)
                self._read_here[article_id] = text
            text = self._read_here[article_id]
        return text

    def __contains__(self, article_id: object) -> bool:
        return self._text(article_id) is not None

    def get(self, article_id: str) -> Snapshot | None:
        found = self._ready.get(article_id)
        if found is None:
            text = self._text(article_id)
            if text is not None:
                found = self._ready[article_id] = Snapshot(text)
        return found


class ByRecord:
    """A value per valid record file, computed on first use (`compute(record)`): the fast
    path leaves most records' references and checked objects uncomputed."""

    def __init__(
        self, records: list[RecordFile], compute: Callable[[RecordFile], list[Any]]
    ) -> None:
        self._records = {r.file: r for r in records if r.data is not None}
        self._compute = compute
        self._values: dict[str, list[Any]] = {}

    def get(self, file: str, default: list[Any] | None = None) -> list[Any]:
        found = self._values.get(file)
        if found is None:
            record = self._records.get(file)
            if record is None:
                return default if default is not None else []
            found = self._values[file] = self._compute(record)
        return found

    def __getitem__(self, file: str) -> list[Any]:
        if file not in self._records:
            raise KeyError(file)
        return self.get(file)


#: What the native scan says an article needs looked at by the Python checks.
NEEDS_REFERENCES, NEEDS_EVIDENCE, NEEDS_DATES = 1, 2, 4


@dataclass
class Context:
    """What several checks need, computed once."""

    #: Valid records by their `id`.
    by_id: dict[str, RecordFile]
    redirects: dict[str, str]
    snapshots: Snapshots
    #: Stems of entity files that exist but failed to load or validate: their own findings
    #: say why, so references to them and orphan checks stay quiet instead of piling on.
    broken: set[str]
    #: Every valid record's references (`list[Reference]`), computed on first use.
    references: ByRecord
    #: Every valid record's objects that checks look at (`Shape.checked`), with their
    #: pointers and shapes (`list[tuple[str, Shape, dict]]`), computed on first use.
    typed: ByRecord
    #: Article files validated by another process (None when this one has them all).
    elsewhere: Elsewhere | None = None
    #: For each valid article the native scan passed (toolkit._native; absent without it):
    #: which checks must still look at it (NEEDS_*), and the entity IDs it references.
    fast: dict[str, tuple[int, set[str]]] = field(default_factory=dict)
    #: The names each article's snapshot holds (`NameIndex.find`), by record file.
    found_names: dict[str, dict[str, str]] = field(default_factory=dict)
    #: `referenced_entities`, once computed.
    used: set[str] | None = None
    #: (entity ID, rank, name) of every valid entity's names (rank 0: its `name`).
    entity_names: list[tuple[str, int, str]] = field(default_factory=list)
    _name_index: NameIndex | None = None

    def needs(self, record: RecordFile, what: int) -> bool:
        """Whether the check `what` (NEEDS_*) must look at this record."""
        verdict = self.fast.get(record.file)
        return verdict is None or bool(verdict[0] & what)

    def targets(self, record: RecordFile) -> set[str]:
        """The entity IDs (redirects followed) a valid record references."""
        verdict = self.fast.get(record.file)
        if verdict is not None and not verdict[0] & NEEDS_REFERENCES:
            return verdict[1]
        return {self.redirects.get(r.target, r.target) for r in self.references[record.file]}

    def names_in(self, record: RecordFile, snapshot: Snapshot) -> dict[str, str]:
        """`{entity ID: its best-ranked name}` for the valid entities the snapshot of an
        article names."""
        found = self.found_names.get(record.file)
        if found is None:
            if self._name_index is None:
                self._name_index = NameIndex(self.entity_names)
            found = self.found_names[record.file] = self._name_index.find(snapshot)
        return found


#: Checks that compare records across the whole corpus; with `Elsewhere` they see it all.
CORPUS_WIDE = ("ids", "orphans")


def run_checks(
    corpus: Corpus,
    *,
    only: tuple[str, ...] | None = None,
    skip: tuple[str, ...] = (),
    native: bool = True,
) -> list[Finding]:
    """Findings of every check (or of those named in `only`, minus `skip`); `native=False`
    leaves every record to the Python checks."""
    return run_in_context(corpus, check_context(corpus, native=native), only=only, skip=skip)


def run_in_context(
    corpus: Corpus,
    context: Context,
    *,
    only: tuple[str, ...] | None = None,
    skip: tuple[str, ...] = (),
) -> list[Finding]:
    findings: list[Finding] = []
    if only is None:
        findings.extend(load_redirects(corpus)[1])
    for function in CHECKS:
        name = function.__name__
        if (only is None or name in only) and name not in skip:
            findings.extend(function(corpus, context))
    return findings


def check_context(corpus: Corpus, *, native: bool = True) -> Context:
    """`native=False` leaves every record to the Python checks (tests compare the two)."""
    redirects, _ = load_redirects(corpus)
    by_id: dict[str, RecordFile] = {}
    for record in corpus.records:
        data = record.data
        if data is not None:
            by_id.setdefault(data["id"], record)
    context = Context(
        by_id=by_id,
        redirects=redirects,
        snapshots=Snapshots(corpus.sources, corpus.unread_sources),
        broken={r.stem for r in corpus.records if r.data is None and r.kind == "entity"},
        references=ByRecord(corpus.records, lambda r: data_references(r.data, r.kind)),
        typed=ByRecord(corpus.records, _typed),
        entity_names=[
            (entity["id"], rank, name)
            for _, entity in _entities(corpus)
            for rank, name in enumerate(_names(entity))
        ],
    )
    if native and speedups.native("ArticleScan") is not None:
        _scan_articles(corpus, context)
    return context


def _scan_articles(corpus: Corpus, context: Context) -> None:
    """Run the native scan over every valid article (see toolkit/_native.c): what it passes,
    the Python checks skip."""
    scanner = _article_scanner(context)
    entities = [r for r in corpus.records if r.kind == "entity" and r.data is not None]
    # With two valid entities of one ID, names and kinds could come from either: the Python
    # checks decide identification then.
    unique = len({r.data["id"] for r in entities if r.data}) == len(entities)
    for record, data in _articles(corpus):
        snapshot = context.snapshots.get(data["id"]) if isinstance(data["id"], str) else None
        needs, targets, identify = scanner.scan(data, snapshot.text if snapshot else None)
        if snapshot is None:
            needs |= NEEDS_EVIDENCE  # source-missing, and anchors cannot be checked
        elif identify and not needs & NEEDS_EVIDENCE:
            found = context.names_in(record, snapshot)
            for entity_id in identify:
                final = context.redirects.get(entity_id, entity_id)
                target = context.by_id.get(final)
                if target is None:
                    continue  # the Python check says nothing either
                if not unique or target.kind != "entity" or final not in found:
                    needs |= NEEDS_EVIDENCE
                    break
        context.fast[record.file] = (needs, targets)


def _article_scanner(context: Context) -> Any:
    bits = {kind: 1 << number for number, kind in enumerate(ENTITY_KINDS)}
    kinds = {
        entity_id: bits.get(record.data["kind"], 0)
        for entity_id, record in context.by_id.items()
        if record.kind == "entity" and record.data is not None
    }
    patterns = [
        (parts, sum(bits[kind] for kind in relation.kinds))
        for parts, relation in article_patterns()
    ]
    shapes = [(_shape_flags(shape), children) for shape, children in walk_plan_table("article")]
    return speedups.native("ArticleScan")(patterns, shapes, kinds, context.redirects)


def _shape_flags(shape: Shape) -> int:
    """The bits toolkit/_native.c reads (SHAPE_*)."""
    return (
        shape.provenance * 1
        | shape.voiced * 2
        | shape.mention * 4
        | shape.fact * 8
        | shape.date_claim * 16
        | shape.resolution * 32
        | shape.checked * 64
    )


def _typed(record: RecordFile) -> list[tuple[str, Shape, dict[str, Any]]]:
    data = record.data
    found = record_shape(record.kind, data) if data is not None else None
    if data is None or found is None:
        return []
    return checked_objects(data, *found)


def _names(data: dict[str, Any]) -> list[str]:
    return [data["name"], *data.get("aliases", [])]


def _norm_name(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def _entities(corpus: Corpus) -> Iterator[tuple[RecordFile, dict[str, Any]]]:
    for record in corpus.records:
        data = record.data
        if record.kind == "entity" and data is not None:
            yield record, data


def _articles(corpus: Corpus) -> Iterator[tuple[RecordFile, dict[str, Any]]]:
    for record in corpus.records:
        data = record.data
        if record.kind == "article" and data is not None:
            yield record, data


# --- identity -------------------------------------------------------------------------------


@check
def ids(corpus: Corpus, context: Context) -> Iterator[Finding]:
    seen: dict[str, RecordFile] = {}
    folded: dict[str, RecordFile] = {}
    everything = corpus.records + (context.elsewhere.records if context.elsewhere else [])
    for record in sorted(everything, key=lambda r: (not is_valid_id(r.stem), r.file)):
        stem = record.stem
        fold = unicodedata.normalize("NFKC", stem).casefold()
        other = folded.setdefault(fold, record)
        if other is not record and other.stem != stem:
            yield make(
                "id-collision",
                f"`{stem}` and `{other.stem}` ({other.file}) differ only in case or Unicode form",
                file=record.file,
                hint="They would overwrite each other on case-insensitive file systems and on "
                "the site: merge them, or rename this one.",
            )
            continue
        if not is_valid_id(stem):
            yield make(
                "id-invalid",
                f"the file name `{stem}` is not a valid ID",
                file=record.file,
                hint=f"Name the file <id>.json with a lower-case slug, e.g. `{suggest_id(stem)}`.",
            )
            continue
        raw = record.raw_id
        if isinstance(raw, str) and is_valid_id(raw):
            if raw in RESERVED_IDS:
                yield record.at(
                    "id-reserved",
                    f"`{raw}` is a reserved name",
                    "/id",
                    f"Pick another ID, e.g. `{raw}-1` or a more specific name.",
                )
            if raw != stem:
                yield record.at(
                    "id-file-mismatch",
                    f"the ID `{raw}` differs from the file name `{stem}.json`",
                    "/id",
                    f"Rename the file to {raw}.json or set the ID to `{stem}`.",
                )
        if stem in seen:
            yield make(
                "id-duplicate",
                f"the ID `{stem}` is used by {seen[stem].file} too",
                file=record.file,
                hint="Articles and entities share one namespace: rename one of them (and merge "
                "them if they describe the same thing).",
            )
        else:
            seen[stem] = record


@check
def local_ids(corpus: Corpus, context: Context) -> Iterator[Finding]:
    for record, data in _articles(corpus):
        for field_name in ("events", "scenarios", "assessments"):
            items = data.get(field_name)
            if not items or len({item["id"] for item in items}) == len(items):
                continue  # none repeated: the common case, one set
            seen: set[str] = set()
            for index, item in enumerate(items):
                if item["id"] in seen:
                    yield record.at(
                        "local-id-duplicate",
                        f"two {field_name} share the ID `{item['id']}`",
                        f"/{field_name}/{index}/id",
                        "Give each its own ID.",
                    )
                seen.add(item["id"])


# --- references -----------------------------------------------------------------------------


@check
def references(corpus: Corpus, context: Context) -> Iterator[Finding]:
    entities = {
        entity_id: record for entity_id, record in context.by_id.items() if record.kind == "entity"
    }
    for record in corpus.records:
        if not context.needs(record, NEEDS_REFERENCES):
            continue
        for ref in context.references.get(record.file, []):
            target = ref.target
            final = context.redirects.get(target)
            if final is not None:
                yield record.at(
                    "ref-redirected",
                    f"`{target}` was merged into `{final}`",
                    ref.pointer,
                    f"Replace `{target}` with `{final}`.",
                )
                target = final
            entity = entities.get(target)
            if entity is None:
                if (
                    target in context.broken
                    or target.startswith(PLACEHOLDER_ID_PREFIX)
                    or "entities" in corpus.refused
                ):
                    continue  # reported as the broken record's findings / draft-incomplete
                hint = _did_you_mean_id(target, entities) or (
                    f"Create records/entities/{target}.json, or use an existing entity ID."
                )
                yield record.at("ref-unknown", f"`{target}` is not an entity", ref.pointer, hint)
                continue
            kind = entity.data["kind"] if entity.data else ""
            kinds = ref.relation.kinds
            if kind not in kinds:
                yield record.at(
                    "ref-wrong-kind",
                    f"`{target}` is a {kind}; a {ref.relation.label} must be a "
                    f"{' or '.join(kinds)}",
                    ref.pointer,
                )


def _did_you_mean_id(target: str, entities: dict[str, RecordFile]) -> str:
    hint = did_you_mean(target, entities)
    if hint:
        return hint
    for entity_id, record in entities.items():
        if record.data and target in {
            _norm_name(name).replace(" ", "-") for name in _names(record.data)
        }:
            return f"did you mean `{entity_id}`?"
    return ""


@check
def orphans(corpus: Corpus, context: Context) -> Iterator[Finding]:
    elsewhere = context.elsewhere
    if (
        "articles" in corpus.refused
        or any(r.kind == "article" and r.data is None for r in corpus.records)
        or (elsewhere is not None and elsewhere.broken_article)
    ):
        return  # a broken article may hold the only reference
    used = referenced_entities(corpus, context) | (elsewhere.used if elsewhere else set())
    for record, data in _entities(corpus):
        if data["id"] not in used:
            yield record.at(
                "entity-orphan",
                f"no article references `{data['id']}`",
                "/id",
                "Reference it from the article that mentions it, or delete the file.",
            )


def referenced_entities(corpus: Corpus, context: Context) -> set[str]:
    """Entity IDs (redirects followed) that the valid articles of `corpus` reference."""
    if context.used is None:
        used: set[str] = set()
        for record, _ in _articles(corpus):
            used |= context.targets(record)
        context.used = used
    return context.used


@check
def shared_names(corpus: Corpus, context: Context) -> Iterator[Finding]:
    owners: dict[str, list[tuple[RecordFile, dict[str, Any], str]]] = defaultdict(list)
    for record, data in _entities(corpus):
        names = {_norm_name(data["name"]): "/name"}
        for index, alias in enumerate(data.get("aliases", [])):
            names.setdefault(_norm_name(alias), f"/aliases/{index}")
        for name, pointer in names.items():
            owners[name].append((record, data, pointer))
    for name, holders in owners.items():
        first, first_data, _ = holders[0]
        for record, data, pointer in holders[1:]:
            if data["id"] == first_data["id"]:
                continue  # the same ID twice is reported as id-duplicate
            if data.get("disambiguation") and first_data.get("disambiguation"):
                continue
            yield record.at(
                "name-shared",
                f"`{name}` also names `{first.stem}`",
                pointer,
                "Add a `disambiguation` to both entities saying how they differ, or merge "
                "them (see records/redirects.json).",
            )


# --- provenance -----------------------------------------------------------------------------


@check
def evidence(corpus: Corpus, context: Context) -> Iterator[Finding]:
    for record in corpus.records:
        data = record.data
        if data is None or not context.needs(record, NEEDS_EVIDENCE):
            continue
        article_id = data["id"] if record.kind == "article" else None
        if (
            article_id is not None
            and article_id not in context.snapshots
            and "sources" not in corpus.refused
        ):
            yield record.at(
                "source-missing",
                f"no source snapshot for `{article_id}`",
                "/id",
                f"Add records/sources/{article_id}.txt with the article's text.",
            )
        snapshot = context.snapshots.get(article_id) if article_id else None
        for pointer, cls, node in context.typed[record.file]:
            # The common case, answered inline: bare quotes of this article, each found once.
            if cls.provenance and not (
                snapshot is not None
                and not cls.fact
                and snapshot.all_bare_and_once(node.get("evidence"))
            ):
                yield from _provenance(record, pointer, cls, node, article_id, context)
            if cls.voiced:
                attributed = node["voice"] == "attributed"
                if attributed != ("attributed_to" in node):
                    yield record.at(
                        "voice-attribution",
                        "`voice` is `attributed` but `attributed_to` is missing"
                        if attributed
                        else "`attributed_to` is set but `voice` is `author`",
                        f"{pointer}/voice",
                        "Say whose claim it is: `voice: attributed` with `attributed_to`, or "
                        "`voice: author` alone.",
                    )
            if cls.mention and article_id is not None:
                yield from _identification(record, pointer, node, article_id, context)


def _provenance(
    record: RecordFile,
    pointer: str,
    cls: Shape,
    node: dict[str, Any],
    article_id: str | None,
    context: Context,
) -> Iterator[Finding]:
    anchors = node.get("evidence", [])
    if cls.fact and anchors:
        if "article" not in node:
            yield record.at(
                "evidence-unsourced-fact",
                "the fact quotes evidence but names no `article`",
                pointer,
                "Set `article` to the article whose text the quotes come from.",
            )
            return
        article_id = node["article"]
    needs = not (cls.resolution and node.get("status") == "open")
    if needs and not anchors and "editorial" not in node:
        yield record.at(
            "evidence-missing",
            "this claim has no evidence and no editorial basis",
            pointer,
            "Add `evidence` quotes from the source, or an `editorial` {basis, note} saying "
            "where the fact comes from.",
        )
    snapshot = context.snapshots.get(article_id) if article_id else None
    if snapshot is None:
        return
    for index, anchor in enumerate(anchors):
        if len(anchor) == 1 and snapshot.occurs_once(anchor["quote"]):
            continue  # a bare quote, found once: the common case, answered fast
        yield from _anchor(record, f"{pointer}/evidence/{index}", anchor, snapshot)


def _anchor(
    record: RecordFile, pointer: str, anchor: dict[str, Any], snapshot: Snapshot
) -> Iterator[Finding]:
    result = snapshot.resolve(anchor)
    if result.status == "orphaned":
        yield record.at(
            "evidence-orphaned",
            "the quote does not occur in the source snapshot",
            f"{pointer}/quote",
            result.hint,
        )
    elif result.status == "ambiguous":
        yield record.at(
            "evidence-ambiguous",
            f"the quote occurs {result.count} times in the source snapshot",
            f"{pointer}/quote",
            result.hint,
        )
    elif result.status == "offset-mismatch":
        yield record.at(
            "evidence-offset",
            "`start`/`end` do not point at the quote",
            f"{pointer}/start",
            result.hint,
        )


def _identification(
    record: RecordFile, pointer: str, node: dict[str, Any], article_id: str, context: Context
) -> Iterator[Finding]:
    if "label_in_source" not in node or "identification" in node:
        return
    snapshot = context.snapshots.get(article_id)
    target = context.by_id.get(context.redirects.get(node["entity"], node["entity"]))
    entity = target.data if target is not None and target.kind == "entity" else None
    if snapshot is None or entity is None:
        return
    if not any(snapshot.mentions_name(name) for name in _names(entity)):
        yield record.at(
            "identification-missing",
            f"the source never names `{entity['id']}`; say why its label means this entity",
            f"{pointer}/label_in_source",
            "Add `identification: {basis, note}` explaining the identification.",
        )


@check
def coverage(corpus: Corpus, context: Context) -> Iterator[Finding]:
    order: dict[str, int] = {}
    for entity_id, _, _ in context.entity_names:
        order.setdefault(entity_id, len(order))
    for record, article in _articles(corpus):
        snapshot = context.snapshots.get(article["id"])
        if snapshot is None:
            continue
        referenced = context.targets(record)
        found = context.names_in(record, snapshot)
        for entity_id in sorted(set(found) - referenced, key=order.__getitem__):
            yield record.at(
                "mention-unreferenced",
                f"the source names “{found[entity_id]}” (`{entity_id}`) but the article does "
                "not reference it",
                "",
                f"Add `{entity_id}` where the article discusses it (actors, places, key point "
                "mentions…).",
            )


# --- dates ----------------------------------------------------------------------------------

_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


@functools.lru_cache(maxsize=4096)  # a corpus repeats its dates: most calls are look-ups
def date_bounds(value: str) -> tuple[str, str] | None:
    """Earliest and latest full dates a partial date can mean; None when not a real date."""
    match = _DATE.fullmatch(value)
    if not match:
        return None
    year = int(match[1])
    month = None if match[2] is None else int(match[2])
    day = None if match[3] is None else int(match[3])
    if month is None:
        return f"{year:04d}-01-01", f"{year:04d}-12-31"
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    if day is None:
        return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"
    if not 1 <= day <= last:
        return None
    return (value, value)


@check
def dates(corpus: Corpus, context: Context) -> Iterator[Finding]:
    for record in corpus.records:
        if not context.needs(record, NEEDS_DATES):
            continue
        for pointer, cls, node in context.typed.get(record.file, []):
            if cls.date_claim and date_bounds(node["value"]) is None:
                yield record.at(
                    "date-invalid",
                    f"{node['value']} is not a real date",
                    f"{pointer}/value",
                    "Use YYYY, YYYY-MM or YYYY-MM-DD.",
                )
    for record, data in _articles(corpus):
        published_claim = data["source"].get("published")
        published = date_bounds(published_claim["value"]) if published_claim else None
        if published is None:
            continue
        for index, event in enumerate(data.get("events", [])):
            date = event.get("date")
            bounds = date_bounds(date["value"]) if date else None
            if date and bounds and bounds[0] > published[1]:
                yield record.at(
                    "date-order",
                    f"the event `{event['id']}` ({date['value']}) is dated after the article "
                    f"({published_claim['value']})",
                    f"/events/{index}/date/value",
                    "An article can only report events up to its publication; check both dates.",
                )


# --- drafts ---------------------------------------------------------------------------------


@check
def drafts(corpus: Corpus, context: Context) -> Iterator[Finding]:
    """Placeholders that `stratlas new` leaves where it could not read the article (TODO text,
    `todo-` IDs, the todo.invalid address): each is reported with what to complete."""
    from toolkit.format.placeholders import find_placeholders, may_hold_placeholders

    for record in corpus.records:
        if record.document.findings or record.document.data is None:
            continue
        if not record.may_hold_placeholders or (
            record.document.text and not may_hold_placeholders(record.document.text)
        ):
            continue
        for pointer, message, hint in find_placeholders(record.document.data):
            yield record.at("draft-incomplete", message, pointer, hint)
