"""The scenario tracker (`/scenarios/`): every scenario of the corpus in one stable order, with
what the tracker's rows show about it.

Order: open scenarios first, soonest `due` first (those without one after them), then the
settled ones, most recently settled first (`resolved_on`; undated after). Ties: the article,
newest first, then the scenario's place in it. The page never says whether a due date has
passed: that depends on the day it is read, and the build is deterministic; the browser
marks it (docs/javascripts/scenarios.js) from each row's `data-due`.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from toolkit.checks.dates import date_bounds
from toolkit.link import Graph
from toolkit.models import Article, ArticleSource, Scenario, UrlSource
from toolkit.pages.views import SiteView

__all__ = ["TRACKER_PATH", "Basis", "TrackedScenario", "tracked_scenarios", "tracker_weight"]

#: The tracker's first page (further pages at `scenarios/page/<n>/`).
TRACKER_PATH = "scenarios/index.md"


@dataclass(frozen=True)
class Basis:
    """One basis of a resolution as the tracker links it: a page (`url`, its host shown), a
    later article of the corpus (`article`), or the resolution on the article page itself
    (evidence or an editorial basis: neither set)."""

    label: str
    url: str = ""
    article: str = ""


@dataclass(frozen=True)
class TrackedScenario:
    """One row of the tracker."""

    article: Article
    scenario: Scenario
    #: The scenario's HTML id on its article page (`SiteView.anchors`, as the page uses).
    anchor: str
    #: The date its `due` can mean at the latest (`YYYY-MM-DD`), for the browser; "" if none.
    due_by: str
    bases: tuple[Basis, ...]

    @property
    def status(self) -> str:
        return self.scenario.resolution.status


def tracked_scenarios(graph: Graph, view: SiteView) -> list[TrackedScenario]:
    """Every scenario of the corpus, in the tracker's order."""
    keyed: list[tuple[tuple[int, str], int, TrackedScenario]] = []
    for article_id in view.by_date(graph.articles):  # newest first: the ties' order
        article = graph.articles[article_id]
        anchors = view.anchors(article)
        for index, scenario in enumerate(article.scenarios):
            due = date_bounds(scenario.due) if scenario.due else None
            row = TrackedScenario(
                article=article,
                scenario=scenario,
                anchor=anchors[f"/scenarios/{index}"],
                due_by=due[1] if due else "",
                bases=_bases(graph, scenario),
            )
            keyed.append((_order(row), len(keyed), row))
    keyed.sort(key=lambda entry: entry[:2])
    return [row for _, _, row in keyed]


def _order(row: TrackedScenario) -> tuple[int, str]:
    resolution = row.scenario.resolution
    if resolution.status == "open":
        return (0, row.due_by or "\x7f")
    settled = date_bounds(resolution.resolved_on) if resolution.resolved_on else None
    # Most recent first: the complement of each character of the latest date it can mean.
    return (1, "".join(chr(0x7F - ord(c)) for c in settled[1]) if settled else "\x7f")


def _bases(graph: Graph, scenario: Scenario) -> tuple[Basis, ...]:
    resolution = scenario.resolution
    found = []
    for source in resolution.sources:
        if isinstance(source, UrlSource):
            found.append(Basis(urlsplit(source.url).hostname or source.url, url=source.url))
        elif isinstance(source, ArticleSource) and source.article in graph.articles:
            title = graph.articles[source.article].source.title
            found.append(Basis(title, article=source.article))
    if resolution.evidence or resolution.editorial:
        found.append(Basis("on the article page"))
    return tuple(found)


def tracker_weight(row: TrackedScenario) -> int:
    """A row weighs one, plus its bases and authors beyond the first few (each a link)."""
    return 1 + len(row.bases) // 2 + len(row.article.authors) // 4
