"""Bylines: an article names its authors, or says it is unsigned, never both or neither."""

from __future__ import annotations

from collections.abc import Iterator

from toolkit.checks.context import Context, valid_articles
from toolkit.checks.registry import check
from toolkit.findings import Finding
from toolkit.load import Corpus

__all__ = ["byline"]


@check(codes=("byline-unsigned",))
def byline(corpus: Corpus, context: Context) -> Iterator[Finding]:
    for record, data in valid_articles(corpus):
        authors = data.get("authors", [])
        if not authors and "unsigned" not in data:
            yield record.at(
                "byline-unsigned",
                "`authors` is empty but `unsigned` is not set",
                "/authors",
                'List the authors, or, when the article carries no byline, keep `"authors": []` '
                'and add `"unsigned": {"editorial": {"basis": "inferred-from-source", '
                '"note": "The article carries no byline."}}`.',
            )
        elif authors and "unsigned" in data:
            yield record.at(
                "byline-unsigned",
                f"`unsigned` is set but `authors` lists {len(authors)}",
                "/unsigned",
                "Remove `unsigned` when the article names its authors, or empty `authors`.",
            )
