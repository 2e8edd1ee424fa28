"""The `stratlas` command: the only module that prints or exits."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

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
    from toolkit.reporters import REPORTERS
    from toolkit.validate import UsageError, validate_paths

    targets = paths or [Path("records")]
    try:
        report = validate_paths(targets)
    except UsageError as exc:
        _fail(str(exc))
        return
    typer.echo(REPORTERS[format.value](report.findings, strict), nl=False)
    failing = report.findings if strict else report.errors
    raise typer.Exit(1 if failing else 0)


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
    from toolkit.schema import dump_schema, generate_schemas
    from toolkit.write import write_text_atomic

    drifted = []
    for name, body in generate_schemas().items():
        path = out / f"{name}.schema.json"
        text = dump_schema(body)
        try:
            current = path.read_text(encoding="utf-8")
        except OSError:
            current = None
        if current == text:
            continue
        drifted.append(path)
        if not check:
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


def main() -> None:
    """Console-script entry point: no traceback ever reaches the user."""
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
