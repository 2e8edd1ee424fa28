"""The forecast scores on the site (issue 19): the calibration page's rows and the words a score
is printed in (`toolkit.pages` renders the pages). The numbers come from `toolkit.link.forecasts` (its docstring
states the rules; the calibration page says them in words)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from toolkit.link import Graph
from toolkit.link.forecasts import MINIMUM_SCORED, MeanBrier, Tally
from toolkit.link.likelihood import Mapping
from toolkit.models import EntityBase
from toolkit.pages.views import SiteView

__all__ = ["author_tallies", "brier_text", "figure", "percent"]


def brier_text(mean: MeanBrier | None, mapping: Mapping, gated: bool = True) -> str:
    """A mean Brier score as the pages print it: three decimals, an interval under the band
    mapping, "too few to score" for a person's mean under the minimum (`gated`), "—" when
    nothing is scored or the mapping maps none of the terms."""
    if mean is None:
        return "—"
    if gated and not mean.enough:
        return f"too few to score ({mean.n} of {MINIMUM_SCORED})"
    if mapping.is_interval:
        return f"{_three(mean.best)}–{_three(mean.worst)}"
    return _three(mean.best)


def _three(value: float) -> str:
    """Three decimals, halves rounded up, after the float noise of a mean is dropped: the same
    mean gives the same text whichever order its terms were summed in (0.0925 → "0.093")."""
    exact = Decimal(repr(round(value, 9)))
    return str(exact.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))


def figure(value: float) -> str:
    """A number without trailing zeros: 3.0 → "3", 12.5 → "12.5"."""
    return f"{value:g}"


def percent(share: float | None) -> str:
    """0.777… → "78 %"; None → "—"."""
    return "—" if share is None else f"{share * 100:.0f} %"


def author_tallies(graph: Graph, view: SiteView) -> list[tuple[EntityBase, Tally]]:
    """The authors with scenarios and their tallies, by name (never by score)."""
    rows = [
        (graph.entities[person], tally)
        for person, tally in view.forecasts.authors.items()
        if person in graph.entities
    ]
    return sorted(rows, key=lambda row: (row[0].name.casefold(), row[0].id))
