"""Housekeeping the background worker runs: retention of events, webhook bodies and
sign-in attempts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, delete, or_

from persistence.database import Database
from persistence.models.accounts import LoginAttemptRow
from persistence.models.ingestion import WebhookDeliveryRow
from persistence.repositories.events import purge_events_before


async def purge_expired(
    database: Database,
    events_before: datetime,
    attempts_before: datetime,
    deliveries_before: datetime | None = None,
    known_devices_before: datetime | None = None,
) -> int:
    """Deliveries are purged only once processed: a pending or failed one is kept for replay
    however old it is."""
    async with database.session() as session:
        purged = await purge_events_before(session, events_before)
        # Failures matter for minutes; a success keeps its address a known device for longer.
        expired_successes = (
            LoginAttemptRow.attempted_at < known_devices_before
            if known_devices_before is not None
            else LoginAttemptRow.attempted_at < attempts_before
        )
        attempts = await session.execute(
            delete(LoginAttemptRow).where(
                or_(
                    and_(
                        LoginAttemptRow.succeeded.is_(False),
                        LoginAttemptRow.attempted_at < attempts_before,
                    ),
                    and_(LoginAttemptRow.succeeded.is_(True), expired_successes),
                )
            )
        )
        purged += int(attempts.rowcount)  # type: ignore[attr-defined]
        if deliveries_before is not None:
            deliveries = await session.execute(
                delete(WebhookDeliveryRow).where(
                    WebhookDeliveryRow.status == "processed",
                    WebhookDeliveryRow.received_at < deliveries_before,
                )
            )
            purged += int(deliveries.rowcount)  # type: ignore[attr-defined]
        await session.commit()
    return purged
