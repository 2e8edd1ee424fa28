"""The `stratlas` command: the only module that prints or exits."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from toolkit.findings import CODES

app = typer.Typer(
    name="stratlas",
    help="Validate Stratlas records and publish them as a static site.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Format(StrEnum):
    text = "text"
    json = "json"
    github = "github"


class CodesFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


#: Set by `main`: this process is the `stratlas` program, not a test calling the app.
_PROGRAM = False


def _exit(code: int) -> NoReturn:
    """End the command with `code`. As the program, exit at once, without freeing the
    objects still alive one by one (a large corpus takes most of a second; the system
    reclaims the memory anyway), as mypy does; the output is flushed first."""
    if _PROGRAM:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    raise typer.Exit(code)


def _fail(message: str) -> None:
    typer.echo(f"stratlas: {message}", err=True)
    raise typer.Exit(2)


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders (default: records/).")
    ] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
) -> None:
    """Check records: JSON syntax, schema, references, quotes, dates. Exit 0 valid, 1 errors, 2 usage."""
    from toolkit.errors import UsageError
    from toolkit.reporters import REPORTERS
    from toolkit.validate import validate_paths

    targets = paths or [Path("records")]
    if _PROGRAM:
        # The program ends right after the report (`_exit`): re-enabled after validation,
        # the cyclic collector would walk every object of the corpus once (a second at
        # 10,000 articles) for nothing.
        import gc

        gc.disable()
    try:
        # Two processes on a large corpus: this command needs the findings, not the records.
        report = validate_paths(targets, parallel=None, keep_corpus=False)
    except UsageError as exc:
        _fail(str(exc))
        return
    typer.echo(REPORTERS[format.value](report.findings, strict), nl=False)
    failing = report.findings if strict else report.errors
    _exit(1 if failing else 0)


@app.command()
def schema(
    check: Annotated[
        bool, typer.Option("--check", help="Fail if schema/ differs from the models.")
    ] = False,
    out: Annotated[Path, typer.Option("--out", help="Folder of the published schemas.")] = Path(
        "schema"
    ),
) -> None:
    """Write schema/*.schema.json from the models (or check that they did not drift)."""
    from toolkit.models.schema import schema_drift
    from toolkit.runtime.write import write_text_atomic

    drifted = schema_drift(out)
    if not check:
        for path, text in drifted.items():
            out.mkdir(parents=True, exist_ok=True)
            write_text_atomic(path, text)
            typer.echo(f"wrote {path}")
    if check and drifted:
        for path in drifted:
            typer.echo(f"{path}: differs from the models; run `stratlas schema`", err=True)
        raise typer.Exit(1)


@app.command()
def codes(
    format: Annotated[
        CodesFormat, typer.Option("--format", "-f", help="text, json or markdown.")
    ] = CodesFormat.text,
) -> None:
    """List every finding code with its severity and meaning."""
    import json

    from toolkit.findings import codes_markdown

    if format is CodesFormat.markdown:
        typer.echo(codes_markdown(), nl=False)
        return
    if format is CodesFormat.json:
        rows = [
            {
                "code": c.name,
                "severity": str(c.severity),
                "layer": c.layer,
                "description": c.description,
            }
            for c in CODES.values()
        ]
        typer.echo(json.dumps(rows, indent=2))
        return
    width = max(map(len, CODES))
    for code in CODES.values():
        typer.echo(f"{code.name:<{width}}  {code.severity:<7}  {code.description}")


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    sqlite = "sqlite"


@app.command()
def export(
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="jsonl: a folder (gets articles.jsonl and entities.jsonl); "
            "csv: the statements file; sqlite: the database file.",
        ),
    ],
    records: Annotated[Path, typer.Argument(help="The records folder (default: records/).")] = Path(
        "records"
    ),
    format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="jsonl, csv or sqlite.")
    ] = ExportFormat.jsonl,
) -> None:
    """Validate the records, then export them as JSON Lines, statements CSV or SQLite."""
    from toolkit.api import CorpusError, InvalidCorpusError, load_corpus
    from toolkit.export import articles_jsonl, entities_jsonl, export_sqlite, statements_csv
    from toolkit.reporters import REPORTERS
    from toolkit.runtime.write import write_bytes_atomic

    try:
        corpus = load_corpus(records)
    except InvalidCorpusError as exc:
        typer.echo(REPORTERS["text"](exc.findings, False), nl=False, err=True)
        typer.echo("stratlas: nothing exported: fix the records first", err=True)
        raise typer.Exit(1) from None
    except (FileNotFoundError, CorpusError) as exc:
        _fail(str(exc))
        return
    graph = corpus.graph
    if format is ExportFormat.jsonl:
        if out.exists() and not out.is_dir():
            _fail(f"{out}: --format jsonl writes a folder, and this is a file")
        out.mkdir(parents=True, exist_ok=True)
        files = {
            out / "articles.jsonl": articles_jsonl(graph),
            out / "entities.jsonl": entities_jsonl(graph),
        }
    else:
        if out.is_dir():
            _fail(f"{out}: is a folder; give the path of the file to write")
        if not out.parent.is_dir():
            _fail(f"{out.parent}: no such folder")
        data = statements_csv(graph) if format is ExportFormat.csv else export_sqlite(graph)
        files = {out: data}
    for path, data in files.items():
        write_bytes_atomic(path, data)
        typer.echo(f"wrote {path} ({len(data)} bytes)")


new_app = typer.Typer(
    help="Scaffold a draft record; what it cannot fill is reported by `validate`.",
    no_args_is_help=True,
)
app.add_typer(new_app, name="new")


@new_app.command("article")
def new_article(
    from_file: Annotated[
        Path, typer.Option("--from", help="The article's text (UTF-8), as copied from the page.")
    ],
    id: Annotated[
        str | None, typer.Option("--id", help="The article's ID (default: from the headline).")
    ] = None,
    records: Annotated[Path, typer.Option("--records", help="The records folder.")] = Path(
        "records"
    ),
) -> None:
    """Draft records/articles/<id>.json and records/sources/<id>.txt from an article's text."""
    from toolkit.authoring.scaffold import ScaffoldError, write_article_draft
    from toolkit.findings import Severity
    from toolkit.validate import validate_paths

    try:
        draft, written = write_article_draft(from_file, records, id)
    except ScaffoldError as exc:
        _fail(str(exc))
        return
    for path in written:
        typer.echo(f"wrote {path}")
    record = draft.record
    bio = record["authors"][0].get("bio", {})
    counts = [
        (len(record["key_points"]), "key point"),
        (len(bio.get("positions", [])), "position"),
        (len(bio.get("education", [])), "degree"),
        (len(bio.get("books", [])), "book"),
        (len(bio.get("outlets", [])), "outlet"),
        (len(bio.get("editorial_roles", [])), "editorial role"),
        (len(record["actors"]), "actor"),
        (len(record["weapon_systems"]), "weapon system"),
        (len(record["places"]), "place"),
    ]
    typer.echo("drafted: " + ", ".join(f"{n} {w}{'s' * (n != 1)}" for n, w in counts))
    for note in draft.notes:
        typer.echo(f"note: {note}")
    report = validate_paths([written[-1]])
    todo = [f for f in report.findings if f.code == "draft-incomplete"]
    errors = [f for f in report.findings if f.severity is Severity.ERROR]
    typer.echo(
        f"to complete: {len(todo)} draft-incomplete findings ({len(errors)} errors in all); "
        f"see them with: stratlas validate {written[-1]}"
    )


@new_app.command("entity")
def new_entity(
    kind: Annotated[str, typer.Argument(help="person, state, organization, outlet, …")],
    name: Annotated[str, typer.Argument(help="The usual English name.")],
    id: Annotated[
        str | None, typer.Option("--id", help="The entity's ID (default: from the name).")
    ] = None,
    alias: Annotated[
        list[str] | None, typer.Option("--alias", help="Another name it goes by (repeatable).")
    ] = None,
    records: Annotated[Path, typer.Option("--records", help="The records folder.")] = Path(
        "records"
    ),
) -> None:
    """Draft records/entities/<id>.json; prints the new ID."""
    from toolkit.authoring.scaffold import ScaffoldError, write_entity_draft

    try:
        draft, path = write_entity_draft(records, kind, name, id, alias or [])
    except ScaffoldError as exc:
        _fail(str(exc))
        return
    typer.echo(f"wrote {path}")
    typer.echo(f"id: {draft.id}")
    for note in draft.notes:
        typer.echo(f"note: {note}")


@app.command()
def fmt(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders (default: records/).")
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Change nothing; list the files that would change.")
    ] = False,
) -> None:
    """Write JSON records in the canonical form (schema key order, 2-space indent, UTF-8)."""
    from toolkit.authoring.fmt import FmtUsageError, format_paths
    from toolkit.reporters import REPORTERS

    try:
        results = format_paths(paths or [Path("records")], check=check)
    except FmtUsageError as exc:
        _fail(str(exc))
        return
    changed = [r for r in results if r.status == "changed"]
    refused = [r for r in results if r.status == "refused"]
    for result in changed:
        typer.echo(f"{'would reformat' if check else 'reformatted'} {result.display}")
    for result in refused:
        typer.echo(f"{result.display}: not formatted: {result.reason}", err=True)
        if result.findings:
            typer.echo(REPORTERS["text"](result.findings, False), nl=False, err=True)
    unchanged = len(results) - len(changed) - len(refused)
    verb = "would be reformatted" if check else "reformatted"
    typer.echo(
        f"{len(changed)} file{'s' * (len(changed) != 1)} {verb}, {unchanged} unchanged"
        + (f", {len(refused)} refused" if refused else "")
    )
    raise typer.Exit(1 if refused or (check and changed) else 0)


@app.command()
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
    """Validate, write pages and JSON into docs/generated/, then build the site (mkdocs, strict)."""
    from toolkit.errors import UsageError
    from toolkit.reporters import REPORTERS
    from toolkit.site import SiteError, build

    try:
        result = build(Path.cwd(), records, out, strict=strict)
    except (SiteError, UsageError) as exc:
        _fail(str(exc))
        return
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
    run = result.mkdocs
    if run is None or run.returncode != 0:
        typer.echo(run.output if run else "", nl=False, err=True)
        typer.echo("stratlas: the site build failed (mkdocs, strict)", err=True)
        raise typer.Exit(1)
    for line in run.problems:
        typer.echo(line, err=True)
    typer.echo(f"built the site into {out}", err=True)


@app.command()
def serve(
    records: Annotated[Path, typer.Option("--records", help="The records folder.")] = Path(
        "records"
    ),
    dev_addr: Annotated[
        str, typer.Option("--dev-addr", "-a", help="Address to serve on (host:port).")
    ] = "127.0.0.1:8000",
) -> None:
    """Live preview: regenerates pages when records change; the browser reloads itself."""
    from toolkit.errors import UsageError
    from toolkit.findings import Report
    from toolkit.reporters import REPORTERS
    from toolkit.site import SiteError, SyncStats, serve

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

    try:
        code = serve(Path.cwd(), records, dev_addr=dev_addr, on_generate=on_generate)
    except (SiteError, UsageError) as exc:
        _fail(str(exc))
        return
    raise typer.Exit(code)


def main() -> None:
    """Console-script entry point: no traceback ever reaches the user."""
    global _PROGRAM
    _PROGRAM = True
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


if __name__ == "__main__":
    main()
