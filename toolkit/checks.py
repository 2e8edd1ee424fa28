"""Semantic checks over a whole corpus, as small registered functions returning findings."""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from pydantic import BaseModel

from toolkit.corpus import Corpus, RecordFile
from toolkit.findings import Finding, make
from toolkit.ids import RESERVED_IDS, is_valid_id, suggest_id
from toolkit.models import (
    Anchor,
    Article,
    DateClaim,
    EntityBase,
    Fact,
    Mention,
    Provenance,
    Resolution,
    Voiced,
)
from toolkit.quotes import Snapshot
from toolkit.redirects import load_redirects
from toolkit.refs import article_references, entity_references

__all__ = ["CHECKS", "run_checks", "walk_models"]

Check = Callable[[Corpus, "Context"], Iterator[Finding]]
CHECKS: list[Check] = []


def check(function: Check) -> Check:
    CHECKS.append(function)
    return function


@dataclass
class Context:
    """What several checks need, computed once."""

    by_id: dict[str, RecordFile]
    redirects: dict[str, str]
    snapshots: dict[str, Snapshot]
    #: Stems of records that exist but failed to load or validate: their own findings say why,
    #: so references to them and orphan checks stay quiet instead of piling on.
    broken: set[str]


def run_checks(corpus: Corpus) -> list[Finding]:
    findings: list[Finding] = []
    redirects, redirect_findings = load_redirects(corpus)
    findings.extend(redirect_findings)
    by_id: dict[str, RecordFile] = {}
    for record in corpus.records:
        if record.model is not None:
            by_id.setdefault(record.model.id, record)
    snapshots = {key: Snapshot(text) for key, text in corpus.sources.items()}
    broken = {r.stem for r in corpus.records if r.model is None}
    context = Context(by_id=by_id, redirects=redirects, snapshots=snapshots, broken=broken)
    for function in CHECKS:
        findings.extend(function(corpus, context))
    return findings


def walk_models(model: BaseModel, pointer: str = "") -> Iterator[tuple[str, BaseModel]]:
    """Every pydantic model inside `model` (itself included) with its JSON pointer."""
    yield pointer, model
    for name, info in type(model).model_fields.items():
        key = info.alias or name
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            yield from walk_models(value, f"{pointer}/{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from walk_models(item, f"{pointer}/{key}/{index}")


def _norm_name(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


# --- identity -------------------------------------------------------------------------------


@check
def ids(corpus: Corpus, context: Context) -> Iterator[Finding]:
    seen: dict[str, RecordFile] = {}
    folded: dict[str, RecordFile] = {}
    for record in sorted(corpus.records, key=lambda r: (not is_valid_id(r.stem), r.file)):
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
    for record in corpus.records:
        if not isinstance(record.model, Article):
            continue
        for field in ("events", "scenarios", "assessments"):
            seen: set[str] = set()
            for index, item in enumerate(getattr(record.model, field)):
                if item.id in seen:
                    yield record.at(
                        "local-id-duplicate",
                        f"two {field} share the ID `{item.id}`",
                        f"/{field}/{index}/id",
                        "Give each its own ID.",
                    )
                seen.add(item.id)


# --- references -----------------------------------------------------------------------------


def _references(record: RecordFile) -> Iterator[tuple[str, str, tuple[str, ...], str]]:
    model = record.model
    if isinstance(model, Article):
        refs = article_references(model)
    elif isinstance(model, EntityBase):
        refs = entity_references(model)
    else:
        return
    for ref in refs:
        yield ref.pointer, ref.target, ref.relation.kinds, ref.relation.label


@check
def references(corpus: Corpus, context: Context) -> Iterator[Finding]:
    entities = {i: r for i, r in context.by_id.items() if isinstance(r.model, EntityBase)}
    for record in corpus.records:
        for pointer, target, kinds, label in _references(record):
            final = context.redirects.get(target)
            if final is not None:
                yield record.at(
                    "ref-redirected",
                    f"`{target}` was merged into `{final}`",
                    pointer,
                    f"Replace `{target}` with `{final}`.",
                )
                target = final
            entity = entities.get(target)
            if entity is None and target in context.broken:
                continue
            if entity is None:
                hint = _did_you_mean_id(target, entities) or (
                    f"Create records/entities/{target}.json, or use an existing entity ID."
                )
                yield record.at("ref-unknown", f"`{target}` is not an entity", pointer, hint)
                continue
            kind = getattr(entity.model, "kind", "")
            if kind not in kinds:
                yield record.at(
                    "ref-wrong-kind",
                    f"`{target}` is a {kind}; a {label} must be a {' or '.join(kinds)}",
                    pointer,
                )


def _did_you_mean_id(target: str, entities: dict[str, RecordFile]) -> str:
    from toolkit.validate import did_you_mean

    names: dict[str, str] = {}
    for entity_id, record in entities.items():
        model = record.model
        if isinstance(model, EntityBase):
            for name in (model.name, *model.aliases):
                names.setdefault(_norm_name(name).replace(" ", "-"), entity_id)
    hint = did_you_mean(target, entities)
    if not hint and target in names:
        hint = f"did you mean `{names[target]}`?"
    return hint


@check
def orphans(corpus: Corpus, context: Context) -> Iterator[Finding]:
    if any(r.kind == "article" and r.model is None for r in corpus.records):
        return  # a broken article may hold the only reference
    used: set[str] = set()
    for record in corpus.records:
        if isinstance(record.model, Article):
            for ref in article_references(record.model):
                used.add(context.redirects.get(ref.target, ref.target))
    for record in corpus.records:
        model = record.model
        if isinstance(model, EntityBase) and model.id not in used:
            yield record.at(
                "entity-orphan",
                f"no article references `{model.id}`",
                "/id",
                "Reference it from the article that mentions it, or delete the file.",
            )


@check
def shared_names(corpus: Corpus, context: Context) -> Iterator[Finding]:
    owners: dict[str, list[tuple[RecordFile, str]]] = defaultdict(list)
    for record in corpus.records:
        model = record.model
        if isinstance(model, EntityBase):
            names = {_norm_name(model.name): "/name"}
            for index, alias in enumerate(model.aliases):
                names.setdefault(_norm_name(alias), f"/aliases/{index}")
            for name, pointer in names.items():
                owners[name].append((record, pointer))
    for name, holders in owners.items():
        if len(holders) < 2:
            continue
        first = holders[0][0]
        for record, pointer in holders[1:]:
            model = record.model
            if model is not None and first.model is not None and model.id == first.model.id:
                continue  # the same ID twice is reported as id-duplicate

            first_model = first.model
            if getattr(model, "disambiguation", None) and getattr(
                first_model, "disambiguation", None
            ):
                continue
            yield record.at(
                "name-shared",
                f"`{name}` also names `{first.stem}`",
                pointer,
                "Add a `disambiguation` to both entities saying how they differ, or "
                "merge them (see records/redirects.json).",
            )


# --- provenance -----------------------------------------------------------------------------


@check
def evidence(corpus: Corpus, context: Context) -> Iterator[Finding]:
    for record in corpus.records:
        model = record.model
        if model is None:
            continue
        article_id = model.id if isinstance(model, Article) else None
        if isinstance(model, Article) and model.id not in context.snapshots:
            yield record.at(
                "source-missing",
                f"no source snapshot for `{model.id}`",
                "/id",
                f"Add records/sources/{model.id}.txt with the article's text.",
            )
        for pointer, node in walk_models(model):
            if isinstance(node, Provenance):
                yield from _provenance(record, pointer, node, article_id, context)
            if isinstance(node, Voiced):
                attributed = node.voice == "attributed"
                if attributed != (node.attributed_to is not None):
                    yield record.at(
                        "voice-attribution",
                        "`voice` is `attributed` but `attributed_to` is missing"
                        if attributed
                        else "`attributed_to` is set but `voice` is `author`",
                        f"{pointer}/voice",
                        "Say whose claim it is: `voice: attributed` with "
                        "`attributed_to`, or `voice: author` alone.",
                    )
            if isinstance(node, Mention) and isinstance(model, Article):
                yield from _identification(record, pointer, node, model, context)


def _provenance(
    record: RecordFile, pointer: str, node: Provenance, article_id: str | None, context: Context
) -> Iterator[Finding]:
    if isinstance(node, Fact) and node.evidence:
        if node.article is None:
            yield record.at(
                "evidence-unsourced-fact",
                "the fact quotes evidence but names no `article`",
                pointer,
                "Set `article` to the article whose text the quotes come from.",
            )
            return
        article_id = node.article
    needs = not (isinstance(node, Resolution) and node.status == "open")
    if needs and not node.evidence and node.editorial is None:
        yield record.at(
            "evidence-missing",
            "this claim has no evidence and no editorial basis",
            pointer,
            "Add `evidence` quotes from the source, or an `editorial` "
            "{basis, note} saying where the fact comes from.",
        )
    snapshot = context.snapshots.get(article_id) if article_id else None
    if snapshot is None:
        return
    for index, anchor in enumerate(node.evidence):
        yield from _anchor(record, f"{pointer}/evidence/{index}", anchor, snapshot)


def _anchor(
    record: RecordFile, pointer: str, anchor: Anchor, snapshot: Snapshot
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
    record: RecordFile, pointer: str, node: Mention, article: Article, context: Context
) -> Iterator[Finding]:
    if node.label_in_source is None or node.identification is not None:
        return
    snapshot = context.snapshots.get(article.id)
    target = context.by_id.get(context.redirects.get(node.entity, node.entity))
    if snapshot is None or target is None or not isinstance(target.model, EntityBase):
        return
    entity = target.model
    if not any(snapshot.mentions_name(name) for name in (entity.name, *entity.aliases)):
        yield record.at(
            "identification-missing",
            f"the source never names `{entity.id}`; say why its label means this entity",
            f"{pointer}/label_in_source",
            "Add `identification: {basis, note}` explaining the identification.",
        )


@check
def coverage(corpus: Corpus, context: Context) -> Iterator[Finding]:
    entities = [r.model for r in corpus.records if isinstance(r.model, EntityBase)]
    for record in corpus.records:
        article = record.model
        if not isinstance(article, Article) or article.id not in context.snapshots:
            continue
        snapshot = context.snapshots[article.id]
        referenced = {
            context.redirects.get(r.target, r.target) for r in article_references(article)
        }
        for entity in entities:
            if entity.id in referenced:
                continue
            for name in (entity.name, *entity.aliases):
                if snapshot.mentions_name(name):
                    yield record.at(
                        "mention-unreferenced",
                        f"the source names “{name}” "
                        f"(`{entity.id}`) but the article does not reference it",
                        "",
                        f"Add `{entity.id}` where the article discusses it (actors, "
                        "places, key point mentions…).",
                    )
                    break


# --- dates ----------------------------------------------------------------------------------

_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")


def date_bounds(value: str) -> tuple[str, str] | None:
    """Earliest and latest full dates a partial date can mean; None when not a real date."""
    match = _DATE.match(value)
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
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
        model = record.model
        if model is None:
            continue
        for pointer, node in walk_models(model):
            if isinstance(node, DateClaim) and date_bounds(node.value) is None:
                yield record.at(
                    "date-invalid",
                    f"{node.value} is not a real date",
                    f"{pointer}/value",
                    "Use YYYY, YYYY-MM or YYYY-MM-DD.",
                )
        if not isinstance(model, Article) or model.source.published is None:
            continue
        published = date_bounds(model.source.published.value)
        if published is None:
            continue
        for index, event in enumerate(model.events):
            bounds = date_bounds(event.date.value) if event.date else None
            if bounds and bounds[0] > published[1]:
                yield record.at(
                    "date-order",
                    f"the event `{event.id}` ({event.date.value if event.date else ''}) "
                    f"is dated after the article ({model.source.published.value})",
                    f"/events/{index}/date/value",
                    "An article can only report events up to its publication; check both dates.",
                )
