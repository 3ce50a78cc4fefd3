"""Delivers the outbox: claims rows with their send slots, calls Meta at each slot, and records
the outcome. Runs in every server process by default, or alone with `pytake worker`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from datetime import timedelta

from domain.clock import Clock
from domain.conversations.model import ClaimedSend
from domain.conversations.outbox import SenderService, SendOutcome
from domain.errors import ServiceUnavailable
from persistence.database import Database
from persistence.repositories.outbox import claim_sends, release_sends, reserve_slot
from web.polling import PollingWorker

logger = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)
"""Longer than a Graph API call can take (the client's timeout is 20 s) plus recording it."""
RECORD_RETRY_SECONDS = 1.0
RECORD_BATCH = 200
LATE_TOLERANCE_SECONDS = 0.05
SHUTDOWN_GRACE_SECONDS = 25.0


class OutboundSender(PollingWorker):
    name = "sender"

    def __init__(
        self,
        database: Database,
        service: SenderService,
        clock: Clock,
        max_in_flight: int = 64,
        poll_seconds: float = 0.5,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(poll_seconds)
        self._database = database
        self._service = service
        self._clock = clock
        self._max_in_flight = max_in_flight
        self._wall_clock = wall_clock
        self._tasks: set[asyncio.Task[None]] = set()
        self._waiting: dict[int, asyncio.Task[None]] = {}
        """Claimed rows still waiting for their slot: nothing was sent, so they can be released."""
        self._results: asyncio.Queue[tuple[ClaimedSend, SendOutcome]] = asyncio.Queue()
        """Meta's answers waiting to be recorded, in batches."""

    async def run_forever(self) -> None:
        """Meta's answers are recorded by a task of their own, in batches, while rounds claim
        and send; it ends after the sends that were in flight are recorded."""
        recorder = asyncio.create_task(self._record_forever())
        try:
            await super().run_forever()
        finally:
            recorder.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await recorder

    async def round(self) -> bool:
        claimed = await self._claim()
        for send in claimed:
            task = asyncio.create_task(self._send(send))
            self._tasks.add(task)
            self._waiting[send.id] = task
            task.add_done_callback(self._tasks.discard)
        return bool(claimed)

    async def stopped(self) -> None:
        await self._stop()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(SHUTDOWN_GRACE_SECONDS):
                await self._results.join()

    async def _claim(self) -> list[ClaimedSend]:
        room = self._max_in_flight - len(self._tasks)
        if room <= 0:
            return []
        try:
            return await claim_sends(
                self._database, room, self._clock.now(), self._wall_clock, LEASE
            )
        except ServiceUnavailable as outage:
            logger.warning("the outbox waits for the database: %s", outage.message)
        except Exception:
            # Not left to the supervisor: restarting the loop would stop the sends in flight.
            logger.exception("claiming outbound messages failed; retrying")
        return []

    async def _send(self, send: ClaimedSend) -> None:
        slot = send.slot
        while True:
            delay = slot - self._wall_clock()
            if delay > 0:
                await asyncio.sleep(delay)
            # A busy process wakes late; sending every late row at once would burst past the
            # number's throughput, so a stale slot is exchanged for a fresh one.
            if self._wall_clock() - slot <= LATE_TOLERANCE_SECONDS or not send.interval:
                break
            try:
                slot = await reserve_slot(
                    self._database, send.number_id, send.interval, self._wall_clock()
                )
            except ServiceUnavailable:
                break
        del self._waiting[send.id]
        self._results.put_nowait((send, await self._service.attempt(send)))

    async def _record_forever(self) -> None:
        while True:
            batch = [await self._results.get()]
            while not self._results.empty() and len(batch) < RECORD_BATCH:
                batch.append(self._results.get_nowait())
            try:
                await self._record(batch)
            finally:
                for _ in batch:
                    self._results.task_done()
            # The recipients' next messages may be claimed now that these are settled.
            self.wake()

    async def _record(self, batch: list[tuple[ClaimedSend, SendOutcome]]) -> None:
        """Meta has answered; the answers must reach the database even through an outage, or
        the rows would be taken for abandoned and the wamids lost."""
        give_up = time.monotonic() + LEASE.total_seconds() / 2
        while True:
            try:
                await self._service.record_many(batch)
            except ServiceUnavailable as outage:
                if time.monotonic() > give_up:
                    logger.error("could not record %d sends: %s", len(batch), outage.message)
                    return
                await asyncio.sleep(RECORD_RETRY_SECONDS)
            except Exception:
                logger.exception("recording %d sends failed; recording them one by one", len(batch))
                for send, outcome in batch:
                    try:
                        await self._service.record(send, outcome)
                    except Exception:
                        logger.exception("recording send %d failed", send.id)
                return
            else:
                return

    async def _stop(self) -> None:
        """Rows still waiting for their slot go back to the queue; calls already made to Meta
        are allowed to finish and be recorded."""
        waiting = dict(self._waiting)
        for task in waiting.values():
            task.cancel()
        with contextlib.suppress(Exception):
            if waiting:
                await release_sends(self._database, list(waiting))
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=SHUTDOWN_GRACE_SECONDS)
