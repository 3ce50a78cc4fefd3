"""Relay's page information, shared by every connection."""

from __future__ import annotations

import strawberry


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
