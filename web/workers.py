"""Background work: run inside each server process by default, or alone with `pytake worker`."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Coroutine, Sequence
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from domain.ports import Clock
from persistence.database import Database
from persistence.maintenance import purge_expired
from web.whatsapp.sender import SHUTDOWN_GRACE_SECONDS

logger = logging.getLogger(__name__)

LOGIN_ATTEMPT_RETENTION = timedelta(days=1)
WORKER_STOP_SECONDS = SHUTDOWN_GRACE_SECONDS + 5
"""Longer than the sender's own grace for recording Meta's last answers."""


@asynccontextmanager
async def running(
    workers: Sequence[Coroutine[Any, Any, None]], stop_seconds: float = WORKER_STOP_SECONDS
) -> AsyncIterator[None]:
    """Runs the workers for the duration, then cancels them and waits for them to finish. A
    worker still running `stop_seconds` later is logged and left behind, so that one which lost
    its cancellation cannot hold a server's shutdown forever."""
    tasks = [
        asyncio.create_task(worker, name=getattr(worker, "__qualname__", repr(worker)))
        for worker in workers
    ]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        if tasks:
            finished, stuck = await asyncio.wait(tasks, timeout=stop_seconds)
            for task in finished:
                failure = None if task.cancelled() else task.exception()
                if failure is not None:
                    logger.error("background worker %s failed", task.get_name(), exc_info=failure)
            for task in stuck:
                logger.error(
                    "background worker %s did not stop %g s after its cancellation",
                    task.get_name(),
                    stop_seconds,
                )


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
