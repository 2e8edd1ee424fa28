"""Our exception hierarchy. The library raises these and never prints; the CLI turns each into
`stratlas: <message>` and an exit code (in brackets):

* StratlasError
  x UsageError             a path or option the command cannot use [2]
    + FmtUsageError        a path given to `fmt` does not exist [2]
  x CorpusError            the records folder cannot be loaded (the Python API) [2]
    + InvalidCorpusError   the records do not validate; carries `findings` [1]
  x SiteError              the site cannot be built as asked [2]
    + UnsafeOutput         an output folder a build must never empty [2]
  x ScaffoldError          a draft cannot be made [2]
  x HistoryUnavailable     the records' git history cannot be read (never reaches the user
                           as an error: the site and the export publish no change file)
* RenderError              a template asked for something unsafe: a bug, reported as one
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from toolkit.findings import Finding

__all__ = [
    "CorpusError",
    "FmtUsageError",
    "HistoryUnavailable",
    "InvalidCorpusError",
    "RenderError",
    "ScaffoldError",
    "SiteError",
    "StratlasError",
    "UnsafeOutput",
    "UsageError",
]


class StratlasError(Exception):
    """Anything the toolkit refuses to do; the message says why."""


class UsageError(StratlasError):
    """The command was asked for something it cannot do (exit code 2)."""


class FmtUsageError(UsageError):
    """A path given to `fmt` does not exist (exit code 2)."""


class CorpusError(StratlasError):
    """The corpus could not be loaded (base class of the API's errors)."""


class InvalidCorpusError(CorpusError):
    """The records did not validate; `findings` lists every problem, as `stratlas validate`
    would report it."""

    def __init__(self, root: Path, findings: list[Finding]) -> None:
        self.root = root
        self.findings = findings
        count = len(findings)
        first = findings[0] if findings else None
        detail = f": {first.file}:{first.line}:{first.col}: {first.message}" if first else ""
        super().__init__(
            f"{root}: {count} problem{'s' if count != 1 else ''} in the records{detail}"
        )


class SiteError(StratlasError):
    """The site cannot be built as asked; the message says why (exit code 2)."""


class UnsafeOutput(SiteError):
    """The output folder is one that a build must never empty."""


class ScaffoldError(StratlasError):
    """The draft cannot be made (bad ID, ID taken, no text): exit code 2."""


class HistoryUnavailable(StratlasError):
    """The git history of a records folder cannot be read; `reason` says why, in words
    (git is not installed, no work tree, a shallow clone, no commit)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class RenderError(Exception):
    """A template asked for something that cannot be rendered safely (a bug, not bad data)."""
