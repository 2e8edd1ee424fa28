"""`stratlas diff`: the statements added and removed between two versions of the records.

Library imports are inside the command, as in the other command modules.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from toolkit.errors import UsageError

__all__ = ["diff"]


class DiffFormat(StrEnum):
    text = "text"
    jsonl = "jsonl"


def diff(
    old: Annotated[
        str,
        typer.Argument(help="The old version: a records folder, or a git commit, tag or branch."),
    ],
    new: Annotated[
        str,
        typer.Argument(help="The new version: a records folder, or a git commit, tag or branch."),
    ],
    records: Annotated[
        Path,
        typer.Option("--records", help="The records folder a git ref is read from."),
    ] = Path("records"),
    format: Annotated[
        DiffFormat,
        typer.Option("--format", "-f", help="text (`-`/`+` lines) or jsonl (one change a line)."),
    ] = DiffFormat.text,
) -> None:
    """Print the statements (rows of statements.csv) added and removed from OLD to NEW.

    Each version is validated first; a version that does not validate is refused (exit 1).
    A changed value shows as one removal and one addition. Exit 0 whether or not anything
    changed.
    """
    import tempfile

    from toolkit.api import InvalidCorpusError, load_corpus
    from toolkit.export.diff import diff_statements
    from toolkit.load.versions import records_version
    from toolkit.reporters import REPORTERS

    with tempfile.TemporaryDirectory(prefix="stratlas-diff-") as temporary:
        graphs = []
        for version in (old, new):
            folder = records_version(version, records, Path(temporary))
            try:
                graphs.append(load_corpus(folder).graph)
            except InvalidCorpusError as exc:
                typer.echo(REPORTERS["text"](exc.findings, False), nl=False, err=True)
                typer.echo(f"stratlas: {version}: the records do not validate", err=True)
                raise typer.Exit(1) from None
            except FileNotFoundError as exc:
                raise UsageError(str(exc)) from None
        changes = diff_statements(*graphs)
    if format is DiffFormat.jsonl:
        stream = typer.get_binary_stream("stdout")
        for line in changes.jsonl():
            stream.write(line)
        stream.flush()
    else:
        for text in changes.lines():
            typer.echo(text)
