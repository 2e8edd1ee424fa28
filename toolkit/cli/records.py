"""The commands that work on the records: `validate`, `fmt`, `schema`, `codes`, `new`,
`find` and `resolve`.

Over 300 lines since `resolve` (issue 19): `new` and `resolve`, the authoring commands, are
the next to move to a module of their own.

Every library import is inside its command: `stratlas validate` loads only what validation
needs (tests/test_shape.py holds it to no pydantic). Errors of the toolkit propagate to the
one handler in `toolkit.cli`, which prints `stratlas: <message>` and picks the exit code.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from toolkit.cli.program import exit_now, is_program, refuse
from toolkit.cli.progress import bars_on_terminal
from toolkit.errors import UsageError
from toolkit.runtime.write import why_not_writable, why_not_writable_folder

__all__ = ["Format", "codes", "find", "fmt", "new_app", "resolve", "schema", "validate"]


class Format(StrEnum):
    text = "text"
    json = "json"
    github = "github"


class CodesFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


def validate(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders (default: records/).")
    ] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
) -> None:
    """Check records: JSON syntax, schema, references, quotes, dates. Exit 0 valid, 1 errors, 2 usage."""
    from toolkit.reporters import REPORTERS
    from toolkit.validate import validate_paths

    targets = paths or [Path("records")]
    if is_program():
        # The program ends right after the report (`exit_now`): re-enabled after validation,
        # the cyclic collector would walk every object of the corpus once (a second at
        # 10,000 articles) for nothing.
        import gc

        gc.disable()
    with bars_on_terminal():
        # Two processes on a large corpus: this command needs the findings, not the records.
        report = validate_paths(targets, parallel=None, keep_corpus=False)
    typer.echo(REPORTERS[format.value](report.findings, strict), nl=False)
    failing = report.findings if strict else report.errors
    exit_now(1 if failing else 0)


def schema(
    check: Annotated[
        bool, typer.Option("--check", help="Fail if schema/ differs from the models.")
    ] = False,
    out: Annotated[Path, typer.Option("--out", help="Folder of the published schemas.")] = Path(
        "schema"
    ),
) -> None:
    """Write schema/*.schema.json from the models (or check that they did not drift)."""
    import os

    from toolkit.models.schema import schema_drift
    from toolkit.runtime.write import protected_paths, write_text_atomic

    # The folder is checked before any work: --check reads an existing one, the write makes
    # it or writes its own files into it, nowhere else.
    protected = protected_paths([Path.cwd()], job="schema")
    if check and not os.path.isdir(out):
        raise UsageError(
            f"{out}: {'is not a folder' if os.path.lexists(out) else 'no such folder'}"
        )
    if not check:
        refuse(why_not_writable_folder(out, protected=protected))
    drifted = schema_drift(out)
    if not check:
        for path in drifted:
            refuse(why_not_writable(path, protected=protected, own=True, parents=True))
        for path, text in drifted.items():
            try:
                out.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise UsageError(f"{out}: cannot create the folder: {exc.strerror}") from None
            write_text_atomic(path, text)
            typer.echo(f"wrote {path}")
    if check and drifted:
        for path in drifted:
            typer.echo(f"{path}: differs from the models; run `stratlas schema`", err=True)
        raise typer.Exit(1)


def codes(
    format: Annotated[
        CodesFormat, typer.Option("--format", "-f", help="text, json or markdown.")
    ] = CodesFormat.text,
) -> None:
    """List every finding code with its severity and meaning."""
    import json

    from toolkit.findings import CODES, codes_markdown

    if format is CodesFormat.markdown:
        typer.echo(codes_markdown(), nl=False)
        return
    if format is CodesFormat.json:
        typer.echo(json.dumps([code.as_dict() for code in CODES.values()], indent=2))
        return
    width = max(map(len, CODES))
    for code in CODES.values():
        typer.echo(f"{code.name:<{width}}  {code.severity:<7}  {code.description}")


def fmt(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders (default: records/).")
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Change nothing; list the files that would change.")
    ] = False,
) -> None:
    """Write JSON records in the canonical form (schema key order, 2-space indent, UTF-8)."""
    from toolkit.authoring.fmt import format_paths
    from toolkit.reporters import REPORTERS, printable
    from toolkit.runtime.write import protected_paths

    protected = protected_paths([Path.cwd()], job="records")
    results = format_paths(paths or [Path("records")], check=check, protected=protected)
    changed = [r for r in results if r.status == "changed"]
    refused = [r for r in results if r.status == "refused"]
    for result in changed:
        typer.echo(f"{'would reformat' if check else 'reformatted'} {printable(result.display)}")
    for result in refused:
        typer.echo(
            f"{printable(result.display)}: not formatted: {printable(result.reason)}", err=True
        )
        if result.findings:
            typer.echo(REPORTERS["text"](result.findings, False), nl=False, err=True)
    unchanged = len(results) - len(changed) - len(refused)
    verb = "would be reformatted" if check else "reformatted"
    typer.echo(
        f"{len(changed)} file{'s' * (len(changed) != 1)} {verb}, {unchanged} unchanged"
        + (f", {len(refused)} refused" if refused else "")
    )
    raise typer.Exit(1 if refused or (check and changed) else 0)


new_app = typer.Typer(
    help="Scaffold a draft record; what it cannot fill is reported by `validate`.",
    no_args_is_help=True,
)


@new_app.command("article")
def new_article(
    from_file: Annotated[
        Path,
        typer.Option(
            "--from", help="The article's text (UTF-8), as copied from the page; - reads stdin."
        ),
    ],
    id: Annotated[
        str | None, typer.Option("--id", help="The article's ID (default: from the headline).")
    ] = None,
    records: Annotated[Path, typer.Option("--records", help="The records folder.")] = Path(
        "records"
    ),
) -> None:
    """Draft records/articles/<id>.json and records/sources/<id>.txt from an article's text."""
    from toolkit.authoring.scaffold import write_article_draft
    from toolkit.authoring.summary import draft_summary
    from toolkit.findings import Severity
    from toolkit.validate import validate_paths

    draft, written = write_article_draft(from_file, records, id)
    for path in written:
        typer.echo(f"wrote {path}")
    typer.echo(f"drafted: {draft_summary(draft.record)}")
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
    from toolkit.authoring.scaffold import write_entity_draft

    draft, path = write_entity_draft(records, kind, name, id, alias or [])
    typer.echo(f"wrote {path}")
    typer.echo(f"id: {draft.id}")
    for note in draft.notes:
        typer.echo(f"note: {note}")


class ResolveStatus(StrEnum):
    happened = "happened"
    did_not_happen = "did-not-happen"


def resolve(
    article: Annotated[str, typer.Argument(help="The article's ID.")],
    scenario: Annotated[str, typer.Argument(help="The scenario's ID in that article.")],
    status: Annotated[ResolveStatus, typer.Option("--status", help="How it turned out.")],
    on: Annotated[
        str, typer.Option("--on", help="When events settled it: YYYY, YYYY-MM or YYYY-MM-DD.")
    ],
    note: Annotated[str, typer.Option("--note", help="What happened, in a sentence.")],
    url: Annotated[
        list[str] | None,
        typer.Option("--url", help="A page that shows the outcome (repeatable, with --basis)."),
    ] = None,
    basis: Annotated[
        list[str] | None,
        typer.Option("--basis", help="What the page of the --url before it shows."),
    ] = None,
    from_article: Annotated[
        list[str] | None,
        typer.Option("--article", help="A later article of the corpus (repeatable, with --quote)."),
    ] = None,
    quote: Annotated[
        list[str] | None,
        typer.Option("--quote", help="That article's words, verbatim, from its snapshot."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the resolution of a settled scenario.")
    ] = False,
    records: Annotated[Path, typer.Option("--records", help="The records folder.")] = Path(
        "records"
    ),
) -> None:
    """Record how a scenario turned out, with its basis, in the article's record (validated,
    formatted, written atomically). Exit 0 written, 1 it would not validate, 2 refused."""
    from toolkit.authoring.resolve import ResolveError, resolve_scenario
    from toolkit.format.vocab import SCHEMA_VERSION
    from toolkit.reporters import REPORTERS, printable
    from toolkit.runtime.write import protected_paths

    urls, bases = url or [], basis or []
    articles, quotes = from_article or [], quote or []
    if len(urls) != len(bases):
        raise UsageError("give each --url its --basis (what the page shows), in pairs")
    if len(articles) != len(quotes):
        raise UsageError("give each --article its --quote (the article's words), in pairs")
    try:
        done = resolve_scenario(
            records,
            article,
            scenario,
            status=status.value,
            on=on,
            note=note,
            urls=list(zip(urls, bases, strict=True)),
            quotes=list(zip(articles, quotes, strict=True)),
            force=force,
            protected=protected_paths([Path.cwd()], job="records"),
        )
    except ResolveError as exc:
        if not exc.findings:
            raise
        typer.echo(f"stratlas: {exc}", err=True)
        typer.echo(REPORTERS["text"](exc.findings, False), nl=False, err=True)
        exit_now(1)
    typer.echo(
        f"resolved `{printable(scenario)}` as {status.value} on {printable(on)}"
        + (f" (was {done.previous})" if done.previous != "open" else "")
        + f": wrote {printable(done.display)}"
    )
    if done.raised_from is not None:
        typer.echo(f"schema_version raised from {printable(done.raised_from)} to {SCHEMA_VERSION}")


def find(
    name: Annotated[str, typer.Argument(help="A name or alias as an article writes it.")],
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", "-k", help="Only entities of this kind (repeatable)."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="At most this many.", min=1)] = 10,
    json: Annotated[bool, typer.Option("--json", help="A JSON array instead of lines.")] = False,
    records: Annotated[Path, typer.Option("--records", help="The records folder.")] = Path(
        "records"
    ),
) -> None:
    """Find registered entities by name or alias, fuzzily, best first: kind, ID, name and the
    alias that matched. Exit 0 found, 1 none matches, 2 usage."""
    import json as json_module

    from toolkit.authoring.find import find_entities
    from toolkit.authoring.scaffold import known_entities
    from toolkit.format.vocab import ENTITY_KINDS
    from toolkit.reporters import printable

    kinds = tuple(kind or ())
    for wanted in kinds:
        if wanted not in ENTITY_KINDS:
            raise UsageError(f"unknown kind `{wanted}`: use one of {', '.join(ENTITY_KINDS)}")
    if not records.is_dir():
        raise UsageError(f"{records}: no such records folder")
    matches = find_entities(name, known_entities(records), kinds=kinds, limit=limit)
    if json:
        typer.echo(json_module.dumps([m.as_dict() for m in matches], ensure_ascii=False, indent=2))
    elif not matches:
        typer.echo(
            f"no entity matches “{printable(name)}”; if the article names a new one, create it "
            f'with: stratlas new entity KIND "{printable(name)}"'
        )
    else:
        kind_width = max(len(m.kind) for m in matches)
        id_width = max(len(m.id) for m in matches)
        for match in matches:
            line = f"{match.kind:<{kind_width}}  {match.id:<{id_width}}  {printable(match.name)}"
            if match.field != "name":
                line += f"  ({match.field}: {printable(match.matched)})"
            typer.echo(line)
    raise typer.Exit(0 if matches else 1)
