"""Reading the AI settings and alerts."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from domain.pagination import PageRequest
from domain.signals import insights
from graphql_api.context import Context
from graphql_api.ids import parse_uuid
from graphql_api.pagination import (
    AfterArgument,
    BeforeArgument,
    Connection,
    FirstArgument,
    LastArgument,
)
from graphql_api.signals.types import AiAlert, AiInsights, AiSettings, InsightGrouping


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

    @strawberry.field(
        description="What customers felt and wanted over a period (at most 92 days), from "
        "hourly rollups kept as texts are read: sentiment, its trend, the top intents and how "
        "they changed, conversations negative now, and reply suggestions' acceptance "
        "(supervisors and up). An hour counts whole in the period its start falls in."
    )
    async def ai_insights(
        self,
        info: strawberry.Info[Context, None],
        since: Annotated[datetime, strawberry.argument(description="The period's start.")],
        until: Annotated[datetime, strawberry.argument(description="The period's end, excluded.")],
        group_by: Annotated[
            InsightGrouping, strawberry.argument(description="How the trend is grouped.")
        ] = InsightGrouping.DAY,
        number_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only texts to this WhatsApp number."),
        ] = None,
    ) -> AiInsights:
        read = await info.context.services.ai.insights(
            info.context.actor,
            since,
            until,
            insights.InsightGrouping(group_by.name.lower()),
            parse_uuid(number_id, "numberId") if number_id else None,
        )
        return AiInsights.from_domain(read)
