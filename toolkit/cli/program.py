"""Whether this process is the `stratlas` program (not a test calling the app), and how a
command ends. Apart from `toolkit.cli` so that the command modules can use it without importing
the package that registers them."""

from __future__ import annotations

import os
import sys
from typing import NoReturn

import typer

__all__ = ["exit_now", "is_program", "mark_program"]

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
