"""Relay's page information, shared by every connection."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from domain.pagination import Page

FirstArgument = Annotated[
    int | None, strawberry.argument(description="Page size, 1 to 100; 20 when omitted.")
]
AfterArgument = Annotated[
    str | None, strawberry.argument(description="The `endCursor` of the previous page.")
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
