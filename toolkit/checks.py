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

from toolkit.corpus import Corpus, RecordFile
from toolkit.findings import Finding, make
from toolkit.format.ids import RESERVED_IDS, is_valid_id, suggest_id
from toolkit.format.placeholders import PLACEHOLDER_ID_PREFIX
from toolkit.format.shape import Shape
from toolkit.format.walk import Checked, Walk, walk_record
from toolkit.load import read_text_file
from toolkit.quotes import NameIndex, Snapshot, normalise
from toolkit.redirects import load_redirects
from toolkit.text.hints import did_you_mean
from toolkit.text.needles import count_each

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


class Walks:
    """The walk (`toolkit.format.walk`) of each valid record file, made on first use and
    then shared by every check: references and checked objects come from one walk."""

    def __init__(self, records: list[RecordFile]) -> None:
        self._records = {r.file: r for r in records if r.data is not None}
        self._walks: dict[str, Walk] = {}

    def get(self, file: str) -> Walk:
        """The walk of a record file; an empty one for a file that is not valid."""
        found = self._walks.get(file)
        if found is None:
            record = self._records.get(file)
            data = record.data if record is not None else None
            if record is None or data is None:
                return _NOTHING
            found = self._walks[file] = walk_record(record.kind, data)
        return found


_NOTHING = Walk([], [])


@dataclass
class Context:
    """What several checks need, computed once."""

    #: Valid records by their `id`.
    by_id: dict[str, RecordFile]
    #: records/redirects.json resolved (`load_redirects`, once per process): old ID →
    #: final ID for the sound redirects, and the findings about the others.
    redirects: dict[str, str]
    redirect_findings: list[Finding]
    snapshots: Snapshots
    #: Stems of entity files that exist but failed to load or validate: their own findings
    #: say why, so references to them and orphan checks stay quiet instead of piling on.
    broken: set[str]
    #: Every valid record's references and objects that checks look at (`Shape.checked`),
    #: from one walk of it made on first use.
    walks: Walks
    #: Article files validated by another process (None when this one has them all).
    elsewhere: Elsewhere | None = None
    #: The names each article's snapshot holds (`NameIndex.find`), by record file.
    found_names: dict[str, dict[str, str]] = field(default_factory=dict)
    #: `referenced_entities`, once computed.
    used: set[str] | None = None
    #: (entity ID, rank, name) of every valid entity's names (rank 0: its `name`).
    entity_names: list[tuple[str, int, str]] = field(default_factory=list)
    _name_index: NameIndex | None = None
    _targets: dict[str, set[str]] = field(default_factory=dict)

    def targets(self, record: RecordFile) -> set[str]:
        """The entity IDs (redirects followed) a valid record references."""
        found = self._targets.get(record.file)
        if found is None:
            redirects = self.redirects
            found = self._targets[record.file] = {
                redirects.get(r.target, r.target) for r in self.walks.get(record.file).references
            }
        return found

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
) -> list[Finding]:
    """Findings of every check (or of those named in `only`, minus `skip`)."""
    return run_in_context(corpus, check_context(corpus), only=only, skip=skip)


def run_in_context(
    corpus: Corpus,
    context: Context,
    *,
    only: tuple[str, ...] | None = None,
    skip: tuple[str, ...] = (),
) -> list[Finding]:
    findings: list[Finding] = []
    if only is None:
        findings.extend(context.redirect_findings)
    for function in CHECKS:
        name = function.__name__
        if (only is None or name in only) and name not in skip:
            findings.extend(function(corpus, context))
    return findings


def check_context(corpus: Corpus) -> Context:
    """What the checks share, for `run_in_context`."""
    redirects, redirect_findings = load_redirects(corpus)
    by_id: dict[str, RecordFile] = {}
    for record in corpus.records:
        data = record.data
        if data is not None:
            by_id.setdefault(data["id"], record)
    context = Context(
        by_id=by_id,
        redirects=redirects,
        redirect_findings=redirect_findings,
        snapshots=Snapshots(corpus.sources, corpus.unread_sources),
        broken={r.stem for r in corpus.records if r.data is None and r.kind == "entity"},
        walks=Walks(corpus.records),
        entity_names=[
            (entity["id"], rank, name)
            for _, entity in _entities(corpus)
            for rank, name in enumerate(_names(entity))
        ],
    )
    return context


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
    kinds = {
        entity_id: record.data["kind"] for entity_id, record in entities.items() if record.data
    }
    redirects = context.redirects
    for record in corpus.records:
        for ref in context.walks.get(record.file).references:
            target = ref.target
            final = redirects.get(target)
            if final is not None:
                yield record.at(
                    "ref-redirected",
                    f"`{target}` was merged into `{final}`",
                    ref.pointer,
                    f"Replace `{target}` with `{final}`.",
                )
                target = final
            kind = kinds.get(target)
            if kind is None:
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
            if kind not in ref.relation.kinds:
                yield record.at(
                    "ref-wrong-kind",
                    f"`{target}` is a {kind}; a {ref.relation.label} must be a "
                    f"{' or '.join(ref.relation.kinds)}",
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
        if data is None:
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
        checked = context.walks.get(record.file).checked
        settled = _quoted_once(checked, snapshot) if snapshot is not None else set()
        for pointer, cls, node in checked:
            if cls.provenance and id(node) not in settled:
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


def _quoted_once(checked: list[Checked], snapshot: Snapshot) -> set[int]:
    """The `id`s of the article's claims (not entity facts, whose quotes come from another
    article) whose evidence is bare quotes that each occur exactly once in its snapshot:
    the common case, with nothing to report, counted for all the article's quotes at once."""
    needles: list[str] = []
    claims: list[tuple[int, int, int]] = []  # (id of the claim, its first needle, end)
    for _, cls, node in checked:
        anchors = node.get("evidence") if cls.provenance and not cls.fact else None
        if not anchors:
            continue
        first = len(needles)
        for anchor in anchors:
            if len(anchor) != 1:
                del needles[first:]  # not only a quote: resolved in full
                break
            needles.append(normalise(anchor["quote"]).strip())
        else:
            claims.append((id(node), first, len(needles)))
    counts = count_each(snapshot.text, needles)
    missed = [at for at, count in enumerate(counts) if count != 1 or not needles[at]]
    return {
        claim
        for claim, first, end in claims
        if not missed or not any(first <= at < end for at in missed)
    }


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
        for pointer, cls, node in context.walks.get(record.file).checked:
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
