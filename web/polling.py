"""The one shape of every background loop: rounds of work, woken by this process's own changes
and polling for everyone else's (decision 0017).

After a round that found nothing more to do, a worker waits until `wake()` is called or
`poll_seconds` pass. A database outage is logged and waited out at the same pace, since every
round starts by asking the database again. Any other error ends `run_forever`; the supervisor
(`web.workers.supervised`) logs it with the worker's name, reports it on /readyz and restarts the
loop after a jittered backoff. Cancellation stops the loop and runs `stopped()`.
"""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from typing import ClassVar

from domain.errors import ServiceUnavailable
from web.wakeup import woken_or_timed_out

logger = logging.getLogger(__name__)


class PollingWorker(ABC):
    name: ClassVar[str]
    """As logs and /readyz name it."""

    def __init__(self, poll_seconds: float) -> None:
        self._poll_seconds = poll_seconds
        self._wakeup = asyncio.Event()

    def wake(self) -> None:
        """Something this process did gave the worker work: it starts a round at once."""
        self._wakeup.set()

    @abstractmethod
    async def round(self) -> bool:
        """One round of work; True when more may be waiting, to start the next one at once."""

    async def stopped(self) -> None:  # noqa: B027 - a hook most workers leave empty
        """Runs when the loop ends, however it ends: release what the worker holds."""

    async def run_forever(self) -> None:
        try:
            while True:
                # Cleared before the round, so a wake-up during it starts the next one at once.
                self._wakeup.clear()
                try:
                    more = await self.round()
                except ServiceUnavailable as outage:
                    logger.warning("%s waits for the database: %s", self.name, outage.message)
                    more = False
                if not more:
                    await woken_or_timed_out(self._wakeup, self._poll_seconds)
        finally:
            await self.stopped()
