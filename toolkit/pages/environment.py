"""The Jinja environment the pages are rendered in: its filters and its Python globals.

Entity links, quote blocks and an entity page's mention items are written here, not in
templates: they are on every line of the big pages. Every `{{ }}` goes through
`escape.finalize`; the globals return Markup built from escaped parts.
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

from toolkit.format.urls import json_path
from toolkit.format.vocab import BASIS_LABELS, ICD203, KIND_LABELS
from toolkit.models import Article
from toolkit.pages.escape import checked_id, finalize, heading, markdown_text, url
from toolkit.pages.paths import article_path, entity_path, kind_path, relative
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
        url=url,
        date=_human_date,
        sentence=sentence,
        id=lambda value: Markup(checked_id(value)),
        basis=lambda value: BASIS_LABELS.get(value, value),
        language=_language,
        excerpt=lambda value: excerpt(value).text,
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
        kind_path=kind_path,
    )
    return env


def _tidy(text: str) -> str:
    """Trailing spaces off (except Markdown line breaks), one blank line at most, final newline."""
    lines = [
        line if line.endswith("  ") and line.strip() else line.rstrip() for line in text.split("\n")
    ]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"


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
    """The folder of the page being rendered (`here`), where its relative links start."""
    return posixpath.dirname(str(context["here"]))


@pass_context
def _rel(context: Context, target: str, anchor: str = "") -> Markup:
    """A link target relative to the page being rendered (`here`), validated by mkdocs."""
    return relative(_folder(context), target, anchor)


@pass_context
def _link(context: Context, entity_id: str, anchor: str = "") -> Markup:
    """`[name](page)` for an entity ID (redirects followed); an unknown ID as plain text."""
    entity = context["site"].entity(entity_id)
    if entity is None:
        return markdown_text(entity_id)
    target = relative(_folder(context), entity_path(entity.id), anchor)
    return Markup(f"[{markdown_text(entity.name)}]({target})")


@pass_context
def _links(context: Context, entity_ids: list[str]) -> Markup:
    return markdown_text(", ").join(_link(context, entity_id) for entity_id in entity_ids)


def _quotes(texts: Iterable[str]) -> Markup:
    """Quotes as one Markdown block quote, a `>` line between them."""
    return Markup(">\n").join(Markup(f"> “{markdown_text(text)}”\n") for text in texts)


def _speaker(context: Context, speaker: Speaker) -> Markup:
    """A speaker as the article page names it: the entity's link, or the group's words with
    the entity they belong to."""
    if speaker.group is None:
        return _link(context, speaker.entity) if speaker.entity else markdown_text("others")
    words = Markup(f"“{markdown_text(speaker.group)}”")
    if speaker.entity is None:
        return words
    return Markup(f"{words} ({_link(context, speaker.entity)})")


def _capabilities(context: Context, item: PageMention) -> Markup:
    """A weapon system's stated capabilities in one article: text, whose claim, a quote."""
    if not item.capabilities:
        return Markup("")
    lines = [Markup("**Stated capabilities**\n{: .stratlas-small }\n\n")]
    for capability in item.capabilities:
        said = f" (said by {_speaker(context, capability.speaker)})" if capability.speaker else ""
        quote = (
            f" — “{markdown_text(excerpt(capability.quotes[0]).text)}”" if capability.quotes else ""
        )
        lines.append(Markup(f"- {markdown_text(capability.text)}{said}{quote}\n"))
    return Markup("".join(lines) + "\n")


@pass_context
def _mention_items(context: Context, article: Article, items: Iterable[PageMention]) -> Markup:
    """An entity page's items for one article that mentions it (written here, not in the
    template: big entity pages hold tens of thousands of them). Each shows an excerpt of the
    item's words and of at most `QUOTES` quotes; the full text is on the article page, which
    "In context" links to."""
    folder = _folder(context)
    page = article_path(article.id)
    parts = []
    for item in items:
        target = relative(folder, page, item.anchor)
        text = markdown_text(excerpt(item.text).text)
        if item.verbatim:
            text = Markup(f"“{text}”")
        shown = [excerpt(quote).text for quote in item.quotes[:QUOTES]]
        hidden = len(item.quotes) - len(shown)
        more = (
            f"{hidden} more {'quote' if hidden == 1 else 'quotes'} "
            f"[on the article page]({target}){{: .stratlas-context }}\n"
            "{: .stratlas-small }\n\n"
            if hidden
            else ""
        )
        said = f" · said by {_speaker(context, item.speaker)}" if item.speaker else ""
        parts.append(
            '<div class="stratlas-item" markdown>\n\n'
            f'<span class="stratlas-role">{markdown_text(item.label)}</span> {text}{said} '
            f"[In context]({target}){{: .stratlas-context }}\n"
            "{: .stratlas-lead }\n\n"
            f"{_quotes(shown)}\n\n"
            f"{more}"
            f"{_capabilities(context, item)}"
            "</div>\n\n"
        )
    return Markup("".join(parts))
