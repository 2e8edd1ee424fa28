"""Honest exits (issue 16, item 5): what the system refuses is said in one line with exit 2 (or
141 for a reader of standard output that stopped reading), never as an internal error and never
with a traceback; usage errors exit 2 before any work. Each test runs the real program."""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

import pytest
from support import REPO, make_project

STRATLAS = [sys.executable, "-m", "toolkit.cli"]


def _errors_of(command: list[str], stdout: int | IO[bytes]) -> subprocess.CompletedProcess[str]:
    """`stratlas <command>` run in the repository (it only reads there) with this stdout."""
    return subprocess.run(
        [*STRATLAS, *command],
        cwd=REPO,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
    )


def _honest(stderr: str) -> None:
    assert "Traceback" not in stderr
    assert "internal error" not in stderr


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project copy with the repository's records, so nothing is written to the repository."""
    project = make_project(tmp_path)
    shutil.copytree(REPO / "records", project / "records")
    return project


# --- standard output ---------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["codes"], ["validate", "records"]])
def test_a_reader_that_stopped_reading_ends_the_command_quietly(command: list[str]) -> None:
    """`stratlas … | head -c1`, made certain: the pipe's reading end is closed before the
    command writes. Exit 141 (as a program SIGPIPE ended), nothing on standard error."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = _errors_of(command, write_end)
    finally:
        os.close(write_end)
    assert done.returncode == 141, done.stderr
    assert done.stderr == ""


@pytest.mark.parametrize("command", [["codes"], ["validate", "records"]])
def test_standard_output_that_refuses_writes_is_one_line_and_exit_2(
    command: list[str], tmp_path: Path
) -> None:
    """A standard output every write fails on (as /dev/full does, with ENOSPC): here a file
    opened for reading only, which answers EBADF."""
    target = tmp_path / "read-only"
    target.write_bytes(b"")
    with target.open("rb") as stdout:
        done = _errors_of(command, stdout)
    assert done.returncode == 2, done.stderr
    assert done.stderr == "stratlas: cannot write to standard output: Bad file descriptor\n"


@pytest.mark.parametrize("command", [["codes"], ["validate", "records"]])
def test_closed_standard_output_is_refused_before_any_work(command: list[str]) -> None:
    done = subprocess.run(
        ["sh", "-c", 'exec "$@" >&-', "sh", *STRATLAS, *command],
        cwd=REPO,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr == "stratlas: cannot write to standard output: it is closed\n"


def test_closed_standard_input_reads_as_empty(project: Path) -> None:
    done = subprocess.run(
        ["sh", "-c", 'exec "$@" <&-', "sh", *STRATLAS, "new", "article", "--from", "-"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr == "stratlas: the article text is empty\n"


# --- arguments ---------------------------------------------------------------------------------


def test_an_argument_that_is_not_utf8_is_a_usage_error_shown_escaped(tmp_path: Path) -> None:
    """Refused before any work: `export` used to create a folder of that name."""
    done = subprocess.run(
        [*STRATLAS, "export", "--out", os.fsencode(tmp_path) + b"/\xff", str(REPO / "records")],
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.decode() == (
        f"stratlas: argument '{tmp_path}/\\xff' is not valid UTF-8; "
        "give file names and values in UTF-8\n"
    )
    assert list(tmp_path.iterdir()) == []


# --- output folders ----------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["build", "export"])
def test_an_output_folder_that_cannot_be_created_exits_2_before_any_work(
    command: str, project: Path
) -> None:
    (project / "a-file").write_text("")
    done = subprocess.run(
        [*STRATLAS, command, "--out", "a-file/out"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2, done.stderr
    # One line naming the file in the way (build and export word it through different
    # checks: export's is the rule of where commands write, `why_not_writable_folder`).
    assert done.stderr.startswith("stratlas: "), done.stderr
    assert done.stderr.count("\n") == 1 and "a-file" in done.stderr, done.stderr
    assert "not a folder" in done.stderr, done.stderr
    assert not (project / "docs" / "generated").exists()  # the build generated nothing first


def test_a_file_that_cannot_be_written_is_named_as_given(project: Path) -> None:
    """The system's refusal names the file asked for, not the temporary file beside it."""
    out = project / ("x" * 250)  # the temporary name beside it is too long for a file name
    done = subprocess.run(
        [*STRATLAS, "export", "--format", "csv", "--out", str(out)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr == f"stratlas: {out}: File name too long\n"


# --- serve -------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _serve(project: Path, dev_addr: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*STRATLAS, "serve", "--dev-addr", dev_addr],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_serve_refuses_an_address_mkdocs_refuses_before_generating(project: Path) -> None:
    done = _serve(project, "bogus")
    assert done.returncode == 2, done.stderr
    assert done.stderr == "stratlas: --dev-addr bogus: Must be a string of format 'IP:PORT'\n"
    assert not (project / "docs" / "generated").exists()


def test_serve_on_a_port_in_use_says_so_and_exits_2(project: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = _serve(project, f"127.0.0.1:{port}")
    assert done.returncode == 2, done.stderr
    assert done.stderr == (
        f"stratlas: --dev-addr 127.0.0.1:{port}: port {port} is in use; stop what serves "
        "there or give another port\n"
    )
    assert not (project / "docs" / "generated").exists()


def _get(port: int, path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response
    finally:
        connection.close()


def test_odd_request_paths_get_400_and_no_traceback_in_the_preview(
    project: Path, tmp_path: Path
) -> None:
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*STRATLAS, "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 240
            while True:  # until the preview answers (pages generated, site built)
                assert process.poll() is None, log.read_text()
                with contextlib.suppress(OSError):
                    # "/" redirects to the site's path (site_url's): the requests go there.
                    mount = _get(port, "/").getheader("Location")
                    if mount is not None and _get(port, mount).status == 200:
                        break
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.5)
            odd = [f"{mount}a%00b", f"{mount}a%00b/", mount + "x/" * 3000]
            statuses = [_get(port, path).status for path in odd]
        finally:
            process.terminate()
            process.wait(timeout=30)
    assert statuses == [400, 400, 400]
    _honest(log.read_text())
