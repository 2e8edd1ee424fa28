"""Whether this process is the `stratlas` program (not a test calling the app), and how a
command ends. Apart from `toolkit.cli` so that the command modules can use it without importing
the package that registers them."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from typing import TYPE_CHECKING, NoReturn

import typer

from toolkit.errors import UsageError

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

__all__ = [
    "BROKEN_PIPE",
    "drop_standard_output",
    "empty_closed_standard_input",
    "exit_now",
    "is_program",
    "mark_program",
    "refuse",
    "standard_output_error",
    "undecodable_argument",
    "watch_standard_output",
]

#: The exit code when the reader of standard output stopped reading (`stratlas … | head`):
#: the one a shell shows for a program that SIGPIPE ended (128 + 13).
BROKEN_PIPE = 141

#: Set by `toolkit.cli.main`: this process is the `stratlas` program.
_PROGRAM = False


def mark_program() -> None:
    global _PROGRAM
    _PROGRAM = True


def is_program() -> bool:
    return _PROGRAM


def exit_now(code: int) -> NoReturn:
    """End the command with `code`. As the program, exit at once, without freeing the
    objects still alive one by one (a large corpus takes most of a second; the system
    reclaims the memory anyway), as mypy does; the output is flushed first."""
    if _PROGRAM:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    raise typer.Exit(code)


def refuse(reason: str | None) -> None:
    """A reason not to write (`toolkit.runtime.write.why_not_writable`) ends the command
    with it and exit code 2, before any work."""
    if reason is not None:
        raise UsageError(reason)


#: The first error writing standard output raised, recorded by `_WatchedOutput`.
_OUTPUT_FAILURE: list[OSError] = []


class _WatchedOutput(io.FileIO):
    """Standard output's file descriptor, which records the first error a write raises: an
    `OSError` from writing there (no file name says where it came from) is then known as one."""

    def write(self, data: ReadableBuffer, /) -> int:
        try:
            return super().write(data)
        except OSError as exc:
            if not _OUTPUT_FAILURE:
                _OUTPUT_FAILURE.append(exc)
            raise


def empty_closed_standard_input() -> None:
    """A closed standard input (`<&-`) reads as empty, from the null device on descriptor 0: a
    file the command opens could otherwise take descriptor 0 and be read as standard input."""
    if sys.stdin is not None:
        return
    descriptor = os.open(os.devnull, os.O_RDONLY)
    if descriptor != 0:
        os.dup2(descriptor, 0)
        os.close(descriptor)
    sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115 - lives as stdin


def watch_standard_output() -> None:
    """Write standard output through `_WatchedOutput`, with the encoding and buffering it has."""
    old = sys.stdout
    try:
        descriptor = old.fileno()
    except (AttributeError, OSError, ValueError):  # not a file (replaced by a caller)
        return
    buffer = io.BufferedWriter(_WatchedOutput(descriptor, "w", closefd=False))
    sys.stdout = io.TextIOWrapper(
        buffer,
        encoding=old.encoding,
        errors=old.errors,
        line_buffering=bool(old.line_buffering),
    )


def standard_output_error() -> OSError | None:
    """Why standard output could not be written (a reader gone, a full disk), or None."""
    return _OUTPUT_FAILURE[0] if _OUTPUT_FAILURE else None


def drop_standard_output() -> None:
    """Point standard output at the null device, so that the interpreter's last flush of what
    is still pending cannot fail again (the recipe of Python's documentation for SIGPIPE)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def undecodable_argument(arguments: list[str]) -> str | None:
    """The first argument that is not valid UTF-8 (decoded with surrogate escapes, as Python
    decodes them), shown with its bytes escaped as `\\xff`; None if every one is valid."""
    for argument in arguments:
        try:
            argument.encode("utf-8")
        except UnicodeEncodeError:
            return os.fsencode(argument).decode("utf-8", "backslashreplace")
    return None
