"""Where pages live in the generated docs folder, and links between them.

Page sources are `articles/<id>.md` and `entities/<id>.md` under the folders of
`toolkit/format/urls.py` (mkdocs publishes them at `urls.page_path`). Links are relative to the
page being rendered, so the site works under any base URL; mkdocs validates them.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from urllib.parse import quote

from markupsafe import Markup

from toolkit.errors import RenderError
from toolkit.format.urls import folder
from toolkit.pages.escape import checked_id

__all__ = ["article_path", "entity_path", "kind_path", "relative"]

_SITE_PATH = re.compile(r"[a-z0-9][a-z0-9.-]*(?:/[a-z0-9][a-z0-9.-]*)*")


@lru_cache(maxsize=65536)
def article_path(article_id: str) -> str:
    """`articles/<id>.md`: the Markdown source of an article's page."""
    return f"{folder('article')}/{checked_id(article_id)}.md"


@lru_cache(maxsize=65536)
def entity_path(entity_id: str) -> str:
    """`entities/<id>.md`: the Markdown source of an entity's page (or of its redirect)."""
    return f"{folder('entity')}/{checked_id(entity_id)}.md"


def kind_path(kind: str) -> str:
    """`kinds/<kind>.md`: the page listing the entities of one kind."""
    return f"kinds/{checked_id(kind)}.md"


@lru_cache(maxsize=65536)
def relative(here_folder: str, target: str, anchor: str = "") -> Markup:
    """`target` (a site path, with an optional anchor) as a link from a page in `here_folder`."""
    if not _SITE_PATH.fullmatch(target):
        raise RenderError(f"not a site path: {target!r}")
    path = posixpath.relpath(target, here_folder or ".")
    if anchor:
        path += "#" + checked_id(anchor)
    return Markup(quote(path, safe="/#.-_"))
