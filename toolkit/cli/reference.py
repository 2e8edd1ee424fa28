"""docs/cli.md: every command of `stratlas` with its usage, help and options, generated from the
app itself (sqlite-utils keeps its CLI reference the same way). tests/test_docs.py fails when the
committed page differs; regenerate it with:

    .venv/bin/python -m toolkit.cli.reference > docs/cli.md
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from enum import Enum
from pathlib import PurePath
from typing import Any

import typer
import typer.main

from toolkit.cli import app

__all__ = ["commands", "reference_markdown"]

INTRO = """\
# Command-line reference

Every command of `stratlas`, with its arguments and options, as `stratlas COMMAND --help` shows
them. Generated from the commands by `python -m toolkit.cli.reference`; a test fails when this
page and the commands differ. Exit codes: 0 done; 1 the records (or the files checked) are not
right; 2 the command could not do what was asked, with a message that starts with `stratlas:`
(standard output closed or full, a folder that cannot be created, a port in use); 141 the reader
of standard output stopped reading (`stratlas … | head`), and nothing more is said.
"""

#: Characters Markdown would read as markup in a help text (backticks are kept: code is meant);
#: `<` and `>` become entities, as Python-Markdown does not unescape them.
_MARKUP = re.compile(r"([\\*_\[\]])")
_ENTITIES = {"<": "&lt;", ">": "&gt;"}


def _text(help: str | None) -> str:
    text = _MARKUP.sub(r"\\\1", " ".join((help or "").split()))
    return "".join(_ENTITIES.get(char, char) for char in text)


def commands() -> Iterator[tuple[str, Any, Any]]:
    """(command path, click command, its context) of every command and group, in `--help`
    order."""
    root = typer.main.get_command(app)

    def walk(group: Any, ctx: Any) -> Iterator[tuple[str, Any, Any]]:
        for name, command in group.commands.items():
            sub = typer.Context(command, info_name=name, parent=ctx)
            yield sub.command_path, command, sub
            if hasattr(command, "commands"):
                yield from walk(command, sub)

    yield from walk(root, typer.Context(root, info_name="stratlas"))


def _default(param: Any) -> str:
    value = param.default
    if value is None or value is False or getattr(param, "is_flag", False):
        return ""
    if isinstance(value, Enum):
        value = value.value
    elif isinstance(value, PurePath):
        value = value.as_posix()
    return f" Default: `{value}`."


def _param(param: Any, ctx: Any) -> str:
    """One list item: the name and type as --help shows them (typer.rich_utils), the help, the
    default."""
    if param.param_type_name == "argument":
        names = [param.metavar or param.name]
        kind = param.type.get_metavar(param=param, ctx=ctx) or f"<{param.type.name}>"
    else:
        names = param.opts + param.secondary_opts
        kind = param.make_metavar(ctx=ctx)
    item = ", ".join(f"`{name}`" for name in names)
    if "bool" not in kind.lower():  # flags have no value to show
        item += f" `{kind}`"
    required = " Required." if param.required else ""
    return f"- {item}: {_text(param.help)}{required}{_default(param)}"


def reference_markdown() -> str:
    """The page, byte for byte what docs/cli.md holds."""
    lines = [INTRO]
    for path, command, ctx in commands():
        usage = " ".join([path, *command.collect_usage_pieces(ctx)])
        lines += [f"## {path}", "", _text(command.help), "", "```text", usage, "```", ""]
        # arguments first, then options, as --help lists them
        params = sorted(command.params, key=lambda p: p.param_type_name != "argument")
        lines += [_param(param, ctx) for param in params]
        for name, sub in getattr(command, "commands", {}).items():
            lines.append(f"- `{path} {name}`: {_text(sub.help)}")
        lines.append("")
    return "\n".join(lines).replace("\n\n\n", "\n\n").rstrip("\n") + "\n"


if __name__ == "__main__":
    sys.stdout.write(reference_markdown())
