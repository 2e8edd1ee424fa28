"""The registry of checks: each declares the finding codes it can report (frictionless-py's
`Errors`), so which check reports a code can be read off the registry, and a test holds the
declarations to what the checks report."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from toolkit.findings import Finding
from toolkit.load import Corpus

if TYPE_CHECKING:
    from toolkit.checks.context import Context

__all__ = ["CHECKS", "Check", "check"]

CheckFunction = Callable[[Corpus, "Context"], Iterator[Finding]]


@dataclass(frozen=True)
class Check:
    """A registered check: its name (the function's), the codes it can report, and the
    function (`run(corpus, context)` yields its findings)."""

    name: str
    codes: frozenset[str]
    run: CheckFunction


#: Every check, in the order they run.
CHECKS: list[Check] = []


def check(*, codes: tuple[str, ...]) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated function as a check that can report `codes`."""

    def register(function: CheckFunction) -> CheckFunction:
        CHECKS.append(Check(function.__name__, frozenset(codes), function))
        return function

    return register
