"""The `stratlas` command: the only package that prints or exits.

The library raises the exceptions of `toolkit.errors`; one handler here (`_Commands.invoke`)
turns any of them into `stratlas: <message>` and its exit code, for every command, and does the
same for what the system refuses (standard output gone or full, a file it cannot write). The
commands live in `records.py` (validate, fmt, schema, codes, new, find, resolve) and `publish.py` (build,
serve, export), with `diff` in `changes.py`; they are registered here in the order `stratlas --help` lists them.
"""

from __future__ import annotations

import sys
from typing import Any

import typer
from typer.core import TyperGroup

from toolkit.cli import changes, publish, records
from toolkit.cli.program import (
    BROKEN_PIPE,
    drop_standard_output,
    empty_closed_standard_input,
    mark_program,
    standard_output_error,
    undecodable_argument,
    watch_standard_output,
)
from toolkit.errors import InvalidCorpusError, StratlasError

__all__ = ["app", "exit_code", "main"]


def exit_code(exc: StratlasError) -> int:
    """1 when the records do not validate, 2 for everything else the toolkit refuses."""
    return 1 if isinstance(exc, InvalidCorpusError) else 2


class _Commands(TyperGroup):
    """The app's group: every command runs inside the one `except StratlasError`."""

    # `ctx` is typer's (vendored) click Context, which typer does not export by name.
    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except StratlasError as exc:
            typer.echo(f"stratlas: {exc}", err=True)
            raise typer.Exit(exit_code(exc)) from None
        except OSError as exc:
            raise typer.Exit(_system_refused(exc)) from None


def _system_refused(exc: OSError) -> int:
    """The exit code for an `OSError` that is the system's answer, not a bug: standard output
    that cannot be written, or a file the command cannot read or write. Anything else is
    raised again, for `main` to report as an internal error."""
    failure = standard_output_error()
    if failure is not None:
        drop_standard_output()
        if isinstance(failure, BrokenPipeError):
            return BROKEN_PIPE  # the reader stopped reading (`| head`): nothing to say
        typer.echo(f"stratlas: cannot write to standard output: {_reason(failure)}", err=True)
        return 2
    if exc.filename is None:
        raise exc
    typer.echo(f"stratlas: {exc.filename}: {_reason(exc)}", err=True)
    return 2


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


app = typer.Typer(
    name="stratlas",
    cls=_Commands,
    help="Validate Stratlas records and publish them as a static site.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _command in (
    records.validate,
    records.schema,
    records.codes,
    publish.export,
    changes.diff,
    records.fmt,
    records.find,
    records.resolve,
    publish.build,
    publish.serve,
):
    app.command()(_command)
app.add_typer(records.new_app, name="new")


def main() -> None:
    """Console-script entry point: no traceback ever reaches the user."""
    mark_program()
    if sys.stdout is None:
        # Closed (`>&-`): refused before any work, as a file the command opens could take
        # its place and receive the output.
        typer.echo("stratlas: cannot write to standard output: it is closed", err=True)
        sys.exit(2)
    watch_standard_output()
    empty_closed_standard_input()
    undecodable = undecodable_argument(sys.argv[1:])
    if undecodable is not None:
        typer.echo(
            f"stratlas: argument '{undecodable}' is not valid UTF-8; "
            "give file names and values in UTF-8",
            err=True,
        )
        sys.exit(2)
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("stratlas: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:
        typer.echo(
            f"stratlas: internal error: {type(exc).__name__}: {exc}\n"
            "Please report this with the command you ran.",
            err=True,
        )
        sys.exit(2)
