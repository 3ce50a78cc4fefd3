"""Housekeeping the background worker runs: retention of events and sign-in failures."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete

from persistence.database import Database
from persistence.models import LoginAttemptRow
from persistence.repositories.events import purge_events_before


async def purge_expired(
    database: Database, events_before: datetime, attempts_before: datetime
) -> int:
    async with database.session() as session:
        purged = await purge_events_before(session, events_before)
        result = await session.execute(
            delete(LoginAttemptRow).where(LoginAttemptRow.attempted_at < attempts_before)
        )
        await session.commit()
    return purged + int(result.rowcount)  # type: ignore[attr-defined]
