"""The forecasts as downloads (issue 19): forecasts.csv / .jsonl, scores.json and the SQLite
tables, on the corpus of tests/forecast_corpus.py (its numbers are worked out by hand in
tests/test_forecasts.py)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from forecast_corpus import write_forecast_corpus

from toolkit.api import load_corpus
from toolkit.export import api_files
from toolkit.export.forecasts import FORECAST_COLUMNS


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    records = write_forecast_corpus(tmp_path_factory.mktemp("forecasts"))
    return api_files(load_corpus(records).graph)


@pytest.fixture(scope="module")
def db(files: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    path = tmp_path_factory.mktemp("db") / "stratlas.db"
    path.write_bytes(files["api/v1/stratlas.db"])
    return sqlite3.connect(path)


@pytest.mark.parametrize("path", ["api/v1/scores.json", "api/v1/forecasts.csv"])
def test_snapshot(path: str, files: dict[str, bytes], file_regression: Any) -> None:
    file_regression.check(
        files[path].decode("utf-8"),
        extension="." + path.rsplit(".", 1)[1],
        basename="forecasts_" + Path(path).stem,
        encoding="utf-8",
        newline="",
    )


def test_one_row_per_scenario_and_author(files: dict[str, bytes]) -> None:
    rows = list(csv.DictReader(io.StringIO(files["api/v1/forecasts.csv"].decode())))
    # ana-spring 23 scenarios × Ana, joint-summer 3 × (Ana, Ben), staff-note 2 unsigned
    assert len(rows) == 23 + 3 * 2 + 2
    assert tuple(rows[0]) == FORECAST_COLUMNS
    joint = [r["author_id"] for r in rows if r["question_id"] == "joint-summer/scenarios/s01"]
    assert joint == ["ana-ruiz", "ben-okafor"]
    unsigned = [r for r in rows if r["article_id"] == "staff-note"]
    assert {r["author_id"] for r in unsigned} == {""}
    miss = next(r for r in rows if r["question_id"] == "joint-summer/scenarios/s02")
    # almost no chance, happened: midpoint (1 − .03)² = .9409, band .9025–.9801, reader n/a
    assert (miss["term"], miss["outcome"], miss["hit"]) == ("almost-no-chance", "1", "false")
    assert (miss["brier_icd203_midpoint"], miss["p_reader_median"]) == ("0.9409", "")
    assert (miss["brier_icd203_band_best"], miss["brier_icd203_band_worst"]) == (
        "0.9025",
        "0.9801",
    )
    lines = files["api/v1/forecasts.jsonl"].decode().splitlines()
    assert [json.loads(line)["question_id"] for line in lines] == [r["question_id"] for r in rows]


def test_scores_hide_means_below_the_minimum(files: dict[str, bytes]) -> None:
    scores = json.loads(files["api/v1/scores.json"])
    assert scores["method"]["minimum_scored"] == 20
    ana, ben = scores["authors"]
    assert ana["brier"]["icd203-midpoint"] == {
        "n": 23,
        "unmapped": 0,
        "mean": 0.204085,  # 4.69395 / 23
        "too_few": False,
    }
    assert ana["brier"]["reader-median"]["mean"] is None  # 15 mapped < 20
    assert ana["unscored_share"] == 0.115385  # 3 of 26 scenarios
    assert ben["brier"]["icd203-midpoint"] == {
        "n": 3,
        "unmapped": 0,
        "mean": None,
        "too_few": True,
    }
    assert scores["unsigned"]["scored"] == 2
    likely = next(t for t in scores["terms"] if t["term"] == "likely")
    assert (likely["n"], likely["happened"], likely["observed"]) == (10, 8, 0.8)


def test_sqlite_tables(db: sqlite3.Connection) -> None:
    rows = db.execute(
        "select author_id, scored, too_few, brier_icd203_midpoint, brier_icd203_band_best, "
        "brier_icd203_band_worst from author_scores order by id"
    ).fetchall()
    assert rows == [
        ("ana-ruiz", 23, 0, 0.204085, 0.141965, 0.286852),
        ("ben-okafor", 3, 1, None, None, None),
        (None, 2, 1, None, None, None),
    ]
    # forecasts join the scenarios table on the question's ID
    joined = db.execute(
        "select count(*) from forecasts join scenarios on scenarios.id = forecasts.question_id"
    ).fetchone()
    assert joined == (31,)
    assert db.execute(
        "select n, happened, band_low, band_high from term_scores where id = 'unlikely'"
    ).fetchone() == (5, 1, 20, 45)
    assert db.execute("pragma foreign_key_check").fetchall() == []
