"""Progress bars for `validate`, `build` and `export`: drawn on stderr by rich when both stdout
and stderr are a terminal, and never in CI (`CI=true`), on a dumb terminal or when piped, so
that logs and captured output stay exactly what they were.

The bars are transient (gone when the work ends) and redrawn only when the work advances, at
most ten times a second: no refresh thread, because the two-process paths fork only while a
single thread runs (runtime/parallel.py), and a forked child never draws (`Bars` checks the
process). rich is imported only when a bar is drawn: a cold `stratlas validate` never pays it.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any

from toolkit.runtime.progress import reporting

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["Bars", "bars_on_terminal", "wanted"]

#: Seconds between two redraws while the work advances.
REDRAW = 0.1


def _is_terminal(stream: IO[Any] | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def wanted(stdout: IO[Any] | None, stderr: IO[Any] | None, environ: Mapping[str, str]) -> bool:
    """Whether bars belong on `stderr`: a person is watching, not a CI log or a pipe."""
    if environ.get("CI", "").strip().lower() in {"true", "1", "yes"}:
        return False
    if environ.get("TERM") == "dumb":
        return False
    return _is_terminal(stdout) and _is_terminal(stderr)


class Bars:
    """A `toolkit.runtime.progress.Progress` that draws one rich bar per running step."""

    def __init__(self, console: Console) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TaskID,
            TextColumn,
            TimeElapsedColumn,
        )

        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            auto_refresh=False,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self._steps: list[TaskID] = []
        self._pid = os.getpid()
        self._drawn = 0.0

    def _mine(self) -> bool:
        """Only the process that made the bars draws them (not a forked child)."""
        return os.getpid() == self._pid

    def _redraw(self, now: bool = False) -> None:
        clock = time.monotonic()
        if now or clock - self._drawn >= REDRAW:
            self._drawn = clock
            self._progress.refresh()

    def start(self, label: str, total: int | None = None) -> None:
        if not self._mine():
            return
        if not self._steps:
            self._progress.start()
        self._steps.append(self._progress.add_task(label, total=total))
        self._redraw(now=True)

    def advance(self, n: int = 1) -> None:
        if self._mine() and self._steps:
            self._progress.advance(self._steps[-1], n)
            self._redraw()

    def done(self) -> None:
        if not self._mine() or not self._steps:
            return
        self._progress.remove_task(self._steps.pop())
        if self._steps:
            self._redraw(now=True)
        else:
            self._progress.stop()

    def close(self) -> None:
        """Take the bars off the screen, whatever steps did not end."""
        if self._mine() and self._steps:
            self._steps.clear()
            self._progress.stop()


def _stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True)


@contextmanager
def bars_on_terminal() -> Iterator[None]:
    """Around a command's library call: report its progress as bars if a person is watching."""
    if not wanted(sys.stdout, sys.stderr, os.environ):
        yield
        return
    bars = Bars(_stderr_console())
    try:
        with reporting(bars):
            yield
    finally:
        bars.close()
