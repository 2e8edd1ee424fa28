"""The `stratlas` mkdocs plugin (toolkit/site/plugin.py) is a fast path that changes nothing:
the fixture corpus built with it gives the same page HTML as built without it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support import make_project

from toolkit.site import build
from toolkit.site.plugin import html_blocks

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
ARTICLE = re.compile(r"<article\b.*</article>", re.DOTALL)


def _variant(project: Path, name: str, drop: set[str]) -> Path:
    """A copy of the project's mkdocs.yml without the plugins named in `drop`, beside it (so
    docs_dir and custom_dir mean the same), building into site-<name>/."""
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = [
        p for p in config["plugins"] if (next(iter(p)) if isinstance(p, dict) else p) not in drop
    ]
    config["site_dir"] = f"site-{name}"
    path = project / f"mkdocs-{name}.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def _mkdocs(project: Path, config: Path) -> Path:
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return project / yaml.safe_load(config.read_text(encoding="utf-8"))["site_dir"]


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The fixture corpus (with a redirect) generated once, then built by mkdocs three ways:
    with the plugin (search listed: blocks go back early), with the plugin but no search
    (blocks go back at the end), and without the plugin (Python-Markdown reads every block)."""
    root = tmp_path_factory.mktemp("plugin")
    project = make_project(root)
    records = root / "records"
    shutil.copytree(FIXTURES / "corpus", records)
    (records / "redirects.json").write_text(
        '{"lancer-missile": {"to": "lancer", "reason": "Duplicate of Lancer."}}', encoding="utf-8"
    )
    result = build(project, records, project / "site", strict=True)
    assert result.ok, result.mkdocs.output if result.mkdocs else result.report.findings
    return {
        "plugin": project / "site",
        "late": _mkdocs(project, _variant(project, "late", {"search"})),
        "bare": _mkdocs(project, _variant(project, "bare", {"stratlas"})),
    }


def _pages(site: Path) -> dict[str, str]:
    """Every HTML page of a built site, generated and hand-written."""
    return {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(site.rglob("*.html"))
    }


@pytest.mark.parametrize("variant", ["plugin", "late"])
def test_pages_are_the_same_with_and_without_the_plugin(
    sites: dict[str, Path], variant: str
) -> None:
    """The `<article>` element (the page body mkdocs renders; the theme around it is the same
    template either way) compared as it is: nothing is normalised, the HTML must be identical."""
    bare, fast = _pages(sites["bare"]), _pages(sites[variant])
    assert bare.keys() == fast.keys()
    assert "articles/strike-debate/index.html" in bare and "entities/lancer/index.html" in bare
    for path, html in bare.items():
        ours = ARTICLE.search(fast[path])
        theirs = ARTICLE.search(html)
        assert ours and theirs, path
        assert ours.group(0) == theirs.group(0), path
        assert not re.search(r"<p>stratlas[0-9a-f]{32}x[0-9]+</p>", fast[path]), path


def test_whole_pages_are_the_same_with_and_without_the_plugin(sites: dict[str, Path]) -> None:
    """Beyond `<article>`: with and without the plugin (search listed both ways), every page
    is byte for byte the same (the theme prints nothing else the plugin could change)."""
    plugin = _pages(sites["plugin"])
    for path, html in _pages(sites["bare"]).items():
        assert plugin[path] == html, path


def test_blocks_are_the_chunks_that_start_with_a_tag() -> None:
    page = "# T\n\n<div>\n<p>a</p>\n</div>\n\n## S { #s }\n\n<ul>\n<li>x</li>\n</ul>\n"
    assert html_blocks(page) == ["<div>\n<p>a</p>\n</div>", "<ul>\n<li>x</li>\n</ul>"]
