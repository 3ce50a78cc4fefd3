"""The inbox's live events: typed views of the organization's event log, filtered by
conversation or by what the caller may see, and resumable with `after`."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry

from domain.conversations.events import (
    AgentTyping,
    ConversationOpened,
    ConversationUpdated,
    MessageChanged,
    MessageQueued,
    MessageReceived,
    MessageStatusUpdated,
)
from domain.errors import NotFound
from domain.events import StoredEvent
from domain.queues.events import AgentUpdated
from graphql_api.context import Context
from graphql_api.conversations.types import ConversationStatus, MessageStatus
from graphql_api.events.stream import events_of
from graphql_api.ids import parse_uuid

MESSAGE_RECEIVED = frozenset({MessageReceived.type})
MESSAGE_SENT = frozenset({MessageQueued.type})
MESSAGE_STATUS_UPDATED = frozenset({MessageStatusUpdated.type})
MESSAGE_CHANGED = frozenset({MessageChanged.type})
CONVERSATION_UPDATED = frozenset({ConversationOpened.type, ConversationUpdated.type})
TYPING = frozenset({AgentTyping.type})
UNREAD_COUNTS = frozenset({MessageReceived.type, ConversationUpdated.type})
ROUTED = (
    MessageReceived,
    MessageQueued,
    MessageStatusUpdated,
    MessageChanged,
    ConversationUpdated,
    AgentTyping,
)
"""The events that carry the conversation's assignee and queue: what an agent may see."""
ABOUT_A_CONVERSATION = (*ROUTED, ConversationOpened)

ConversationArgument = Annotated[
    strawberry.ID | None,
    strawberry.argument(description="Only this conversation's events; all the caller's when null."),
]
AfterArgument = Annotated[
    strawberry.ID | None,
    strawberry.argument(
        description="The `eventId` of the last event received before reconnecting: every "
        "missed event is delivered once, then the stream goes on live."
    ),
]


@strawberry.enum(description="What a customer did to a message already received.")
class MessageChange(Enum):
    EDITED = strawberry.enum_value("edited", description="Changed its text or caption.")
    DELETED = strawberry.enum_value("deleted", description="Deleted it for everyone.")


@strawberry.type(description="Something happened to a message.")
class MessageEvent:
    event_id: strawberry.ID = strawberry.field(
        description="The event's id; pass the last one as `after` when resubscribing."
    )
    conversation_id: strawberry.ID = strawberry.field(description="The message's conversation.")
    message_id: strawberry.ID = strawberry.field(description="The message; read it with messages.")
    message_type: str | None = strawberry.field(
        description="Meta's message type, for messageReceived and messageSent."
    )
    status: MessageStatus | None = strawberry.field(
        description="The message's new status, for messageStatusUpdated."
    )
    change: MessageChange | None = strawberry.field(
        description="What the customer did to the message, for messageChanged."
    )
    occurred_at: datetime = strawberry.field(description="When it was committed (UTC).")

    @classmethod
    def from_event(cls, event: StoredEvent) -> MessageEvent:
        fact = event.fact
        if not isinstance(
            fact, MessageReceived | MessageQueued | MessageStatusUpdated | MessageChanged
        ):
            raise TypeError(f"a {event.type!r} event is not about a message")
        return cls(
            change=MessageChange(fact.change) if isinstance(fact, MessageChanged) else None,
            event_id=strawberry.ID(str(event.sequence)),
            conversation_id=strawberry.ID(str(fact.conversation_id)),
            message_id=strawberry.ID(str(fact.message_id)),
            message_type=fact.message_type
            if isinstance(fact, MessageReceived | MessageQueued)
            else None,
            status=MessageStatus(fact.status) if isinstance(fact, MessageStatusUpdated) else None,
            occurred_at=event.occurred_at,
        )


@strawberry.type(description="A conversation opened or changed.")
class ConversationEvent:
    event_id: strawberry.ID = strawberry.field(
        description="The event's id; pass the last one as `after` when resubscribing."
    )
    conversation_id: strawberry.ID = strawberry.field(description="The conversation.")
    changed: list[str] = strawberry.field(
        description="What changed: status, assignee, queue, labels, unreadCount, notes, sentiment; "
        "`opened` for a new conversation."
    )
    status: ConversationStatus | None = strawberry.field(description="Its status after it.")
    assignee_id: strawberry.ID | None = strawberry.field(description="Who holds it after it.")
    queue_id: strawberry.ID | None = strawberry.field(
        description="The queue it was last routed to, after it."
    )
    occurred_at: datetime = strawberry.field(description="When it was committed (UTC).")

    @classmethod
    def from_event(cls, event: StoredEvent) -> ConversationEvent:
        fact = event.fact
        if isinstance(fact, ConversationOpened):
            return cls(
                event_id=strawberry.ID(str(event.sequence)),
                conversation_id=strawberry.ID(str(fact.conversation_id)),
                changed=["opened"],
                status=ConversationStatus.OPEN,
                assignee_id=None,
                queue_id=None,
                occurred_at=event.occurred_at,
            )
        if not isinstance(fact, ConversationUpdated):
            raise TypeError(f"a {event.type!r} event is not about a conversation")
        return cls(
            event_id=strawberry.ID(str(event.sequence)),
            conversation_id=strawberry.ID(str(fact.conversation_id)),
            changed=list(fact.changed),
            status=ConversationStatus(fact.status),
            assignee_id=strawberry.ID(str(fact.assignee_id)) if fact.assignee_id else None,
            queue_id=strawberry.ID(str(fact.queue_id)) if fact.queue_id else None,
            occurred_at=event.occurred_at,
        )


@strawberry.type(description="An agent started or stopped typing.")
class TypingEvent:
    event_id: strawberry.ID = strawberry.field(description="The event's id.")
    conversation_id: strawberry.ID = strawberry.field(description="The conversation.")
    user_id: strawberry.ID = strawberry.field(description="The agent typing.")
    typing: bool = strawberry.field(description="True while typing; false when they stopped.")
    expires_at: datetime = strawberry.field(
        description="When to stop showing it if no newer event came (25 seconds after start)."
    )

    @classmethod
    def from_event(cls, event: StoredEvent) -> TypingEvent:
        fact = AgentTyping.read(event)
        return cls(
            event_id=strawberry.ID(str(event.sequence)),
            conversation_id=strawberry.ID(str(fact.conversation_id)),
            user_id=strawberry.ID(str(fact.user_id)),
            typing=fact.typing,
            expires_at=fact.expires_at,
        )


@strawberry.type(description="A conversation's unread count changed.")
class UnreadCountEvent:
    event_id: strawberry.ID = strawberry.field(description="The event's id.")
    conversation_id: strawberry.ID = strawberry.field(description="The conversation.")
    unread_count: int = strawberry.field(description="Its unread customer messages now.")

    @classmethod
    def from_event(cls, event: StoredEvent) -> UnreadCountEvent:
        fact = event.fact
        if not isinstance(fact, MessageReceived | ConversationUpdated):
            raise TypeError(f"a {event.type!r} event does not change an unread count")
        return cls(
            event_id=strawberry.ID(str(event.sequence)),
            conversation_id=strawberry.ID(str(fact.conversation_id)),
            unread_count=fact.unread_count,
        )


async def inbox_events(
    info: strawberry.Info[Context, None],
    types: frozenset[str],
    conversation_id: strawberry.ID | None,
    after: strawberry.ID | None,
) -> AsyncGenerator[StoredEvent, None]:
    """The organization's events of these types that the caller may see: supervisors and up
    see every conversation's, agents those of conversations assigned to them or in their queues
    (as the conversation stood when the event happened). A change to the agent's queues applies
    from the next event on."""
    user_id = info.context.actor.require_user()[0]
    actor = info.context.actor
    services = info.context.services
    wanted = parse_uuid(conversation_id) if conversation_id else None
    if conversation_id is not None:
        visible = await services.conversations.conversation(actor, parse_uuid(conversation_id))
        if visible is None:
            raise NotFound("Conversation", conversation_id)
    scope = await services.conversations.scope(actor)
    queues = set(scope.queue_ids) if scope else set()
    followed = (types | {AgentUpdated.type}) if scope is not None else types
    async for event in events_of(info, followed, after):
        fact = event.fact
        if isinstance(fact, AgentUpdated):
            if fact.user_id == user_id:
                queues = set(fact.queue_ids)
            continue
        if wanted is not None and not (
            isinstance(fact, ABOUT_A_CONVERSATION) and fact.conversation_id == wanted
        ):
            continue
        if scope is not None and not (
            isinstance(fact, ROUTED) and (fact.assignee_id == user_id or fact.queue_id in queues)
        ):
            continue
        yield event


@strawberry.type
class ConversationSubscriptions:
    @strawberry.subscription(description="Customer messages as they arrive.")
    async def message_received(
        self,
        info: strawberry.Info[Context, None],
        conversation_id: ConversationArgument = None,
        after: AfterArgument = None,
    ) -> AsyncGenerator[MessageEvent, None]:
        async for event in inbox_events(info, MESSAGE_RECEIVED, conversation_id, after):
            yield info.context.services.event_views.view(MessageEvent, event)

    @strawberry.subscription(
        description="Messages the business sends (agents, flows), as soon as they are queued."
    )
    async def message_sent(
        self,
        info: strawberry.Info[Context, None],
        conversation_id: ConversationArgument = None,
        after: AfterArgument = None,
    ) -> AsyncGenerator[MessageEvent, None]:
        async for event in inbox_events(info, MESSAGE_SENT, conversation_id, after):
            yield info.context.services.event_views.view(MessageEvent, event)

    @strawberry.subscription(
        description="Sent, delivered, read, played and failed, in the order they happened."
    )
    async def message_status_updated(
        self,
        info: strawberry.Info[Context, None],
        conversation_id: ConversationArgument = None,
        after: AfterArgument = None,
    ) -> AsyncGenerator[MessageEvent, None]:
        async for event in inbox_events(info, MESSAGE_STATUS_UPDATED, conversation_id, after):
            yield info.context.services.event_views.view(MessageEvent, event)

    @strawberry.subscription(
        description="Customers editing or deleting messages they sent: read the message again "
        "for its content now (DeletedContent once deleted)."
    )
    async def message_changed(
        self,
        info: strawberry.Info[Context, None],
        conversation_id: ConversationArgument = None,
        after: AfterArgument = None,
    ) -> AsyncGenerator[MessageEvent, None]:
        async for event in inbox_events(info, MESSAGE_CHANGED, conversation_id, after):
            yield info.context.services.event_views.view(MessageEvent, event)

    @strawberry.subscription(
        description="Conversations opened, and changes of status, assignee, labels, unread "
        "count and notes."
    )
    async def conversation_updated(
        self,
        info: strawberry.Info[Context, None],
        conversation_id: ConversationArgument = None,
        after: AfterArgument = None,
    ) -> AsyncGenerator[ConversationEvent, None]:
        async for event in inbox_events(info, CONVERSATION_UPDATED, conversation_id, after):
            yield info.context.services.event_views.view(ConversationEvent, event)

    @strawberry.subscription(
        description="Other agents typing in the caller's conversations. Events replayed with "
        "`after` that have already expired are skipped."
    )
    async def typing(
        self,
        info: strawberry.Info[Context, None],
        conversation_id: ConversationArgument = None,
        after: AfterArgument = None,
    ) -> AsyncGenerator[TypingEvent, None]:
        user_id = str(info.context.actor.user_id)
        async for event in inbox_events(info, TYPING, conversation_id, after):
            typing = info.context.services.event_views.view(TypingEvent, event)
            if str(typing.user_id) == user_id:
                continue
            if typing.expires_at <= info.context.services.clock.now():
                continue
            yield typing

    @strawberry.subscription(
        description="Unread counts of the caller's conversations as customers write and agents "
        "read."
    )
    async def unread_counts_changed(
        self,
        info: strawberry.Info[Context, None],
        conversation_id: ConversationArgument = None,
        after: AfterArgument = None,
    ) -> AsyncGenerator[UnreadCountEvent, None]:
        async for event in inbox_events(info, UNREAD_COUNTS, conversation_id, after):
            fact = event.fact
            if isinstance(fact, ConversationUpdated) and "unreadCount" not in fact.changed:
                continue
            yield info.context.services.event_views.view(UnreadCountEvent, event)
