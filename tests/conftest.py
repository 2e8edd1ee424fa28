"""Shared fixtures: paths to the repository, the shipped records and the fixture corpus;
and the two implementations of the C text kernels that validation runs on."""

from __future__ import annotations

import importlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support import need_native

import toolkit
import toolkit.runtime.native

# `make native-sanitize` runs the kernels' tests on a build of toolkit/_native.c with
# AddressSanitizer and UBSan, in a folder of its own: `toolkit._native` is imported from there.
if os.environ.get("STRATLAS_NATIVE_BUILD"):
    toolkit.__path__.insert(0, str(Path(os.environ["STRATLAS_NATIVE_BUILD"]).resolve()))

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


def _built(name: str) -> Any:
    return getattr(importlib.import_module("toolkit._native"), name)


@pytest.fixture(scope="module", params=["c", "python"])
def implementation(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run a module's tests twice: on toolkit._native's C kernels, then on their Python
    twins (pallets/markupsafe's pattern). In-process code asks `toolkit.runtime.native`;
    subprocesses (`python -m toolkit.cli`) read STRATLAS_NATIVE from the environment.
    Module-scoped: a module's tests run on one implementation, then on the other."""
    with pytest.MonkeyPatch.context() as patch:
        if request.param == "c":
            need_native()
            patch.delenv("STRATLAS_NATIVE", raising=False)
            patch.setattr(toolkit.runtime.native, "native", _built)
        else:
            patch.setenv("STRATLAS_NATIVE", "0")
            patch.setattr(toolkit.runtime.native, "native", lambda name: None)
        yield request.param
