"""The commands that publish the records: `build`, `serve` and `export`.

Every library import is inside its command. Errors of the toolkit propagate to the one
handler in `toolkit.cli`, which prints `stratlas: <message>` and picks the exit code.
"""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from toolkit.cli.program import refuse
from toolkit.cli.progress import bars_on_terminal
from toolkit.cli.records import Format
from toolkit.errors import UsageError
from toolkit.runtime.write import protected_paths, why_not_writable, why_not_writable_folder

if TYPE_CHECKING:
    from toolkit.findings import Report
    from toolkit.link import Graph
    from toolkit.site import MkdocsRun, SyncStats
    from toolkit.site.search import SearchRun

__all__ = ["build", "export", "serve"]


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    sqlite = "sqlite"
    parquet = "parquet"


def export(
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="jsonl: a new folder, or one it exported to before (gets articles.jsonl, "
            "entities.jsonl and, from the records' git history, changes.jsonl); parquet: "
            "likewise (gets <table>.parquet for articles, entities, mentions, scenarios, "
            "forecasts and statements); csv: the statements file; sqlite: the database file; "
            "- writes csv or sqlite to standard output.",
        ),
    ],
    records: Annotated[Path, typer.Argument(help="The records folder (default: records/).")] = Path(
        "records"
    ),
    format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="jsonl, csv, sqlite or parquet.")
    ] = ExportFormat.jsonl,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Replace an existing regular file (never a record or a project file).",
        ),
    ] = False,
) -> None:
    """Validate the records, then export them as JSON Lines, statements CSV, SQLite or
    Parquet.

    JSON Lines come with changes.jsonl, the record-level changes of the records' git history,
    when it can be read whole (not from a shallow clone or a folder outside git: then the
    command says why, and removes a changes.jsonl it wrote there before).

    Parquet needs the parquet extra: pip install 'stratlas[parquet]'.
    """
    from toolkit.api import InvalidCorpusError, load_corpus
    from toolkit.export import (
        articles_jsonl,
        changes_jsonl,
        entities_jsonl,
        export_sqlite,
        statements_csv,
    )
    from toolkit.export.parquet import PARQUET_TABLES, parquet_available
    from toolkit.format.urls import CHANGES_NAME, parquet_name
    from toolkit.load.history import HistoryUnavailable, record_history
    from toolkit.reporters import REPORTERS
    from toolkit.runtime.write import folder_refusal, write_bytes_atomic

    # Where the export goes is checked first: no work, and nothing created, for a bad --out.
    to_stdout = str(out) == "-"
    protected = protected_paths([Path.cwd(), records.absolute().parent], [records])
    folders = {
        ExportFormat.jsonl: {"articles.jsonl", "entities.jsonl", CHANGES_NAME},
        ExportFormat.parquet: {parquet_name(table) for table in PARQUET_TABLES},
    }
    if to_stdout and format in folders:
        raise UsageError(f"-: --format {format} writes a folder; - is for csv and sqlite")
    if format is ExportFormat.parquet and not parquet_available():
        raise UsageError("--format parquet needs pyarrow: pip install 'stratlas[parquet]'")
    if format in folders:
        names = folders[format]
        refuse(why_not_writable_folder(out, protected=protected, force=force, only=names))
        if not os.path.lexists(out) and (refusal := folder_refusal(out)) is not None:
            raise UsageError(f"{out}: {refusal}")
        for name in sorted(names):
            refuse(why_not_writable(out / name, protected=protected, own=True, parents=True))
    elif not to_stdout:
        refuse(why_not_writable(out, protected=protected, force=force))
    with bars_on_terminal():
        try:
            corpus = load_corpus(records)
        except InvalidCorpusError as exc:
            typer.echo(REPORTERS["text"](exc.findings, False), nl=False, err=True)
            typer.echo("stratlas: nothing exported: fix the records first", err=True)
            raise typer.Exit(1) from None
        except FileNotFoundError as exc:  # the Python API's error for a missing folder
            raise UsageError(str(exc)) from None
        graph = corpus.graph
        unavailable = None
        if format is ExportFormat.jsonl:
            files = {
                out / "articles.jsonl": articles_jsonl(graph),
                out / "entities.jsonl": entities_jsonl(graph),
            }
            try:
                files[out / CHANGES_NAME] = changes_jsonl(record_history(records))
            except HistoryUnavailable as exc:
                unavailable = exc.reason
        elif format is ExportFormat.parquet:
            files = {}  # written a table at a time, below: a table is never held whole
        else:
            data = statements_csv(graph) if format is ExportFormat.csv else export_sqlite(graph)
            files = {out: data}
    if to_stdout:
        stream = typer.get_binary_stream("stdout")
        stream.write(files[out])
        stream.flush()
        return
    if format in folders:
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"{out}: cannot create the folder: {exc.strerror}") from None
    if format is ExportFormat.parquet:
        _write_parquet(graph, out)
    for path, data in files.items():
        write_bytes_atomic(path, data)
        typer.echo(f"wrote {path} ({len(data)} bytes)")
    if unavailable is not None:
        # A change file left from an export of another history would be read as this one's.
        stale = out / CHANGES_NAME
        removed = stale.is_file() and not stale.is_symlink()
        if removed:
            stale.unlink()
        typer.echo(
            f"no {CHANGES_NAME}: {unavailable}"
            + (f" (removed the old {stale})" if removed else ""),
            err=True,
        )


def _write_parquet(graph: Graph, out: Path) -> None:
    """Each Parquet table into `out`: made in a private temporary folder, then copied over
    the old file atomically (a reader never sees half a table)."""
    import tempfile

    from toolkit.export.parquet import write_parquet_tables
    from toolkit.export.records import Published
    from toolkit.format.urls import SITE_URL
    from toolkit.runtime.write import write_file_atomic

    with tempfile.TemporaryDirectory(prefix="stratlas-parquet-") as temporary:
        for _table, made in write_parquet_tables(Published(graph), Path(temporary), SITE_URL):
            write_file_atomic(out / made.name, made)
            typer.echo(f"wrote {out / made.name} ({made.stat().st_size} bytes)")
            made.unlink()  # at most one table on disk twice


def build(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Output folder (created and owned by the build).")
    ] = Path("site"),
    records: Annotated[Path, typer.Option("--records", help="The records folder.")] = Path(
        "records"
    ),
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    format: Annotated[
        Format, typer.Option("--format", "-f", help="Format of validation findings.")
    ] = Format.text,
) -> None:
    """Validate, write pages and JSON into docs/generated/, then build the site (mkdocs, strict)
    and its search index (Pagefind)."""
    from toolkit.reporters import REPORTERS
    from toolkit.site import build

    with bars_on_terminal():
        result = build(Path.cwd(), records, out, strict=strict)
    if result.report.findings:
        typer.echo(REPORTERS[format.value](result.report.findings, strict), nl=False)
    if result.sync is None:
        typer.echo("stratlas: site not built: the records have errors", err=True)
        raise typer.Exit(1)
    sync = result.sync
    typer.echo(
        f"docs/generated: {len(sync.written)} written, {len(sync.removed)} removed, "
        f"{sync.unchanged} unchanged",
        err=True,
    )
    for note in sync.notes:
        typer.echo(note, err=True)
    _report_step(result.mkdocs, "the site build failed (mkdocs, strict)")
    _report_step(result.search, "indexing the site for search failed (Pagefind)")
    typer.echo(f"built the site into {out}", err=True)


def _report_step(run: MkdocsRun | SearchRun | None, failure: str) -> None:
    """A build step's whole output and exit 1 when it failed (or never ran); its warnings when
    it succeeded."""
    if run is None or run.returncode != 0:
        typer.echo(run.output if run else "", nl=False, err=True)
        typer.echo(f"stratlas: {failure}", err=True)
        raise typer.Exit(1)
    for line in run.problems:
        typer.echo(line, err=True)


def serve(
    records: Annotated[Path, typer.Option("--records", help="The records folder.")] = Path(
        "records"
    ),
    dev_addr: Annotated[
        str, typer.Option("--dev-addr", "-a", help="Address to serve on (host:port).")
    ] = "127.0.0.1:8000",
) -> None:
    """Live preview: regenerates pages when records change; the browser reloads itself."""
    from toolkit.reporters import REPORTERS
    from toolkit.site import serve

    def on_generate(report: Report, stats: SyncStats | None) -> None:
        if report.findings:
            typer.echo(REPORTERS["text"](report.findings, False), nl=False, err=True)
        if stats is None:
            typer.echo("stratlas: records have errors; showing the last good pages", err=True)
        elif stats.written or stats.removed:
            typer.echo(
                f"stratlas: regenerated {len(stats.written)} files, removed {len(stats.removed)}",
                err=True,
            )

    raise typer.Exit(serve(Path.cwd(), records, dev_addr=dev_addr, on_generate=on_generate))
