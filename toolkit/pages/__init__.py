"""Records and the entity graph → the site's Markdown pages, as `{relative path: text}`.

A page is fixed front matter (`stratlas: html` marks it for toolkit/site/plugin.py), its title
and section headings in Markdown (mkdocs and Zensical make the title, table of contents and
permalinks), and between headings raw HTML blocks the templates write directly: one block per
section (never per item), no blank line inside, ending with the JSON-LD script. Links in the
blocks are relative to the page's published URL; each page is an `index.md` in its own folder,
where mkdocs and Zensical agree on what such a link means (paths.py).

Pure: nothing here touches the disk (`toolkit/site` writes). The modules, in the order a page is
made: `views` (what the pages show, derived from the graph), `jsonld` (schema.org data),
`environment` (Jinja, its filters and globals; templates in `templates/`), `escape` (every printed
value made inert HTML, or inert Markdown in headings: SECURITY.md), `paths` (where pages live,
relative links). Nothing from a record reaches front matter.
"""

from __future__ import annotations

from collections.abc import Iterable

from toolkit.format.vocab import ENTITY_KINDS
from toolkit.link import Graph
from toolkit.pages.environment import render
from toolkit.pages.jsonld import article_jsonld, dump_jsonld, entity_jsonld
from toolkit.pages.paths import article_path, entity_path, kind_path
from toolkit.pages.views import SiteView
from toolkit.runtime.progress import task

__all__ = ["HOME_MARKER", "SiteView", "fill_home", "render_pages"]

#: Line in the hand-written docs/index.md that the build replaces with the corpus summary.
HOME_MARKER = "<!-- stratlas:summary -->"


def render_pages(
    graph: Graph,
    *,
    view: SiteView | None = None,
    articles: Iterable[str] | None = None,
    others: bool = True,
) -> dict[str, str]:
    """Every generated page, keyed by its path under the generated docs folder.

    `view` is the graph's `SiteView`, shared with `fill_home` (made here if not given). To
    share the work between processes, `articles` limits the article pages to those IDs and
    `others=False` leaves out every page that is not an article page.
    """
    view = view or SiteView(graph)
    common = {"site": view, "graph": graph}
    pages: dict[str, str] = {}
    chosen = list(graph.articles if articles is None else articles)
    with task("writing article pages", len(chosen)) as progress:
        for article_id in chosen:
            progress.advance()
            pages[article_path(article_id)] = _article_page(graph, view, article_id)
    if not others:
        return dict(sorted(pages.items()))
    with task("writing entity pages", len(graph.entities)) as progress:
        for entity in graph.entities.values():
            progress.advance()
            here = entity_path(entity.id)
            pages[here] = render(
                "entity.md.j2",
                here,
                entity=entity,
                kind=view.kind(entity),
                jsonld=dump_jsonld(entity_jsonld(graph, entity)),
                **common,
            )
    for old, new in sorted(graph.redirects.items()):
        if new in graph.entities and old not in graph.entities:
            here = entity_path(old)
            pages[here] = render(
                "redirect.md.j2", here, old=old, entity=graph.entities[new], **common
            )
    for kind in ENTITY_KINDS:
        here = kind_path(kind)
        pages[here] = render("kind.md.j2", here, kind=kind, entities=view.by_kind[kind], **common)
    indexes: dict[str, tuple[str, dict[str, object]]] = {
        "articles/index.md": ("articles.md.j2", {"articles": view.by_date(graph.articles)}),
        "entities/index.md": ("entities.md.j2", {"by_kind": view.by_kind}),
        "authors/index.md": ("authors.md.j2", {"groups": view.groups("author")}),
        "publishers/index.md": ("publishers.md.j2", {"groups": view.groups("publisher")}),
        "timeline/index.md": ("timeline.md.j2", {"entries": view.timeline}),
        "tags.md": ("tags.md.j2", {}),
    }
    for here, (template, values) in indexes.items():
        pages[here] = render(template, here, **values, **common)
    return dict(sorted(pages.items()))


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
