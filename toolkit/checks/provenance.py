"""Provenance: evidence quotes found in the source, voices attributed, identifications
explained, and the entities a source names referenced.

Over 300 lines since issue 17 (group attributions, wordings, words cut by a quote): they share
the one count of the article's quotes in `_quoted_once`; the voice rules are the next piece to
move out.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from toolkit.checks.context import Context, valid_articles
from toolkit.checks.registry import check
from toolkit.findings import Finding, make
from toolkit.format.shape import Shape
from toolkit.format.walk import Checked
from toolkit.load import Corpus, RecordFile, display_path
from toolkit.text.quotes import Snapshot, is_word, normalise

__all__ = ["coverage", "evidence"]


@check(
    codes=(
        "source-missing",
        "evidence-unsourced-fact",
        "evidence-missing",
        "evidence-orphaned",
        "evidence-ambiguous",
        "evidence-offset",
        "evidence-partial-word",
        "voice-attribution",
        "attribution-unquoted",
        "identification-missing",
        "wording-missing",
    )
)
def evidence(corpus: Corpus, context: Context) -> Iterator[Finding]:
    redirects = context.redirects
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
        # The entities the article's snapshot names, for `_identification`: a mention of
        # one of them (nearly all) needs no further look.
        named = context.names_in(record, snapshot) if snapshot is not None and article_id else None
        for pointer, cls, node in checked:
            if cls.provenance and id(node) not in settled:
                yield from _provenance(record, pointer, cls, node, article_id, context)
            if cls.voiced:
                yield from _voice(record, pointer, node, snapshot)
            if (
                cls.mention
                and named is not None
                and article_id is not None
                and "identification" not in node
                and redirects.get(node["entity"], node["entity"]) not in named
            ):
                yield from _identification(record, pointer, node, article_id, context)
            if cls.voiced and snapshot is not None and "likelihood" in node:
                yield from _wording(record, pointer, node["likelihood"], snapshot)


def _voice(
    record: RecordFile, pointer: str, node: dict[str, Any], snapshot: Snapshot | None
) -> Iterator[Finding]:
    """A claim attributed names whose (an entity or a described group, not both); one in
    the author's voice names nobody; a group's wording is the source's own."""
    speakers = [key for key in ("attributed_to", "attributed_group") if key in node]
    voice = node.get("voice")  # optional on stated capabilities: absent is the author's
    message = None
    if voice == "attributed" and not speakers:
        message = (
            "`voice` is `attributed` but neither `attributed_to` nor `attributed_group` is set"
        )
    elif voice == "attributed" and len(speakers) > 1:
        message = "`attributed_to` and `attributed_group` are both set"
    elif voice != "attributed" and speakers:
        message = f"`{speakers[0]}` is set but `voice` is " + ("`author`" if voice else "missing")
    if message:
        yield record.at(
            "voice-attribution",
            message,
            f"{pointer}/voice" if voice else pointer,
            "Say whose claim it is: `voice: attributed` with `attributed_to` (a named entity) "
            "or `attributed_group` (speakers the source describes), or `voice: author` alone.",
        )
    group = node.get("attributed_group")
    if snapshot is not None and isinstance(group, dict):
        label = group.get("label_in_source")
        if isinstance(label, str) and not snapshot.count_all([label])[0]:
            yield record.at(
                "attribution-unquoted",
                f"the source never says “{label}”",
                f"{pointer}/attributed_group/label_in_source",
                "Copy the source's own words for the group (e.g. “American officials”).",
            )


def _quoted_once(checked: list[Checked], snapshot: Snapshot) -> set[int]:
    """The `id`s of the article's claims (not entity facts, whose quotes come from another
    article) whose evidence is bare quotes that each occur exactly once in its snapshot, on
    word boundaries: the common case, with nothing to report, counted for all the article's
    quotes at once (scenarios' `likelihood.wording` too, for `_wording`)."""
    needles: list[str] = []
    claims: list[tuple[int, int, int]] = []  # (id of the claim, its first needle, end)
    others: list[str] = []  # the quotes of the claims resolved in full, and the wordings
    for _, cls, node in checked:
        wording = node["likelihood"].get("wording") if "likelihood" in node else None
        if isinstance(wording, str):
            others.append(normalise(wording).strip())
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
    # full never searches it again for a quote that does not occur. A quote cut inside a
    # word is resolved in full too (`_partial_word`): its edges come with its count, from
    # the same pass (a look at each quote in Python cost ~10 % of validation).
    missed = snapshot.unsettled(needles, others)
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
    needs = not cls.resolution  # a resolution's basis: `resolution-unsupported`
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
        at = snapshot.once_at(anchor["quote"]) if len(anchor) == 1 else -1
        if at != -1:  # a bare quote, found once: the common case, answered fast
            yield from _partial_word(record, f"{pointer}/evidence/{index}", anchor, at, snapshot)
            continue
        yield from _anchor(record, f"{pointer}/evidence/{index}", anchor, snapshot)


def _anchor(
    record: RecordFile, pointer: str, anchor: dict[str, Any], snapshot: Snapshot
) -> Iterator[Finding]:
    result = snapshot.resolve(anchor)
    if result.status == "found":
        yield from _partial_word(record, pointer, anchor, result.at, snapshot)
    elif result.status == "orphaned":
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


def _partial_word(
    record: RecordFile, pointer: str, anchor: dict[str, Any], at: int, snapshot: Snapshot
) -> Iterator[Finding]:
    """A warning when the quote found at `at` starts or ends inside a word: a quote cut
    mid-word ("ashington") may say something the source does not."""
    size = len(normalise(anchor["quote"]).strip())
    starts, ends = snapshot.cuts_word(at, size)
    if not (starts or ends):
        return
    text, end = snapshot.text, at + size
    cut = []  # the words cut, whole, as the source has them
    if starts:
        cut.append(_word_around(text, at))
    if ends and not (starts and _word_around(text, end - 1) == cut[0]):
        cut.append(_word_around(text, end - 1))
    edge = "starts and ends" if starts and ends else "starts" if starts else "ends"
    words = " and ".join(f"“{word}”" for word in cut)
    yield record.at(
        "evidence-partial-word",
        f"the quote {edge} inside a word of the source ({words})",
        f"{pointer}/quote",
        "Quote whole words: extend the quote to the edges of the word, or cut it at a space.",
    )


def _word_around(text: str, at: int) -> str:
    """The word of `text` that holds the character at `at`."""
    left, right = at, at + 1
    # At most 40 characters each way: enough to recognise a word, and a hostile "word" of
    # a million letters costs no more than a real one.
    while left and at - left < 40 and is_word(text[left - 1]):
        left -= 1
    while right < len(text) and right - at < 40 and is_word(text[right]):
        right += 1
    return text[left:right]


def _wording(
    record: RecordFile, pointer: str, likelihood: dict[str, Any], snapshot: Snapshot
) -> Iterator[Finding]:
    """`likelihood.wording` is the source's own hedge: it must occur in the snapshot,
    normalised as quotes are (counted with the article's quotes by `_quoted_once`)."""
    wording = likelihood.get("wording")
    if not isinstance(wording, str):
        return
    needle = normalise(wording).strip()
    if needle and snapshot.count(needle):
        return
    hint = snapshot.resolve({"quote": wording}).hint if needle else ""
    yield record.at(
        "wording-missing",
        "the likelihood's `wording` does not occur in the source snapshot",
        f"{pointer}/likelihood/wording",
        (hint + " " if hint else "")
        + "Keep the source's own hedge verbatim, or set `wording` to null when it gives none.",
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
        if snapshot is None or record.partial is not None:
            continue  # a partial record's references are not all known (validate.partial)
        referenced = context.targets(record)
        if context.names_in(record, snapshot).keys() <= referenced:
            continue  # the common case, from the one look-up of all names
        # Read again leftmost-longest: a name inside a longer one the article references
        # ("Washington" in "University of Washington") names nothing on its own.
        placed = context.placed_in(snapshot)
        source = _source_file(corpus, article["id"])
        for entity_id in sorted(placed.keys() - referenced, key=order.__getitem__):
            name, at = placed[entity_id]
            line, col = snapshot.line_col(at)
            yield make(
                "mention-unreferenced",
                f"the source names “{name}” (`{entity_id}`) but the article does not reference it",
                file=source,
                line=line,
                col=col,
                hint=f"Add `{entity_id}` where the article discusses it (actors, places, key "
                "point mentions…).",
                record=record.file,
            )


def _source_file(corpus: Corpus, article_id: str) -> str:
    """The snapshot file of an article, as findings name files."""
    display = corpus.source_files.get(article_id)
    if display is None:  # read on demand (`Snapshots`): another process lists it
        display = display_path(corpus.unread_sources[article_id])
    return display
