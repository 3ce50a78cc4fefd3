"""Facts about queue items and agents."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from uuid import UUID

from domain.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class QueueItemChanged(DomainEvent):
    """A conversation entered, moved through or left a queue."""

    type: ClassVar[str] = "queue_item.changed"
    item_id: UUID
    queue_id: UUID
    conversation_id: UUID
    change: str
    """entered, assigned, reassigned, transferred, completed, abandoned, timed_out or
    priority_raised."""
    status: str
    priority: int
    agent_id: UUID | None
    actor_user_id: UUID | None = None
    """Who did it; None for PyTake itself (distribution, timeouts, flows)."""
    history_agent_id: UUID | None = None
    """The agent the change is about: the one assigned, or the one a transfer or a take-back
    took the conversation from."""
    to_queue_id: UUID | None = None
    """For a transfer, the queue the conversation went to."""


@dataclass(frozen=True, kw_only=True)
class QueueItemOverdue(DomainEvent):
    """A customer has waited longer than their queue's target answer time, still unanswered."""

    type: ClassVar[str] = "queue_item.overdue"
    item_id: UUID
    queue_id: UUID
    conversation_id: UUID
    target_seconds: int


@dataclass(frozen=True, kw_only=True)
class QueueStrained(DomainEvent):
    """A customer reached a queue that was full (and went to its overflow queue, or was
    refused) or outside its hours."""

    type: ClassVar[str] = "queue.strained"
    queue_id: UUID
    conversation_id: UUID
    reason: str
    """full or closed."""


@dataclass(frozen=True, kw_only=True)
class AgentStatusChanged(DomainEvent):
    type: ClassVar[str] = "agent.status_changed"
    user_id: UUID
    status: str


@dataclass(frozen=True, kw_only=True)
class AgentUpdated(DomainEvent):
    """An agent's capacity, skills or queues changed: live inboxes re-read what they show."""

    type: ClassVar[str] = "agent.updated"
    user_id: UUID
    queue_ids: tuple[UUID, ...]


@dataclass(frozen=True, kw_only=True)
class QueueChanged(DomainEvent):
    """A queue was created, changed or deleted."""

    type: ClassVar[str] = "queue.changed"
    queue_id: UUID
    change: str
    """created, updated or deleted."""
