"""Site search: Pagefind indexes the built site into `<out>/pagefind/`.

Pagefind splits its index into chunks, so a browser fetches only what a query needs (Material's
search plugin shipped the whole index to every reader). It runs as `python -m pagefind` (the
binary of the `pagefind[bin]` wheel) after mkdocs has written the pages. What it indexes is set
in the pages, not here: overrides/main.html marks each page's content with `data-pagefind-body`
(pages whose front matter says `search: exclude: true` carry no mark and stay out), and the UI
in docs/javascripts/search.js loads the bundle from `pagefind/` at the site root.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["BUNDLE", "EXCLUDED", "SearchRun", "run_pagefind"]

#: The bundle's folder inside the site (Pagefind's default, named here so tests and the UI agree).
BUNDLE = "pagefind"
#: Left out of the index: the permalink signs (¶) of headings. The sections not worth finding
#: (lists of links to other pages: "Mentioned in", related entities) carry Pagefind's own
#: `data-pagefind-ignore` on their heading and their block (toolkit/pages/templates).
EXCLUDED = ".headerlink"


@dataclass
class SearchRun:
    returncode: int
    output: str

    @property
    def problems(self) -> list[str]:
        """Pagefind's error and warning lines (with `--quiet` it prints nothing else)."""
        return [line for line in self.output.splitlines() if line.strip()]


def run_pagefind(site: Path) -> SearchRun:
    """Index the built site folder `site` into `site/pagefind/` (replaced on every run)."""
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pagefind",
                "--site",
                str(site),
                "--output-subdir",
                BUNDLE,
                "--exclude-selectors",
                EXCLUDED,
                "--quiet",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
    except OSError as exc:
        return SearchRun(127, f"pagefind could not start: {exc}")
    return SearchRun(done.returncode, done.stdout)
