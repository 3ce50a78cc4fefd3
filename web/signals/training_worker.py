"""Trains organizations' intent models (domain/signals/training.py), one at a time per process:
claims the oldest training queued across organizations, for long enough to finish it."""

from __future__ import annotations

from datetime import timedelta

from domain.clock import Clock
from domain.signals.training import IntentTrainer
from persistence.database import Database
from persistence.repositories.intents import claim_due_trainings
from web.polling import PollingWorker

CLAIM_LEASE = timedelta(minutes=10)
"""Far above a training's seconds: a claim outlives it unless the process died."""


class IntentTrainingWorker(PollingWorker):
    name = "intents"

    def __init__(
        self, database: Database, trainer: IntentTrainer, clock: Clock, poll_seconds: float = 2.0
    ) -> None:
        super().__init__(poll_seconds)
        self._database = database
        self._trainer = trainer
        self._clock = clock

    async def run_once(self) -> int:
        claimed = await claim_due_trainings(self._database, 1, self._clock.now(), CLAIM_LEASE)
        for training in claimed:
            await self._trainer.run(training.organization_id, training.model_id)
        return len(claimed)

    async def round(self) -> bool:
        return await self.run_once() > 0
