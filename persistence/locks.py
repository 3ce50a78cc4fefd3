"""Transaction-scoped PostgreSQL advisory locks on names: one helper for every place that
serializes work by a value rather than by a row (wamids, sign-ins)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

LOCK_KEYS = text(
    "SELECT count(pg_advisory_xact_lock(key)) "
    "FROM (SELECT unnest(CAST(:keys AS bigint[])) AS key ORDER BY 1) AS ordered"
)


def lock_key(name: str) -> int:
    """A signed 64-bit advisory lock key; a rare collision only serializes two names."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), signed=True)


async def lock_names(session: AsyncSession, dialect: str, names: Iterable[str]) -> None:
    """Holds the names until the transaction ends, taken in one sorted order so that two
    transactions never wait on each other in a cycle. SQLite has a single writer: nothing to
    do."""
    keys = sorted({lock_key(name) for name in names})
    if dialect != "postgresql" or not keys:
        return
    await session.execute(LOCK_KEYS, {"keys": keys})
