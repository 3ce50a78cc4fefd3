"""Runs distribution rounds: woken when an item enters or an agent frees up in this process,
and polling for the rest (other processes' changes, reply and wait deadlines)."""

from __future__ import annotations

import asyncio
import logging

from domain.clock import Clock
from domain.errors import ServiceUnavailable
from domain.queues.distributor import Distributor, RoundOutcome
from persistence.database import Database
from persistence.repositories.queues import organizations_with_queue_work
from web.wakeup import woken_or_timed_out

logger = logging.getLogger(__name__)

ROUND_SPACING_SECONDS = 0.1
"""The least time between two rounds of a process: a burst of completions and status changes
wakes the worker many times, and one round serves them all."""


class DistributionWorker:
    def __init__(
        self,
        database: Database,
        distributor: Distributor,
        clock: Clock,
        poll_seconds: float = 1.0,
    ) -> None:
        self._database = database
        self._distributor = distributor
        self._clock = clock
        self._poll_seconds = poll_seconds
        self._wakeup = asyncio.Event()

    def wake(self) -> None:
        self._wakeup.set()

    async def run_once(self) -> RoundOutcome:
        """One round for every organization with queue work."""
        total = RoundOutcome()
        for organization_id in await organizations_with_queue_work(
            self._database, self._clock.now()
        ):
            outcome = await self._distributor.run(organization_id)
            total.assigned += outcome.assigned
            total.timed_out += outcome.timed_out
            total.taken_back += outcome.taken_back
        return total

    async def run_forever(self) -> None:
        while True:
            self._wakeup.clear()
            try:
                outcome = await self.run_once()
                if outcome.assigned or outcome.timed_out or outcome.taken_back:
                    logger.debug("distribution: %s", outcome)
            except asyncio.CancelledError:
                raise
            except ServiceUnavailable as outage:
                logger.warning("distribution waits for the database: %s", outage)
            except Exception:
                logger.exception("a distribution round failed; retrying")
            await asyncio.sleep(ROUND_SPACING_SECONDS)
            await woken_or_timed_out(self._wakeup, self._poll_seconds)
