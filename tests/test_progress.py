"""Progress: the library's reporting hook (toolkit/runtime/progress.py) and the CLI's bars
(toolkit/cli/progress.py), drawn on a fake terminal; nothing is drawn off a terminal or in CI."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.cli import progress as cli_progress
from toolkit.errors import UsageError
from toolkit.runtime.progress import SILENT, Progress, current, reporting, task

runner = CliRunner()


class Recorder:
    """A reporter that writes down what the library told it."""

    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []

    def start(self, label: str, total: int | None = None) -> None:
        self.events.append(("start", (label, total)))

    def advance(self, n: int = 1) -> None:
        self.events.append(("advance", n))

    def done(self) -> None:
        self.events.append(("done", None))


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _terminal() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=True, width=80, color_system=None), out


# --- the hook ---------------------------------------------------------------------------------


def test_nobody_listens_by_default() -> None:
    assert current() is SILENT
    with task("validating", 3) as progress:  # no reporter: nothing happens, nothing fails
        progress.advance()
        progress.advance(2)


def test_a_task_reports_start_advance_and_done_to_the_installed_reporter() -> None:
    recorder = Recorder()
    with reporting(recorder):
        assert current() is recorder
        with task("validating", 2) as progress:
            progress.advance()
            with task("pages"):
                current().advance(5)
            progress.advance()
    assert current() is SILENT
    assert recorder.events == [
        ("start", ("validating", 2)),
        ("advance", 1),
        ("start", ("pages", None)),
        ("advance", 5),
        ("done", None),
        ("advance", 1),
        ("done", None),
    ]


def test_a_task_is_done_even_when_the_work_fails() -> None:
    recorder = Recorder()
    with reporting(recorder), pytest.raises(ValueError), task("export", 1):
        raise ValueError("boom")
    assert recorder.events[-1] == ("done", None)
    assert current() is SILENT


# --- the bars ---------------------------------------------------------------------------------


def test_bars_draw_on_a_terminal_and_go_away_when_the_work_ends() -> None:
    console, out = _terminal()
    bars = cli_progress.Bars(console)
    with reporting(bars), task("validating", 4) as progress:
        for _ in range(4):
            progress.advance()
    drawn = out.getvalue()
    assert "validating" in drawn
    assert "4/4" in drawn or "0/4" in drawn
    assert not console.is_alt_screen
    assert bars._steps == []


def test_bars_never_draw_in_a_forked_child() -> None:
    console, out = _terminal()
    bars = cli_progress.Bars(console)
    bars._pid = os.getpid() + 1  # as if this process were a child of the one that made them
    with reporting(bars), task("validating", 4) as progress:
        progress.advance()
    assert out.getvalue() == ""


def test_close_takes_unfinished_bars_off_the_screen() -> None:
    console, _ = _terminal()
    bars = cli_progress.Bars(console)
    bars.start("build", 10)
    bars.close()
    assert bars._steps == []
    assert not bars._progress.live.is_started


@pytest.mark.parametrize(
    ("stdout", "stderr", "environ", "expected"),
    [
        (_Tty(), _Tty(), {}, True),
        (_Tty(), _Tty(), {"CI": "true"}, False),
        (_Tty(), _Tty(), {"CI": "1"}, False),
        (_Tty(), _Tty(), {"CI": "false"}, True),
        (_Tty(), _Tty(), {"TERM": "dumb"}, False),
        (io.StringIO(), _Tty(), {}, False),  # stdout piped
        (_Tty(), io.StringIO(), {}, False),  # stderr captured
        (None, None, {}, False),
    ],
)
def test_bars_are_wanted_only_when_a_person_watches(
    stdout: Any, stderr: Any, environ: dict[str, str], expected: bool
) -> None:
    assert cli_progress.wanted(stdout, stderr, environ) is expected


# --- the commands -----------------------------------------------------------------------------

#: command line → the library function it calls (module, name), patched with a fake
COMMANDS = {
    "validate": (["validate", "records"], "toolkit.validate", "validate_paths"),
    "export": (["export", "--out", "out", "records"], "toolkit.api", "load_corpus"),
    "build": (["build", "--out", "site-out"], "toolkit.site", "build"),
}


def _fake_library(seen: list[Progress]) -> Callable[..., Any]:
    def work(*args: Any, **kwargs: Any) -> Any:
        seen.append(current())
        with task("working", 3) as progress:
            for _ in range(3):
                progress.advance()
        raise UsageError("stopped by the test")

    return work


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_command_draws_bars_on_a_terminal(
    name: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    argv, module, function = COMMANDS[name]
    seen: list[Progress] = []
    monkeypatch.setattr(f"{module}.{function}", _fake_library(seen))
    console, out = _terminal()
    monkeypatch.setattr(cli_progress, "wanted", lambda *_: True)
    monkeypatch.setattr(cli_progress, "_stderr_console", lambda: console)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, argv)
    assert result.exit_code == 2, result.output
    assert "stratlas: stopped by the test" in result.output
    assert isinstance(seen[0], cli_progress.Bars)
    assert "working" in out.getvalue()
    assert current() is SILENT


@pytest.mark.parametrize("name", sorted(COMMANDS))
@pytest.mark.parametrize("ci", [False, True])
def test_the_command_is_silent_off_a_terminal_or_in_ci(
    name: str, ci: bool, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    argv, module, function = COMMANDS[name]
    seen: list[Progress] = []
    monkeypatch.setattr(f"{module}.{function}", _fake_library(seen))
    made: list[Console] = []
    monkeypatch.setattr(cli_progress, "_stderr_console", lambda: made.append(Console()))
    if ci:  # a terminal, but a CI one
        monkeypatch.setenv("CI", "true")
        monkeypatch.setattr(cli_progress, "_is_terminal", lambda _: True)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, argv)
    assert result.output == "stratlas: stopped by the test\n"
    assert seen == [SILENT]
    assert made == []


# --- the program on a real (pseudo-)terminal --------------------------------------------------

#: `stratlas validate records`, with validation reporting one step (as the library will)
PROGRAM = """
import sys
import toolkit.validate
from toolkit.runtime.progress import task
validate_paths = toolkit.validate.validate_paths
def reporting_validate_paths(*args, **kwargs):
    with task("validating", 2) as progress:
        progress.advance(2)
    return validate_paths(*args, **kwargs)
toolkit.validate.validate_paths = reporting_validate_paths
sys.argv = ["stratlas", "validate", "records"]
from toolkit.cli import main
main()
"""


def _on_a_terminal(environ: dict[str, str]) -> bytes:
    pty = pytest.importorskip("pty")
    pid, fd = pty.fork()
    if pid == 0:  # the child: the program, with a terminal as stdout and stderr
        os.chdir(Path(__file__).resolve().parents[1])
        os.execvpe(sys.executable, [sys.executable, "-c", PROGRAM], environ)
    out = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child is gone (EIO on Linux)
            break
        if not chunk:
            break
        out += chunk
    os.waitpid(pid, 0)
    os.close(fd)
    return out


def test_the_program_draws_on_a_terminal_and_prints_the_same_report_as_in_ci() -> None:
    environ = {k: v for k, v in os.environ.items() if k != "CI"} | {"TERM": "xterm"}
    drawn = _on_a_terminal(environ)
    in_ci = _on_a_terminal(environ | {"CI": "true"})
    piped = subprocess.run(
        [sys.executable, "-c", PROGRAM],
        capture_output=True,
        cwd=Path(__file__).resolve().parents[1],
        env=environ,
        check=False,
    )
    assert b"validating" in drawn and b"0/2" in drawn
    report = piped.stdout.replace(b"\n", b"\r\n")  # the terminal turns \n into \r\n
    assert drawn.endswith(b"\r" + report)  # the bar is erased before the report
    assert in_ci == report
