"""Dates: real calendar dates, bounds inside the date they narrow, and no event dated after
its article."""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Iterator
from typing import Any

from toolkit.checks.context import Context, valid_articles
from toolkit.checks.registry import check
from toolkit.findings import Finding
from toolkit.load import Corpus, RecordFile

__all__ = ["claim_bounds", "date_bounds", "dates"]


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


def claim_bounds(claim: dict[str, Any]) -> tuple[str, str] | None:
    """Earliest and latest full dates a date claim can mean: its `value`, narrowed by its
    `earliest` and `latest` when they are real dates inside it (what the checks hold them to).
    The timeline sorts by these, so a month sorts as the month it is, not as its first day."""
    bounds = date_bounds(claim["value"])
    if bounds is None:
        return None
    low, high = bounds
    earliest = date_bounds(claim["earliest"]) if "earliest" in claim else None
    latest = date_bounds(claim["latest"]) if "latest" in claim else None
    if earliest is not None and low <= earliest[0] <= high:
        low = earliest[0]
    if latest is not None and low <= latest[1] <= high:
        high = latest[1]
    return low, high


def _bounds_findings(record: RecordFile, pointer: str, node: dict[str, Any]) -> Iterator[Finding]:
    value = date_bounds(node["value"])
    found: dict[str, tuple[str, str]] = {}
    for key in ("earliest", "latest"):
        if key not in node:
            continue
        bounds = date_bounds(node[key])
        if bounds is None:
            yield record.at(
                "date-invalid",
                f"{node[key]} is not a real date",
                f"{pointer}/{key}",
                "Use YYYY, YYYY-MM or YYYY-MM-DD.",
            )
        elif value is not None and not (value[0] <= bounds[0] and bounds[1] <= value[1]):
            yield record.at(
                "date-bounds",
                f"`{key}` ({node[key]}) lies outside `value` ({node['value']})",
                f"{pointer}/{key}",
                "`value` is the narrowest partial date that holds both bounds: widen it (e.g. "
                "to the year) or correct the bound.",
            )
        else:
            found[key] = bounds
    if "earliest" in found and "latest" in found and found["earliest"][0] > found["latest"][1]:
        yield record.at(
            "date-bounds",
            f"`earliest` ({node['earliest']}) is after `latest` ({node['latest']})",
            f"{pointer}/earliest",
            "Swap the bounds, or correct the one that is wrong.",
        )


@check(codes=("date-invalid", "date-bounds", "date-order"))
def dates(corpus: Corpus, context: Context) -> Iterator[Finding]:
    for record in corpus.records:
        for pointer, cls, node in context.walks.get(record.file).checked:
            if not cls.date_claim:
                continue
            if date_bounds(node["value"]) is None:
                yield record.at(
                    "date-invalid",
                    f"{node['value']} is not a real date",
                    f"{pointer}/value",
                    "Use YYYY, YYYY-MM or YYYY-MM-DD.",
                )
            if "earliest" in node or "latest" in node:
                yield from _bounds_findings(record, pointer, node)
    for record, data in valid_articles(corpus):
        published_claim = data["source"].get("published")
        published = claim_bounds(published_claim) if published_claim else None
        if published is None:
            continue
        for index, event in enumerate(data.get("events", [])):
            date = event.get("date")
            bounds = claim_bounds(date) if date else None
            if date and bounds and bounds[0] > published[1]:
                yield record.at(
                    "date-order",
                    f"the event `{event['id']}` ({date['value']}) is dated after the article "
                    f"({published_claim['value']})",
                    f"/events/{index}/date/value",
                    "An article can only report events up to its publication; check both dates.",
                )
