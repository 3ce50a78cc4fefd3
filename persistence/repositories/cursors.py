"""Opaque keyset cursors over (a time, an id), and keyset pages in both directions."""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, and_, or_

from domain.errors import InvalidInput
from domain.pagination import Edge, Page, PageRequest

Row = TypeVar("Row")
Item = TypeVar("Item")


def encode_cursor(created_at: datetime, row_id: uuid.UUID) -> str:
    raw = f"{created_at.isoformat()}|{row_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, field: str = "after") -> tuple[datetime, uuid.UUID]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        created, row_id = base64.urlsafe_b64decode(padded).decode().split("|")
        return datetime.fromisoformat(created), uuid.UUID(row_id)
    except (ValueError, binascii.Error, UnicodeDecodeError) as error:
        raise InvalidInput(f"'{field}' is not a cursor this API returned", field=field) from error


@dataclass(frozen=True)
class Keyset:
    """A list's order, by `column` then `id`, oldest or newest first, paged both ways with
    Relay's arguments: `first` after a cursor, or `last` before one."""

    column: Any
    id: Any
    newest_first: bool

    def select(self, query: Select[Any], request: PageRequest, size: int) -> Select[Any]:
        """The query limited to the page (and one row more, to know whether more follow).
        Backwards, rows come nearest the cursor first: `page` puts them back in order."""
        backwards = request.backwards
        cursor = request.before if backwards else request.after
        # Moving through larger values: forwards in an oldest-first list, or backwards in a
        # newest-first one.
        larger = self.newest_first == backwards
        if cursor is not None:
            at, row_id = decode_cursor(cursor, "before" if backwards else "after")
            if larger:
                query = query.where(
                    or_(self.column > at, and_(self.column == at, self.id > row_id))
                )
            else:
                query = query.where(
                    or_(self.column < at, and_(self.column == at, self.id < row_id))
                )
        order = (self.column, self.id) if larger else (self.column.desc(), self.id.desc())
        return query.order_by(*order).limit(size + 1)

    @staticmethod
    def page(
        rows: Sequence[Row], request: PageRequest, size: int, edge: Callable[[Row], Edge[Item]]
    ) -> Page[Item]:
        more = len(rows) > size
        kept = list(rows[:size])
        backwards = request.backwards
        if backwards:
            kept.reverse()
        edges = [edge(row) for row in kept]
        cursor = request.before if backwards else request.after
        if backwards:
            return Page(edges, has_next_page=cursor is not None, has_previous_page=more)
        return Page(edges, has_next_page=more, has_previous_page=cursor is not None)
