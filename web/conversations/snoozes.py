"""Reopens snoozed conversations when their time comes, announcing each to the inboxes; safe to
run in N processes (each conversation is taken under a skip-locked row lock)."""

from __future__ import annotations

import logging

from domain.clock import Clock
from domain.conversations.services import ConversationService
from persistence.database import Database
from persistence.repositories.conversations import organizations_with_snoozes_due
from persistence.unit_of_work import SqlUnitOfWork
from web.polling import PollingWorker

logger = logging.getLogger(__name__)


class SnoozeWorker(PollingWorker):
    name = "snoozes"

    def __init__(
        self,
        database: Database,
        conversations: ConversationService[SqlUnitOfWork],
        clock: Clock,
        poll_seconds: float = 5.0,
    ) -> None:
        super().__init__(poll_seconds)
        self._database = database
        self._conversations = conversations
        self._clock = clock

    async def run_once(self) -> int:
        woken = 0
        for organization_id in await organizations_with_snoozes_due(
            self._database, self._clock.now()
        ):
            woken += await self._conversations.wake_snoozed(organization_id)
        return woken

    async def round(self) -> bool:
        woken = await self.run_once()
        if woken:
            logger.info("reopened %d snoozed conversations", woken)
        return False
