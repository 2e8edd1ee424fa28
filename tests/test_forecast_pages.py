"""The forecast scores on the site (issue 19): the calibration page and an author's Forecasts
section on the corpus of tests/forecast_corpus.py (numbers worked out by hand in
tests/test_forecasts.py), escaped, and the authors table split into pages."""

from __future__ import annotations

import pytest
from forecast_corpus import write_forecast_corpus
from pytest_regressions.file_regression import FileRegressionFixture

from toolkit.api import load_corpus
from toolkit.link import Graph
from toolkit.link.forecasts import MeanBrier
from toolkit.link.likelihood import MAPPINGS
from toolkit.pages import render_pages
from toolkit.pages.forecasts import brier_text
from toolkit.pages.paginate import BUDGET


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    return load_corpus(write_forecast_corpus(tmp_path_factory.mktemp("forecasts"))).graph


@pytest.fixture(scope="module")
def pages(graph: Graph) -> dict[str, str]:
    return render_pages(graph)


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("calibration", "calibration/index.md"),
        ("author_scored", "entities/ana-ruiz/index.md"),
        ("author_too_few", "entities/ben-okafor/index.md"),
    ],
)
def test_snapshot(
    name: str, path: str, pages: dict[str, str], file_regression: FileRegressionFixture
) -> None:
    file_regression.check(pages[path], basename=f"forecasts_{name}", extension=".md")


def test_scores_shown_and_withheld(pages: dict[str, str]) -> None:
    calibration = pages["calibration/index.md"]
    # Ana: 23 scored; midpoint 4.69395 / 23 = 0.204, band 0.142–0.287, readers 15 mapped < 20
    assert "<td>0.204</td><td>0.142–0.287</td><td>too few to score (15 of 20)</td>" in calibration
    # Ben: 3 scored, never a number
    assert "<td>too few to score (3 of 20)</td><td>too few to score (3 of 20)</td>" in calibration
    assert "0.354" not in calibration  # Ben's midpoint mean, 1.06215 / 3
    # the name is escaped, and the table is ordered by name
    assert "Ben &lt;Okafor&gt;" in calibration and "<Okafor>" not in calibration
    assert calibration.index("Ana Ruiz") < calibration.index("Ben &lt;Okafor&gt;")
    ben = pages["entities/ben-okafor/index.md"]
    assert "too few to score (3 of 20)" in ben and "0.354" not in ben


def test_the_authors_table_goes_on_over_pages(
    graph: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(BUDGET, "scores", 1)
    pages = render_pages(graph)
    first, second = pages["calibration/index.md"], pages["calibration/authors/2/index.md"]
    assert "Ana Ruiz" in first and "Okafor" not in first
    assert "Ben &lt;Okafor&gt;" in second and "How the scores are computed" not in second
    assert '<a href="authors/2/" rel="next">' in first
    assert "Unsigned articles" in first and "Unsigned articles" not in second


@pytest.mark.parametrize("noise", [-1e-12, 0.0, 1e-12])
def test_a_mean_prints_the_same_whatever_its_float_noise(noise: float) -> None:
    # The corpus's "likely" and "unlikely" rows both have a best band mean of .0925, summed in
    # different orders: (.04×8 + .3025×2) / 10 and (.3025 + .04×4) / 5. Both print 0.093.
    band = MAPPINGS[1]
    assert brier_text(MeanBrier(20, 0.0925 + noise, 0.29, 0), band) == "0.093–0.290"
