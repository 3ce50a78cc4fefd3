"""asyncpg's own pool, for the one statement hot enough that SQLAlchemy's checkout (its pool,
a greenlet hop, the pre-ping round trip) costs more than the statement: storing a webhook's
body before Meta is answered (measured in docs/performance.md)."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
from sqlalchemy.engine import URL


async def _keep_as_is(_: asyncpg.Connection) -> None:
    """Its statements are single autocommit inserts that leave no session state: asyncpg's
    reset on release (unlock, close, unlisten, reset all) would only add a round trip."""


class DirectPool:
    """Opens its connections on first use, so a server starts while the database is away."""

    def __init__(
        self, url: URL, *, size: int, connect_timeout: float, statement_timeout: float | None
    ) -> None:
        self._dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._size = size
        self._connect_timeout = connect_timeout
        self._statement_timeout = statement_timeout
        self._pool: asyncpg.Pool | None = None
        self._creating: asyncio.Lock | None = None

    async def fetchval(self, sql: str, *parameters: Any) -> Any:
        """The statement's one value. A connection that failed during it is closed, not
        reset and reused: its link may be stalled, and a reset would wait on it."""
        pool = await self._opened()
        connection = await pool.acquire(timeout=self._connect_timeout)
        try:
            value = await connection.fetchval(sql, *parameters)
        except BaseException:
            connection.terminate()
            await pool.release(connection)
            raise
        await pool.release(connection)
        return value

    async def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await pool.close()

    async def _opened(self) -> asyncpg.Pool:
        if self._pool is not None:
            return self._pool
        if self._creating is None:
            self._creating = asyncio.Lock()
        async with self._creating:
            if self._pool is None:
                self._pool = await asyncpg.create_pool(
                    self._dsn,
                    min_size=0,
                    max_size=self._size,
                    reset=_keep_as_is,
                    timeout=self._connect_timeout,
                    command_timeout=self._statement_timeout,
                )
        return self._pool
