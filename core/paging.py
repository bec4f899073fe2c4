"""The one paging rule of every list screen: which page is shown, and which items are on it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: Sequence[T]
    number: int  # 0-based, within 0..count-1
    count: int  # at least 1, even for an empty list
    first: int  # the index of items[0] in the whole list

    def position(self, index: int) -> int:
        """The 1-based number of the page's `index`-th item in the whole list."""
        return self.first + index + 1


def page_of(items: Sequence[T], page: int, size: int) -> Page[T]:
    """The page `page` (clamped into range, so an old button never fails) of `size` items."""
    count = max(1, -(-len(items) // size))
    number = min(max(page, 0), count - 1)
    first = number * size
    return Page(items[first : first + size], number, count, first)
