"""Issue 18, target 3: the bytes a browser downloads for its first search query.

A real headless Chromium (Debian's, driven by Playwright, as tests/test_browser.py drives it)
opens an article page of the built site, served on 127.0.0.1 by Python's http.server (text
gzipped, as GitHub Pages sends it; the uncompressed sizes are reported beside it), waits for the page's `load` event, presses `/` (Pagefind's
search opens with the focus in its input), types a word of the corpus and waits for the first
result link. Every request the page or its workers sent from the page's `load` event on
counts, with the bytes Chrome received for it: Playwright's `request.sizes()`, response body as
sent (CDP's `encodedDataLength` less the headers) plus response headers.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from measuring import Results, fmt_n, verdict

#: Issue 18: ≤ 300 KB for the first query at 10,000 articles.
LIMIT_BYTES = 300 * 1000
# As tests/support.py has them (the bench does not import the tests, which need pytest).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
INPUT = ".pagefind-ui__search-input"
RESULT = ".pagefind-ui__result-link"


@dataclass
class SearchBytes:
    query: str
    page: str
    page_bytes: int = 0
    query_bytes: int = 0
    #: (path, bytes) of every response after the page's load event.
    responses: list[tuple[str, int]] = field(default_factory=list)

    def file_bytes(self, site: Path) -> int:
        """The size on disk of what the responses after the load event sent (uncompressed)."""
        total = 0
        for url, _size in self.responses:
            path = site / url.split("?")[0]
            path = path / "index.html" if path.is_dir() else path
            total += path.stat().st_size if path.is_file() else 0
        return total


def query_word(records: Path) -> str:
    """A word that occurs in the corpus, picked the same way every run: the first word of four
    letters or more of the name of the entity most articles mention (ties: the smaller id)."""
    mentions: Counter[str] = Counter()
    for path in sorted((records / "articles").glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            for key in ("actors", "weapon_systems", "places"):
                mentions.update({item["entity"] for item in record.get(key, [])})
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue
    for entity, _count in sorted(mentions.items(), key=lambda item: (-item[1], item[0])):
        try:
            name = json.loads((records / "entities" / f"{entity}.json").read_text("utf-8"))["name"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        words: list[str] = [w for w in re.findall(r"[^\W\d_]+", str(name)) if len(w) >= 4]
        if words:
            return words[0]
    return "security"


#: What GitHub Pages sends gzipped (text); Pagefind's own files are compressed already.
GZIPPED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")


class _Handler(SimpleHTTPRequestHandler):
    """Python's static file server, gzipping text as a static host does (GitHub Pages)."""

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not (
            path.is_file() and path.suffix in GZIPPED
        ):
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def served(site: Path) -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/"
    finally:
        httpd.shutdown()
        thread.join()
        httpd.server_close()


def why_not(site: Path) -> str:
    """Why the search cannot be measured on this machine or site ("" when it can)."""
    if not (site / "pagefind").is_dir():
        return "no Pagefind bundle (site/pagefind/)"
    if not CHROMIUM.exists():
        return f"no Chromium ({CHROMIUM}; `make browser-deps`)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return ""


def first_query(site: Path, page_path: str, query: str, timeout: float = 60.0) -> SearchBytes:
    """Open `page_path` of the built `site`, search for `query`, count the bytes (see above)."""
    from playwright.sync_api import sync_playwright

    figures = SearchBytes(query, page_path)
    # Playwright's page events include the requests of the page's workers (Pagefind fetches
    # its index from one), which a CDP session of the page alone would not see.
    started: list[Any] = []
    ended: list[Any] = []
    with served(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            # (lambdas: Playwright tags its handlers, which a bound builtin cannot take)
            page.on("request", lambda request: started.append(request))
            page.on("requestfinished", lambda request: ended.append(request))
            page.on("requestfailed", lambda request: ended.append(request))
            page.goto(base + page_path, wait_until="load", timeout=timeout * 1000)
            # The load event's time, on the clock of the requests' start times (epoch ms).
            loaded = float(
                page.evaluate(
                    "() => performance.timeOrigin"
                    " + performance.getEntriesByType('navigation')[0].loadEventStart"
                )
            )
            page.keyboard.press("/")
            page.wait_for_function(
                f"() => document.activeElement?.matches({json.dumps(INPUT)})",
                timeout=10_000,
            )
            page.keyboard.type(query, delay=50)
            page.locator(RESULT).first.wait_for(timeout=timeout * 1000)
            _settle(page, started, ended, timeout)
            for request in started:
                if not request.url.startswith(base):
                    continue  # data: URLs, which nothing downloads
                size = 0
                if request.failure is None and request in ended:
                    sizes = request.sizes()
                    size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
                if request.timing["startTime"] >= loaded:
                    figures.query_bytes += size
                    figures.responses.append((request.url.removeprefix(base), size))
                else:
                    figures.page_bytes += size
        finally:
            browser.close()
    return figures


def _settle(page: Any, started: list[Any], ended: list[Any], timeout: float) -> None:
    """Wait until no request is in flight and none has started for a second."""
    deadline = time.monotonic() + timeout
    quiet_since, seen = time.monotonic(), len(started)
    while time.monotonic() < deadline:
        page.wait_for_timeout(200)  # lets Playwright deliver the browser's events meanwhile
        if len(started) != seen or len(ended) < len(started):
            quiet_since, seen = time.monotonic(), len(started)
        elif time.monotonic() - quiet_since >= 1.0:
            return


def bench_search(site: Path, records: Path, article_id: str, n: int, results: Results) -> None:
    """Target 3's row for the built `site` of `n` articles; never raises (a failure is a row)."""
    target = "≤ 300 KB" + ("" if n >= 10_000 else " (10k target)")
    what = "bytes downloaded for the first search query (Chromium)"
    reason = why_not(site)
    if reason:
        results.add(what, fmt_n(n), f"not measured: {reason}", "", "", target, "n/a")
        return
    query = query_word(records)
    try:
        figures = first_query(site, f"articles/{article_id}/", query)
    except Exception as exc:  # the harness reports what the browser did, and goes on
        message = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        results.add(what, fmt_n(n), f"failed: {message}", "", "", target, "FAIL")
        results.notes.append(f"The search measurement of {fmt_n(n)} articles failed: {message}")
        return
    results.raw[f"search {n}"] = {
        "query": figures.query,
        "page": figures.page,
        "page load bytes": figures.page_bytes,
        "first query bytes": figures.query_bytes,
        "first query, the files' sizes (uncompressed)": figures.file_bytes(site),
        "responses after load": figures.responses,
    }
    results.add(
        what,
        fmt_n(n),
        f"{figures.query_bytes / 1000:.0f} KB in {len(figures.responses)} responses, "
        f"query {figures.query!r} on /{figures.page}",
        f"uncompressed {figures.file_bytes(site) / 1000:.0f} KB; "
        f"the page itself {figures.page_bytes / 1000:.0f} KB",
        "",
        target,
        verdict(figures.query_bytes <= LIMIT_BYTES),
    )


def main() -> None:
    """`python bench/site_search.py SITE RECORDS ARTICLE_ID`: one measurement, printed."""
    import sys

    site, records, article = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    print(json.dumps(first_query(site, f"articles/{article}/", query_word(records)).__dict__))


if __name__ == "__main__":
    main()
