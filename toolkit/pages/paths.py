"""Where pages live in the generated docs folder, and links between them.

Page sources are `articles/<id>/index.md` and `entities/<id>/index.md` under the folders of
`toolkit/format/urls.py` (published at `urls.page_path`). Each page is an `index.md` in its own
folder, its source folder its published folder: Zensical reads a relative URL in raw HTML as
relative to the source file (mkdocs leaves it alone, relative to the published page), and the
two agree only there. Links are relative to the
page being rendered, so the site works under any base URL. Two kinds: `relative` for the few
Markdown links left (between sources; mkdocs validates and rewrites them), `href` for the raw
HTML that makes up the page bodies (between published URLs; nothing rewrites them).
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

__all__ = [
    "CALIBRATION_PATH",
    "article_path",
    "entity_path",
    "href",
    "kind_path",
    "published",
    "relative",
    "timeline_path",
]

_SITE_PATH = re.compile(r"[a-z0-9][a-z0-9.-]*(?:/[a-z0-9][a-z0-9.-]*)*")


@lru_cache(maxsize=65536)
def article_path(article_id: str) -> str:
    """`articles/<id>/index.md`: the Markdown source of an article's page."""
    return f"{folder('article')}/{checked_id(article_id)}/index.md"


@lru_cache(maxsize=65536)
def entity_path(entity_id: str) -> str:
    """`entities/<id>/index.md`: the Markdown source of an entity's page (or of its redirect)."""
    return f"{folder('entity')}/{checked_id(entity_id)}/index.md"


#: The calibration page: how the forecasts are scored, per term and per author (issue 19).
CALIBRATION_PATH = "calibration/index.md"


def kind_path(kind: str) -> str:
    """`kinds/<kind>/index.md`: the page listing the entities of one kind."""
    return f"kinds/{checked_id(kind)}/index.md"


def timeline_path(year: str) -> str:
    """`timeline/<year>/index.md` (or `timeline/undated/index.md`): one year of the timeline."""
    return f"timeline/{checked_id(year)}/index.md"


@lru_cache(maxsize=65536)
def relative(here_folder: str, target: str, anchor: str = "") -> Markup:
    """`target` (a site path, with an optional anchor) as a link from a page in `here_folder`."""
    if not _SITE_PATH.fullmatch(target):
        raise RenderError(f"not a site path: {target!r}")
    path = posixpath.relpath(target, here_folder or ".")
    if anchor:
        path += "#" + checked_id(anchor)
    return Markup(quote(path, safe="/#.-_"))


def published(path: str) -> str:
    """Where a path of the generated docs folder is served (mkdocs' `use_directory_urls`):
    `articles/x.md` at `articles/x/`, `articles/index.md` at `articles/`, `index.md` at the
    root (`""`); any other file (the JSON API) at its own path."""
    if not path.endswith(".md"):
        return path
    stem = path[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


@lru_cache(maxsize=65536)
def href(here: str, target: str, anchor: str = "") -> Markup:
    """`target` (a path of the docs folder, with an optional anchor) as an `href` on the page
    whose source is `here`: relative to the published URL of `here`, as a browser resolves it."""
    if not _SITE_PATH.fullmatch(target):
        raise RenderError(f"not a site path: {target!r}")
    origin, goal = published(here), published(target)
    path = posixpath.relpath(goal or ".", origin.rstrip("/") or ".")
    if goal == origin and anchor:
        path = ""
    elif goal.endswith("/") or not goal:
        path = "./" if path == "." else path + "/"
    if anchor:
        path += "#" + checked_id(anchor)
    return Markup(quote(path, safe="/#.-_"))
