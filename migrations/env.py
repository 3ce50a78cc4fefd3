"""Alembic environment: runs on a connection handed in by persistence.migrate, or on
PYTAKE_DATABASE_URL when called as `alembic` directly. SQLite gets batch mode."""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy.engine import Connection

from persistence.database import Database
from persistence.models.base import Base

target_metadata = Base.metadata


def run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_from_environment() -> None:
    url = os.environ.get("PYTAKE_DATABASE_URL", "sqlite+aiosqlite:///data/pytake.db")
    database = Database(url)
    try:
        async with database.connect() as connection:
            await connection.run_sync(run_on)
            await connection.commit()
    finally:
        await database.dispose()


provided = context.config.attributes.get("connection")
if provided is not None:
    run_on(provided)
else:
    asyncio.run(run_from_environment())
