"""Drafts: the placeholders `stratlas new` leaves, each reported with what to complete."""

from __future__ import annotations

from collections.abc import Iterator

from toolkit.checks.context import Context
from toolkit.checks.registry import check
from toolkit.findings import Finding
from toolkit.load import Corpus

__all__ = ["drafts"]


@check(codes=("draft-incomplete",))
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
