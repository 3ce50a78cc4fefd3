"""Reading the AI settings and alerts."""

from __future__ import annotations

from typing import Annotated

import strawberry

from domain.pagination import PageRequest
from graphql_api.context import Context
from graphql_api.pagination import (
    AfterArgument,
    BeforeArgument,
    Connection,
    FirstArgument,
    LastArgument,
)
from graphql_api.signals.types import AiAlert, AiSettings


@strawberry.type
class SignalsQueries:
    @strawberry.field(
        description="What the organization chose about reading its customers' texts locally "
        "(sentiment, languages, thresholds, its own words, alert rules); any member."
    )
    async def ai_settings(self, info: strawberry.Info[Context, None]) -> AiSettings:
        settings = await info.context.services.ai.settings(info.context.actor)
        return AiSettings.from_domain(settings)

    @strawberry.field(
        description="The alerts raised by the AI rules, newest first, at most 100 a page "
        "(supervisors and up)."
    )
    async def ai_alerts(
        self,
        info: strawberry.Info[Context, None],
        unresolved_only: Annotated[
            bool, strawberry.argument(description="Only alerts not yet resolved.")
        ] = False,
        first: FirstArgument = None,
        after: AfterArgument = None,
        last: LastArgument = None,
        before: BeforeArgument = None,
    ) -> Connection[AiAlert]:
        page = await info.context.services.ai.alerts(
            info.context.actor, unresolved_only, PageRequest(first, after, last, before)
        )
        return Connection.of(page, AiAlert.from_domain)
