"""Shared fixtures: paths to the repository, the shipped records and the fixture corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURE_CORPUS = REPO / "tests" / "fixtures" / "corpus"


@pytest.fixture
def repo_root() -> Path:
    return REPO


@pytest.fixture
def fixture_corpus() -> Path:
    """The small hand-written corpus (two articles sharing entities) used for snapshots."""
    return FIXTURE_CORPUS


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture corpus, as `<tmp>/records`."""
    target = tmp_path / "records"
    shutil.copytree(FIXTURE_CORPUS, target)
    return target
