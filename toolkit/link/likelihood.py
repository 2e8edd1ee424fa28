"""Word → probability: the published mappings an ICD 203 term is scored under (issue 19).

A scenario keeps the source's hedge and, where the wording supports one, an ICD 203 term; a
Brier score needs a number. No single number is *the* meaning of a word, so every score is
given under each mapping here, side by side, and the reader sees how much the step matters.

Each mapping gives a term an interval of probabilities: a point mapping gives a one-point
interval (`low == high`); `icd203-band` gives the band's edges, and a score under it is the
best and the worst score possible with any probability inside the band. A term a mapping has
no number for is "not mapped" under it: counted, never guessed. The mappings, their sources and
the survey phrases are documented for readers on the calibration page (templates/calibration.md.j2)
and in docs/consumers.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.format.vocab import ICD203_BANDS

__all__ = ["MAPPINGS", "READER_MEDIANS", "Mapping", "brier_range"]


@dataclass(frozen=True)
class Mapping:
    """A published reading of the ICD 203 terms as probabilities."""

    name: str  # stable key, in exports and column names ("icd203-midpoint")
    title: str  # in words, for the pages
    short: str  # a column heading
    source: str  # citation
    url: str
    intervals: dict[str, tuple[float, float]]  # term → (low, high) probability, 0–1

    @property
    def is_interval(self) -> bool:
        return any(low != high for low, high in self.intervals.values())


#: Mauboussin & Mauboussin, "If You Say Something Is 'Likely,' How Likely Do People Think It
#: Is?", Harvard Business Review, July 2018: the median of the survey's answers for the phrase
#: that stands for an ICD 203 term. Computed from `probability_survey_results.csv` in
#: github.com/amauboussin/probability-survey (as of commit b9e3822; 1,976 rows, blank answers left
#: out). Licence of the data unverified: only these derived medians are published, with the
#: citation. A term is mapped only where the survey asked for its own words; the survey has no
#: "almost no chance", "very unlikely", "roughly even chance" or "very likely", so those four
#: are not mapped (its "with high probability", "with low probability", "maybe" and "with
#: moderate probability" are other phrases, not these terms).
#: term → (the survey's phrase, median in per cent, number of answers).
READER_MEDIANS: dict[str, tuple[str, int, int]] = {
    "unlikely": ("unlikely", 20, 1861),
    "likely": ("likely", 70, 1859),
    "almost-certain": ("almost certainly", 90, 1866),
}


def _midpoints() -> dict[str, tuple[float, float]]:
    # (low + high) / 2 of each band: 3, 12.5, 32.5, 50, 67.5, 87.5, 97 %.
    return {
        term: ((low + high) / 200, (low + high) / 200)
        for term, (_, (low, high)) in ICD203_BANDS.items()
    }


_ICD203_SOURCE = (
    "Intelligence Community Directive 203, Analytic Standards (ODNI, 2 January 2015), "
    "the table of expressions of likelihood"
)
_ICD203_URL = "https://www.dni.gov/files/documents/ICD/ICD-203.pdf"

#: Every mapping, the headline one first; the order of columns and of the pages' tables.
MAPPINGS: tuple[Mapping, ...] = (
    Mapping(
        "icd203-midpoint",
        "ICD 203 band midpoint",
        "Midpoint",
        _ICD203_SOURCE + ": the midpoint of each term's band",
        _ICD203_URL,
        _midpoints(),
    ),
    Mapping(
        "icd203-band",
        "ICD 203 band edges",
        "Band edges",
        _ICD203_SOURCE + ": any probability inside the term's band",
        _ICD203_URL,
        {term: (low / 100, high / 100) for term, (_, (low, high)) in ICD203_BANDS.items()},
    ),
    Mapping(
        "reader-median",
        "Readers' median (Mauboussin & Mauboussin 2018)",
        "Readers' median",
        "Mauboussin & Mauboussin, Harvard Business Review, July 2018: the median reading of the "
        "term's own words by about 1,860 survey respondents",
        "https://hbr.org/2018/07/if-you-say-something-is-likely-how-likely-do-people-think-it-is",
        {term: (median / 100, median / 100) for term, (_, median, _) in READER_MEDIANS.items()},
    ),
)


def brier_range(interval: tuple[float, float], outcome: int) -> tuple[float, float]:
    """The best and the worst Brier score, (p − o)², for any probability p in `interval`
    when the outcome `o` is 1 (happened) or 0 (did not). (p − o)² is monotone in p over
    [0, 1], so the extremes sit at the interval's ends."""
    low, high = interval
    ends = ((low - outcome) ** 2, (high - outcome) ** 2)
    return min(ends), max(ends)
