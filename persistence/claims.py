"""Work that any process may do, taken for a while by one: rows whose due time has come are
claimed by moving that time a lease ahead (PostgreSQL skips rows another claim holds; SQLite
has one writer). A claim never finished comes due again when its lease runs out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Row, Table, select, update

from persistence.database import Database, outages_as_unavailable


async def claim_due(
    database: Database,
    table: Table,
    due_at: str,
    limit: int,
    now: datetime,
    lease: timedelta,
    returning: Sequence[ColumnElement[Any]],
    *also: ColumnElement[bool],
) -> Sequence[Row[Any]]:
    """The oldest rows of `table` whose `due_at` column has come (and that meet `also`)."""
    due_column = table.c[due_at]
    condition = [due_column <= now, *also]
    with outages_as_unavailable():
        async with database.autocommit_engine.connect() as connection:
            # A read first: on SQLite a claim takes the write lock, and most polls find nothing.
            anything = await connection.scalar(select(table.c.id).where(*condition).limit(1))
    if anything is None:
        return []
    due = (
        select(table.c.id)
        .where(*condition)
        .order_by(due_column)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    with outages_as_unavailable():
        async with database.engine.begin() as connection:
            result = await connection.execute(
                update(table)
                .where(table.c.id.in_(due.scalar_subquery()))
                .values({due_at: now + lease})
                .returning(*returning)
            )
            return result.all()
