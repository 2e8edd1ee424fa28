"""Downloads too large to hold: written to a private temporary folder as they are made, and
handed on as a `Spooled` file (the SQLite database alone is a gigabyte at 10,000 articles)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

__all__ = ["Digest", "Spooled", "spool", "spooled"]


@dataclass(frozen=True)
class Digest:
    """A file's size and SHA-256, all a resource needs of its bytes: the build writes each
    file as it is made and keeps only this (the SQLite file is a gigabyte at 10,000 articles)."""

    size: int
    sha256: str

    @classmethod
    def of(cls, data: bytes) -> Digest:
        return cls(len(data), hashlib.sha256(data).hexdigest())


@dataclass(frozen=True)
class Spooled:
    """A finished file in a temporary folder that its maker removes once the consumer asks
    for the next file: the consumer moves it into place or reads it before then."""

    path: Path
    digest: Digest

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()


def spool(folder: Path, name: str, write: Callable[[BinaryIO], None]) -> Spooled:
    """`write` into a new file `name` of `folder`, then its digest."""
    path = folder / name
    with path.open("xb") as out:
        write(out)
    return spooled(path)


def spooled(path: Path) -> Spooled:
    """A finished file at `path` with its digest."""
    with path.open("rb") as file:
        sha256 = hashlib.file_digest(file, "sha256").hexdigest()
    return Spooled(path, Digest(path.stat().st_size, sha256))
