"""Acts on flow sessions that are due: question timeouts, inactivity expiry, HTTP requests.

Timers are rows (`flow_sessions.wakes_at`), not sleeps, so they survive restarts and any
process may fire them; a claim keeps two processes from acting on one session at once.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from domain.clock import Clock
from domain.errors import ServiceUnavailable
from domain.flows.runner import FlowRunner
from persistence.database import Database
from persistence.repositories.flow_sessions import DueSession, claim_due_sessions
from web.polling import PollingWorker

logger = logging.getLogger(__name__)

CLAIM_LEASE = timedelta(seconds=60)


class FlowTimers(PollingWorker):
    name = "flow timers"

    def __init__(
        self,
        database: Database,
        runner: FlowRunner,
        clock: Clock,
        poll_seconds: float = 1.0,
        max_in_flight: int = 32,
    ) -> None:
        super().__init__(poll_seconds)
        self._database = database
        self._runner = runner
        self._clock = clock
        self._max_in_flight = max_in_flight
        self._in_flight: set[asyncio.Task[None]] = set()

    async def run_once(self) -> int:
        """Claims what is due, as far as there is room, and starts acting on it."""
        room = self._max_in_flight - len(self._in_flight)
        if room <= 0:
            return 0
        claimed = await claim_due_sessions(self._database, room, self._clock.now(), CLAIM_LEASE)
        for due in claimed:
            task = asyncio.create_task(self._act(due))
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)
        return len(claimed)

    async def drain(self) -> None:
        """Waits for the sessions being acted on (HTTP calls included)."""
        while self._in_flight:
            await asyncio.gather(*self._in_flight)

    async def _act(self, due: DueSession) -> None:
        try:
            await self._runner.wake(due.organization_id, due.session_id)
        except ServiceUnavailable as outage:
            logger.warning("flow session %s waits for the database: %s", due.session_id, outage)
        except Exception:
            # The claim's lease runs out and the session comes due again.
            logger.exception("flow session %s could not be woken", due.session_id)

    async def round(self) -> bool:
        return await self.run_once() > 0

    async def stopped(self) -> None:
        for task in self._in_flight:
            task.cancel()
        # Awaited, so that no cancelled claim keeps a connection (and SQLite's lock) open.
        await asyncio.gather(*self._in_flight, return_exceptions=True)
