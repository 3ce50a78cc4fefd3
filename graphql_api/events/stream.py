"""Following the caller's organization's events for a subscription, resumable with `after`."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from domain.event_stream import parse_event_id
from domain.events import StoredEvent
from graphql_api.context import Context


async def events_of(
    info: strawberry.Info[Context, None], event_types: frozenset[str], after: strawberry.ID | None
) -> AsyncGenerator[StoredEvent, None]:
    """The organization's events of these types: those after `after` that are retained, then
    live; nothing once the caller's access token has expired or the caller's access changed."""
    _, organization_id, _ = info.context.actor.require_user()
    services = info.context.services
    last_delivered: str | None = after
    async for event in services.event_stream.follow(organization_id, parse_event_id(after)):
        info.context.ensure_still_allowed(services.clock.now(), event, last_delivered)
        if event.type in event_types:
            yield event
            last_delivered = str(event.sequence)
