"""Reading intents and the trainings of the intent model."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graphql_api.context import Context
from graphql_api.intents.types import Intent, IntentModel


@strawberry.type
class IntentsQueries:
    @strawberry.field(description="The organization's intents, by name; any member.")
    async def intents(self, info: strawberry.Info[Context, None]) -> list[Intent]:
        intents = await info.context.services.intents.intents(info.context.actor)
        return [Intent.from_domain(intent) for intent in intents]

    @strawberry.field(
        description="The intent model new messages are read with (the newest ready version); "
        "null before the first training finishes. Any member."
    )
    async def intent_model(self, info: strawberry.Info[Context, None]) -> IntentModel | None:
        model = await info.context.services.intents.model(info.context.actor)
        return IntentModel.from_domain(model) if model else None

    @strawberry.field(
        description="The latest trainings, newest first, whatever their status; any member."
    )
    async def intent_models(
        self,
        info: strawberry.Info[Context, None],
        first: Annotated[int, strawberry.argument(description="How many (1 to 20).")] = 5,
    ) -> list[IntentModel]:
        models = await info.context.services.intents.models(info.context.actor, first)
        return [IntentModel.from_domain(model) for model in models]
