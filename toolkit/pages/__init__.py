"""Records and the entity graph → the site's Markdown pages, as `{relative path: text}`.

A page is fixed front matter (`stratlas: html` marks it for toolkit/site/plugin.py), its title
and section headings in Markdown (mkdocs and Zensical make the title, table of contents and
permalinks), and between headings raw HTML blocks the templates write directly: one block per
section (never per item), no blank line inside, ending with the JSON-LD script. Links in the
blocks are relative to the page's published URL; each page is an `index.md` in its own folder,
where mkdocs and Zensical agree on what such a link means (paths.py).

Pure: nothing here touches the disk (`toolkit/site` writes). The modules, in the order a page is
made: `views` (what the pages show, derived from the graph; `scenarios`, the tracker's rows), `jsonld` (schema.org data),
`environment` (Jinja, its filters and globals; templates in `templates/`), `escape` (every printed
value made inert HTML, or inert Markdown in headings: SECURITY.md), `paths` (where pages live,
relative links). Nothing from a record reaches front matter but an entity's ID (a checked
slug, as in the page's own path), in the paths of its Atom feeds (`feeds`, which
overrides/main.html links from the page's head).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from toolkit.format.urls import feed_path
from toolkit.format.vocab import ENTITY_KINDS
from toolkit.link import Graph
from toolkit.pages.environment import render
from toolkit.pages.forecasts import author_tallies
from toolkit.pages.jsonld import article_jsonld, dump_jsonld, entity_jsonld
from toolkit.pages.paginate import BUDGET, Page, paginate
from toolkit.pages.paths import (
    CALIBRATION_PATH,
    article_path,
    entity_path,
    kind_path,
    timeline_path,
)
from toolkit.pages.scenarios import TRACKER_PATH, tracked_scenarios, tracker_weight
from toolkit.pages.views import PageMention, SiteView
from toolkit.runtime.progress import task

__all__ = [
    "FEED_TITLES",
    "HOME_MARKER",
    "SiteView",
    "fill_home",
    "forget_rendered",
    "iter_pages",
    "render_pages",
]

#: Line in the hand-written docs/index.md that the build replaces with the corpus summary.
HOME_MARKER = "<!-- stratlas:summary -->"
#: The latest articles an author or publisher shows on the index (the rest: on its own page).
GROUP_SHOWN = 10
#: The entities of one kind the entities index names (the rest: on the kind's pages).
ENTITIES_SHOWN = 60
#: The titles of an entity page's feeds in its head (fixed words: front matter holds no
#: record text; the feeds' own titles name the entity).
FEED_TITLES = {
    "entity": "new articles mentioning this entity",
    "author": "new articles by this author",
}


def forget_rendered() -> None:
    """Empty the caches of escaped text and links the pages share (up to 65,536 entries each,
    a few hundred MB at 10,000 articles), for a build that goes on to other work."""
    from toolkit.pages import escape, paths

    for cached in (escape._html_text, escape._markdown_text, paths.article_path):
        cached.cache_clear()
    for cached in (paths.entity_path, paths.relative, paths.href):
        cached.cache_clear()


def render_pages(
    graph: Graph,
    *,
    view: SiteView | None = None,
    articles: Iterable[str] | None = None,
    others: bool = True,
) -> dict[str, str]:
    """Every generated page, keyed by its path under the generated docs folder (`iter_pages`
    gathered and sorted)."""
    return dict(sorted(iter_pages(graph, view=view, articles=articles, others=others)))


def iter_pages(
    graph: Graph,
    *,
    view: SiteView | None = None,
    articles: Iterable[str] | None = None,
    others: bool = True,
) -> Iterator[tuple[str, str]]:
    """Every generated page as (path under the generated docs folder, text), one at a time:
    the build writes each as it comes, so that it never holds the whole site (gigabytes at
    10,000 articles).

    `view` is the graph's `SiteView`, shared with `fill_home` (made here if not given). To
    share the work between processes, `articles` limits the article pages to those IDs and
    `others=False` leaves out every page that is not an article page.
    """
    view = view or SiteView(graph)
    common = {"site": view, "graph": graph}
    chosen = list(graph.articles if articles is None else articles)
    with task("writing article pages", len(chosen)) as progress:
        for article_id in chosen:
            progress.advance()
            yield article_path(article_id), _article_page(graph, view, article_id)
    if not others:
        return
    with task("writing entity pages", len(graph.entities)) as progress:
        for entity in graph.entities.values():
            progress.advance()
            yield from _entity_pages(graph, view, entity)
    for old, new in sorted(graph.redirects.items()):
        if new in graph.entities and old not in graph.entities:
            here = entity_path(old)
            yield (
                here,
                render("redirect.md.j2", here, old=old, entity=graph.entities[new], **common),
            )
    for kind in ENTITY_KINDS:
        entities = view.by_kind[kind]
        yield from _list_pages(
            "kind.md.j2", kind_path(kind), entities, "entities", common, kind=kind
        ).items()
    lists = (
        ("articles.md.j2", "articles/index.md", view.by_date(graph.articles), "articles"),
        ("authors.md.j2", "authors/index.md", view.groups("author"), "groups"),
        ("publishers.md.j2", "publishers/index.md", view.groups("publisher"), "groups"),
    )
    for template, first, rows, budget in lists:
        yield from _list_pages(template, first, rows, budget, common, shown=GROUP_SHOWN).items()
    yield from _timeline_pages(view, common).items()
    yield from _list_pages(
        "scenarios.md.j2",
        TRACKER_PATH,
        tracked_scenarios(graph, view),
        "scenarios",
        common,
        weight=tracker_weight,
    ).items()
    yield (
        "entities/index.md",
        render(
            "entities.md.j2",
            "entities/index.md",
            by_kind=view.by_kind,
            shown=ENTITIES_SHOWN,
            **common,
        ),
    )
    yield "tags/index.md", render("tags.md.j2", "tags/index.md", by_kind=view.by_kind, **common)
    yield from _calibration_pages(graph, view, common)


def _calibration_pages(
    graph: Graph, view: SiteView, common: dict[str, Any]
) -> Iterator[tuple[str, str]]:
    """`calibration/index.md` (the method, the table per term, the first authors) and the
    further pages of its authors table, `calibration/authors/<n>/index.md`."""
    rows = author_tallies(graph, view)
    for page in paginate(rows, CALIBRATION_PATH, "authors", budget=BUDGET["scores"]):
        yield (
            page.path,
            render("calibration.md.j2", page.path, page=page, report=view.forecasts, **common),
        )


def _list_pages(
    template: str,
    first: str,
    rows: Sequence[Any],
    budget: str,
    common: dict[str, Any],
    **values: Any,
) -> dict[str, str]:
    """The pages of one list page (`first`, then `<first>/page/<n>/`); a group of articles
    weighs one plus the articles it shows."""
    weight = values.pop("weight", _group_weight if budget == "groups" else (lambda _: 1))
    return {
        page.path: render(template, page.path, page=page, **values, **common)
        for page in paginate(rows, first, "page", budget=BUDGET[budget], weight=weight)
    }


def _mention_weight(row: tuple[object, list[PageMention]]) -> int:
    """An article's mentions weigh one, plus one per item and per stated capability shown."""
    return 1 + sum(1 + len(item.capabilities) for item in row[1])


def _group_weight(row: Any) -> int:
    return 1 + min(len(row[1]), GROUP_SHOWN)


def _entity_pages(graph: Graph, view: SiteView, entity: Any) -> Iterator[tuple[str, str]]:
    """An entity's page, and the further pages of its "Articles by" and "Mentioned in"."""
    first = entity_path(entity.id)
    common = {"site": view, "graph": graph, "entity": entity}
    authored = paginate(view.authored(entity.id), first, "articles", budget=BUDGET["authored"])
    mentions = paginate(
        view.mentions(entity.id),
        first,
        "mentions",
        budget=BUDGET["mentions"],
        weight=_mention_weight,
    )
    shown = _shown(authored[0], mentions[0])
    # As toolkit/export/feeds.py publishes them: a feed for an entity articles refer to, and
    # one for a person with bylines.
    feeds = [
        {"title": FEED_TITLES[scope], "path": feed_path(scope, entity.id)}
        for scope, page in (("entity", mentions[0]), ("author", authored[0]))
        if page.items
    ]
    yield (
        first,
        render(
            "entity.md.j2",
            first,
            kind=view.kind(entity),
            feeds=feeds,
            authored=authored[0],
            mentions=mentions[0],
            jsonld=dump_jsonld(entity_jsonld(graph, entity, shown)),
            **common,
        ),
    )
    for page in authored[1:] + mentions[1:]:
        yield page.path, render("entity_more.md.j2", page.path, page=page, **common)


def _shown(*pages: Page[Any]) -> list[str]:
    """The IDs of the articles on pages of an entity's lists, each once, in page order."""
    return list(dict.fromkeys(row[0].id for page in pages for row in page.items))


def _timeline_pages(view: SiteView, common: dict[str, Any]) -> dict[str, str]:
    """`timeline/index.md`, the years; `timeline/<year>/index.md` (and its further pages),
    the events of one year, `undated` last."""
    years: dict[str, list[Any]] = {}
    for entry in view.timeline:
        date = entry[0].date
        years.setdefault(date.value[:4] if date else "undated", []).append(entry)
    pages = {}
    for year, entries in years.items():
        for page in paginate(
            entries,
            timeline_path(year),
            "page",
            budget=BUDGET["timeline"],
            weight=lambda entry: sum(1 + _involved(a[1]) // 10 for a in entry[1]),
        ):
            pages[page.path] = render(
                "timeline_year.md.j2", page.path, year=year, page=page, **common
            )
    counts = [(year, len(entries)) for year, entries in years.items()]
    pages["timeline/index.md"] = render(
        "timeline.md.j2", "timeline/index.md", years=counts, **common
    )
    return pages


def _involved(event: Any) -> int:
    return len(event.actors) + len(event.places) + len(event.weapon_systems)


def _article_page(graph: Graph, view: SiteView, article_id: str) -> str:
    article = graph.articles[article_id]
    here = article_path(article.id)
    return render(
        "article.md.j2",
        here,
        article=article,
        anchors=view.anchors(article),
        events=view.article_events(article),
        jsonld=dump_jsonld(article_jsonld(graph, article)),
        site=view,
        graph=graph,
    )


def fill_home(text: str, graph: Graph, view: SiteView | None = None) -> str:
    """The hand-written home page with its summary line replaced by what the corpus holds
    (`view`: the `SiteView` the pages were rendered with, if any)."""
    if HOME_MARKER not in text:
        return text
    view = view or SiteView(graph)
    summary = render(
        "summary.md.j2",
        "index.md",
        site=view,
        graph=graph,
        by_kind=view.by_kind,
        latest=[graph.articles[a] for a in view.by_date(graph.articles)][:5],
        events=view.events,
    )
    return text.replace(HOME_MARKER, summary.rstrip("\n"), 1)
