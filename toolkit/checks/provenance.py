"""Provenance: evidence quotes found in the source, voices attributed, identifications
explained, and the entities a source names referenced.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from toolkit.checks.context import Context, valid_articles
from toolkit.checks.registry import check
from toolkit.findings import Finding
from toolkit.format.shape import Shape
from toolkit.format.walk import Checked
from toolkit.load import Corpus, RecordFile
from toolkit.text.quotes import Snapshot, normalise

__all__ = ["coverage", "evidence"]


@check(
    codes=(
        "source-missing",
        "evidence-unsourced-fact",
        "evidence-missing",
        "evidence-orphaned",
        "evidence-ambiguous",
        "evidence-offset",
        "voice-attribution",
        "identification-missing",
    )
)
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
    others: list[str] = []  # the quotes of the claims resolved in full
    for _, cls, node in checked:
        anchors = node.get("evidence") if cls.provenance and not cls.fact else None
        if not anchors:
            continue
        first = len(needles)
        for anchor in anchors:
            needles.append(normalise(anchor["quote"]).strip())
        if all(len(anchor) == 1 for anchor in anchors):
            claims.append((id(node), first, len(needles)))
        else:
            others.extend(needles[first:])  # not only quotes: resolved in full
            del needles[first:]
    # Counted together: the snapshot keeps the counts, so that resolving the others in
    # full never searches it again for a quote that does not occur.
    counts = snapshot.count_all(needles + others)[: len(needles)]
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
    if "identification" in node:
        return
    snapshot = context.snapshots.get(article_id)
    target = context.by_id.get(context.redirects.get(node["entity"], node["entity"]))
    entity = target.data if target is not None and target.kind == "entity" else None
    if snapshot is None or entity is None:
        return
    # Any mention, not only one with a `label_in_source`: a reader checks the quote against
    # the snapshot and finds no name there. The names come from the article's `NameIndex`
    # look-up (once per article, shared with `coverage`), not one search per name.
    if entity["id"] in context.names_in(record, snapshot):
        return
    labelled = "label_in_source" in node
    yield record.at(
        "identification-missing",
        f"the source never names `{entity['id']}`; say why its label means this entity"
        if labelled
        else f"the source never names `{entity['id']}`; say which words of it mean this entity",
        f"{pointer}/label_in_source" if labelled else f"{pointer}/entity",
        "Add `identification: {basis, note}` explaining the identification."
        if labelled
        else "Add `label_in_source` with the source's own words for it, and "
        "`identification: {basis, note}` explaining the identification.",
    )


@check(codes=("mention-unreferenced",))
def coverage(corpus: Corpus, context: Context) -> Iterator[Finding]:
    order: dict[str, int] = {}
    for entity_id, _, _ in context.entity_names:
        order.setdefault(entity_id, len(order))
    for record, article in valid_articles(corpus):
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
