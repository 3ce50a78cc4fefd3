"""An organization with the starter intents trained, for the API's and the worker's tests."""

from __future__ import annotations

from uuid import UUID

from domain.accounts.model import Actor, User
from domain.signals.intents import IntentModel, ModelStatus
from tests.support import RunningServer, eventually


async def trained_starter_model(server: RunningServer, owner: User) -> IntentModel:
    """Imports PyTake's starter intents, trains them and returns the model new messages are
    read with."""
    actor = Actor.of(owner, None)
    await server.runtime.services.intents.import_starter(actor, include_keyword_flows=False)
    queued = await server.runtime.services.intents.train(actor)
    return await finished(server, owner, queued.id)


async def finished(server: RunningServer, owner: User, model_id: UUID | str) -> IntentModel:
    """The training, once done by this process's intents worker (a server running workers
    in the background may have taken it first, when it was woken)."""
    actor = Actor.of(owner, None)

    async def finished_model() -> IntentModel | None:
        await server.runtime.intent_training.run_once()
        for model in await server.runtime.services.intents.models(actor, 20):
            if str(model.id) == str(model_id) and model.status in (
                ModelStatus.READY,
                ModelStatus.FAILED,
            ):
                return model
        return None

    return await eventually(finished_model, what=f"intent model {model_id} to finish training")
