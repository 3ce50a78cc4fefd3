"""Background work: run inside each server process by default, or alone with `pytake worker`."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from domain.ports import Clock
from persistence.database import Database
from persistence.maintenance import purge_expired

logger = logging.getLogger(__name__)

LOGIN_ATTEMPT_RETENTION = timedelta(days=1)


class MaintenanceWorker:
    """Deletes events, processed webhook deliveries and sign-in failures past their retention;
    safe to run in N processes."""

    def __init__(
        self,
        database: Database,
        clock: Clock,
        event_retention: timedelta,
        interval_seconds: float,
        webhook_retention: timedelta,
    ) -> None:
        self._database = database
        self._clock = clock
        self._event_retention = event_retention
        self._interval = interval_seconds
        self._webhook_retention = webhook_retention

    async def run_once(self) -> int:
        now = self._clock.now()
        return await purge_expired(
            self._database,
            events_before=now - self._event_retention,
            attempts_before=now - LOGIN_ATTEMPT_RETENTION,
            deliveries_before=now - self._webhook_retention,
        )

    async def run_forever(self) -> None:
        while True:
            try:
                purged = await self.run_once()
                if purged:
                    logger.info("maintenance purged %d expired rows", purged)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("maintenance failed; retrying in %.0f s", self._interval)
            await asyncio.sleep(self._interval)
