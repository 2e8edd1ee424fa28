"""JSON pointers (RFC 6901), the one way findings, hints and walks name a place in a record."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["escape_pointer", "join_pointer", "split_pointer"]


def escape_pointer(token: str | int) -> str:
    """One reference token: `~` → `~0`, `/` → `~1`."""
    return str(token).replace("~", "~0").replace("/", "~1")


def join_pointer(parts: Iterable[str | int]) -> str:
    """`["a", 0, "b/c"]` → `/a/0/b~1c` (the root is the empty pointer)."""
    return "".join(f"/{escape_pointer(p)}" for p in parts)


def split_pointer(pointer: str) -> list[str]:
    """`/a/0/b~1c` → `["a", "0", "b/c"]`."""
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer.split("/")[1:]]
