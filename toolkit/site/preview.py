"""`python -m toolkit.site.preview serve …`: `mkdocs serve` as the preview runs it, with one
change to its server: a request path the server cannot map to a file name (a NUL byte, as
`/a%00b` decodes to) is answered 400 Bad Request. mkdocs' handler raises ValueError on it and
logs a traceback into the preview's terminal for each such request.

Runs in the mkdocs subprocess (toolkit.site.mkdocs), never in the stratlas process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["main"]

#: Longer request paths are refused too: no file of the site has a name near this long.
MAX_PATH = 4096


def _odd(path: str) -> bool:
    return "\0" in path or len(path) > MAX_PATH


def _guard(serve_request: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    def guarded(self: Any, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if _odd(environ.get("PATH_INFO", "")):
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"400 Bad Request"]
        return serve_request(self, environ, start_response)

    return guarded


def main() -> None:
    from mkdocs.__main__ import cli
    from mkdocs.livereload import LiveReloadServer

    # Patched on the class before mkdocs makes its server, which binds this method as its app.
    LiveReloadServer.serve_request = _guard(LiveReloadServer.serve_request)  # type: ignore[method-assign]
    cli(prog_name="mkdocs")


if __name__ == "__main__":
    main()
