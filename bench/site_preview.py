"""Issue 18, target 4: `stratlas serve` shows an edit to one article within 10 seconds.

`stratlas serve --dev-addr 127.0.0.1:<free port>` runs in the site project of 1,000 articles
(in its own session, so that its whole process group can be stopped); once the article's page
is served, one assessment of that article gets a marker word, and the page's URL is fetched
every 0.2 s until it shows the marker. The figure is the time from the write to the first
response that shows it; no change within the timeout counts as a FAIL with the time waited.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from measuring import Results, fmt_n, seconds, verdict
from measuring import stratlas as stratlas_cmd
from site_build import edit_one_article, middle_article

#: Issue 18: the edit shows within 10 s.
LIMIT_SECONDS = 10.0
MARKER = "Zqxpreviewedit"
POLL_SECONDS = 0.2


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(port: int, path: str) -> tuple[int, str, bytes]:
    """(status, Location header, body) of GET `path`."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.getheader("Location") or "", response.read()
    finally:
        connection.close()


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the server's process group (serve stops mkdocs), then SIGKILL if it lingers."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    # mkdocs may outlive serve for a moment: the group goes, whatever is left of it.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def _tail(log: Path) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(log.read_text("utf-8", "replace").strip().splitlines()[-10:])
    return ""


def bench_preview(
    project: Path, n: int, start_timeout: float, timeout: float, results: Results
) -> None:
    """Target 4's row for the site project of `n` articles; never raises (a failure is a row)."""
    what = "`stratlas serve`: an edited article shows"
    target = f"≤ {LIMIT_SECONDS:g} s" + ("" if n >= 1000 else " (1k target)")
    try:
        _measure(project, n, start_timeout, timeout, results, what, target)
    except Exception as exc:  # the harness reports what went wrong, and goes on
        message = f"{type(exc).__name__}: {exc}"
        results.add(what, fmt_n(n), f"failed: {message}", "", "", target, "FAIL")


def _measure(
    project: Path,
    n: int,
    start_timeout: float,
    timeout: float,
    results: Results,
    what: str,
    target: str,
) -> None:
    article = middle_article(project / "records").stem
    port = _free_port()
    log = project / "serve.log"
    raw: dict[str, object] = {"article": article, "timeout s": timeout}
    results.raw[f"preview {n}"] = raw
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*stratlas_cmd(), "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            started = time.monotonic()
            url = _wait_until_served(process, port, article, started + start_timeout)
            start = time.monotonic() - started
            raw["start s"] = start
            if url is None:
                why = (
                    f"exited {process.returncode}"
                    if process.poll() is not None
                    else f"served nothing within {seconds(start_timeout)}"
                )
                results.add(
                    what, fmt_n(n), f"not measured: `stratlas serve` {why}", "", "", target, "FAIL"
                )
                results.notes.append(
                    f"`stratlas serve` of {fmt_n(n)} articles {why}:\n\n```\n{_tail(log)}\n```"
                )
                return
            # A new word each time: the project may carry an earlier run's edit.
            marker = f"{MARKER}{time.time_ns() % 10**9}"
            edit_one_article(project, marker)
            written = time.monotonic()
            shown = _wait_for_marker(process, port, url, marker, written + timeout)
            waited = time.monotonic() - written
        finally:
            _stop(process)
    raw["served at"] = url
    raw["seconds to show the edit"] = waited if shown else None
    results.add(
        what,
        fmt_n(n),
        f"{seconds(waited)} from the write to the served page ({url})"
        if shown
        else f"not shown after {seconds(waited)} (timeout)",
        f"the server answered {seconds(start)} after it started",
        "",
        target,
        verdict(shown and waited <= LIMIT_SECONDS),
    )


def _wait_until_served(
    process: subprocess.Popen[bytes], port: int, article: str, deadline: float
) -> str | None:
    """The article page's path once the server answers it with 200 (None if it never does)."""
    while time.monotonic() < deadline and process.poll() is None:
        with contextlib.suppress(OSError, http.client.HTTPException):
            # "/" redirects to the site's path (site_url's); the pages are under it.
            status, location, _ = _get(port, "/")
            mount = location if status in (301, 302, 307, 308) and location else "/"
            path = f"{mount.rstrip('/')}/articles/{article}/"
            status, _, body = _get(port, path)
            if status == 200 and body:
                return path
        time.sleep(0.5)
    return None


def _wait_for_marker(
    process: subprocess.Popen[bytes], port: int, path: str, marker: str, deadline: float
) -> bool:
    while time.monotonic() < deadline and process.poll() is None:
        with contextlib.suppress(OSError, http.client.HTTPException):
            status, _, body = _get(port, path)
            if status == 200 and marker.encode() in body:
                return True
        time.sleep(POLL_SECONDS)
    return False
