"""`python -m toolkit.site.preview serve …`: `mkdocs serve` as the preview runs it, with two
changes.

Its server answers 400 Bad Request to a request path it cannot map to a file name (a NUL
byte, as `/a%00b` decodes to): mkdocs' handler raises ValueError on it and logs a traceback
into the preview's terminal for each such request.

Its rebuilds are incremental when that is provably right (`Rebuilds`): mkdocs' own `--dirty`
rebuilds only pages whose source is newer than their output, which is wrong for a page in the
nav (every page shows its title), after a deletion (the old output stays), after a change to
the configuration or the theme, and when a plugin gathers something from every page. So each
rebuild compares the docs folder, mkdocs.yml and the theme folders with what they were when
the last rebuild started, and rebuilds only the files changed since then (not by mtime: a page
written again while mkdocs built it would be skipped) if no file went, mkdocs.yml and the theme
are as they were and every plugin is a per-page one. Every
page shows the nav's titles: an unchanged nav page keeps the title and meta the last build read,
and when a changed one shows another title or meta the rebuild is followed by a full one.
Anything else gets a full, clean build.

Runs in the mkdocs subprocess (toolkit.site.mkdocs), never in the stratlas process.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

__all__ = ["PER_PAGE_PLUGINS", "Rebuilds", "main"]

#: Longer request paths are refused too: no file of the site has a name near this long.
MAX_PATH = 4096
#: Plugins whose output for a page depends on that page alone, or on the nav pages' titles.
#: With any other plugin every rebuild is a full one: Material's search and tags among them,
#: which gather from every page (the site uses neither since issue 18).
PER_PAGE_PLUGINS = frozenset({"stratlas", "stratlas-preview"})
#: The warning every dirty build logs; under `strict: true` it would abort the rebuild.
_DIRTY_WARNING = "A 'dirty' build is being performed"

Snapshot = dict[str, tuple[int, int]]
log = logging.getLogger("mkdocs.stratlas.preview")


def _odd(path: str) -> bool:
    return "\0" in path or len(path) > MAX_PATH


def _guard(serve_request: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    def guarded(self: Any, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if _odd(environ.get("PATH_INFO", "")):
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"400 Bad Request"]
        return serve_request(self, environ, start_response)

    return guarded


def _snapshot(root: str) -> Snapshot:
    """(mtime, size) of every file under `root` but hidden ones, by relative POSIX path."""
    found: Snapshot = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if name.startswith("."):
                continue
            path = os.path.join(folder, name)
            with contextlib.suppress(OSError):
                info = os.stat(path)
                found[os.path.relpath(path, root).replace(os.sep, "/")] = (
                    info.st_mtime_ns,
                    info.st_size,
                )
    return found


def _around(config: MkDocsConfig) -> Snapshot:
    """mkdocs.yml and the theme folders (overrides/ included)."""
    found: Snapshot = {}
    if config.config_file_path:
        with contextlib.suppress(OSError):
            info = os.stat(config.config_file_path)
            found[config.config_file_path] = (info.st_mtime_ns, info.st_size)
    for root in config.theme.dirs:
        found.update({f"{root}/{path}": seen for path, seen in _snapshot(root).items()})
    return found


def _nav_paths(nav: object) -> Iterator[str]:
    """Every page path named in a `nav:` configuration."""
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _nav_paths(value)
    elif isinstance(nav, list):
        for item in nav:
            yield from _nav_paths(item)


@dataclass
class Rebuilds:
    """What the last successful build started from, and which pages the next one rebuilds."""

    docs: Snapshot | None = None
    around: Snapshot = field(default_factory=dict)  # mkdocs.yml and the theme folders
    #: What each page read by the last builds shows of itself elsewhere: title and meta.
    shown: dict[str, tuple[object, dict[str, Any]]] = field(default_factory=dict)
    #: Pages and files the running dirty build rebuilds; None while a full build runs.
    changed: set[str] | None = None
    #: The pages of the nav: each page shows their titles.
    nav: set[str] = field(default_factory=set)

    def plan(self, config: MkDocsConfig) -> tuple[Snapshot, Snapshot, set[str] | None]:
        """The snapshots of this build, and the files changed since the last one started, or
        None when this build must be a full one (logged with the reason)."""
        docs, around = _snapshot(config.docs_dir), _around(config)
        changed, why = self._changed(config, docs, around)
        if changed is None:
            log.info("Rebuilding every page: %s", why)
        else:
            log.info("Rebuilding the %d changed files only", len(changed))
        return docs, around, changed

    def _changed(
        self, config: MkDocsConfig, docs: Snapshot, around: Snapshot
    ) -> tuple[set[str] | None, str]:
        previous = self.docs
        if previous is None:
            return None, "first build, or the last one failed"
        if around != self.around:
            return None, "mkdocs.yml or the theme changed"
        if gone := sorted(previous.keys() - docs.keys()):
            return None, f"{gone[0]} was deleted"
        if others := sorted(set(config.plugins) - PER_PAGE_PLUGINS):
            return None, f"the {others[0]} plugin gathers from every page"
        if config.nav is None:
            return None, "every page is in the nav"
        changed = {path for path, seen in docs.items() if previous.get(path) != seen}
        self.nav = set(_nav_paths(config.nav))
        return changed, ""

    def build(self, real_build: Callable[..., None], config: MkDocsConfig, **options: Any) -> None:
        """Run mkdocs' `build` dirty if `plan` allows it, else clean."""
        docs, around, changed = self.plan(config)
        options["dirty"] = changed is not None
        logger = logging.getLogger("mkdocs.commands.build")
        if not any(isinstance(known, _NotDirtyWarning) for known in logger.filters):
            logger.addFilter(_NotDirtyWarning())
        self.changed = changed
        self.docs = None  # a build that fails leaves the next one to be a full one
        seen = dict(self.shown)
        config.plugins["stratlas-preview"] = _Recorder(self.shown)  # type: ignore[assignment]
        try:
            real_build(config, **options)
            # A nav page shows in every page (its title, and its meta for icons): when one
            # changed those, all pages need building again.
            if changed is not None and any(
                seen.get(page) != self.shown.get(page) for page in self.nav
            ):
                self.changed = None
                log.info("Rebuilding every page: a nav page changed its title or meta")
                real_build(config, **{**options, "dirty": False})
        finally:
            self.changed = None
        self.docs, self.around = docs, around

    def patches(self) -> list[tuple[object, str, object]]:
        """(owner, name, replacement) for mkdocs: `File.is_modified` (changed since the last
        build started) and `_populate_page` (unchanged nav pages as last read) in dirty builds."""
        from mkdocs.commands import build as build_module
        from mkdocs.structure.files import File

        original_modified = File.is_modified
        original_populate = build_module._populate_page

        def is_modified(file: Any) -> bool:
            if self.changed is None:
                return original_modified(file)
            return file._content is not None or file.src_uri in self.changed

        def populate_page(page: Any, config: Any, files: Any, dirty: bool = False) -> None:
            uri = page.file.src_uri
            if self.changed is not None and uri in self.nav and uri not in self.changed:
                # What other pages show of an unchanged nav page is what the last build read.
                known = self.shown.get(uri)
                if known is not None:
                    page.title, page.meta = known[0], dict(known[1])
                    return
                dirty = False
            original_populate(page, config, files, dirty)

        return [(File, "is_modified", is_modified), (build_module, "_populate_page", populate_page)]


class _Recorder:
    """Remembers the title and meta of every page mkdocs reads, for `Rebuilds`."""

    def __init__(self, shown: dict[str, tuple[object, dict[str, Any]]]) -> None:
        self.shown = shown

    def on_page_content(self, html: str, *, page: Any, **_: Any) -> str:
        self.shown[page.file.src_uri] = (page.title, dict(page.meta))
        return html


class _NotDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(_DIRTY_WARNING)


def main() -> None:
    from mkdocs.__main__ import cli
    from mkdocs.commands import build as build_module
    from mkdocs.commands import serve as serve_module
    from mkdocs.livereload import LiveReloadServer

    # Patched on the class before mkdocs makes its server, which binds this method as its app.
    LiveReloadServer.serve_request = _guard(LiveReloadServer.serve_request)  # type: ignore[method-assign]
    rebuilds = Rebuilds()
    real_build = build_module.build

    def build(config: MkDocsConfig, **options: Any) -> None:
        rebuilds.build(real_build, config, **options)

    setattr(serve_module, "build", build)  # noqa: B010 (the name `mkdocs serve` rebuilds with; not exported)
    for owner, name, replacement in rebuilds.patches():
        setattr(owner, name, replacement)
    cli(prog_name="mkdocs")


if __name__ == "__main__":
    main()
