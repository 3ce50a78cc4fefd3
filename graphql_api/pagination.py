"""Relay's connections: one generic `Connection[T]` of `Edge[T]` for every list, named after
its item (`Connection[Message]` is `MessageConnection` in the schema)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Generic, TypeVar

import strawberry

from domain.pagination import Page

FirstArgument = Annotated[
    int | None, strawberry.argument(description="Page size, 1 to 100; 20 when omitted.")
]
AfterArgument = Annotated[
    str | None, strawberry.argument(description="The `endCursor` of the previous page.")
]
LastArgument = Annotated[
    int | None,
    strawberry.argument(
        description="Page backwards: the last items before `before` (or of the whole list), "
        "1 to 100. Not with `first`/`after`."
    ),
]
BeforeArgument = Annotated[
    str | None, strawberry.argument(description="The `startCursor` of the next page.")
]


@strawberry.type(description="Where a page of a list starts and ends, and what lies around it.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="True when another page follows.")
    end_cursor: str | None = strawberry.field(
        description="Pass as `after` to fetch the next page; null on an empty page."
    )
    has_previous_page: bool = strawberry.field(
        default=False,
        description="True when a page comes before this one (paging backwards with `last` "
        "and `before`, or forwards from a cursor).",
    )
    start_cursor: str | None = strawberry.field(
        default=None,
        description="Pass as `before` to fetch the previous page; null on an empty page.",
    )

    @classmethod
    def of(cls, page: Page[Any]) -> PageInfo:
        cursors = [edge.cursor for edge in page.edges]
        return cls(
            has_next_page=page.has_next_page,
            end_cursor=cursors[-1] if cursors else None,
            has_previous_page=page.has_previous_page,
            start_cursor=cursors[0] if cursors else None,
        )


Item = TypeVar("Item")
Source = TypeVar("Source")


@strawberry.type(description="An item of a page, with the cursor that points at it.")
class Edge(Generic[Item]):
    cursor: str = strawberry.field(
        description="Opaque position of this item: pass it as `after` (or `before`) to page on "
        "from here."
    )
    node: Item = strawberry.field(description="The item.")


@strawberry.type(
    description="A page of a list, in the list's order (the field that returns it says which), "
    "and how to fetch the pages around it."
)
class Connection(Generic[Item]):
    edges: list[Edge[Item]] = strawberry.field(description="The items of this page.")
    page_info: PageInfo = strawberry.field(description="How to fetch the pages around it.")

    @classmethod
    def of(cls, page: Page[Source], view: Callable[[Source], Item]) -> Connection[Item]:
        return Connection(
            edges=[Edge(cursor=edge.cursor, node=view(edge.node)) for edge in page.edges],
            page_info=PageInfo.of(page),
        )
