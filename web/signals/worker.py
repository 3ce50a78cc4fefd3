"""Scores customer messages after they are committed (domain/signals/scoring.py): claims the
oldest unscored ones across organizations, scores them one organization at a time, and is
woken by this process's own deliveries."""

from __future__ import annotations

import logging
from datetime import timedelta
from itertools import groupby

from domain.clock import Clock
from domain.signals.scoring import SignalScorer, ToScore
from persistence.database import Database
from persistence.repositories.signals import claim_due_messages
from web.polling import PollingWorker

logger = logging.getLogger(__name__)

CLAIM_LEASE = timedelta(seconds=60)


class SignalWorker(PollingWorker):
    name = "signals"

    def __init__(
        self,
        database: Database,
        scorer: SignalScorer,
        clock: Clock,
        batch_size: int = 500,
        poll_seconds: float = 1.0,
    ) -> None:
        super().__init__(poll_seconds)
        self._database = database
        self._scorer = scorer
        self._clock = clock
        self._batch_size = batch_size

    async def run_once(self) -> int:
        claimed = await claim_due_messages(
            self._database, self._batch_size, self._clock.now(), CLAIM_LEASE
        )
        by_organization = sorted(claimed, key=lambda due: str(due.organization_id))
        for organization_id, due in groupby(by_organization, key=lambda d: d.organization_id):
            await self._scorer.score(
                organization_id,
                [ToScore(d.message_id, d.conversation_id, d.text, d.sent_at) for d in due],
            )
        return len(claimed)

    async def round(self) -> bool:
        return await self.run_once() >= self._batch_size
