"""Trainings of the intent model, live."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from domain.signals.events import IntentModelUpdated
from graphql_api.context import Context
from graphql_api.conversations.subscriptions import AfterArgument
from graphql_api.events.stream import events_of
from graphql_api.intents.types import IntentModelEvent

TRAININGS = frozenset({IntentModelUpdated.type})


@strawberry.type
class IntentsSubscriptions:
    @strawberry.subscription(
        description="Each step of the organization's intent model trainings (queued, each "
        "stage with its progress, ready or failed), resumable with `after`; any member."
    )
    async def intent_model_updated(
        self, info: strawberry.Info[Context, None], after: AfterArgument = None
    ) -> AsyncGenerator[IntentModelEvent, None]:
        info.context.actor.require_user()
        async for event in events_of(info, TRAININGS, after):
            yield IntentModelEvent.from_event(event)
