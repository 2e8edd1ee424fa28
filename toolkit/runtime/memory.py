"""Freed memory given back to the system between the phases of a long export.

CPython hands the memory of large objects (page texts, documents, row batches) back to the C
library when they are freed, but glibc keeps most of it in the process for later mallocs. A
phase with an allocator of its own (pyarrow's, for the Parquet files) cannot reuse it, so the
process would grow by that phase's whole need: at 10,000 articles, `malloc_trim` gives back
about 320 MiB of the build's export process before the Parquet files are written.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys
from collections.abc import Callable

__all__ = ["release_freed_memory"]


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim: Callable[[int], int] = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None
    return trim


def release_freed_memory() -> None:
    """Return the free pages of the C heap to the system (glibc's `malloc_trim(0)`); nothing
    where the C library is not glibc. Live objects are untouched: only what is already free
    goes."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
