"""Helpers shared by the test modules that build sites or drive a browser."""

from __future__ import annotations

import os
import shutil
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


def make_project(root: Path) -> Path:
    """A copy of what the build reads from the repository: mkdocs.yml, overrides/, docs/."""
    project = root / "project"
    project.mkdir()
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", project / "overrides")
    shutil.copytree(REPO / "docs", project / "docs", ignore=shutil.ignore_patterns("generated"))
    return project
