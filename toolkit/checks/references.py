"""References: each entity reference resolves to an entity of a fitting kind; entities
are referenced, and named apart.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from toolkit.checks.context import (
    Context,
    names_of,
    norm_name,
    valid_articles,
    valid_entities,
)
from toolkit.checks.registry import check
from toolkit.findings import Finding
from toolkit.format.placeholders import PLACEHOLDER_ID_PREFIX
from toolkit.load import Corpus, RecordFile
from toolkit.text.hints import did_you_mean

__all__ = ["orphans", "referenced_entities", "references", "shared_names"]


@check(codes=("ref-redirected", "ref-unknown", "ref-wrong-kind"))
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
            norm_name(name).replace(" ", "-") for name in names_of(record.data)
        }:
            return f"did you mean `{entity_id}`?"
    return ""


@check(codes=("entity-orphan",))
def orphans(corpus: Corpus, context: Context) -> Iterator[Finding]:
    elsewhere = context.elsewhere
    if (
        "articles" in corpus.refused
        or any(r.kind == "article" and not r.complete for r in corpus.records)
        or (elsewhere is not None and elsewhere.broken_article)
    ):
        return  # a broken article may hold the only reference
    used = referenced_entities(corpus, context) | (elsewhere.used if elsewhere else set())
    for record, data in valid_entities(corpus):
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
        for record, _ in valid_articles(corpus):
            used |= context.targets(record)
        context.used = used
    return context.used


@check(codes=("name-shared",))
def shared_names(corpus: Corpus, context: Context) -> Iterator[Finding]:
    owners: dict[str, list[tuple[RecordFile, dict[str, Any], str]]] = defaultdict(list)
    for record, data in valid_entities(corpus):
        names = {norm_name(data["name"]): "/name"}
        for index, alias in enumerate(data.get("aliases", [])):
            names.setdefault(norm_name(alias), f"/aliases/{index}")
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
