"""Progress of long work, reported without printing.

The library never prints: a long loop only tells the current `Progress` how far it got, and
by default nobody listens. The CLI installs a reporter that draws a bar on a terminal:

    # in the library
    with task("validating", len(files)) as progress:
        for path in files:
            ...
            progress.advance()

    # in the CLI
    with reporting(bar):
        validate_paths(...)

The reporter lives in a context variable, so a test, a thread or another caller of the library
sees only its own. A forked child inherits the parent's reporter: reporters that draw must stay
silent outside the process that made them (the two-process paths report from the parent only).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Protocol

__all__ = ["SILENT", "Progress", "current", "reporting", "task"]


class Progress(Protocol):
    """What the library tells a reporter: a step starts (with its size when known), moves on,
    ends. Steps may nest; `done` ends the innermost one."""

    def start(self, label: str, total: int | None = None) -> None: ...

    def advance(self, n: int = 1) -> None: ...

    def done(self) -> None: ...


class _Silent:
    """The default: nobody listens."""

    def start(self, label: str, total: int | None = None) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass

    def done(self) -> None:
        pass


SILENT: Progress = _Silent()

_CURRENT: ContextVar[Progress] = ContextVar("stratlas_progress", default=SILENT)


def current() -> Progress:
    """The reporter the library reports to (silent unless a caller installed one)."""
    return _CURRENT.get()


@contextmanager
def reporting(reporter: Progress) -> Iterator[Progress]:
    """Report the progress of the library's work inside the block to `reporter`."""
    token = _CURRENT.set(reporter)
    try:
        yield reporter
    finally:
        _CURRENT.reset(token)


@contextmanager
def task(label: str, total: int | None = None) -> Iterator[Progress]:
    """One step of the library's work: started here, ended when the block ends (even by an
    exception). `total` is the number of `advance()` calls to expect, or None if unknown."""
    reporter = _CURRENT.get()
    reporter.start(label, total)
    try:
        yield reporter
    finally:
        reporter.done()
