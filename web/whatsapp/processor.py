"""Applies stored webhook deliveries: woken by each stored delivery, and polling for the rest
(other processes' deliveries, expired leases, retries that are due)."""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Callable
from datetime import timedelta

from domain.clock import Clock
from domain.errors import ServiceUnavailable
from domain.ingestion.ingest import InboundService
from persistence.database import Database
from persistence.repositories.webhooks import (
    ClaimedDelivery,
    claim_deliveries,
    deliveries_due,
    finish_deliveries,
    release_deliveries,
    retry_delivery_later,
)
from web.polling import PollingWorker

logger = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)
MAX_ATTEMPTS = 10
BACKOFF_BASE_SECONDS = 2.0
BACKOFF_CAP_SECONDS = 600.0
HELD_BACK_PAUSE_SECONDS = 0.05


class DeliveryProcessor(PollingWorker):
    name = "webhook deliveries"

    def __init__(
        self,
        database: Database,
        inbound: InboundService,
        clock: Clock,
        batch_size: int = 1000,
        poll_seconds: float = 1.0,
        on_applied: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(poll_seconds)
        self._on_applied = on_applied
        self._database = database
        self._inbound = inbound
        self._clock = clock
        self._batch_size = batch_size
        # Claims an outage interrupted; released as soon as the database answers again, rather
        # than left to their lease.
        self._interrupted: list[int] = []

    async def run_once(self) -> int:
        if self._interrupted:
            await release_deliveries(self._database, self._interrupted)
            self._interrupted = []
        claimed = await claim_deliveries(self._database, self._batch_size, self._clock.now(), LEASE)
        if not claimed:
            return 0
        try:
            outcomes = await self._inbound.apply_many(
                [(json.loads(d.body), d.signer) for d in claimed]
            )
        except ServiceUnavailable:
            self._interrupted = [delivery.id for delivery in claimed]
            raise
        except Exception:
            logger.info("a batch of %d deliveries failed; applying them one by one", len(claimed))
            for index, delivery in enumerate(claimed):
                try:
                    await self._process(delivery)
                except ServiceUnavailable:
                    self._interrupted += [later.id for later in claimed[index + 1 :]]
                    raise
            return len(claimed)
        notes = {d.id: outcome.notes() for d, outcome in zip(claimed, outcomes, strict=True)}
        try:
            await finish_deliveries(self._database, notes, self._clock.now())
        except ServiceUnavailable:
            # Applied but not marked: applying them again changes nothing, so release them.
            self._interrupted = list(notes)
            raise
        return len(claimed)

    async def round(self) -> bool:
        if await self.run_once() > 0:
            if self._on_applied is not None:
                # The messages just stored are the signals worker's work.
                self._on_applied()
            return True
        if await deliveries_due(self._database, self._clock.now()):
            # Due, but of conversations another process is applying: that ends within a
            # batch's time, much sooner than the next poll.
            await asyncio.sleep(HELD_BACK_PAUSE_SECONDS)
            return True
        return False

    async def _process(self, delivery: ClaimedDelivery) -> None:
        try:
            outcome = await self._inbound.apply(json.loads(delivery.body), delivery.signer)
        except ServiceUnavailable:
            self._interrupted.append(delivery.id)
            raise
        except Exception as error:
            retry_at = None
            if delivery.attempts < MAX_ATTEMPTS:
                # Full jitter, so deliveries that failed together do not retry together.
                cap = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2**delivery.attempts)
                retry_at = self._clock.now() + timedelta(seconds=random.uniform(0, cap))  # noqa: S311
            logger.warning(
                "webhook delivery %d failed (attempt %d): %s", delivery.id, delivery.attempts, error
            )
            await retry_delivery_later(self._database, delivery.id, repr(error), retry_at)
            return
        await finish_deliveries(self._database, {delivery.id: outcome.notes()}, self._clock.now())
