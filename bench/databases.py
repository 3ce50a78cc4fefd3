"""The PostgreSQL databases the benchmarks run against: made when missing, or recreated empty,
with one line saying what is wrong when the server cannot be reached."""

from __future__ import annotations

import asyncpg

from persistence import migrate
from persistence.database import Database


class DatabaseMissing(SystemExit):
    """Ends the benchmark with one line instead of a traceback."""


async def _admin(dsn: str) -> asyncpg.Connection:
    server = dsn.rsplit("/", 1)[0]
    try:
        return await asyncpg.connect(server + "/postgres")
    except (OSError, asyncpg.PostgresError) as error:
        raise DatabaseMissing(
            f"benchmark: cannot reach PostgreSQL at {server} ({error}); start it "
            "(`make test` does) or pass another URL"
        ) from error


def _name(dsn: str) -> str:
    return dsn.rsplit("/", 1)[1]


async def recreate(dsn: str) -> None:
    """Drops and creates the benchmark's own database: each run starts empty."""
    admin = await _admin(dsn)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{_name(dsn)}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{_name(dsn)}"')
    finally:
        await admin.close()


async def ensure(dsn: str) -> None:
    """Creates the database when it does not exist; leaves one that does alone."""
    admin = await _admin(dsn)
    try:
        exists = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", _name(dsn))
        if not exists:
            await admin.execute(f'CREATE DATABASE "{_name(dsn)}"')
    finally:
        await admin.close()


def sqlalchemy_url(dsn: str) -> str:
    return dsn.replace("postgresql://", "postgresql+asyncpg://", 1)


async def recreated_and_migrated(dsn: str) -> Database:
    """A fresh database at PyTake's current schema; the caller disposes of it."""
    await recreate(dsn)
    database = Database(sqlalchemy_url(dsn))
    await migrate.upgrade(database)
    return database
