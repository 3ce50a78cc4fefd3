"""Keyset pages: the cursor is opaque to the domain and the API; persistence encodes it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from domain.errors import InvalidInput

T = TypeVar("T")

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


@dataclass(frozen=True)
class Edge(Generic[T]):
    cursor: str
    node: T


@dataclass(frozen=True)
class Page(Generic[T]):
    edges: list[Edge[T]]
    has_next_page: bool
    has_previous_page: bool = False


@dataclass(frozen=True)
class PageRequest:
    """Relay's two directions: `first` after a cursor (older to newer), or `last` before one
    (newer to older, for a chat's infinite scroll upwards)."""

    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None

    @property
    def backwards(self) -> bool:
        return self.last is not None or self.before is not None

    def size(self) -> int:
        if self.first is not None and (self.last is not None or self.before is not None):
            raise InvalidInput("page with first/after or with last/before, not both", "last")
        if self.backwards:
            return clamp_page_size(self.last, "last")
        return clamp_page_size(self.first, "first")


def clamp_page_size(first: int | None, field: str = "first") -> int:
    if first is None:
        return DEFAULT_PAGE_SIZE
    if first < 1 or first > MAX_PAGE_SIZE:
        raise InvalidInput(f"'{field}' must be between 1 and {MAX_PAGE_SIZE}", field=field)
    return first
