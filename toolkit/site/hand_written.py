"""The hand-written files of docs/ beside the generated pages: found (symlinks refused),
added to the site's files (the home page filled in), and every page URL checked for clashes."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from toolkit.errors import SiteError
from toolkit.site.sync import Sink

if TYPE_CHECKING:
    from toolkit.link import Graph
    from toolkit.pages import SiteView

__all__ = ["add_hand_written", "check_urls", "hand_written_files"]


def add_hand_written(
    sink: Sink, hand_written: list[tuple[str, Path]], graph: Graph, view: SiteView
) -> None:
    from toolkit.pages import fill_home

    for path, source in hand_written:
        data = source.read_bytes()
        if path == "index.md":
            data = fill_home(data.decode("utf-8"), graph, view).encode("utf-8")
        sink.add(path, data, f"docs/{path}")


def hand_written_files(docs: Path, generated: Path) -> Iterator[tuple[str, Path]]:
    """The files of docs/ (not docs/generated/, not hidden ones); symlinks are refused."""
    if not docs.is_dir():
        return
    for folder, dirs, names in os.walk(docs):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and here / d != generated)
        for name in sorted([*names, *(d for d in dirs if (here / d).is_symlink())]):
            path = here / name
            if name.startswith("."):
                continue
            if path.is_symlink():
                raise SiteError(f"{path}: symbolic links are not allowed in docs/")
            yield path.relative_to(docs).as_posix(), path


def check_urls(files: Iterable[str]) -> None:
    """`a.md` and `a/index.md` become the same page: mkdocs would keep one silently."""
    seen: dict[str, str] = {}
    for path in files:
        if not path.endswith(".md"):
            continue
        pure = PurePosixPath(path)
        url = str(pure.parent if pure.stem == "index" else pure.with_suffix(""))
        if url in seen:
            raise SiteError(f"{seen[url]} and {path} would be the same page")
        seen[url] = path
