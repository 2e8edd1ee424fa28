"""The CLI is documented (sqlite-utils' tests/test_docs.py): every command is shown in the
hand-written docs and has help; every argument and option has help and is in the docs; and
docs/cli.md, the reference generated from the commands, has not drifted from them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from toolkit.cli.reference import commands, reference_markdown

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO / "docs" / "cli.md"
HAND_WRITTEN = "\n".join(
    path.read_text(encoding="utf-8")
    for path in [
        REPO / "README.md",
        REPO / "CONTRIBUTING.md",
        *sorted((REPO / "docs").glob("*.md")),
    ]
    if path != REFERENCE
)
COMMANDS: dict[str, Any] = {path: command for path, command, _ in commands()}
PARAMS = [(path, param) for path, command in COMMANDS.items() for param in command.params]


def _section(path: str) -> str:
    """The part of docs/cli.md about one command."""
    text = REFERENCE.read_text(encoding="utf-8")
    start = text.index(f"\n## {path}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def test_the_commands_are_the_known_ones() -> None:
    assert set(COMMANDS) == {
        f"stratlas {name}"
        for name in (
            "build",
            "codes",
            "diff",
            "export",
            "find",
            "fmt",
            "new",
            "new article",
            "new entity",
            "resolve",
            "schema",
            "serve",
            "validate",
        )
    }


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_commands_are_documented(path: str) -> None:
    assert path in HAND_WRITTEN, f"`{path}` is in no hand-written doc (README, CONTRIBUTING, docs/)"


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_commands_have_help(path: str) -> None:
    assert COMMANDS[path].help, f"`{path}` has no help (its docstring)"


@pytest.mark.parametrize(("path", "param"), PARAMS, ids=[f"{p} {q.name}" for p, q in PARAMS])
def test_arguments_and_options_have_help(path: str, param: Any) -> None:
    assert getattr(param, "help", None), f"`{path}`: {param.name} has no help"


@pytest.mark.parametrize(("path", "param"), PARAMS, ids=[f"{p} {q.name}" for p, q in PARAMS])
def test_arguments_and_options_are_documented(path: str, param: Any) -> None:
    section = _section(path)
    names = [param.name] if param.param_type_name == "argument" else param.opts
    for name in names:
        assert f"`{name}`" in section, f"`{path} {name}` is not in docs/cli.md"


def test_the_reference_page_matches_the_commands() -> None:
    assert REFERENCE.read_text(encoding="utf-8") == reference_markdown(), (
        "docs/cli.md differs from the commands; regenerate it with: "
        ".venv/bin/python -m toolkit.cli.reference > docs/cli.md"
    )
