"""Facts about conversations and their messages; each carries the conversation's assignee and
queue at the time, so live inboxes filter without a query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar
from uuid import UUID

from domain.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class ConversationOpened(DomainEvent):
    type: ClassVar[str] = "conversation.opened"
    conversation_id: UUID
    number_id: UUID
    contact_id: UUID


@dataclass(frozen=True, kw_only=True)
class MessageReceived(DomainEvent):
    type: ClassVar[str] = "message.received"
    conversation_id: UUID
    message_id: UUID
    wamid: str
    message_type: str
    assignee_id: UUID | None = None
    """Who held the conversation then: lets inbox subscriptions filter without a query."""
    queue_id: UUID | None = None
    """The conversation's queue then, for the same reason."""
    unread_count: int = 0


@dataclass(frozen=True, kw_only=True)
class MessageChanged(DomainEvent):
    """The customer edited or deleted a message PyTake had stored."""

    type: ClassVar[str] = "message.changed"
    conversation_id: UUID
    message_id: UUID
    change: str
    """`edited` or `deleted`."""
    assignee_id: UUID | None = None
    queue_id: UUID | None = None


@dataclass(frozen=True, kw_only=True)
class MessageStatusUpdated(DomainEvent):
    type: ClassVar[str] = "message.status_updated"
    conversation_id: UUID
    message_id: UUID
    status: str
    assignee_id: UUID | None = None
    """Who held the conversation then: lets inbox subscriptions filter without a query."""
    queue_id: UUID | None = None
    """The conversation's queue then, for the same reason."""


@dataclass(frozen=True, kw_only=True)
class MessageQueued(DomainEvent):
    """An outbound message written to the outbox: agents see it at once, before Meta does."""

    type: ClassVar[str] = "message.queued"
    conversation_id: UUID
    message_id: UUID
    message_type: str
    assignee_id: UUID | None = None
    """Who held the conversation then: lets inbox subscriptions filter without a query."""
    queue_id: UUID | None = None
    """The conversation's queue then, for the same reason."""


@dataclass(frozen=True, kw_only=True)
class MessageAccepted(DomainEvent):
    """Meta accepted an outbound message and gave it its wamid; delivery statuses follow."""

    type: ClassVar[str] = "message.accepted"
    conversation_id: UUID
    message_id: UUID
    wamid: str


@dataclass(frozen=True, kw_only=True)
class ConversationUpdated(DomainEvent):
    """Status, assignee, labels, unread count or notes of a conversation changed."""

    type: ClassVar[str] = "conversation.updated"
    conversation_id: UUID
    changed: tuple[str, ...]
    assignee_id: UUID | None
    status: str
    queue_id: UUID | None = None
    unread_count: int = 0
    changed_by: UUID | None = None
    """The person who changed it; None when PyTake did (a customer's message, distribution,
    the sender)."""


@dataclass(frozen=True, kw_only=True)
class AgentTyping(DomainEvent):
    """An agent started or stopped typing in a conversation; a start expires on its own."""

    type: ClassVar[str] = "conversation.typing"
    conversation_id: UUID
    user_id: UUID
    typing: bool
    expires_at: datetime
    assignee_id: UUID | None = None
    queue_id: UUID | None = None
