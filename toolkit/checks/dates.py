"""Dates: real calendar dates, and no event dated after its article."""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Iterator

from toolkit.checks.context import Context, valid_articles
from toolkit.checks.registry import check
from toolkit.findings import Finding
from toolkit.load import Corpus

__all__ = ["date_bounds", "dates"]


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


@check(codes=("date-invalid", "date-order"))
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
    for record, data in valid_articles(corpus):
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
