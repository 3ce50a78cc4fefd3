"""Reopens snoozed conversations when their time comes, announcing each to the inboxes; safe to
run in N processes (each conversation is taken under a skip-locked row lock)."""

from __future__ import annotations

import asyncio
import logging

from domain.clock import Clock
from domain.conversations.services import ConversationService
from domain.errors import ServiceUnavailable
from persistence.database import Database
from persistence.repositories.conversations import organizations_with_snoozes_due
from persistence.unit_of_work import SqlUnitOfWork

logger = logging.getLogger(__name__)


class SnoozeWorker:
    def __init__(
        self,
        database: Database,
        conversations: ConversationService[SqlUnitOfWork],
        clock: Clock,
        poll_seconds: float = 5.0,
    ) -> None:
        self._database = database
        self._conversations = conversations
        self._clock = clock
        self._poll_seconds = poll_seconds

    async def run_once(self) -> int:
        woken = 0
        for organization_id in await organizations_with_snoozes_due(
            self._database, self._clock.now()
        ):
            woken += await self._conversations.wake_snoozed(organization_id)
        return woken

    async def run_forever(self) -> None:
        while True:
            try:
                woken = await self.run_once()
                if woken:
                    logger.info("reopened %d snoozed conversations", woken)
            except ServiceUnavailable as outage:
                logger.warning("snoozes wait for the database: %s", outage.message)
            await asyncio.sleep(self._poll_seconds)
