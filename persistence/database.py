"""One engine per database URL, with the engine-level dialect fixes kept here; what differs in
statements is in persistence/dialects.py."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from domain.errors import ServiceUnavailable
from persistence.dialects import COMPONENTS, Engines
from persistence.direct_pool import DirectPool

CONNECT_TIMEOUT_SECONDS = 5


def is_unreachable(error: BaseException) -> bool:
    """True for failures that mean "the database is not there", not "the statement was wrong"."""
    if isinstance(error, OperationalError | InterfaceError):
        return True
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    # asyncpg's own, from the direct pool: connection failures (class 08), the server shutting
    # down or refusing connections for now (class 57), and no connection slot left (class 53).
    if isinstance(
        error,
        asyncpg.PostgresConnectionError
        | asyncpg.exceptions.OperatorInterventionError
        | asyncpg.exceptions.InsufficientResourcesError,
    ):
        return True
    return isinstance(error, OSError | TimeoutError)


def describe_url(url: str | URL) -> str:
    return make_url(url).render_as_string(hide_password=True)


class Database:
    def __init__(
        self,
        url: str,
        *,
        pool_size: int = 10,
        echo: bool = False,
        statement_timeout: float | None = None,
    ) -> None:
        """pool_size applies to each of the two engines (writes, autocommit reads). A statement
        still unanswered after statement_timeout seconds fails as an outage (503 and
        Retry-After to the caller) instead of holding its request; None waits, as migrations
        that build indexes must."""
        self.url = make_url(url)
        self.dialect = self.url.get_backend_name()
        self.components = COMPONENTS[self.dialect]
        """What differs in statements between the backends (persistence/dialects.py)."""
        # Failed statements are logged and raised without their values: those are customers'
        # names, numbers and messages, and attempted sign-in emails.
        options: dict[str, Any] = {"echo": echo, "hide_parameters": True}
        if self.dialect == "sqlite":
            options["connect_args"] = {"timeout": 30}
            database = self.url.database
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
        else:
            # No overflow: connections opened for a burst and closed after it cost more than
            # waiting a moment for a pooled one (measured: a quarter of the CPU under load).
            options.update(
                pool_size=pool_size,
                max_overflow=0,
                pool_pre_ping=True,
                pool_timeout=CONNECT_TIMEOUT_SECONDS,
                connect_args={
                    "timeout": CONNECT_TIMEOUT_SECONDS,
                    "command_timeout": statement_timeout,
                },
            )
        self.engine: AsyncEngine = create_async_engine(self.url, **options)
        # Reads, and single-statement writes, run in autocommit: no BEGIN/COMMIT round trips,
        # and on SQLite reads take no write lock.
        # A separate engine, because a pooled connection switched to autocommit and back
        # loses the SQLite transaction fix below.
        self.autocommit_engine: AsyncEngine = create_async_engine(
            self.url, isolation_level="AUTOCOMMIT", **options
        )
        if self.dialect == "sqlite":
            _configure_sqlite(self.engine, begin_immediate=True)
            _configure_sqlite(self.autocommit_engine, begin_immediate=False)
        self.direct = (
            None
            if self.dialect == "sqlite"
            else DirectPool(
                self.url,
                size=pool_size,
                connect_timeout=CONNECT_TIMEOUT_SECONDS,
                statement_timeout=statement_timeout,
            )
        )
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)
        self.read_sessionmaker = async_sessionmaker(self.autocommit_engine, expire_on_commit=False)

    @property
    def engines(self) -> Engines:
        return Engines(self.engine, self.autocommit_engine, self.direct)

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    def session(self) -> AsyncSession:
        return self.sessionmaker()

    def read_session(self) -> AsyncSession:
        return self.read_sessionmaker()

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[AsyncConnection]:
        with outages_as_unavailable():
            async with self.engine.connect() as connection:
                yield connection

    async def ping(self) -> None:
        async with self.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
        await self.autocommit_engine.dispose()
        if self.direct is not None:
            await self.direct.close()


def _reason(error: BaseException) -> str:
    original = getattr(error, "orig", None) or error
    return f"{type(original).__name__}: {original}".strip().splitlines()[0]


def _configure_sqlite(engine: AsyncEngine, *, begin_immediate: bool) -> None:
    """pysqlite's own transaction handling breaks SAVEPOINT and never takes the write lock early;
    hand transactions to SQLAlchemy and begin them IMMEDIATE so writers queue on busy_timeout
    instead of failing with "database is locked" when a read transaction upgrades."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "invalidate")
    def _roll_back_before_closing(dbapi_connection: Any, _record: Any, _error: Any) -> None:
        """A statement interrupted by a cancelled task leaves its cursor alive until the
        garbage collector breaks the cycles around it, and Python's sqlite3 then closes the
        connection into a "zombie" that keeps its transaction, and with it the database's write
        lock, for as long as that takes. Rolling back before the close releases it at once."""
        with contextlib.suppress(Exception):  # discarded anyway: closing it is all that is left
            dbapi_connection.rollback()

    if not begin_immediate:
        return

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def unavailable(error: BaseException) -> ServiceUnavailable:
    return ServiceUnavailable("database", _reason(error))


@contextmanager
def outages_as_unavailable() -> Iterator[None]:
    """Failures that mean "there is no database" become ServiceUnavailable; others pass."""
    try:
        yield
    except ServiceUnavailable:
        raise
    except Exception as error:
        if is_unreachable(error):
            raise unavailable(error) from error
        raise
