"""Whether this process is the `stratlas` program (not a test calling the app), and how a
command ends. Apart from `toolkit.cli` so that the command modules can use it without importing
the package that registers them."""

from __future__ import annotations

import os
import sys
from typing import NoReturn

import typer

from toolkit.errors import UsageError

__all__ = ["exit_now", "is_program", "mark_program", "refuse"]

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
