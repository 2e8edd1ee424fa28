"""The `stratlas` mkdocs plugin: Python-Markdown never reads the generated pages' HTML blocks.

A generated page (front matter `stratlas: html`, toolkit/pages) is Markdown headings with raw
HTML blocks between them: top-level chunks, separated by blank lines, that start with `<`.
Python-Markdown would pass each block through unchanged, after running it through html.parser
twice (its HTML block preprocessor, then mkdocs' anchor collector), which was most of the build.
So `on_page_markdown` swaps each block for a one-line placeholder element, and `on_post_page`
swaps the placeholders back for the blocks, read again from the page's source file: mkdocs never
holds the pages' full HTML in memory between its two passes. Placeholders carry a nonce drawn
for each build, so no record text can forge one. Pages without the front matter key (the
hand-written docs) are left alone.

While Material's search plugin is listed it must index the real text, and it keeps every page's
text anyway: the blocks go back in `on_page_content`, before it runs.

Without this plugin (or under Zensical, which ignores it) the same pages build to the same HTML,
only slower: tests/test_site_plugin.py compares the two.
"""

from __future__ import annotations

import secrets

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

__all__ = ["FLAG", "StratlasPlugin", "html_blocks"]

#: The front matter key and value that mark a page whose blocks the plugin may take out.
FLAG = ("stratlas", "html")
_SEARCH_PLUGINS = ("search", "material/search")


def html_blocks(markdown: str) -> list[str]:
    """The raw HTML blocks of a generated page's Markdown (front matter removed): its
    top-level chunks that start with `<`, in order, without the page's final newline."""
    return [chunk.rstrip("\n") for chunk in markdown.split("\n\n") if chunk.startswith("<")]


class StratlasPlugin(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """Keeps the generated pages' HTML blocks away from Python-Markdown (module docstring)."""

    def __init__(self) -> None:
        self._nonce = ""
        self._early = False
        #: src_uri → hash of the blocks taken out; the blocks themselves are read again later.
        self._pending: dict[str, int] = {}

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self._nonce = secrets.token_hex(16)
        self._early = any(name in config.plugins for name in _SEARCH_PLUGINS)
        self._pending = {}
        return config

    def _placeholder(self, index: int) -> str:
        # An HTML block itself (a tiny one), so Python-Markdown puts the same white space
        # around it as around the block it stands for (a paragraph would lose a blank line).
        return f"<p>stratlas{self._nonce}x{index}</p>"

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if page.meta.get(FLAG[0]) != FLAG[1]:
            return markdown
        chunks = markdown.split("\n\n")
        blocks: list[str] = []
        for position, chunk in enumerate(chunks):
            if chunk.startswith("<"):
                chunks[position] = self._placeholder(len(blocks))
                blocks.append(chunk.rstrip("\n"))
        self._pending[page.file.src_uri] = hash(tuple(blocks))
        return "\n\n".join(chunks)

    @event_priority(100)  # before the search plugin reads the content
    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self._early or page.file.src_uri not in self._pending:
            return html
        return self._put_back(html, page)

    @event_priority(100)  # before any other plugin reads the page
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        if page.file.src_uri not in self._pending:
            return output
        return self._put_back(output, page)

    def _put_back(self, html: str, page: Page) -> str:
        expected = self._pending.pop(page.file.src_uri)
        blocks = html_blocks(get_data(page.file.content_string)[0])
        if hash(tuple(blocks)) != expected:
            raise PluginError(f"{page.file.src_uri} changed during the build: build again")
        for index, block in enumerate(blocks):
            placeholder = self._placeholder(index)
            if html.count(placeholder) != 1:
                raise PluginError(f"{page.file.src_uri}: HTML block {index} lost its place")
            html = html.replace(placeholder, block, 1)
        return html

