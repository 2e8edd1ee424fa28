"""Helpers shared by the test modules that build sites or drive a browser."""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def example_records() -> list[tuple[Path, str, Any]]:
    """(path, "article" or "entity", parsed JSON) of every record file that parses, in
    records/ and tests/fixtures/."""
    import json

    found = []
    for path in sorted((REPO / "records").rglob("*.json")) + sorted(
        (REPO / "tests" / "fixtures").rglob("*.json")
    ):
        if path.parent.name not in ("articles", "entities"):
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        found.append((path, "article" if path.parent.name == "articles" else "entity", data))
    return found


def need(condition: bool, reason: str) -> None:
    """Skip when a tool is missing, except in CI, where a missing tool is a failure."""
    if condition:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: every check must run)")
    pytest.skip(reason)


def need_native() -> None:
    """Skip (fail in CI) when toolkit._native, the C part of validation, is not built."""
    import importlib.util

    need(
        importlib.util.find_spec("toolkit._native") is not None,
        "toolkit._native is not built (pip install builds it with a C compiler and the "
        "Python headers; without it the Python checks run alone)",
    )


def need_playwright() -> Any:
    """Playwright's sync API, once Debian's chromium and the Python package are both here."""
    need(CHROMIUM.exists(), f"{CHROMIUM} is missing (run `make browser-deps` as root)")
    try:
        from playwright import sync_api
    except ImportError:
        need(False, "the playwright package is not installed (pip install -e '.[dev]')")
        raise
    return sync_api


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def http_served(folder: Path) -> Iterator[str]:
    """`folder` served over HTTP on 127.0.0.1 (a free port) while the block runs: its base URL,
    ending in `/`. Search and instant navigation need a server; files (file://) will not do."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/"
    finally:
        httpd.shutdown()
        thread.join()


def run_stratlas(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`stratlas ARGS` in `project` as a contributor runs it, output captured."""
    return subprocess.run(
        [sys.executable, "-m", "toolkit.cli", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def make_project(root: Path) -> Path:
    """A copy of what the build reads from the repository: mkdocs.yml, overrides/, docs/."""
    project = root / "project"
    project.mkdir()
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", project / "overrides")
    shutil.copytree(REPO / "docs", project / "docs", ignore=shutil.ignore_patterns("generated"))
    return project


def broken_links(site: Path) -> list[str]:
    """Every link of a built site that leads nowhere (`url in page: result`), as linkchecker
    (PyPI) finds them crawling from the home page. The folder must be world-readable:
    linkchecker, run as root, drops its privileges to `nobody`."""
    linkchecker = Path(sys.executable).parent / "linkchecker"
    need(linkchecker.exists(), "linkchecker is missing: run `make setup` (a dev dependency)")
    done = subprocess.run(
        [str(linkchecker), "--no-status", "-o", "csv", (site / "index.html").as_uri()],
        capture_output=True,
        text=True,
        timeout=300,
    )
    rows = [line for line in done.stdout.splitlines() if not line.startswith("#")]
    table = list(csv.DictReader(io.StringIO("\n".join(rows)), delimiter=";"))
    broken = [
        f"{r['urlname']} in {r['parentname']}: {r['result']}"
        for r in table
        if r["valid"] == "False"
    ]
    assert done.returncode in (0, 1), done.stderr[-2000:]
    assert done.returncode == 0 or broken, done.stdout[-2000:]
    return broken
