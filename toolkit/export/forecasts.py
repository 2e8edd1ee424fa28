"""The forecasts as downloads (issue 19): `forecasts.csv` and `forecasts.jsonl`, one row per
scenario and author, shaped like GJP Data (question, forecaster, forecast date, probability,
outcome) plus the term and the wording; `scores.json`, the per-author and per-term scores; and
the rows of the SQLite tables `forecasts`, `author_scores` and `term_scores`.

The numbers come from `toolkit.link.forecasts` (the rules are stated there). Column names are
derived from the mappings: a point mapping gives `p_<name>` and `brier_<name>`, the band
mapping `p_<name>_low`/`_high` and `brier_<name>_best`/`_worst` (dashes become underscores).
A mean over fewer than `MINIMUM_SCORED` forecasts of one author is null ("too few to score").
Rows come from generators, so the SQLite writer can take them one at a time.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from toolkit.export.records import Published, jsonl
from toolkit.export.statements import _safe_cell
from toolkit.format.urls import page_path
from toolkit.format.vocab import ICD203_BANDS
from toolkit.link.forecasts import (
    MINIMUM_SCORED,
    UNSCORED_REASONS,
    UNSIGNED,
    Forecast,
    ForecastReport,
    MeanBrier,
    Tally,
    TermRow,
)
from toolkit.link.likelihood import MAPPINGS, READER_MEDIANS, Mapping

__all__ = [
    "FORECAST_COLUMNS",
    "SCORE_COLUMNS",
    "author_score_rows",
    "column_name",
    "forecast_rows",
    "forecast_table_rows",
    "forecasts_csv",
    "forecasts_jsonl",
    "scores_document",
    "term_score_rows",
]

Row = dict[str, Any]
#: Digits kept of a probability or a score: enough for every mapping, stable in text.
_DIGITS = 6


def column_name(mapping: Mapping) -> str:
    """A mapping's name in column names: `icd203-band` → `icd203_band`."""
    return mapping.name.replace("-", "_")


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, _DIGITS)


def _mapping_cells(forecast: Forecast) -> Row:
    cells: Row = {}
    for mapping in MAPPINGS:
        name = column_name(mapping)
        interval = forecast.interval(mapping)
        score = forecast.brier(mapping)
        if mapping.is_interval:
            cells[f"p_{name}_low"] = _number(interval[0]) if interval else None
            cells[f"p_{name}_high"] = _number(interval[1]) if interval else None
            cells[f"brier_{name}_best"] = _number(score[0]) if score else None
            cells[f"brier_{name}_worst"] = _number(score[1]) if score else None
        else:
            cells[f"p_{name}"] = _number(interval[0]) if interval else None
            cells[f"brier_{name}"] = _number(score[0]) if score else None
    return cells


def _row(forecast: Forecast, author: str | None) -> Row:
    return {
        "question_id": forecast.question,
        "article_id": forecast.article,
        "scenario_id": forecast.scenario,
        "author_id": author,
        "forecast_date": forecast.date,
        "title": forecast.title,
        "wording": forecast.wording,
        "term": forecast.term,
        "voice": forecast.voice,
        "status": forecast.status,
        "outcome": forecast.outcome,
        "unscored_reason": forecast.reason,
        "hit": forecast.hit,
        **_mapping_cells(forecast),
    }


def forecast_rows(report: ForecastReport) -> Iterator[Row]:
    """One row per scenario and author (one, with `author_id` null, for an unsigned article),
    by article ID, then in article order; every scenario, scored or not."""
    for forecast in report.forecasts:
        for author in forecast.authors or (None,):
            yield _row(forecast, author)


#: The columns of `forecasts.csv` (and the keys of each `forecasts.jsonl` line), in order.
FORECAST_COLUMNS: tuple[str, ...] = tuple(
    _row(Forecast("a", "s", (), None, "", None, None, "author", "open"), None)
)


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _safe_cell(str(value))


def forecasts_csv(published: Published) -> bytes:
    """`forecasts.csv`: `forecast_rows` with empty cells for null, `true`/`false` for hits,
    formula-like cells prefixed with `'` (as `statements.csv`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(FORECAST_COLUMNS)
    for row in forecast_rows(published.forecasts):
        writer.writerow([_csv_cell(row[column]) for column in FORECAST_COLUMNS])
    return buffer.getvalue().encode("utf-8")


def forecasts_jsonl(published: Published) -> bytes:
    """`forecasts.jsonl`: `forecast_rows`, one JSON object a line."""
    return jsonl(forecast_rows(published.forecasts))


# --- scores ---------------------------------------------------------------------------------


def _mean(mean: MeanBrier | None, mapping: Mapping, gated: bool) -> Row | None:
    """A mean as published: `n`, `unmapped`, and `mean` (or `best` and `worst`); when `gated`
    (a person's score) and `n` is under the minimum, the numbers are null and `too_few`."""
    if mean is None:
        return None
    too_few = gated and not mean.enough
    found: Row = {"n": mean.n, "unmapped": mean.unmapped}
    if mapping.is_interval:
        found["best"] = None if too_few else _number(mean.best)
        found["worst"] = None if too_few else _number(mean.worst)
    else:
        found["mean"] = None if too_few else _number(mean.best)
    if gated:
        found["too_few"] = too_few
    return found


def _term(row: TermRow, *, briers: bool) -> Row:
    found: Row = {
        "term": row.term,
        "n": row.n,
        "happened": row.happened,
        "observed": _number(row.observed),
        "against_band": row.against_band,
        "hits": row.hits,
    }
    if briers:
        found["brier"] = {m.name: _mean(row.brier[m.name], m, False) for m in MAPPINGS}
    return found


def _tally(tally: Tally, gated: bool) -> Row:
    return {
        "scenarios": tally.total,
        "scored": tally.scored,
        "hits": tally.hits,
        "unscored": dict(tally.unscored),
        "unscored_share": _number(tally.unscored_share),
        "brier": {m.name: _mean(tally.brier[m.name], m, gated) for m in MAPPINGS},
        "calibration": [_term(row, briers=False) for row in tally.terms if row.n],
    }


def scores_document(published: Published, base_url: str) -> Row:
    """`scores.json`: the method, the corpus's calibration table, and each author's (and the
    unsigned articles') counts and scores, authors by ID."""
    report = published.forecasts
    graph = published.graph
    return {
        "method": {
            "minimum_scored": MINIMUM_SCORED,
            "brier": "(p - o)^2 with o = 1 if the scenario happened, 0 if not: 0 best, 1 "
            "worst; Good Judgment's 0-2 form is exactly double",
            "hit": "a term above even (likely, very likely, almost certain) for a scenario that "
            "happened, or below even for one that did not; roughly even chance never hits",
            "unscored_reasons": UNSCORED_REASONS,
            "mappings": [
                {
                    "name": m.name,
                    "title": m.title,
                    "source": m.source,
                    "url": m.url,
                    "terms": {t: [low, high] for t, (low, high) in m.intervals.items()},
                }
                for m in MAPPINGS
            ],
            "reader_median_phrases": {
                term: {"phrase": phrase, "median": median, "answers": n}
                for term, (phrase, median, n) in READER_MEDIANS.items()
            },
            "bands": {term: list(band) for term, (_, band) in ICD203_BANDS.items()},
        },
        "terms": [_term(row, briers=True) for row in report.terms],
        "overall": _tally(report.overall, gated=False),
        "authors": [
            {
                "id": person,
                "name": graph.entities[person].name if person in graph.entities else person,
                "url": base_url + page_path("entity", person),
                **_tally(tally, gated=True),
            }
            for person, tally in report.authors.items()
        ],
        UNSIGNED: None if report.unsigned is None else _tally(report.unsigned, gated=True),
    }


# --- SQLite rows ----------------------------------------------------------------------------


def _score_columns() -> tuple[str, ...]:
    columns: list[str] = []
    for mapping in MAPPINGS:
        name = column_name(mapping)
        ends = ("_best", "_worst") if mapping.is_interval else ("",)
        columns += [f"brier_{name}{end}" for end in ends]
    return tuple(columns)


#: The mean Brier columns of `author_scores` and `term_scores` (null when no number).
SCORE_COLUMNS = _score_columns()


def _flat_means(tally_or_row: Tally | TermRow, gated: bool) -> Row:
    """The means as columns: `n_<mapping>` and `brier_<mapping>` (`_best`, `_worst`)."""
    cells: Row = {}
    for mapping in MAPPINGS:
        name = column_name(mapping)
        mean = _mean(tally_or_row.brier[mapping.name], mapping, gated) or {}
        cells[f"n_{name}"] = mean.get("n", 0)
        if mapping.is_interval:
            cells[f"brier_{name}_best"] = mean.get("best")
            cells[f"brier_{name}_worst"] = mean.get("worst")
        else:
            cells[f"brier_{name}"] = mean.get("mean")
    return cells


def forecast_table_rows(published: Published, base_url: str) -> Iterator[Row]:
    """The `forecasts` table: `forecast_rows`, keyed by question and author."""
    for row in forecast_rows(published.forecasts):
        yield {"id": f"{row['question_id']}/{row['author_id'] or UNSIGNED}", **row}


def author_score_rows(published: Published, base_url: str) -> Iterator[Row]:
    """The `author_scores` table: one row per author, then one for the unsigned articles
    (`author_id` null); means null below the minimum (`too_few`)."""
    report = published.forecasts
    groups: list[tuple[str | None, Tally]] = list(report.authors.items())
    if report.unsigned is not None:
        groups.append((None, report.unsigned))
    for person, tally in groups:
        yield {
            "id": person or UNSIGNED,
            "author_id": person,
            "scenarios": tally.total,
            "scored": tally.scored,
            "hits": tally.hits,
            **{f"unscored_{k.replace('-', '_')}": v for k, v in tally.unscored.items()},
            "unscored_share": _number(tally.unscored_share),
            "too_few": tally.scored < MINIMUM_SCORED,
            **_flat_means(tally, gated=True),
        }


def term_score_rows(published: Published, base_url: str) -> Iterator[Row]:
    """The `term_scores` table: the corpus's calibration table, one row per ICD 203 term."""
    for row in published.forecasts.terms:
        low, high = ICD203_BANDS[row.term][1]
        yield {
            "id": row.term,
            "band_low": low,
            "band_high": high,
            **{k: v for k, v in _term(row, briers=False).items() if k != "term"},
            **_flat_means(row, gated=False),
        }
