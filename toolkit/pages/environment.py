"""The Jinja environment the pages are rendered in: its filters and its Python globals.

A page is Markdown headings with raw HTML blocks between them (`html` in _macros.md.j2): the
templates write the HTML the Markdown used to become. Entity links, quote blocks and an entity
page's mention items are written here, not in templates: they are on every line of the big
pages. Every `{{ }}` goes through `escape.finalize` (HTML text); the globals return Markup built
from escaped parts; links are `href`s between published URLs (paths.py).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from toolkit.errors import RenderError
from toolkit.format.urls import json_path
from toolkit.format.vocab import BASIS_LABELS, ICD203, ICD203_BANDS, KIND_LABELS
from toolkit.link.forecasts import MINIMUM_SCORED, UNSCORED_REASONS
from toolkit.link.likelihood import MAPPINGS, READER_MEDIANS
from toolkit.models import Article
from toolkit.pages.escape import checked_id, finalize, heading, html_text, markdown_text, url
from toolkit.pages.forecasts import brier_text, figure, percent
from toolkit.pages.paginate import page_numbers
from toolkit.pages.paths import (
    CALIBRATION_PATH,
    article_path,
    entity_path,
    href,
    kind_path,
    relative,
    timeline_path,
)
from toolkit.pages.views import PageMention, Speaker, sentence, verbatim
from toolkit.text.excerpt import QUOTES, excerpt

__all__ = ["render"]

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
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


def render(template: str, here: str, **values: Any) -> str:
    """The page at `here` (its path, which relative links start from), tidied."""
    text = _environment().get_template(template).render(here=here, **values)
    return _tidy(text)


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("toolkit.pages", "templates"),
        autoescape=True,
        finalize=finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        heading=heading,
        md=markdown_text,
        squeeze=_squeeze,
        url=url,
        date=_human_date,
        sentence=sentence,
        id=lambda value: Markup(checked_id(value)),
        basis=lambda value: BASIS_LABELS.get(value, value),
        language=_language,
        excerpt=lambda value: excerpt(value).text,
        percent=percent,
        figure=figure,
    )
    env.tests["verbatim"] = verbatim
    env.globals.update(
        rel=_rel,
        href=_href,
        jsonld_script=_jsonld_script,
        link=_link,
        links=_links,
        quotes=_quotes,
        mention_items=_mention_items,
        KIND_LABELS=KIND_LABELS,
        ICD203=ICD203,
        ICD203_BANDS=ICD203_BANDS,
        MAPPINGS=MAPPINGS,
        READER_MEDIANS=READER_MEDIANS,
        MINIMUM_SCORED=MINIMUM_SCORED,
        UNSCORED_REASONS=UNSCORED_REASONS,
        CALIBRATION_PATH=CALIBRATION_PATH,
        brier_text=brier_text,
        ICD203_ORDER={term: str(rank) for rank, term in enumerate(ICD203)},
        article_path=article_path,
        json_path=json_path,
        entity_path=entity_path,
        kind_path=kind_path,
        page_numbers=page_numbers,
        timeline_path=timeline_path,
    )
    return env


def _tidy(text: str) -> str:
    """Trailing spaces off (except Markdown line breaks), one blank line at most, final newline."""
    lines = [
        line if line.endswith("  ") and line.strip() else line.rstrip() for line in text.split("\n")
    ]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"


def _squeeze(text: Markup) -> Markup:
    """An HTML block's lines, stripped, without the empty ones: a blank line would end the
    block for Python-Markdown, and indentation is nothing to HTML."""
    return Markup("\n".join(line for line in map(str.strip, str(text).split("\n")) if line))


# --- filters --------------------------------------------------------------------------------


def _human_date(value: str) -> str:
    """`2024-11-05` → `5 November 2024`, `2024-11` → `November 2024`, `2024` → `2024`."""
    parts = value.split("-")
    if len(parts) == 1:
        return parts[0]
    month = _MONTHS[int(parts[1]) - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"


def _language(tag: str) -> str:
    """`en` → `English (en)`; unknown tags as they are."""
    name = _LANGUAGES.get(tag.split("-")[0].lower())
    return f"{name} ({tag})" if name else tag


# --- globals --------------------------------------------------------------------------------


def _folder(context: Context) -> str:
    """The folder of the page being rendered (`here`), where its Markdown links start."""
    return posixpath.dirname(str(context["here"]))


@pass_context
def _rel(context: Context, target: str, anchor: str = "") -> Markup:
    """A Markdown link target relative to the page being rendered (`here`), validated by
    mkdocs (the few links outside the HTML blocks)."""
    return relative(_folder(context), target, anchor)


@pass_context
def _href(context: Context, target: str, anchor: str = "") -> Markup:
    """An `href` to `target` (a docs path) from the page being rendered (`here`)."""
    return href(str(context["here"]), target, anchor)


def _a(target: Markup, text: Markup, cls: str = "") -> Markup:
    extra = f' class="{cls}"' if cls else ""
    return Markup(f'<a href="{target}"{extra}>{text}</a>')


@pass_context
def _link(context: Context, entity_id: str, anchor: str = "") -> Markup:
    """`<a>` to an entity's page (redirects followed); an unknown ID as plain text."""
    entity = context["site"].entity(entity_id)
    if entity is None:
        return html_text(entity_id)
    target = href(str(context["here"]), entity_path(entity.id), anchor)
    return _a(target, html_text(entity.name))


@pass_context
def _links(context: Context, entity_ids: list[str]) -> Markup:
    return Markup(", ").join(_link(context, entity_id) for entity_id in entity_ids)


def _quotes(texts: Iterable[str]) -> Markup:
    """Quotes as one block quote, a paragraph each."""
    shown = "".join(f"<p>“{html_text(text)}”</p>" for text in texts)
    return Markup(f"<blockquote>{shown}</blockquote>" if shown else "")


def _jsonld_script(data: Markup) -> Markup:
    """The page's JSON-LD as a script element. `dump_jsonld` writes `<`, `>` and `&` as `\\u`
    escapes, so the data cannot end the element; checked here all the same."""
    if set(data) & {"<", ">", "&"}:
        raise RenderError("JSON-LD holding <, > or & would not stay inside its script element")
    return Markup(f'<script type="application/ld+json">{data}</script>')


def _speaker(context: Context, speaker: Speaker) -> Markup:
    """A speaker as the article page names it: the entity's link, or the group's words with
    the entity they belong to."""
    if speaker.group is None:
        return _link(context, speaker.entity) if speaker.entity else Markup("others")
    words = Markup(f"“{html_text(speaker.group)}”")
    if speaker.entity is None:
        return words
    return Markup(f"{words} ({_link(context, speaker.entity)})")


def _capabilities(context: Context, item: PageMention) -> str:
    """A weapon system's stated capabilities in one article: text, whose claim, a quote."""
    if not item.capabilities:
        return ""
    lines = ['<p class="stratlas-small"><strong>Stated capabilities</strong></p><ul>']
    for capability in item.capabilities:
        said = f" (said by {_speaker(context, capability.speaker)})" if capability.speaker else ""
        quote = f" — “{html_text(excerpt(capability.quotes[0]).text)}”" if capability.quotes else ""
        lines.append(f"<li>{html_text(capability.text)}{said}{quote}</li>")
    return "".join(lines) + "</ul>"


@pass_context
def _mention_items(context: Context, article: Article, items: Iterable[PageMention]) -> Markup:
    """An entity page's items for one article that mentions it (written here, not in the
    template: big entity pages hold tens of thousands of them), one line each. Each shows an
    excerpt of the item's words and of at most `QUOTES` quotes; the full text is on the
    article page, which "In context" links to."""
    here = str(context["here"])
    page = article_path(article.id)
    parts = []
    for item in items:
        target = href(here, page, item.anchor)
        text = html_text(excerpt(item.text).text)
        if item.verbatim:
            text = Markup(f"“{text}”")
        shown = [excerpt(quote).text for quote in item.quotes[:QUOTES]]
        hidden = len(item.quotes) - len(shown)
        more = (
            f'<p class="stratlas-small">{hidden} more {"quote" if hidden == 1 else "quotes"} '
            f"{_a(target, Markup('on the article page'), 'stratlas-context')}</p>"
            if hidden
            else ""
        )
        said = f" · said by {_speaker(context, item.speaker)}" if item.speaker else ""
        parts.append(
            '<div class="stratlas-item">'
            f'<p class="stratlas-lead"><span class="stratlas-role">{html_text(item.label)}</span>'
            f" {text}{said} {_a(target, Markup('In context'), 'stratlas-context')}</p>"
            f"{_quotes(shown)}{more}{_capabilities(context, item)}"
            "</div>\n"
        )
    return Markup("".join(parts))
