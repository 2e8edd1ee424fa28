"""The escaping policy: record text → inert HTML or inert Markdown (SECURITY.md).

Record text is data, never Markup and never a template. A generated page is Markdown headings
with raw HTML blocks between them, which no Markdown processor reads. Every value a template
prints goes through `finalize`, which sends strings through `html_text`: one line (a block holds
no blank line, or it would end there), control characters dropped, `<`, `>`, `&`, `"` and `'`
escaped, so no record can open a tag or an attribute. The few record values printed into
Markdown (headings) go through `markdown_text` instead (the `heading` and `md` filters), which
writes each ASCII punctuation character as a numeric character reference, so no record can open
a link, an attribute list, an abbreviation, a reference definition or an include there either.
Links come only from entity references (`checked_id`) and URL fields (`url`).
"""

from __future__ import annotations

import re
import string
import unicodedata
from functools import lru_cache
from urllib.parse import quote

from jinja2 import Undefined
from markupsafe import Markup, escape

from toolkit.errors import RenderError
from toolkit.format.ids import is_valid_id

__all__ = ["checked_id", "finalize", "heading", "html_text", "markdown_text", "url"]

#: `str.translate` table: ASCII punctuation → numeric character reference, controls → dropped.
_INERT: dict[int, str | None] = {
    **{code: None for code in range(0x110000) if unicodedata.category(chr(code)) == "Cc"},
    **{ord(char): f"&#{ord(char)};" for char in string.punctuation},
}
_CONTROLS: dict[int, str | None] = {code: None for code, _ in _INERT.items() if _ is None}
_WHITESPACE = re.compile(r"\s+")
_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#]\S*)?")
#: Kept as they are in URLs; everything else is percent-encoded (no `(`, `)`, `<`, `"`, `'`).
_URL_SAFE = "-._~:/?#@!$&+,;=%"


def html_text(value: str) -> Markup:
    """Record text as inert HTML text on one line: each run of white space becomes one space,
    control characters are dropped, and `<`, `>`, `&`, `"`, `'` are escaped."""
    return _html_text(value)


@lru_cache(maxsize=65536)
def _html_text(value: str) -> Markup:
    # As in _markdown_text: names and titles repeat, printable text skips the regex.
    if not value.isprintable() or "  " in value:
        value = _WHITESPACE.sub(" ", value).translate(_CONTROLS)
    return escape(value)


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


def heading(value: str) -> Markup:
    """Text for the page's `# ` heading, which mkdocs turns into `page.title`.

    Material prints `page.title | striptags` into `<title>`, and `striptags` decodes the
    character references again; a word joiner after each `<` keeps `</title>` (or any tag)
    from forming there, and one after each `&` keeps a literal `&lt;` in the text from being
    read as a character reference there. The joiner is invisible on the page.
    """
    text = str(markdown_text(value))
    return Markup(text.replace("&#60;", "&#60;&#8288;").replace("&#38;", "&#38;&#8288;"))


def url(value: str) -> Markup:
    """An http(s) URL field as an `href` value: percent-encoded but for the characters kept
    in `_URL_SAFE` (no quote, bracket or parenthesis), then `&` written as `&amp;`."""
    if not _URL.fullmatch(value):
        raise RenderError(f"not an http(s) URL: {value!r}")
    return escape(quote(value, safe=_URL_SAFE))


def checked_id(value: str) -> str:
    """A record ID about to become part of a path or an anchor (IDs are slugs: inert as they are)."""
    if not is_valid_id(value):
        raise RenderError(f"not a valid ID: {value!r}")
    return value


def finalize(value: object) -> object:
    """What `{{ value }}` prints: Markup as it is, strings and numbers as HTML text (`html_text`),
    nothing else."""
    if isinstance(value, Markup):
        return value
    if type(value) is Undefined:  # `{{ x if y }}` with y false; StrictUndefined still raises
        return Markup()
    if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        return html_text(str(value))
    raise RenderError(f"a template printed {type(value).__name__} {value!r}")
