"""toolkit._native, the C text kernels of validation (toolkit/_native.c), when built and on.

pip builds it when it installs the package; without a C compiler the package installs all
the same, and every caller runs the Python twin of each kernel (the reference: tests hold
the two to the same results). `STRATLAS_NATIVE=0` in the environment turns the C part off,
so the whole test suite, subprocesses included, can run on the twins.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

__all__ = ["native"]


@cache
def native(name: str) -> Any:
    """The function or type `name` of toolkit._native, or None when it is not built or
    `STRATLAS_NATIVE=0`."""
    if os.environ.get("STRATLAS_NATIVE", "1") == "0":
        return None
    try:
        import toolkit._native as _native
    except ImportError:
        return None
    return getattr(_native, name)
