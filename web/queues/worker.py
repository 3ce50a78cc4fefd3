"""Runs distribution rounds: woken when an item enters or an agent frees up in this process,
and polling for the rest (other processes' changes, reply and wait deadlines)."""

from __future__ import annotations

import asyncio
import logging

from domain.clock import Clock
from domain.queues.distributor import Distributor, RoundOutcome
from persistence.database import Database
from persistence.repositories.queues import organizations_with_queue_work
from web.polling import PollingWorker

logger = logging.getLogger(__name__)

ROUND_SPACING_SECONDS = 0.1
"""The least time between two rounds of a process: a burst of completions and status changes
wakes the worker many times, and one round serves them all."""


class DistributionWorker(PollingWorker):
    name = "distribution"

    def __init__(
        self,
        database: Database,
        distributor: Distributor,
        clock: Clock,
        poll_seconds: float = 1.0,
    ) -> None:
        super().__init__(poll_seconds)
        self._database = database
        self._distributor = distributor
        self._clock = clock

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

    async def round(self) -> bool:
        outcome = await self.run_once()
        if outcome.assigned or outcome.timed_out or outcome.taken_back:
            logger.debug("distribution: %s", outcome)
        await asyncio.sleep(ROUND_SPACING_SECONDS)
        return False
