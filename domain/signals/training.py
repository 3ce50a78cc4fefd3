"""Training an organization's intent model, as the intents worker claimed it: the examples as
they are now, trained off the event loop on one core, with each stage stored and announced."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from uuid import UUID

from domain.ai.intents import Example, TrainedIntents, TrainingRefused, train
from domain.clock import Clock
from domain.signals.intent_service import model_updated
from domain.signals.intents import KEPT_MODELS, IntentModel, ModelStatus
from domain.signals.ports import SignalsUnitOfWork
from domain.unit_of_work import UnitOfWorkFactory

logger = logging.getLogger(__name__)


class IntentTrainer:
    def __init__(self, unit_of_work: UnitOfWorkFactory[SignalsUnitOfWork], clock: Clock) -> None:
        self._uow = unit_of_work
        self._clock = clock

    async def run(self, organization_id: UUID, model_id: UUID) -> IntentModel | None:
        """Trains a claimed model; None when it is not waiting for training any more."""
        async with self._uow(organization_id) as uow:
            model = await uow.intent_models.get(model_id)
            if model is None or model.status in (ModelStatus.READY, ModelStatus.FAILED):
                return None
            intents = await uow.intents.list()
            model = replace(
                model,
                status=ModelStatus.TRAINING,
                stage="starting",
                progress=0.0,
                started_at=self._clock.now(),
            )
            await self._store(uow, model)
        examples = [Example(intent.name, text) for intent in intents for text in intent.examples]
        try:
            trained = await self._trained(model, examples)
        except TrainingRefused as refused:
            return await self._fail(model, str(refused))
        except Exception:
            logger.exception("intent model %s of %s did not train", model.version, organization_id)
            return await self._fail(model, "training failed unexpectedly; see the worker's log")
        finished = replace(
            model,
            status=ModelStatus.READY,
            stage="ready",
            progress=1.0,
            finished_at=self._clock.now(),
            training_seconds=trained.seconds,
            evaluation=trained.evaluation,
        )
        async with self._uow(organization_id) as uow:
            await uow.intent_models.save(finished, trained.classifier.to_bytes())
            await uow.intent_models.forget_artifacts_before(finished.version - KEPT_MODELS + 1)
            uow.emit(model_updated(finished))
            await uow.commit()
        return finished

    async def _trained(self, model: IntentModel, examples: list[Example]) -> TrainedIntents:
        """Trains in a thread; the stages it reports are stored as they come."""
        loop = asyncio.get_running_loop()
        stages: asyncio.Queue[tuple[str, float]] = asyncio.Queue()

        def report(stage: str, done: float) -> None:
            loop.call_soon_threadsafe(stages.put_nowait, (stage, done))

        training = asyncio.ensure_future(asyncio.to_thread(train, examples, report))
        while not training.done():
            next_stage = asyncio.ensure_future(stages.get())
            await asyncio.wait({training, next_stage}, return_when=asyncio.FIRST_COMPLETED)
            if not next_stage.done():
                next_stage.cancel()
                continue
            stage, done = next_stage.result()
            if done < 1.0:
                async with self._uow(model.organization_id) as uow:
                    await self._store(uow, replace(model, stage=stage, progress=done))
        return training.result()

    async def _fail(self, model: IntentModel, error: str) -> IntentModel:
        failed = replace(
            model,
            status=ModelStatus.FAILED,
            stage="failed",
            finished_at=self._clock.now(),
            error=error,
        )
        async with self._uow(model.organization_id) as uow:
            await self._store(uow, failed)
        return failed

    @staticmethod
    async def _store(uow: SignalsUnitOfWork, model: IntentModel) -> None:
        await uow.intent_models.save(model)
        uow.emit(model_updated(model))
        await uow.commit()
