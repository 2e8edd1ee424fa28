"""Records and the entity graph → the site's Markdown pages, as `{relative path: text}`.

Pure: nothing here touches the disk (`site.py` writes). Record text is data, never Markup and
never a template: every value a template prints goes through `markdown_text`, which writes each
ASCII punctuation character as a numeric character reference (SECURITY.md), so no record can
open a tag, a link, an attribute list, an abbreviation, a reference definition or an include.
Links come only from entity references and URL fields. Nothing from a record reaches front matter.
"""

from __future__ import annotations

import posixpath
import re
import string
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined, Undefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from toolkit.errors import RenderError
from toolkit.format.ids import is_valid_id
from toolkit.format.urls import json_path
from toolkit.format.vocab import BASIS_LABELS, ENTITY_KINDS, ICD203, KIND_LABELS
from toolkit.jsonld import article_jsonld, dump_jsonld, entity_jsonld
from toolkit.link import Graph
from toolkit.models import Article
from toolkit.views import Mention, SiteView, human_date, verbatim

__all__ = [
    "HOME_MARKER",
    "RenderError",
    "article_path",
    "entity_path",
    "fill_home",
    "markdown_text",
    "render_pages",
]

#: Line in the hand-written docs/index.md that the build replaces with the corpus summary.
HOME_MARKER = "<!-- stratlas:summary -->"

#: `str.translate` table: ASCII punctuation → numeric character reference, controls → dropped.
_INERT: dict[int, str | None] = {
    **{code: None for code in range(0x110000) if unicodedata.category(chr(code)) == "Cc"},
    **{ord(char): f"&#{ord(char)};" for char in string.punctuation},
}
_WHITESPACE = re.compile(r"\s+")
_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#]\S*)?")
_SITE_PATH = re.compile(r"[a-z0-9][a-z0-9.-]*(?:/[a-z0-9][a-z0-9.-]*)*")
#: Kept as they are in URLs; everything else is percent-encoded (no `(`, `)`, `<`, `"`, `'`).
_URL_SAFE = "-._~:/?#@!$&+,;=%"


# --- escaping -------------------------------------------------------------------------------


def markdown_text(value: str) -> Markup:
    """Record text as inert Markdown: one line (each run of white space becomes one space),
    every ASCII punctuation character written as a numeric character reference, control
    characters dropped."""
    return _markdown_text(value)


@lru_cache(maxsize=65536)
def _markdown_text(value: str) -> Markup:
    # Names, titles and roles repeat on many pages: the cache turns them into one lookup.
    # Printable text holds no white space but " " (str.isprintable), so most skips the regex.
    if not value.isprintable() or "  " in value:
        value = _WHITESPACE.sub(" ", value)
    return Markup(value.translate(_INERT))


def _heading(value: str) -> Markup:
    """Text for the page's `# ` heading, which mkdocs turns into `page.title`.

    Material prints `page.title | striptags` into `<title>`, and `striptags` decodes the
    character references again; a word joiner after each `<` keeps `</title>` (or any tag)
    from forming there, and one after each `&` keeps a literal `&lt;` in the text from being
    read as a character reference there. The joiner is invisible on the page.
    """
    text = str(markdown_text(value))
    return Markup(text.replace("&#60;", "&#60;&#8288;").replace("&#38;", "&#38;&#8288;"))


def _url(value: str) -> Markup:
    """An http(s) URL field as a Markdown link target, percent-encoding what Markdown reads."""
    if not _URL.fullmatch(value):
        raise RenderError(f"not an http(s) URL: {value!r}")
    return Markup(quote(value, safe=_URL_SAFE))


def _finalize(value: object) -> object:
    if isinstance(value, Markup):
        return value
    if type(value) is Undefined:  # `{{ x if y }}` with y false; StrictUndefined still raises
        return Markup()
    if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        return markdown_text(str(value))
    raise RenderError(f"a template printed {type(value).__name__} {value!r}")


# --- paths ----------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def article_path(article_id: str) -> str:
    return f"articles/{_checked_id(article_id)}.md"


@lru_cache(maxsize=65536)
def entity_path(entity_id: str) -> str:
    return f"entities/{_checked_id(entity_id)}.md"


def _checked_id(value: str) -> str:
    if not is_valid_id(value):
        raise RenderError(f"not a valid ID: {value!r}")
    return value


def _sentence(label: str) -> str:
    return label[:1].upper() + label[1:]


def _language(tag: str) -> str:
    """`en` → `English (en)`; unknown tags as they are."""
    name = _LANGUAGES.get(tag.split("-")[0].lower())
    return f"{name} ({tag})" if name else tag


_LANGUAGES = {
    "ar": "Arabic",
    "de": "German",
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "pl": "Polish",
    "ru": "Russian",
    "uk": "Ukrainian",
    "zh": "Chinese",
}


# --- the Jinja environment ------------------------------------------------------------------


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("toolkit", "templates"),
        autoescape=True,
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        heading=_heading,
        url=_url,
        date=human_date,
        sentence=_sentence,
        id=lambda value: Markup(_checked_id(value)),
        basis=lambda value: BASIS_LABELS.get(value, value),
        language=_language,
    )
    env.tests["verbatim"] = verbatim
    env.globals.update(
        rel=_rel,
        link=_link,
        links=_links,
        quotes=_quotes,
        mention_items=_mention_items,
        KIND_LABELS=KIND_LABELS,
        ICD203=ICD203,
        article_path=article_path,
        json_path=json_path,
        entity_path=entity_path,
    )
    return env


@pass_context
def _rel(context: Context, target: str, anchor: str = "") -> Markup:
    """A link target relative to the page being rendered (`here`), validated by mkdocs."""
    return _relative(posixpath.dirname(str(context["here"])), target, anchor)


@lru_cache(maxsize=65536)
def _relative(folder: str, target: str, anchor: str) -> Markup:
    if not _SITE_PATH.fullmatch(target):
        raise RenderError(f"not a site path: {target!r}")
    path = posixpath.relpath(target, folder or ".")
    if anchor:
        path += "#" + _checked_id(anchor)
    return Markup(quote(path, safe="/#.-_"))


@pass_context
def _link(context: Context, entity_id: str, anchor: str = "") -> Markup:
    """`[name](page)` for an entity ID (redirects followed); an unknown ID as plain text."""
    entity = context["site"].entity(entity_id)
    if entity is None:
        return markdown_text(entity_id)
    target = _relative(posixpath.dirname(str(context["here"])), entity_path(entity.id), anchor)
    return Markup(f"[{markdown_text(entity.name)}]({target})")


@pass_context
def _links(context: Context, entity_ids: list[str]) -> Markup:
    return markdown_text(", ").join(_link(context, entity_id) for entity_id in entity_ids)


def _quotes(texts: Iterable[str]) -> Markup:
    """Quotes as one Markdown block quote, a `>` line between them."""
    return Markup(">\n").join(Markup(f"> “{markdown_text(text)}”\n") for text in texts)


@pass_context
def _mention_items(context: Context, article: Article, items: Iterable[Mention]) -> Markup:
    """An entity page's items for one article that mentions it (written here, not in the
    template: big entity pages hold tens of thousands of them)."""
    folder = posixpath.dirname(str(context["here"]))
    page = article_path(article.id)
    parts = []
    for item in items:
        text = markdown_text(item.text)
        if item.verbatim:
            text = Markup(f"“{text}”")
        parts.append(
            '<div class="stratlas-item" markdown>\n\n'
            f'<span class="stratlas-role">{markdown_text(item.label)}</span> {text} '
            f"[In context]({_relative(folder, page, item.anchor)}){{: .stratlas-context }}\n"
            "{: .stratlas-lead }\n\n"
            f"{_quotes(item.quotes)}\n\n"
            "</div>\n\n"
        )
    return Markup("".join(parts))


def _render(template: str, here: str, **values: Any) -> str:
    text = _environment().get_template(template).render(here=here, **values)
    return _tidy(text)


def _tidy(text: str) -> str:
    """Trailing spaces off (except Markdown line breaks), one blank line at most, final newline."""
    lines = [
        line if line.endswith("  ") and line.strip() else line.rstrip() for line in text.split("\n")
    ]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"


# --- pages ----------------------------------------------------------------------------------


def render_pages(
    graph: Graph, *, articles: Iterable[str] | None = None, others: bool = True
) -> dict[str, str]:
    """Every generated page, keyed by its path under the generated docs folder.

    To share the work between processes, `articles` limits the article pages to those IDs
    and `others=False` leaves out every page that is not an article page.
    """
    view = _view(graph)
    common = {"site": view, "graph": graph}
    pages: dict[str, str] = {}
    for article_id in graph.articles if articles is None else articles:
        article = graph.articles[article_id]
        here = article_path(article.id)
        pages[here] = _render(
            "article.md.j2",
            here,
            article=article,
            anchors=view.anchors(article),
            events=view.article_events(article),
            jsonld=dump_jsonld(article_jsonld(graph, article)),
            **common,
        )
    if not others:
        return dict(sorted(pages.items()))
    for entity in graph.entities.values():
        here = entity_path(entity.id)
        pages[here] = _render(
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
            pages[here] = _render(
                "redirect.md.j2", here, old=old, entity=graph.entities[new], **common
            )
    for kind in ENTITY_KINDS:
        here = f"kinds/{kind}.md"
        pages[here] = _render("kind.md.j2", here, kind=kind, entities=view.by_kind[kind], **common)
    indexes: dict[str, tuple[str, dict[str, object]]] = {
        "articles/index.md": ("articles.md.j2", {"articles": view.by_date(graph.articles)}),
        "entities/index.md": ("entities.md.j2", {"by_kind": view.by_kind}),
        "authors/index.md": ("authors.md.j2", {"groups": view.groups("author")}),
        "publishers/index.md": ("publishers.md.j2", {"groups": view.groups("publisher")}),
        "timeline.md": ("timeline.md.j2", {"rows": view.events}),
        "tags.md": ("tags.md.j2", {}),
    }
    for here, (template, values) in indexes.items():
        pages[here] = _render(template, here, **values, **common)
    return dict(sorted(pages.items()))


def _view(graph: Graph) -> SiteView:
    """The graph's one `SiteView` (what it computes is shared by every page)."""
    if "site_view" not in graph.memo:
        graph.memo["site_view"] = SiteView(graph)
    view: SiteView = graph.memo["site_view"]
    return view


def fill_home(text: str, graph: Graph) -> str:
    """The hand-written home page with its summary line replaced by what the corpus holds."""
    if HOME_MARKER not in text:
        return text
    view = _view(graph)
    summary = _render(
        "summary.md.j2",
        "index.md",
        site=view,
        graph=graph,
        by_kind=view.by_kind,
        latest=[graph.articles[a] for a in view.by_date(graph.articles)][:5],
        events=view.events,
    )
    return text.replace(HOME_MARKER, summary.rstrip("\n"), 1)
