"""The inbox's live events: typed views of the organization's event log, filtered by
conversation or by what the caller may see, and resumable with `after`."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry

from domain.errors import NotFound
from domain.events import StoredEvent
from graphql_api.context import Context
from graphql_api.conversations.types import ConversationStatus, MessageStatus
from graphql_api.events.stream import events_of
from graphql_api.ids import parse_uuid

MESSAGE_RECEIVED = frozenset({"message.received"})
MESSAGE_SENT = frozenset({"message.queued"})
MESSAGE_STATUS_UPDATED = frozenset({"message.status_updated"})
MESSAGE_CHANGED = frozenset({"message.changed"})
CONVERSATION_UPDATED = frozenset({"conversation.opened", "conversation.updated"})
TYPING = frozenset({"conversation.typing"})
UNREAD_COUNTS = frozenset({"message.received", "conversation.updated"})
AGENT_UPDATED = "agent.updated"

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
        payload = event.payload
        status = payload.get("status")
        change = payload.get("change")
        return cls(
            change=MessageChange(change) if change else None,
            event_id=strawberry.ID(str(event.sequence)),
            conversation_id=strawberry.ID(str(payload["conversationId"])),
            message_id=strawberry.ID(str(payload["messageId"])),
            message_type=payload.get("messageType"),
            status=MessageStatus(status) if status else None,
            occurred_at=event.occurred_at,
        )


@strawberry.type(description="A conversation opened or changed.")
class ConversationEvent:
    event_id: strawberry.ID = strawberry.field(
        description="The event's id; pass the last one as `after` when resubscribing."
    )
    conversation_id: strawberry.ID = strawberry.field(description="The conversation.")
    changed: list[str] = strawberry.field(
        description="What changed: status, assignee, queue, labels, unreadCount, notes; "
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
        payload = event.payload
        opened = event.type == "conversation.opened"
        assignee = payload.get("assigneeId")
        queue = payload.get("queueId")
        return cls(
            event_id=strawberry.ID(str(event.sequence)),
            conversation_id=strawberry.ID(str(payload["conversationId"])),
            changed=["opened"] if opened else list(payload.get("changed", [])),
            status=ConversationStatus.OPEN if opened else ConversationStatus(payload["status"]),
            assignee_id=strawberry.ID(str(assignee)) if assignee else None,
            queue_id=strawberry.ID(str(queue)) if queue else None,
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
        payload = event.payload
        return cls(
            event_id=strawberry.ID(str(event.sequence)),
            conversation_id=strawberry.ID(str(payload["conversationId"])),
            user_id=strawberry.ID(str(payload["userId"])),
            typing=bool(payload["typing"]),
            expires_at=datetime.fromisoformat(str(payload["expiresAt"])),
        )


@strawberry.type(description="A conversation's unread count changed.")
class UnreadCountEvent:
    event_id: strawberry.ID = strawberry.field(description="The event's id.")
    conversation_id: strawberry.ID = strawberry.field(description="The conversation.")
    unread_count: int = strawberry.field(description="Its unread customer messages now.")

    @classmethod
    def from_event(cls, event: StoredEvent) -> UnreadCountEvent:
        return cls(
            event_id=strawberry.ID(str(event.sequence)),
            conversation_id=strawberry.ID(str(event.payload["conversationId"])),
            unread_count=int(event.payload.get("unreadCount", 0)),
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
    user_id = str(info.context.actor.require_user()[0])
    actor = info.context.actor
    services = info.context.services
    wanted = str(parse_uuid(conversation_id)) if conversation_id else None
    if conversation_id is not None:
        visible = await services.conversations.conversation(actor, parse_uuid(conversation_id))
        if visible is None:
            raise NotFound("Conversation", conversation_id)
    scope = await services.conversations.scope(actor)
    queues = {str(queue_id) for queue_id in scope.queue_ids} if scope else set()
    followed = (types | {AGENT_UPDATED}) if scope is not None else types
    async for event in events_of(info, followed, after):
        payload = event.payload
        if event.type == AGENT_UPDATED:
            if payload.get("userId") == user_id:
                queues = set(payload.get("queueIds", ()))
            continue
        if wanted is not None and payload.get("conversationId") != wanted:
            continue
        if (
            scope is not None
            and payload.get("assigneeId") != user_id
            and payload.get("queueId") not in queues
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
            if event.type == "conversation.updated" and "unreadCount" not in event.payload.get(
                "changed", []
            ):
                continue
            yield info.context.services.event_views.view(UnreadCountEvent, event)
