"""Organizations' intent models, loaded once per version and shared by the signals worker and
flow dry runs in a process."""

from __future__ import annotations

from uuid import UUID

from domain.ai.intents import IntentClassifier
from domain.flows.ports import IntentReader
from domain.signals.ports import SignalsUnitOfWork
from domain.unit_of_work import UnitOfWorkFactory

MODELS_HELD = 200
"""Intent models kept loaded (about 1 MB each in memory), the least recently loaded dropped."""


class LoadedIntentModels:
    def __init__(self, unit_of_work: UnitOfWorkFactory[SignalsUnitOfWork]) -> None:
        self._uow = unit_of_work
        self._models: dict[UUID, tuple[int, IntentClassifier]] = {}

    async def active(
        self, uow: SignalsUnitOfWork, organization_id: UUID
    ) -> tuple[int, IntentClassifier] | None:
        """The organization's newest trained model and its version, or None without one."""
        model = await uow.intent_models.active()
        if model is None:
            return None
        cached = self._models.get(organization_id)
        if cached is not None and cached[0] == model.version:
            return cached
        artifact = await uow.intent_models.artifact(model.id)
        if artifact is None:
            return None
        loaded = (model.version, IntentClassifier.from_bytes(artifact))
        self._models.pop(organization_id, None)
        self._models[organization_id] = loaded
        while len(self._models) > MODELS_HELD:
            del self._models[next(iter(self._models))]
        return loaded

    async def reader(self, organization_id: UUID) -> IntentReader | None:
        """A reader of texts by the organization's newest model, for a flow's dry run."""
        async with self._uow(organization_id, read_only=True) as uow:
            loaded = await self.active(uow, organization_id)
        return loaded[1].classify if loaded else None
