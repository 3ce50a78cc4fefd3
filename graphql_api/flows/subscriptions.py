"""Flow sessions, live, and resumable with `after` (supervisors and up)."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry

from domain.accounts.model import SUPERVISING_ROLES
from domain.errors import NotFound
from domain.flows.events import FlowSessionUpdated
from graphql_api.context import Context
from graphql_api.events.stream import events_of
from graphql_api.flows.types import FlowSessionEvent
from graphql_api.ids import parse_uuid

FLOW_SESSION_UPDATED = frozenset({FlowSessionUpdated.type})


@strawberry.type
class FlowSessionSubscriptions:
    @strawberry.subscription(
        description="Flow sessions starting, moving and ending, live (supervisors, admins and "
        "owners); select `session { steps }` to read the log as it grows."
    )
    async def flow_session_updated(
        self,
        info: strawberry.Info[Context, None],
        flow_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only this flow's sessions; all when null."),
        ] = None,
        conversation_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only this conversation's sessions; all when null."),
        ] = None,
        after: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="The `eventId` of the last event received before reconnecting: "
                "every missed event is delivered once, then the stream goes on live."
            ),
        ] = None,
    ) -> AsyncGenerator[FlowSessionEvent, None]:
        info.context.actor.require_role(SUPERVISING_ROLES)
        flow = parse_uuid(flow_id, "flowId") if flow_id else None
        flows = info.context.services.flows
        if flow is not None and await flows.flow(info.context.actor, flow) is None:
            raise NotFound("Flow", flow_id)
        conversation = parse_uuid(conversation_id, "conversationId") if conversation_id else None
        async for event in events_of(info, FLOW_SESSION_UPDATED, after):
            fact = FlowSessionUpdated.read(event)
            if flow is not None and fact.flow_id != flow:
                continue
            if conversation is not None and fact.conversation_id != conversation:
                continue
            yield FlowSessionEvent.from_event(event)
