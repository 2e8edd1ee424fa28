"""Long lists split into pages of bounded size, at stable URLs (issue 18).

At 10,000 articles one entity is named by thousands of them, one author wrote thousands and the
timeline holds fifty thousand events: no list fits one page a phone can load (≤ 1 MB of HTML).
A list's first page keeps the URL the whole list had; page n ≥ 2 of it lives at
`<list>/<n>/` beside it (`page_path`), so `/entities/<id>/` stays the entity and
`/entities/<id>/mentions/2/` continues its "Mentioned in". Items are packed in order, up to a
budget of weight per page, where an item's weight grows with what it shows (a mention with many
items, an event with many accounts): page sizes are bounded, never only the item count.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from toolkit.errors import RenderError

__all__ = ["BUDGET", "Page", "page_numbers", "page_path", "paginate"]

T = TypeVar("T")

#: The weight one page of each list holds. An item weighs 1 plus what it repeats (see the
#: callers); 250 units is at most about 400 KB of HTML with every excerpt at its limit.
BUDGET = {
    "mentions": 250,
    "authored": 500,
    "articles": 200,
    "entities": 300,
    "groups": 300,
    "timeline": 300,
    "scores": 200,
    "scenarios": 200,
}


def page_path(first: str, list_name: str, number: int) -> str:
    """Where page `number` of the list `list_name` of the page `first` lives: in a folder of
    its own, as every generated page (toolkit/pages/paths.py).

    `("entities/x/index.md", "mentions", 2)` → `entities/x/mentions/2/index.md`; a list that
    is the whole page (`list_name` "page") → `articles/page/2/index.md` for
    `articles/index.md`."""
    if number < 1:
        raise RenderError(f"no page {number}")
    if number == 1:
        return first
    stem = first.removesuffix(".md").removesuffix("/index")
    return f"{stem}/{list_name}/{number}/index.md"


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its items, its number (from 1) and where all its pages live."""

    items: Sequence[T]
    number: int
    count: int
    first: str
    list_name: str
    total: int
    start: int  # the 1-based position of its first item in the whole list

    @property
    def path(self) -> str:
        return page_path(self.first, self.list_name, self.number)

    def path_of(self, number: int) -> str:
        return page_path(self.first, self.list_name, number)

    @property
    def previous(self) -> str | None:
        return self.path_of(self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.path_of(self.number + 1) if self.number < self.count else None


def paginate(
    items: Sequence[T],
    first: str,
    list_name: str,
    *,
    budget: int,
    weight: Callable[[T], int] = lambda _: 1,
) -> list[Page[T]]:
    """`items` in pages of at most `budget` weight each (an item heavier than the budget gets a
    page of its own). Always at least one page, empty for an empty list."""
    if budget < 1:
        raise RenderError(f"a page budget must be positive, not {budget}")
    slices: list[tuple[int, int]] = []
    start, used = 0, 0
    for index, item in enumerate(items):
        cost = max(1, weight(item))
        if used and used + cost > budget:
            slices.append((start, index))
            start, used = index, 0
        used += cost
    slices.append((start, len(items)))
    return [
        Page(items[low:high], number, len(slices), first, list_name, len(items), low + 1)
        for number, (low, high) in enumerate(slices, 1)
    ]


def page_numbers(page: Page[object], around: int = 2) -> list[int]:
    """The page numbers a pager shows: the first, the last, and `around` on each side of the
    current one, with 0 where numbers are left out."""
    wanted = {1, page.count, *range(page.number - around, page.number + around + 1)}
    shown = sorted(n for n in wanted if 1 <= n <= page.count)
    numbers: list[int] = []
    for n in shown:
        if numbers and n > numbers[-1] + 1:
            numbers.append(0)
        numbers.append(n)
    return numbers
