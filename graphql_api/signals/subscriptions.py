"""AI alerts, live."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from domain.accounts.model import SUPERVISING_ROLES
from domain.signals.events import AiAlertRaised
from graphql_api.context import Context
from graphql_api.conversations.subscriptions import AfterArgument
from graphql_api.events.stream import events_of
from graphql_api.signals.types import AiAlertEvent

ALERTS = frozenset({AiAlertRaised.type})


@strawberry.type
class SignalsSubscriptions:
    @strawberry.subscription(
        description="Each AI alert as it goes off (supervisors and up), resumable with `after`."
    )
    async def ai_alert_raised(
        self, info: strawberry.Info[Context, None], after: AfterArgument = None
    ) -> AsyncGenerator[AiAlertEvent, None]:
        info.context.actor.require_role(SUPERVISING_ROLES)
        async for event in events_of(info, ALERTS, after):
            yield AiAlertEvent.from_event(event)
