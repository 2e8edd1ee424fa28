"""Scoring verbal forecasts (issue 19): the expected values are computed by hand below, from
the scenarios of tests/forecast_corpus.py, with the arithmetic in the comments.

Brier scores, (p − o)², per item:
  midpoint   likely .675: happened (1 − .675)² = .105625, not .675² = .455625
             very likely .875: .015625 / .765625; unlikely .325: .455625 / .105625
             roughly even .5: .25 either way; almost certain .97: .0009 / .9409
             very unlikely .125: .765625 / .015625; almost no chance .03: .9409 / .0009
  band       likely 55–80: happened best (1 − .8)² = .04, worst (1 − .55)² = .2025;
             not best .55² = .3025, worst .8² = .64. very likely 80–95: happened .0025–.04,
             not .64–.9025. unlikely 20–45: happened .3025–.64, not .04–.2025. roughly even
             45–55: .2025–.3025 either way. almost certain 95–99: happened .0001–.0025.
             very unlikely 5–20: not .0025–.04. almost no chance 1–5: happened .9025–.9801.
  reader     likely .70: happened .09, not .49; unlikely .20: happened .64, not .04;
             almost certainly .90: happened .01. Other terms: not mapped.
"""

from __future__ import annotations

import pytest
from forecast_corpus import write_forecast_corpus
from hypothesis import given
from hypothesis import strategies as st

from toolkit.api import load_corpus
from toolkit.format.vocab import ICD203_TERMS
from toolkit.link.forecasts import (
    MINIMUM_SCORED,
    Forecast,
    ForecastReport,
    forecast_report,
    mean_brier,
    tally,
)
from toolkit.link.likelihood import MAPPINGS, READER_MEDIANS, brier_range

BY_NAME = {m.name: m for m in MAPPINGS}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> ForecastReport:
    records = write_forecast_corpus(tmp_path_factory.mktemp("forecasts"))
    corpus = load_corpus(records)
    assert not corpus.warnings
    return forecast_report(corpus.graph)


def test_the_mappings_are_the_published_numbers() -> None:
    midpoints = [BY_NAME["icd203-midpoint"].intervals[t][0] for t in ICD203_TERMS]
    assert midpoints == pytest.approx([0.03, 0.125, 0.325, 0.5, 0.675, 0.875, 0.97])
    assert BY_NAME["icd203-band"].intervals["unlikely"] == (0.2, 0.45)
    # Medians of amauboussin/probability-survey, recomputed from the CSV (RESEARCH.md §3).
    assert {t: m for t, (_, m, _) in READER_MEDIANS.items()} == {
        "unlikely": 20,
        "likely": 70,
        "almost-certain": 90,
    }
    assert BY_NAME["reader-median"].intervals["likely"] == (0.7, 0.7)
    assert "very-likely" not in BY_NAME["reader-median"].intervals
    assert MINIMUM_SCORED == 20


def test_which_scenarios_are_scored(report: ForecastReport) -> None:
    ana = report.authors["ana-ruiz"]
    assert (ana.total, ana.scored) == (26, 23)  # 23 in ana-spring + 3 in joint-summer
    assert ana.unscored == {"attributed": 1, "no-estimate": 1, "open": 1}
    assert ana.unscored_share == pytest.approx(3 / 26)  # 0.115: the "vague-verbiage rate"
    ben = report.authors["ben-okafor"]
    # The attributed scenario of ana-spring is Ben's forecast as reported: never scored, and
    # not credited to him as an author either.
    assert (ben.total, ben.scored, ben.unscored_total) == (3, 3, 0)
    assert report.unsigned is not None and report.unsigned.key == "unsigned"
    assert (report.unsigned.total, report.unsigned.scored) == (2, 2)
    assert (report.overall.total, report.overall.scored) == (28, 25)
    assert list(report.authors) == ["ana-ruiz", "ben-okafor"]


def test_hits(report: ForecastReport) -> None:
    # Ana: ana-spring likely×6 happened + very likely×3 happened + unlikely×3 did not +
    # almost certain×2 happened = 14; joint-summer very unlikely (did not) and likely
    # (happened) = 2; the almost-no-chance that happened is a miss; roughly even never hits.
    assert report.authors["ana-ruiz"].hits == 16
    assert report.authors["ben-okafor"].hits == 2
    assert report.unsigned is not None and report.unsigned.hits == 2


def test_brier_under_the_midpoint_mapping(report: ForecastReport) -> None:
    ana = report.authors["ana-ruiz"].brier["icd203-midpoint"]
    # ana-spring: .105625×6 + .455625×2 + .015625×3 + .765625 + .455625 + .105625×3 + .25×2
    #   + .0009×2 = .63375 + .91125 + .046875 + .765625 + .455625 + .316875 + .5 + .0018
    #   = 3.6318; joint-summer: .015625 + .9409 + .105625 = 1.06215. (3.6318 + 1.06215) / 23
    assert ana is not None
    assert (ana.n, ana.unmapped) == (23, 0)
    assert ana.best == ana.worst == pytest.approx(4.69395 / 23)  # 0.204085
    assert ana.enough
    ben = report.authors["ben-okafor"].brier["icd203-midpoint"]
    assert ben is not None
    assert ben.best == pytest.approx(1.06215 / 3)  # 0.35405
    assert not ben.enough  # 3 < 20: "too few to score"
    unsigned = report.unsigned.brier["icd203-midpoint"] if report.unsigned else None
    assert unsigned is not None and unsigned.best == pytest.approx(0.105625)  # (.105625×2)/2
    overall = report.overall.brier["icd203-midpoint"]
    assert overall is not None
    assert overall.best == pytest.approx((3.6318 + 1.06215 + 0.21125) / 25)  # 0.196208


def test_brier_under_the_band_mapping(report: ForecastReport) -> None:
    ana = report.authors["ana-ruiz"].brier["icd203-band"]
    # best, ana-spring: .04×6 + .3025×2 + .0025×3 + .64 + .3025 + .04×3 + .2025×2 + .0001×2
    #   = .24 + .605 + .0075 + .64 + .3025 + .12 + .405 + .0002 = 2.3202
    # best, joint-summer: .0025 + .9025 + .04 = .945 → (2.3202 + .945) / 23 = 0.141965
    # worst, ana-spring: .2025×6 + .64×2 + .04×3 + .9025 + .64 + .2025×3 + .3025×2 + .0025×2
    #   = 1.215 + 1.28 + .12 + .9025 + .64 + .6075 + .605 + .005 = 5.375
    # worst, joint-summer: .04 + .9801 + .2025 = 1.2226 → (5.375 + 1.2226) / 23 = 0.286852
    assert ana is not None and ana.n == 23
    assert (ana.best, ana.worst) == pytest.approx((3.2652 / 23, 6.5976 / 23))
    ben = report.authors["ben-okafor"].brier["icd203-band"]
    assert ben is not None
    assert (ben.best, ben.worst) == pytest.approx((0.945 / 3, 1.2226 / 3))


def test_brier_under_the_reader_mapping(report: ForecastReport) -> None:
    ana = report.authors["ana-ruiz"].brier["reader-median"]
    # mapped: likely ×9, unlikely ×4, almost certain ×2 = 15; very likely ×4, roughly even ×2,
    # very unlikely, almost no chance = 8 not mapped. ana-spring .09×6 + .49×2 + .64 + .04×3
    # + .01×2 = .54 + .98 + .64 + .12 + .02 = 2.3; joint-summer likely .09 → 2.39 / 15
    assert ana is not None
    assert (ana.n, ana.unmapped) == (15, 8)
    assert ana.best == ana.worst == pytest.approx(2.39 / 15)  # 0.159333
    assert not ana.enough  # 15 mapped < 20, although 23 are scored
    ben = report.authors["ben-okafor"].brier["reader-median"]
    assert ben is not None and (ben.n, ben.unmapped, ben.best) == (1, 2, pytest.approx(0.09))


def test_calibration_table_of_the_corpus(report: ForecastReport) -> None:
    rows = {row.term: row for row in report.terms}
    assert [row.term for row in report.terms] == list(ICD203_TERMS)
    # term: (n, happened, observed, against the band)
    # likely: ana-spring 8 (6 happened), joint-summer 1 (happened), staff-note 1 (happened)
    # unlikely: ana-spring 4 (1 happened), staff-note 1 (did not)
    expected = {
        "almost-no-chance": (1, 1, 1.0, "above"),  # 100 % > 5 %
        "very-unlikely": (1, 0, 0.0, "below"),  # 0 % < 5 %
        "unlikely": (5, 1, 0.2, "within"),  # 20 %: the band's lower edge
        "roughly-even-chance": (2, 1, 0.5, "within"),
        "likely": (10, 8, 0.8, "within"),  # 80 %: the band's upper edge
        "very-likely": (4, 3, 0.75, "below"),  # 75 % < 80 %
        "almost-certain": (2, 2, 1.0, "above"),  # 100 % > 99 %
    }
    for term, (n, happened, observed, against) in expected.items():
        row = rows[term]
        assert (row.n, row.happened, row.against_band) == (n, happened, against), term
        assert row.observed == pytest.approx(observed)
    likely = rows["likely"].brier
    # midpoint: (.105625×8 + .455625×2) / 10 = (.845 + .91125) / 10
    assert likely["icd203-midpoint"] is not None
    assert likely["icd203-midpoint"].best == pytest.approx(0.175625)
    # band: best (.04×8 + .3025×2) / 10 = .0925, worst (.2025×8 + .64×2) / 10 = .29
    assert likely["icd203-band"] is not None
    assert (likely["icd203-band"].best, likely["icd203-band"].worst) == pytest.approx(
        (0.0925, 0.29)
    )
    # reader: (.09×8 + .49×2) / 10 = .17
    assert likely["reader-median"] is not None
    assert likely["reader-median"].best == pytest.approx(0.17)
    assert rows["very-likely"].brier["reader-median"] is None  # not mapped
    # unlikely, midpoint: (.455625 + .105625×4) / 5 = .878125 / 5
    unlikely = rows["unlikely"].brier["icd203-midpoint"]
    assert unlikely is not None and unlikely.best == pytest.approx(0.175625)


def test_calibration_table_of_an_author(report: ForecastReport) -> None:
    rows = {row.term: row for row in report.authors["ben-okafor"].terms}
    assert (rows["almost-no-chance"].n, rows["almost-no-chance"].happened) == (1, 1)
    assert rows["almost-certain"].n == 0 and rows["almost-certain"].observed is None
    assert rows["almost-certain"].against_band is None
    ana = {row.term: row for row in report.authors["ana-ruiz"].terms}
    assert (ana["likely"].n, ana["likely"].happened) == (9, 7)  # the open one is not counted


# --- properties -----------------------------------------------------------------------------

terms = st.sampled_from(ICD203_TERMS)
outcomes = st.sampled_from(["happened", "did-not-happen"])


def _forecast(term: str | None, status: str, voice: str = "author") -> Forecast:
    return Forecast("a", "s", ("p",), None, "t", None, term, voice, status)


@given(terms, st.sampled_from([0, 1]))
def test_the_band_holds_the_midpoint_score(term: str, outcome: int) -> None:
    midpoint = brier_range(BY_NAME["icd203-midpoint"].intervals[term], outcome)
    best, worst = brier_range(BY_NAME["icd203-band"].intervals[term], outcome)
    assert 0 <= best <= midpoint[0] == midpoint[1] <= worst <= 1


@given(st.lists(st.tuples(st.one_of(st.none(), terms), outcomes | st.just("open"))))
def test_means_are_briers_and_the_band_holds_the_midpoint(
    items: list[tuple[str | None, str]],
) -> None:
    forecasts = [_forecast(term, status) for term, status in items]
    midpoint = mean_brier(forecasts, BY_NAME["icd203-midpoint"])
    band = mean_brier(forecasts, BY_NAME["icd203-band"])
    scored = sum(1 for f in forecasts if f.reason is None)
    if not scored:
        assert midpoint is None and band is None
        return
    assert midpoint is not None and band is not None
    assert midpoint.n == band.n == scored
    assert 0 <= band.best <= midpoint.best + 1e-12
    assert midpoint.worst <= band.worst + 1e-12 and band.worst <= 1


@given(
    st.one_of(st.none(), terms),
    outcomes | st.just("open"),
    st.sampled_from(["author", "attributed"]),
)
def test_only_resolved_own_estimates_are_scored(term: str | None, status: str, voice: str) -> None:
    forecast = _forecast(term, status, voice)
    scored = voice == "author" and term is not None and status != "open"
    assert (forecast.reason is None) == scored
    if forecast.term == "roughly-even-chance":
        assert not forecast.hit


@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), terms),
            outcomes | st.just("open"),
            st.sampled_from(["author", "attributed"]),
        )
    )
)
def test_a_tally_adds_up(items: list[tuple[str | None, str, str]]) -> None:
    forecasts = [_forecast(term, status, voice) for term, status, voice in items]
    counted = tally("p", forecasts)
    assert counted.scored + counted.unscored_total == counted.total == len(forecasts)
    assert sum(row.n for row in counted.terms) == counted.scored
    assert sum(row.hits for row in counted.terms) == counted.hits <= counted.scored
    for mean in counted.brier.values():
        assert mean is None or (0 <= mean.best <= mean.worst <= 1 and mean.n <= counted.scored)
    reader = counted.brier["reader-median"]
    if reader is None:  # no scored forecast has a term the survey asked about
        assert not any(f.reason is None and f.term in READER_MEDIANS for f in forecasts)
    else:  # every scored forecast is either mapped or counted as unmapped
        assert reader.n + reader.unmapped == counted.scored


def test_every_mapping_puts_each_term_on_the_same_side_of_even() -> None:
    """Hits are defined by the term alone: that holds only while no mapping moves a term
    across 50 %."""
    above, below = (
        {"likely", "very-likely", "almost-certain"},
        {"almost-no-chance", "very-unlikely", "unlikely"},
    )
    for mapping in MAPPINGS:
        for term, (low, high) in mapping.intervals.items():
            assert (low > 0.5) == (term in above), (mapping.name, term)
            assert (high < 0.5) == (term in below), (mapping.name, term)
