"""The organization event firehose, resumable with `after`."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry

from domain.accounts.model import SUPERVISING_ROLES
from domain.event_stream import parse_event_id
from graphql_api.context import Context
from graphql_api.events.types import OrganizationEvent


@strawberry.type
class EventSubscriptions:
    @strawberry.subscription(
        description="Every event of the caller's organization as it is committed (owners, "
        "admins and supervisors). With `after`, first replays the events after that id that are "
        "still retained, then continues live, with no gaps and no duplicates."
    )
    async def organization_events(
        self,
        info: strawberry.Info[Context, None],
        after: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="The id of the last event received before reconnecting."
            ),
        ] = None,
    ) -> AsyncGenerator[OrganizationEvent, None]:
        _, organization_id, _ = info.context.actor.require_role(SUPERVISING_ROLES)
        services = info.context.services
        stream = services.event_stream.follow(organization_id, parse_event_id(after))
        last_delivered: str | None = after
        async for event in stream:
            info.context.ensure_still_allowed(services.clock.now(), event, last_delivered)
            yield OrganizationEvent.from_domain(event)
            last_delivered = str(event.sequence)
