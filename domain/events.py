"""Typed facts that services emit; the unit of work stores and publishes them after commit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID


@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    type: ClassVar[str]
    organization_id: UUID

    def payload(self) -> dict[str, Any]:
        raise NotImplementedError


@dataclass(frozen=True, kw_only=True)
class UserCreated(DomainEvent):
    type: ClassVar[str] = "user.created"
    user_id: UUID
    email: str
    role: str

    def payload(self) -> dict[str, Any]:
        return {"userId": str(self.user_id), "email": self.email, "role": self.role}


@dataclass(frozen=True, kw_only=True)
class UserUpdated(DomainEvent):
    type: ClassVar[str] = "user.updated"
    user_id: UUID
    changed_fields: tuple[str, ...]

    def payload(self) -> dict[str, Any]:
        return {"userId": str(self.user_id), "changedFields": list(self.changed_fields)}


@dataclass(frozen=True, kw_only=True)
class UserDeactivated(DomainEvent):
    type: ClassVar[str] = "user.deactivated"
    user_id: UUID

    def payload(self) -> dict[str, Any]:
        return {"userId": str(self.user_id)}


@dataclass(frozen=True, kw_only=True)
class OrganizationCreated(DomainEvent):
    type: ClassVar[str] = "organization.created"
    name: str

    def payload(self) -> dict[str, Any]:
        return {"organizationId": str(self.organization_id), "name": self.name}


@dataclass(frozen=True)
class StoredEvent:
    """An event as committed: `sequence` increases by one per organization, in commit order."""

    organization_id: UUID
    sequence: int
    type: str
    occurred_at: datetime
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class WhatsAppNumberChanged(DomainEvent):
    type: ClassVar[str] = "whatsapp_number.changed"
    number_id: UUID
    change: str
    """created, updated or deleted."""

    def payload(self) -> dict[str, Any]:
        return {"numberId": str(self.number_id), "change": self.change}


@dataclass(frozen=True, kw_only=True)
class ConversationOpened(DomainEvent):
    type: ClassVar[str] = "conversation.opened"
    conversation_id: UUID
    number_id: UUID
    contact_id: UUID

    def payload(self) -> dict[str, Any]:
        return {
            "conversationId": str(self.conversation_id),
            "numberId": str(self.number_id),
            "contactId": str(self.contact_id),
        }


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

    def payload(self) -> dict[str, Any]:
        return {
            "conversationId": str(self.conversation_id),
            "messageId": str(self.message_id),
            "wamid": self.wamid,
            "messageType": self.message_type,
            "assigneeId": str(self.assignee_id) if self.assignee_id else None,
            "queueId": str(self.queue_id) if self.queue_id else None,
            "unreadCount": self.unread_count,
        }


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

    def payload(self) -> dict[str, Any]:
        return {
            "conversationId": str(self.conversation_id),
            "messageId": str(self.message_id),
            "change": self.change,
            "assigneeId": str(self.assignee_id) if self.assignee_id else None,
            "queueId": str(self.queue_id) if self.queue_id else None,
        }


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

    def payload(self) -> dict[str, Any]:
        return {
            "conversationId": str(self.conversation_id),
            "messageId": str(self.message_id),
            "status": self.status,
            "assigneeId": str(self.assignee_id) if self.assignee_id else None,
            "queueId": str(self.queue_id) if self.queue_id else None,
        }


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

    def payload(self) -> dict[str, Any]:
        return {
            "conversationId": str(self.conversation_id),
            "messageId": str(self.message_id),
            "messageType": self.message_type,
            "assigneeId": str(self.assignee_id) if self.assignee_id else None,
            "queueId": str(self.queue_id) if self.queue_id else None,
        }


@dataclass(frozen=True, kw_only=True)
class MessageAccepted(DomainEvent):
    """Meta accepted an outbound message and gave it its wamid; delivery statuses follow."""

    type: ClassVar[str] = "message.accepted"
    conversation_id: UUID
    message_id: UUID
    wamid: str

    def payload(self) -> dict[str, Any]:
        return {
            "conversationId": str(self.conversation_id),
            "messageId": str(self.message_id),
            "wamid": self.wamid,
        }


@dataclass(frozen=True, kw_only=True)
class WhatsAppNumberUnhealthy(DomainEvent):
    """Meta refused the number's access token: sends wait until an administrator replaces it."""

    type: ClassVar[str] = "whatsapp_number.unhealthy"
    number_id: UUID
    reason: str

    def payload(self) -> dict[str, Any]:
        return {"numberId": str(self.number_id), "reason": self.reason}


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

    def payload(self) -> dict[str, Any]:
        return {
            "conversationId": str(self.conversation_id),
            "changed": list(self.changed),
            "assigneeId": str(self.assignee_id) if self.assignee_id else None,
            "queueId": str(self.queue_id) if self.queue_id else None,
            "status": self.status,
            "unreadCount": self.unread_count,
        }


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

    def payload(self) -> dict[str, Any]:
        return {
            "conversationId": str(self.conversation_id),
            "userId": str(self.user_id),
            "typing": self.typing,
            "expiresAt": self.expires_at.isoformat(),
            "assigneeId": str(self.assignee_id) if self.assignee_id else None,
            "queueId": str(self.queue_id) if self.queue_id else None,
        }


@dataclass(frozen=True, kw_only=True)
class FlowSessionUpdated(DomainEvent):
    """A flow session started, went through nodes, or ended."""

    type: ClassVar[str] = "flow_session.updated"
    session_id: UUID
    flow_id: UUID
    conversation_id: UUID
    status: str
    step_count: int

    def payload(self) -> dict[str, Any]:
        return {
            "sessionId": str(self.session_id),
            "flowId": str(self.flow_id),
            "conversationId": str(self.conversation_id),
            "status": self.status,
            "stepCount": self.step_count,
        }


@dataclass(frozen=True, kw_only=True)
class QueueItemChanged(DomainEvent):
    """A conversation entered, moved through or left a queue."""

    type: ClassVar[str] = "queue_item.changed"
    item_id: UUID
    queue_id: UUID
    conversation_id: UUID
    change: str
    """entered, assigned, reassigned, transferred, completed, abandoned or timed_out."""
    status: str
    priority: int
    agent_id: UUID | None

    def payload(self) -> dict[str, Any]:
        return {
            "itemId": str(self.item_id),
            "queueId": str(self.queue_id),
            "conversationId": str(self.conversation_id),
            "change": self.change,
            "status": self.status,
            "priority": self.priority,
            "agentId": str(self.agent_id) if self.agent_id else None,
        }


@dataclass(frozen=True, kw_only=True)
class AgentStatusChanged(DomainEvent):
    type: ClassVar[str] = "agent.status_changed"
    user_id: UUID
    status: str

    def payload(self) -> dict[str, Any]:
        return {"userId": str(self.user_id), "status": self.status}


@dataclass(frozen=True, kw_only=True)
class AgentUpdated(DomainEvent):
    """An agent's capacity, skills or queues changed: live inboxes re-read what they show."""

    type: ClassVar[str] = "agent.updated"
    user_id: UUID
    queue_ids: tuple[UUID, ...]

    def payload(self) -> dict[str, Any]:
        return {"userId": str(self.user_id), "queueIds": [str(q) for q in self.queue_ids]}
