"""Find the files of a records tree and load them (the load stage over a whole corpus).

Records stay plain parsed JSON here: the link stage builds the models
(`toolkit.link.models_of`), so loading and validating never import pydantic.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from toolkit.findings import Finding, make
from toolkit.load.files import read_text_file
from toolkit.load.json import Document, load_document
from toolkit.runtime.progress import task

__all__ = [
    "Corpus",
    "RecordFile",
    "article_files",
    "discover",
    "display_path",
    "find_records_root",
    "folder_unreadable",
]

RecordKind = Literal["article", "entity"]


@dataclass
class RecordFile:
    """One record file: where it is, what the loader made of it, and whether it is valid."""

    kind: RecordKind
    path: Path
    document: Document
    #: True once the file passed the JSON and schema layers (set by validation).
    valid: bool = False
    #: False when the file's text cannot hold a `stratlas new` placeholder (set by validation
    #: before it releases the text; the draft check then skips the file).
    may_hold_placeholders: bool = True
    #: For an article that fails the schema only inside some list items: the record without
    #: those items, which the checks read instead, and for each list it shortened the
    #: original index of every item kept (set by validation; `toolkit.validate.partial`).
    partial: dict[str, Any] | None = None
    kept: dict[str, list[int]] = field(default_factory=dict)

    @property
    def data(self) -> dict[str, Any] | None:
        """The parsed record, once valid (plain JSON data: what the checks read); the parts
        of it that pass the schema, for a `partial` record."""
        if self.partial is not None:
            return self.partial
        data = self.document.data
        return data if self.valid and isinstance(data, dict) else None

    @property
    def complete(self) -> bool:
        """Whether the whole record passed the schema (not only some of its parts)."""
        return self.data is not None and self.partial is None

    @property
    def file(self) -> str:
        return self.document.file

    @functools.cached_property
    def stem(self) -> str:
        # Cached: the ID checks ask every record several times, and pathlib parses each time.
        return self.path.stem

    @property
    def raw_id(self) -> Any:
        data = self.document.data
        return data.get("id") if isinstance(data, dict) else None

    def at(self, code: str, message: str, pointer: str = "", hint: str = "") -> Finding:
        """A finding located at `pointer` in this file."""
        if self.kept:
            pointer = self._original(pointer)
        line, col = self.document.position(pointer)
        return make(code, message, file=self.file, pointer=pointer, line=line, col=col, hint=hint)

    def _original(self, pointer: str) -> str:
        """`pointer` into the partial record, as a pointer into the file."""
        parts = pointer.split("/", 3)
        if len(parts) > 2 and parts[1] in self.kept and parts[2].isdigit():
            parts[2] = str(self.kept[parts[1]][int(parts[2])])
        return "/".join(parts)


@dataclass
class Corpus:
    """Everything under one records folder."""

    root: Path
    records: list[RecordFile] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    #: Display names of the snapshots read (readable or not), by article ID.
    source_files: dict[str, str] = field(default_factory=dict)
    #: Snapshots left unread by `discover(sources=…)` (another process checks them), by
    #: article ID: read only if a record here quotes them.
    unread_sources: dict[str, Path] = field(default_factory=dict)
    redirects: Document | None = None
    findings: list[Finding] = field(default_factory=list)
    #: Records folders refused as a whole (symbolic links), or not wholly read (a folder in
    #: them unreadable): checks that would only repeat "missing" for everything in them
    #: stay quiet.
    refused: set[str] = field(default_factory=set)
    #: IDs (file names) of the article files left out by `discover(articles=…)`: another
    #: process loads them, but corpus-wide rules (redirects) must know they exist.
    elsewhere_ids: set[str] = field(default_factory=set)
    #: Their paths, by ID: a check that must read one (a resolution quoting a later
    #: article reads its publication date) finds it here.
    elsewhere_paths: dict[str, Path] = field(default_factory=dict)


def display_path(path: Path) -> str:
    """A path as the user should see it: relative to the working folder when inside it."""
    if os.sep == "/":
        # The common case in plain string operations (pathlib's parsing was a tenth of
        # loading a large corpus); anything unusual takes the pathlib way below.
        text = os.fspath(path)
        cwd = os.getcwd()
        if not text.startswith("/"):
            text = f"{cwd}/{text}" if cwd != "/" else f"/{text}"
        prefix = cwd.rstrip("/") + "/"
        if len(text) > len(prefix) and text.startswith(prefix) and text[:2] != "//":
            return text[len(prefix) :]
    try:
        return path.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.absolute().as_posix()


def find_records_root(path: Path) -> Path | None:
    """The records folder that holds `path` (a folder with articles/ or entities/)."""
    probe = path.absolute()
    if probe.is_file() or probe.suffix in (".json", ".txt"):
        probe = probe.parent
    for candidate in (probe, *probe.parents):
        if (candidate / "articles").is_dir() or (candidate / "entities").is_dir():
            return candidate
        if candidate.name == "records":
            return candidate
    return None


_ALLOWED_EXTRA = {"README.md", ".gitkeep"}


def discover(
    root: Path,
    *,
    fast: bool = True,
    articles: Callable[[Path], bool] | None = None,
    sources: Callable[[Path], bool] | None = None,
    digests: bool = False,
) -> Corpus:
    """Load every file of the records tree at `root`; never raises for bad content.

    `fast` leaves the checks the record schema implies to validation (see `load_document`).
    `articles` chooses which article `.json` files to load (the others are left out: another
    process has them); `sources` which snapshots to read and check now (the others are
    listed in `unread_sources`); every other file is always loaded. `digests` records each
    record file's `Document.digest`.
    """
    corpus = Corpus(root=root)
    with task("reading records") as progress:
        for kind, folder in (("article", "articles"), ("entity", "entities")):
            base = root / folder
            if _linked_folder(base, corpus):
                continue
            if not base.is_dir():
                continue
            for path in _walk_reporting(base, corpus):
                display = display_path(path)
                if path.suffix != ".json" and not path.is_symlink():
                    if path.name not in _ALLOWED_EXTRA:
                        corpus.findings.append(
                            make(
                                "file-unexpected",
                                f"{folder}/ holds only .json records",
                                file=display,
                                hint="Move or delete this file; source snapshots go in sources/.",
                            )
                        )
                    continue
                if kind == "article" and articles is not None and not articles(path):
                    corpus.elsewhere_ids.add(path.stem)
                    corpus.elsewhere_paths[path.stem] = path
                    continue
                kind_literal: RecordKind = "article" if kind == "article" else "entity"
                document = load_document(path, display, trust_schema=fast, digest=digests)
                corpus.records.append(RecordFile(kind_literal, path, document))
                progress.advance()
    snapshots = root / "sources"
    if not _linked_folder(snapshots, corpus) and snapshots.is_dir():
        for path in _walk_reporting(snapshots, corpus):
            if path.suffix != ".txt" or path.parent != snapshots:
                if path.name not in _ALLOWED_EXTRA:
                    corpus.findings.append(
                        make(
                            "file-unexpected",
                            "sources/ holds only <article-id>.txt snapshots",
                            file=display_path(path),
                        )
                    )
                continue
            if sources is not None and not sources(path):
                corpus.unread_sources[path.stem] = path
                continue
            display = display_path(path)
            text, problems = read_text_file(path, display)
            corpus.findings.extend(problems)
            corpus.source_files[path.stem] = display
            if text is not None:
                corpus.sources[path.stem] = text
    redirects = root / "redirects.json"
    if redirects.exists() or redirects.is_symlink():
        corpus.redirects = load_document(redirects, display_path(redirects))
    return corpus


def article_files(root: Path) -> list[Path]:
    """The record files `discover` would load from `root`/articles, in its order."""
    base = root / "articles"
    if base.is_symlink() or not base.is_dir():
        return []
    return [p for p in _walk(base) if p.suffix == ".json" or p.is_symlink()]


def _walk_reporting(base: Path, corpus: Corpus) -> list[Path]:
    """`_walk`, with each folder it could not list reported, and the records folder
    counted as not wholly read."""
    problems: list[Finding] = []
    found = _walk(base, problems)
    if problems:
        corpus.refused.add(base.name)
        corpus.findings.extend(problems)
    return found


def _linked_folder(folder: Path, corpus: Corpus) -> bool:
    """Report a records folder that is a symbolic link (never followed: it could point at
    any file on the machine, and findings quote what they read)."""
    if not folder.is_symlink():
        return False
    corpus.refused.add(folder.name)
    corpus.findings.append(
        make(
            "file-symlink",
            "records folders may not be symbolic links",
            file=display_path(folder),
            hint="Replace the link with the folder itself.",
        )
    )
    return True


def folder_unreadable(exc: OSError) -> Finding:
    """The finding for a folder a walk could not list (`os.walk`'s `onerror`): its files
    would otherwise be skipped in silence, and the command report nothing wrong."""
    where = Path(os.fsdecode(exc.filename)) if exc.filename is not None else Path(".")
    return make(
        "folder-unreadable",
        f"cannot read the folder: {exc.strerror or exc}",
        file=display_path(where),
        hint="Give the folder read and search permission (chmod u+rx), or move it out.",
    )


def _walk(base: Path, problems: list[Finding] | None = None) -> list[Path]:
    """Files below `base` in a stable order; symlinked folders are not followed. A folder
    that cannot be listed adds a `folder-unreadable` finding to `problems`."""
    found: list[Path] = []

    def unreadable(exc: OSError) -> None:
        if problems is not None:
            problems.append(folder_unreadable(exc))

    for folder, dirs, files in os.walk(base, onerror=unreadable, followlinks=False):
        dirs.sort()
        here = Path(folder)
        found.extend(here / name for name in sorted(files))
        # Symlinked folders, and folders named like a record, are reported as bad records.
        found.extend(
            here / name for name in dirs if (here / name).is_symlink() or name.endswith(".json")
        )
        dirs[:] = [name for name in dirs if not name.endswith(".json")]
    return found
