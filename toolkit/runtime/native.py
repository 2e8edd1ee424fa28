"""toolkit._native, the C part of validation (toolkit/_native.c), when it is built.

pip builds it when it installs the package; without a C compiler the package installs all
the same, and every caller runs the Python code that the C replaces (the reference: tests
hold the two to the same results).
"""

from __future__ import annotations

from functools import cache
from typing import Any

__all__ = ["native"]


@cache
def native(name: str) -> Any:
    """The function or type `name` of toolkit._native, or None when it is not built."""
    try:
        import toolkit._native as _native
    except ImportError:
        return None
    return getattr(_native, name)
