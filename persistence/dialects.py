"""What differs between PostgreSQL and SQLite in PyTake's statements, behind one interface
(after Prefect's query components): a repository asks its database's `QueryComponents` and
never tests a backend's name. Each difference is here once, with the reason for it."""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy import ColumnElement, String, Table, func, literal_column, or_, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.sql.expression import Executable

from persistence.direct_pool import DirectPool

LOCK_KEYS = text(
    "SELECT count(pg_advisory_xact_lock(key)) "
    "FROM (SELECT unnest(CAST(:keys AS bigint[])) AS key ORDER BY 1) AS ordered"
)


def lock_key(name: str) -> int:
    """A signed 64-bit advisory lock key; a rare collision only serializes two names."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), signed=True)


@dataclass(frozen=True)
class Engines:
    transactional: AsyncEngine
    autocommit: AsyncEngine
    direct: DirectPool | None = None
    """asyncpg's own pool on PostgreSQL, for the hottest insert."""


@dataclass(frozen=True)
class RowInsert:
    """An INSERT ... RETURNING id, as a statement with its parameters and as raw SQL ($1, $2
    ...) with positional ones."""

    statement: Executable
    parameters: dict[str, Any]
    raw_sql: str
    raw_parameters: tuple[Any, ...]


@dataclass(frozen=True)
class ChildInsert:
    """Rows that refer to the row inserted first, through `parent_key`."""

    statement: Executable
    rows: list[dict[str, Any]]
    parent_key: str


class QueryComponents(ABC):
    name: ClassVar[str]

    @abstractmethod
    def insert(self, table: Table) -> Any:
        """An INSERT that takes `on_conflict_do_nothing` and `on_conflict_do_update`."""

    @abstractmethod
    def greatest(self, *values: Any) -> Any:
        """The largest of the values, in SQL."""

    @abstractmethod
    async def lock_names(self, session: AsyncSession, names: Iterable[str]) -> None:
        """Holds the names until the transaction ends, so that work keyed by a value rather
        than by a row (wamids, sign-ins, an organization's distribution) runs one at a time."""

    @abstractmethod
    def message_text_contains(self, content: Any, needle: str) -> ColumnElement[bool]:
        """A message's text (`content ->> 'body'`) contains the words searched for."""

    @abstractmethod
    def contact_contains(self, contacts: Any, needle: str) -> ColumnElement[bool]:
        """A contact's name or number contains the text searched for."""

    @abstractmethod
    async def insert_returning_id(
        self,
        engines: Engines,
        row: RowInsert,
        children: ChildInsert | None = None,
    ) -> int:
        """Inserts one row and returns its id, with the rows that refer to it all or none:
        where the driver allows it, `row.raw_sql` straight on the driver in autocommit (which
        must insert the children itself); otherwise the statements in one transaction."""


class PostgreSQLComponents(QueryComponents):
    name = "postgresql"

    def insert(self, table: Table) -> Any:
        return postgresql.insert(table)

    def greatest(self, *values: Any) -> Any:
        return func.greatest(*values)

    async def lock_names(self, session: AsyncSession, names: Iterable[str]) -> None:
        # One sorted order, so that two transactions never wait on each other in a cycle.
        keys = sorted({lock_key(name) for name in names})
        if keys:
            await session.execute(LOCK_KEYS, {"keys": keys})

    def message_text_contains(self, content: Any, needle: str) -> ColumnElement[bool]:
        # The expression of ix_messages_body_search (MESSAGE_BODY_DOCUMENT), with literals
        # rather than parameters so that the planner can use the index.
        body = content.op("->>")(literal_column("'body'::text"))
        document = func.to_tsvector(
            literal_column("'simple'::regconfig"),
            func.coalesce(body, literal_column("''::text")),
        )
        matches: ColumnElement[bool] = document.op("@@")(
            func.plainto_tsquery(literal_column("'simple'::regconfig"), needle)
        )
        return matches

    def contact_contains(self, contacts: Any, needle: str) -> ColumnElement[bool]:
        # The expression of ix_contacts_search (CONTACT_SEARCH_DOCUMENT), so that the trigram
        # index serves the substring match.
        digits = needle.lstrip("+") or needle
        empty = literal_column("''", type_=String)
        name_and_number = (
            func.coalesce(contacts.c.profile_name, empty)
            .concat(literal_column("' '"))
            .concat(func.coalesce(contacts.c.wa_id, empty))
        )
        matches: ColumnElement[bool] = name_and_number.icontains(digits, autoescape=True)
        return matches

    async def insert_returning_id(
        self,
        engines: Engines,
        row: RowInsert,
        children: ChildInsert | None = None,
    ) -> int:
        # Straight to asyncpg's own pool: on the hottest statement SQLAlchemy's checkout and
        # per-statement machinery cost more CPU than the round trip. One statement is atomic
        # without BEGIN and COMMIT.
        assert engines.direct is not None, "a PostgreSQL database always has its direct pool"
        return int(await engines.direct.fetchval(row.raw_sql, *row.raw_parameters))


class SQLiteComponents(QueryComponents):
    name = "sqlite"

    def insert(self, table: Table) -> Any:
        return sqlite.insert(table)

    def greatest(self, *values: Any) -> Any:
        # SQLite's scalar max() of several arguments is PostgreSQL's greatest().
        return func.max(*values)

    async def lock_names(self, session: AsyncSession, names: Iterable[str]) -> None:
        """SQLite has a single writer: a write transaction already excludes every other."""

    def message_text_contains(self, content: Any, needle: str) -> ColumnElement[bool]:
        matches: ColumnElement[bool] = (
            content["body"].as_string().icontains(needle, autoescape=True)
        )
        return matches

    def contact_contains(self, contacts: Any, needle: str) -> ColumnElement[bool]:
        digits = needle.lstrip("+") or needle
        return or_(
            contacts.c.profile_name.icontains(needle, autoescape=True),
            contacts.c.wa_id.contains(digits, autoescape=True),
        )

    async def insert_returning_id(
        self,
        engines: Engines,
        row: RowInsert,
        children: ChildInsert | None = None,
    ) -> int:
        if children is None:
            async with engines.autocommit.connect() as connection:
                return int(await connection.scalar(row.statement, row.parameters))
        async with engines.transactional.begin() as connection:
            new_id = int(await connection.scalar(row.statement, row.parameters))
            await connection.execute(
                children.statement,
                [{**child, children.parent_key: new_id} for child in children.rows],
            )
        return new_id


COMPONENTS: dict[str, QueryComponents] = {
    components.name: components for components in (PostgreSQLComponents(), SQLiteComponents())
}
