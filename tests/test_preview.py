"""`stratlas serve`'s fast path: generation that writes an edited article's page first and skips
the bulk downloads, and mkdocs rebuilds that redo only changed pages when that is right.

Each test compares the fast path with a full, from-scratch run: what the preview shows after an
edit must be what a full build shows."""

from __future__ import annotations

import importlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support import make_project

from toolkit.errors import SiteError
from toolkit.site import GENERATED, generate
from toolkit.site.preview import Rebuilds

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "fixtures" / "corpus"
ARTICLE = Path("articles") / "strike-debate.json"
PAGE = "articles/strike-debate/index.md"
BULK = ("api/v1/stratlas.db", "api/v1/statements.csv")
MARKER = "Zqxpreviewmarker"
generate_module = importlib.import_module("toolkit.site.generate")  # the package shadows it


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def edit(records: Path, marker: str = MARKER) -> Path:
    """Append `marker` to the first assessment of the article; returns its record file."""
    path = records / ARTICLE
    record = json.loads(path.read_text(encoding="utf-8"))
    record["assessments"][0]["text"] = record["assessments"][0]["text"].rstrip(".") + f" {marker}."
    path.write_text(json.dumps(record, indent=2), encoding="utf-8")
    return path


def fresh(root: Path, records: Path) -> Path:
    """A new project beside `root`'s, generated from scratch (preview) from `records`."""
    root.mkdir()
    project = make_project(root)
    shutil.copytree(records, root / "records")
    report, stats = generate(project, root / "records", preview=True)
    assert stats is not None, [str(f) for f in report.findings]
    return project


@pytest.fixture
def project(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    project = make_project(tmp_path)
    shutil.copytree(CORPUS, tmp_path / "records")
    _, stats = generate(project, tmp_path / "records", preview=True)
    assert stats is not None
    yield project, tmp_path / "records"


# --- generation ----------------------------------------------------------------------------


def test_preview_leaves_out_the_bulk_downloads_the_build_keeps(
    project: tuple[Path, Path],
) -> None:
    folder, records = project
    previewed = files(folder / GENERATED)
    assert not any(path in previewed for path in BULK)
    assert not any(path.encode() in previewed["datapackage.json"] for path in BULK)
    _, stats = generate(folder, records)
    assert stats is not None and set(BULK) <= set(stats.written)
    assert set(BULK) <= files(folder / GENERATED).keys()


def test_an_edit_regenerates_what_a_fresh_generation_gives(
    project: tuple[Path, Path], tmp_path: Path
) -> None:
    folder, records = project
    _, stats = generate(folder, records, preview=True, first=[edit(records)])
    assert stats is not None and PAGE in stats.written
    assert MARKER in (folder / GENERATED / PAGE).read_text(encoding="utf-8")
    assert files(folder / GENERATED) == files(fresh(tmp_path / "fresh", records) / GENERATED)


def test_the_edited_article_page_is_written_before_the_rest(
    project: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, records = project
    before = files(folder / GENERATED)

    def fail(*args: Any, **kwargs: Any) -> None:
        raise SiteError("stopped after the first pages")

    monkeypatch.setattr(generate_module, "_make_files", fail)
    with pytest.raises(SiteError):
        generate(folder, records, preview=True, first=[edit(records)])
    after = files(folder / GENERATED)
    assert {path for path in after if after[path] != before.get(path)} == {PAGE}
    assert MARKER in after[PAGE].decode("utf-8")


def test_a_record_turned_invalid_keeps_the_last_good_pages_and_reports(
    project: tuple[Path, Path],
) -> None:
    folder, records = project
    before = files(folder / GENERATED)
    path = records / ARTICLE
    path.write_text(path.read_text(encoding="utf-8").replace('"id"', '"idd"', 1), "utf-8")
    report, stats = generate(folder, records, preview=True, first=[path])
    assert stats is None
    assert any(f.file.endswith("strike-debate.json") for f in report.failing(False))
    assert files(folder / GENERATED) == before


# --- mkdocs rebuilds -----------------------------------------------------------------------


class Site:
    """The project's site as the preview builds it: mkdocs' build through `Rebuilds`."""

    def __init__(self, project: Path, site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.project, self.site = project, site
        self.rebuilds = Rebuilds()
        self.dirty: list[bool] = []
        for owner, name, replacement in self.rebuilds.patches():
            monkeypatch.setattr(owner, name, replacement)

    def config(self) -> Any:
        from mkdocs.config import load_config

        return load_config(str(self.project / "mkdocs.yml"), site_dir=str(self.site))

    def build(self) -> None:
        from mkdocs.commands.build import build

        def record(config: Any, **options: Any) -> None:
            self.dirty.append(options["dirty"])
            build(config, **options)

        self.rebuilds.build(record, self.config(), dirty=True)


def clean_build(project: Path, site: Path) -> dict[str, bytes]:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    build(load_config(str(project / "mkdocs.yml"), site_dir=str(site)))
    return files(site)


def with_search(project: Path) -> None:
    """Add Material's search plugin (which issue 18 replaced by Pagefind): it collects from
    every page, so no rebuild of part of the site is right with it."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\nplugins:\n" in text
    config.write_text(text.replace("\nplugins:\n", "\nplugins:\n  - search\n"), encoding="utf-8")


def same_site(preview: dict[str, bytes], full: dict[str, bytes]) -> None:
    assert preview.keys() == full.keys()
    differ = [p for p in full if preview[p] != full[p]]
    import difflib

    for p in differ:
        print(
            p,
            *list(
                difflib.unified_diff(
                    full[p].decode(errors="replace").splitlines(),
                    preview[p].decode(errors="replace").splitlines(),
                    lineterm="",
                    n=0,
                )
            )[:12],
            sep="\n",
        )
    assert differ == []


def test_an_edited_article_is_rebuilt_alone_and_as_a_full_build_makes_it(
    project: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, records = project
    site = Site(folder, tmp_path / "preview", monkeypatch)
    site.build()
    built = files(site.site)
    generate(folder, records, preview=True, first=[edit(records)])
    nav_page = folder / GENERATED / "versioning.md"  # in the nav; its title stays
    nav_page.write_text(nav_page.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    site.build()
    assert site.dirty == [False, True]
    after = files(site.site)
    redone = {path for path in after if after[path] != built.get(path)}
    assert "articles/strike-debate/index.html" in redone
    assert "versioning/index.html" in redone
    assert "entities/index.html" not in redone  # not rebuilt: unchanged
    same_site(after, clean_build(folder, tmp_path / "full"))


@pytest.mark.parametrize(
    "change",
    ["nav page title", "deleted page", "overrides", "config", "search plugin"],
)
def test_changes_a_dirty_build_gets_wrong_get_a_full_build(
    project: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    folder, records = project
    generated = folder / GENERATED
    if change == "search plugin":
        with_search(folder)
    extra = generated / "articles" / "zqx-extra" / "index.md"  # linked from nowhere: may go
    extra.parent.mkdir()
    extra.write_text("# Extra\n", encoding="utf-8")
    site = Site(folder, tmp_path / "preview", monkeypatch)
    site.build()
    if change == "search plugin":
        generate(folder, records, preview=True, first=[edit(records)])
    elif change == "nav page title":  # its title, which every page shows
        page = generated / "consumers.md"  # untitled in the nav: its heading is its title
        text = page.read_text(encoding="utf-8")
        assert text.startswith("# ")
        page.write_text("# Zqx " + text[2:], encoding="utf-8")
    elif change == "deleted page":
        extra.unlink()
    elif change == "overrides":
        main = folder / "overrides" / "main.html"
        main.write_text(main.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    else:
        config = folder / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    site.build()
    assert site.dirty[-1] is False, site.dirty
    same_site(files(site.site), clean_build(folder, tmp_path / "full"))
