"""Scoring the articles' verbal forecasts (issue 19): which scenarios count, Brier scores per
author and per ICD 203 term under each mapping (`toolkit.link.likelihood`), calibration tables.

In the link stage because it derives facts across records: a scenario is credited to every
author of its article (through the redirects), and an author's forecasts come from all their
articles. Pure data: the pages (`toolkit.pages`) and the exports (`toolkit.export`) read the
same `ForecastReport`, so the site and the downloads cannot disagree.

The rules, each stated once here (the calibration page says them in words):
- A scenario is **scored** when it is in the author's own voice, resolved (`happened` or
  `did-not-happen`) and carries an ICD 203 term. Otherwise it is counted under one reason, the
  first that applies: `attributed` (someone else's forecast, never the author's), `no-estimate`
  (the wording supports no ICD 203 term), `open` (not resolved yet).
- **Brier score**: (p − o)², o = 1 if it happened, 0 if not; 0 is perfect, 1 the worst, 0.25
  what "roughly even" always earns. This is the single-outcome form; Good Judgment's 0–2 form
  sums over both outcomes and is exactly double. A group's score is the mean over its scored
  forecasts that the mapping maps.
- A **hit**: a term above even (likely, very likely, almost certain) for a scenario that
  happened, or below even (unlikely, very unlikely, almost no chance) for one that did not.
  "Roughly even chance" is never a hit. Every mapping puts each term on the same side of 50 %.
- **Too few to score**: a person's mean (an author's, or the unsigned articles') over fewer
  than `MINIMUM_SCORED` forecasts is not shown as a number (pages) or is null (exports), so
  that it never enters a ranking. The corpus's table per term shows its means with their n.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from toolkit.format.vocab import ICD203_BANDS, ICD203_TERMS
from toolkit.link.graph import Graph
from toolkit.link.likelihood import MAPPINGS, Mapping, brier_range

__all__ = [
    "MINIMUM_SCORED",
    "UNSCORED_REASONS",
    "UNSIGNED",
    "Forecast",
    "ForecastReport",
    "MeanBrier",
    "Tally",
    "TermRow",
    "forecast_report",
]

#: The fewest scored forecasts a mean Brier score is shown for (RESEARCH.md §3: 20).
MINIMUM_SCORED = 20
#: Why a scenario is not scored, in the order the reasons are tried, with their words.
UNSCORED_REASONS: dict[str, str] = {
    "attributed": "attributed to someone else",
    "no-estimate": "with no ICD 203 term",
    "open": "still open",
}
#: The group of the scenarios of articles without a byline: listed, never ranked.
UNSIGNED = "unsigned"
#: Terms on either side of even odds, for hits.
_ABOVE_EVEN = frozenset({"likely", "very-likely", "almost-certain"})
_BELOW_EVEN = frozenset({"almost-no-chance", "very-unlikely", "unlikely"})


@dataclass(frozen=True)
class Forecast:
    """One scenario of one article, as a forecast (credited to each of `authors`)."""

    article: str
    scenario: str  # the scenario's local ID
    authors: tuple[str, ...]  # current person IDs; () when the article is unsigned
    date: str | None  # the article's publication date (the forecast date), maybe partial
    title: str
    wording: str | None
    term: str | None  # ICD 203 term
    voice: str
    status: str  # open | happened | did-not-happen

    @property
    def question(self) -> str:
        """A stable ID across the corpus, the SQLite `scenarios` table's key."""
        return f"{self.article}/scenarios/{self.scenario}"

    @property
    def outcome(self) -> int | None:
        return {"happened": 1, "did-not-happen": 0}.get(self.status)

    @property
    def reason(self) -> str | None:
        """Why it is not scored (a key of `UNSCORED_REASONS`), or None when it is."""
        if self.voice != "author":
            return "attributed"
        if self.term is None:
            return "no-estimate"
        if self.outcome is None:
            return "open"
        return None

    @property
    def hit(self) -> bool | None:
        """Whether the term leaned the way things went (None unless scored)."""
        if self.reason is not None:
            return None
        return self.term in (_ABOVE_EVEN if self.outcome == 1 else _BELOW_EVEN)

    def interval(self, mapping: Mapping) -> tuple[float, float] | None:
        """The probability the term stands for under `mapping`, None if it maps no term."""
        return None if self.term is None else mapping.intervals.get(self.term)

    def brier(self, mapping: Mapping) -> tuple[float, float] | None:
        """(best, worst) Brier score under `mapping`; equal for a point mapping. None unless
        scored and mapped."""
        interval = self.interval(mapping)
        if self.reason is not None or interval is None or self.outcome is None:
            return None
        return brier_range(interval, self.outcome)


@dataclass(frozen=True)
class MeanBrier:
    """The mean Brier score of `n` forecasts under one mapping: an interval for the band
    mapping (the mean of the best, the mean of the worst), one number otherwise."""

    n: int
    best: float
    worst: float
    unmapped: int  # scored forecasts whose term this mapping has no number for

    @property
    def enough(self) -> bool:
        return self.n >= MINIMUM_SCORED


def mean_brier(forecasts: Iterable[Forecast], mapping: Mapping) -> MeanBrier | None:
    """The mean over the scored `forecasts` the mapping maps; None when it maps none."""
    scores, unmapped = [], 0
    for forecast in forecasts:
        if forecast.reason is not None:
            continue
        score = forecast.brier(mapping)
        if score is None:
            unmapped += 1
        else:
            scores.append(score)
    if not scores:
        return None
    n = len(scores)
    return MeanBrier(n, sum(s[0] for s in scores) / n, sum(s[1] for s in scores) / n, unmapped)


@dataclass(frozen=True)
class TermRow:
    """One line of a calibration table: how often the scenarios given one term happened."""

    term: str
    n: int  # scored forecasts with this term
    happened: int
    hits: int
    brier: dict[str, MeanBrier | None]  # mapping name → mean

    @property
    def observed(self) -> float | None:
        return self.happened / self.n if self.n else None

    @property
    def against_band(self) -> str | None:
        """`below`, `within` or `above` the term's ICD 203 band (edges included)."""
        if self.observed is None:
            return None
        low, high = ICD203_BANDS[self.term][1]
        share = self.observed * 100
        return "below" if share < low else "above" if share > high else "within"


@dataclass(frozen=True)
class Tally:
    """The forecasts of one author (or of the unsigned articles), scored and not."""

    key: str  # the person's ID, or `UNSIGNED`
    total: int
    unscored: dict[str, int]  # reason → count, every reason present
    scored: int
    hits: int
    brier: dict[str, MeanBrier | None]  # mapping name → mean
    terms: tuple[TermRow, ...]  # every ICD 203 term, in the standard's order

    @property
    def unscored_total(self) -> int:
        return sum(self.unscored.values())

    @property
    def unscored_share(self) -> float | None:
        """The share of the scenarios that cannot be scored (None when there are none)."""
        return self.unscored_total / self.total if self.total else None


def tally(key: str, forecasts: list[Forecast]) -> Tally:
    scored = [f for f in forecasts if f.reason is None]
    unscored = dict.fromkeys(UNSCORED_REASONS, 0)
    for forecast in forecasts:
        if forecast.reason is not None:
            unscored[forecast.reason] += 1
    return Tally(
        key=key,
        total=len(forecasts),
        unscored=unscored,
        scored=len(scored),
        hits=sum(1 for f in scored if f.hit),
        brier={m.name: mean_brier(scored, m) for m in MAPPINGS},
        terms=calibration(scored),
    )


def calibration(forecasts: Iterable[Forecast]) -> tuple[TermRow, ...]:
    """A row per ICD 203 term over the scored `forecasts`."""
    by_term: dict[str, list[Forecast]] = {term: [] for term in ICD203_TERMS}
    for forecast in forecasts:
        if forecast.reason is None and forecast.term in by_term:
            by_term[forecast.term].append(forecast)
    return tuple(
        TermRow(
            term=term,
            n=len(rows),
            happened=sum(1 for f in rows if f.outcome == 1),
            hits=sum(1 for f in rows if f.hit),
            brier={m.name: mean_brier(rows, m) for m in MAPPINGS},
        )
        for term, rows in by_term.items()
    )


@dataclass(frozen=True)
class ForecastReport:
    """Every scenario as a forecast, and the tallies the pages and exports show."""

    forecasts: tuple[Forecast, ...]  # by article ID, then in article order
    authors: dict[str, Tally]  # by person ID, sorted; only people with scenarios
    unsigned: Tally | None  # the unsigned articles' scenarios, if any
    terms: tuple[TermRow, ...]  # the corpus's calibration table (each scenario once)
    overall: Tally  # every scenario once

    def of(self, person: str) -> Tally | None:
        return self.authors.get(person)


def forecasts_of(graph: Graph) -> list[Forecast]:
    """Every scenario of the corpus as a `Forecast`, by article ID, then in article order."""
    found = []
    for article in graph.articles.values():
        authors = tuple(dict.fromkeys(graph.resolve(a.person) for a in article.authors))
        date = article.source.published.value if article.source.published else None
        for scenario in article.scenarios:
            found.append(
                Forecast(
                    article=article.id,
                    scenario=scenario.id,
                    authors=authors,
                    date=date,
                    title=scenario.title,
                    wording=scenario.likelihood.wording,
                    term=scenario.likelihood.estimate,
                    voice=scenario.voice,
                    status=scenario.resolution.status,
                )
            )
    return found


def forecast_report(graph: Graph) -> ForecastReport:
    """Score the corpus's forecasts (see the module docstring for the rules)."""
    forecasts = forecasts_of(graph)
    by_author: dict[str, list[Forecast]] = {}
    unsigned: list[Forecast] = []
    for forecast in forecasts:
        for person in forecast.authors:
            by_author.setdefault(person, []).append(forecast)
        if not forecast.authors:
            unsigned.append(forecast)
    overall = tally("", forecasts)
    return ForecastReport(
        forecasts=tuple(forecasts),
        authors={person: tally(person, by_author[person]) for person in sorted(by_author)},
        unsigned=tally(UNSIGNED, unsigned) if unsigned else None,
        terms=overall.terms,
        overall=overall,
    )
