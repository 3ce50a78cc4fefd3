"""A task cancelled in the middle of a statement (a server shutting down, a timeout) must not
leave the embedded database locked: the next writer gets in at once, whatever the garbage
collector has or has not done yet."""

from __future__ import annotations

import asyncio
import contextlib
import gc
from pathlib import Path

from sqlalchemy import text

from persistence.database import Database
from tests.conftest import write_lock_held

SLOW_COUNT = (
    "WITH RECURSIVE counter(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM counter "
    "WHERE n < 3000000) SELECT count(*) FROM counter"
)


async def test_a_transaction_cancelled_mid_statement_releases_the_write_lock(
    tmp_path: Path,
) -> None:
    path = tmp_path / "embedded.db"
    database = Database(f"sqlite+aiosqlite:///{path}")
    async with database.engine.begin() as connection:
        await connection.execute(text("CREATE TABLE notes (body TEXT)"))
    wrote = asyncio.Event()

    async def long_transaction() -> None:
        async with database.session() as session:
            await session.execute(text("INSERT INTO notes VALUES ('half done')"))
            wrote.set()
            await session.execute(text(SLOW_COUNT))

    gc.disable()
    try:
        task = asyncio.create_task(long_transaction())
        await wrote.wait()
        await asyncio.sleep(0.05)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        held = [write_lock_held(path)]
        for _ in range(100):
            if not held[-1]:
                break
            await asyncio.sleep(0.05)
            held.append(write_lock_held(path))
    finally:
        gc.enable()
        await database.dispose()

    reopened = Database(f"sqlite+aiosqlite:///{path}")
    try:
        async with reopened.engine.connect() as connection:
            kept = (await connection.execute(text("SELECT count(*) FROM notes"))).scalar()
    finally:
        await reopened.dispose()

    assert held[-1] is False, f"still locked after {len(held) * 0.05:.1f} s"
    assert kept == 0
