"""How the toolkit uses the machine: the second core, and the cyclic garbage collector.

`in_background` runs a function in a forked child while this process goes on.

Forking (not spawning) shares what is already loaded — the records, the graph — without
pickling it; only the result comes back, pickled, through a pipe. It is used only where it
pays: a large corpus, more than one CPU, `fork` available, and no other thread running
(forking a threaded process can copy a lock that no one will ever release).
"""

from __future__ import annotations

import contextlib
import gc
import os
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

__all__ = [
    "Background",
    "ChildFailed",
    "ChildTraceback",
    "can_fork",
    "cyclic_gc_paused",
    "in_background",
]

T = TypeVar("T")


class ChildTraceback(Exception):
    """The traceback of an exception raised in the child (its cause, for debugging)."""

    def __str__(self) -> str:
        return f"\n\n{self.args[0]}" if self.args else ""


class ChildFailed(Exception):
    """The child process died without sending a result (killed, or out of memory)."""


def can_fork() -> bool:
    """Whether a second process could run at the same time, and forking is safe here."""
    import multiprocessing  # here, not at the top: a cold `stratlas validate` never needs it

    return (
        (os.cpu_count() or 1) > 1
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


class Background(Generic[T]):
    """A result being computed in a child process; `result()` waits for it."""

    def __init__(self, work: Callable[[], T]) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        # Not daemonic: a child may start one of its own (the build generates the site in a
        # child that validates in two processes); `in_background` stops it whatever happens.
        self._child = context.Process(target=_run, args=(work, send), daemon=False)
        self._child.start()
        send.close()
        self._done = False

    def result(self) -> T:
        """The child's return value; an exception it raised is raised here."""
        try:
            status, value = self._receive.recv()
        except EOFError:
            self._child.join()
            raise ChildFailed(
                f"a worker process stopped without a result (exit code {self._child.exitcode})"
            ) from None
        finally:
            self._done = True
            self._receive.close()
        self._child.join()
        if status == "error":
            error, where = value
            raise error from ChildTraceback(where)
        result: T = value
        return result

    def stop(self) -> None:
        """Kill the child if its result was never collected (the caller failed first)."""
        if not self._done:
            self._child.kill()
            self._child.join()
            self._receive.close()
            self._done = True


@contextlib.contextmanager
def in_background(work: Callable[[], T]) -> Iterator[Background[T]]:
    """`with in_background(f) as pending: ...; value = pending.result()` — the child never
    outlives the block."""
    pending = Background(work)
    try:
        yield pending
    finally:
        pending.stop()


def _run(work: Callable[[], object], send: Connection) -> None:
    import pickle
    import traceback

    try:
        message: tuple[str, object] = ("ok", work())
    except BaseException as exc:  # everything goes back to the parent, which re-raises it
        where = traceback.format_exc()
        message = ("error", (exc, where))
        try:
            pickle.dumps(exc)
        except Exception:
            message = ("error", (RuntimeError(f"{type(exc).__name__}: {exc}"), where))
    send.send(message)
    send.close()


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Records, graphs and pages are trees (no reference cycles worth collecting): the cyclic
    collector would only rescan the growing heap over and over, costing about a fifth of a
    large validation or build."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
