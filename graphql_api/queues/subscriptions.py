"""Queue items and agents, live, and resumable with `after`."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Annotated
from uuid import UUID

import strawberry

from domain.events import StoredEvent
from domain.queues import model
from domain.queues.events import AgentStatusChanged, QueueItemChanged
from graphql_api.context import Context
from graphql_api.conversations.types import Conversation, load_conversation
from graphql_api.events.stream import events_of
from graphql_api.ids import parse_uuid
from graphql_api.queues.types import (
    AgentStatus,
    QueueItem,
    QueueItemStatus,
)

QUEUE_ITEM_CHANGED = frozenset({QueueItemChanged.type})
AGENT_STATUS_CHANGED = frozenset({AgentStatusChanged.type})
QueueId = Annotated[strawberry.ID, strawberry.argument(description="The queue's id.")]
EventAfter = Annotated[
    strawberry.ID | None,
    strawberry.argument(
        description="The `eventId` of the last event received before reconnecting: every "
        "missed event is delivered once, then the stream goes on live."
    ),
]


@strawberry.type(description="An item entered, moved through or left a queue.")
class QueueItemEvent:
    event_id: strawberry.ID = strawberry.field(
        description="The event's id; pass the last one as `after` when resubscribing."
    )
    item_id: strawberry.ID = strawberry.field(description="The item.")
    queue_id: strawberry.ID = strawberry.field(description="Its queue.")
    conversation_id: strawberry.ID = strawberry.field(description="Its conversation.")
    change: str = strawberry.field(
        description="entered, assigned, reassigned, transferred, completed, abandoned, "
        "timed_out, or priority_raised (the customer's sentiment turned negative)."
    )
    status: QueueItemStatus = strawberry.field(description="Its status after the change.")
    priority: int = strawberry.field(description="Its priority.")
    agent_id: strawberry.ID | None = strawberry.field(description="Its agent after the change.")
    occurred_at: datetime = strawberry.field(description="When it was committed (UTC).")

    @strawberry.field(
        description="The item as it is now, with its position while it waits (positions of "
        "the others move with each entry and exit)."
    )
    async def item(self, info: strawberry.Info[Context, None]) -> QueueItem | None:
        queues = info.context.services.queues
        found = await queues.item(info.context.actor, UUID(str(self.item_id)))
        if found is None:
            return None
        item, _ = found
        return QueueItem.from_domain(item, await queues.position(info.context.actor, item))

    @strawberry.field(description="The conversation, as the inbox shows it.")
    async def conversation(self, info: strawberry.Info[Context, None]) -> Conversation | None:
        return await load_conversation(info, UUID(str(self.conversation_id)))

    @classmethod
    def from_event(cls, event: StoredEvent) -> QueueItemEvent:
        fact = QueueItemChanged.read(event)
        return cls(
            event_id=strawberry.ID(str(event.sequence)),
            item_id=strawberry.ID(str(fact.item_id)),
            queue_id=strawberry.ID(str(fact.queue_id)),
            conversation_id=strawberry.ID(str(fact.conversation_id)),
            change=fact.change,
            status=QueueItemStatus(fact.status),
            priority=fact.priority,
            agent_id=strawberry.ID(str(fact.agent_id)) if fact.agent_id else None,
            occurred_at=event.occurred_at,
        )


@strawberry.type(description="An agent's status changed.")
class AgentStatusEvent:
    event_id: strawberry.ID = strawberry.field(description="The event's id.")
    user_id: strawberry.ID = strawberry.field(description="The agent.")
    status: AgentStatus = strawberry.field(description="Their new status.")
    occurred_at: datetime = strawberry.field(description="When it was committed (UTC).")

    @classmethod
    def from_event(cls, event: StoredEvent) -> AgentStatusEvent:
        fact = AgentStatusChanged.read(event)
        return cls(
            event_id=strawberry.ID(str(event.sequence)),
            user_id=strawberry.ID(str(fact.user_id)),
            status=AgentStatus(fact.status),
            occurred_at=event.occurred_at,
        )


@strawberry.type
class QueueSubscriptions:
    @strawberry.subscription(
        description="A queue's items entering, moving and leaving, live (the queue's agents, "
        "and supervisors and up)."
    )
    async def queue_updated(
        self, info: strawberry.Info[Context, None], queue_id: QueueId, after: EventAfter = None
    ) -> AsyncGenerator[QueueItemEvent, None]:
        wanted = parse_uuid(queue_id, "queueId")
        await info.context.services.queues.check_watcher(info.context.actor, wanted)
        async for event in events_of(info, QUEUE_ITEM_CHANGED, after):
            if QueueItemChanged.read(event).queue_id == wanted:
                yield QueueItemEvent.from_event(event)

    @strawberry.subscription(description="Agents' status changes in the organization, live.")
    async def agent_status_changed(
        self, info: strawberry.Info[Context, None], after: EventAfter = None
    ) -> AsyncGenerator[AgentStatusEvent, None]:
        async for event in events_of(info, AGENT_STATUS_CHANGED, after):
            yield AgentStatusEvent.from_event(event)

    @strawberry.subscription(
        description="Conversations given to the caller, the moment they are (select "
        "`conversation` to open it at once)."
    )
    async def assignment_received(
        self, info: strawberry.Info[Context, None], after: EventAfter = None
    ) -> AsyncGenerator[QueueItemEvent, None]:
        me = info.context.actor.require_user()[0]
        async for event in events_of(info, QUEUE_ITEM_CHANGED, after):
            fact = QueueItemChanged.read(event)
            if fact.status == model.ItemStatus.ASSIGNED and fact.agent_id == me:
                yield QueueItemEvent.from_event(event)
