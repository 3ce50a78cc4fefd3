"""Service queues, the agents who serve them, and the conversations waiting in them.

The model follows Twilio TaskRouter where it fits a chat inbox: an item's place is its priority,
then its age; an agent takes items up to a capacity; an item that waits too long, or whose
agent does not answer, moves on by its queue's rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.schedules import FallbackAction, OpeningHours


class AgentStatus(StrEnum):
    ONLINE = "online"
    BUSY = "busy"
    AWAY = "away"
    BREAK = "break"
    OFFLINE = "offline"


class Strategy(StrEnum):
    LEAST_BUSY = "least_busy"
    ROUND_ROBIN = "round_robin"
    LONGEST_IDLE = "longest_idle"


class OutsideHours(StrEnum):
    """What a queue does with a conversation that arrives while it is closed."""

    WAIT = "wait"
    REFUSE = "refuse"


class ItemStatus(StrEnum):
    WAITING = "waiting"
    ASSIGNED = "assigned"
    COMPLETED = "completed"
    ABANDONED = "abandoned"
    TIMED_OUT = "timed_out"
    TRANSFERRED = "transferred"


OPEN_ITEM_STATUSES = (ItemStatus.WAITING, ItemStatus.ASSIGNED)


PRIORITIES = (0, 1, 2)
SENTIMENT_ESCALATION = "sentimentEscalation"
"""Where an item's metadata records the priority its customer's negative sentiment raised it
to; copied into the routing decision when the item is assigned."""
"""0 normal, 1 high, 2 urgent."""


class HistoryKind(StrEnum):
    ENTERED = "entered"
    ASSIGNED = "assigned"
    REASSIGNED = "reassigned"
    TRANSFERRED = "transferred"
    COMPLETED = "completed"
    ABANDONED = "abandoned"
    TIMED_OUT = "timed_out"


class Exclusion(StrEnum):
    """Why an agent could not take an item."""

    NOT_ONLINE = "not_online"
    NOT_A_MEMBER = "not_a_member"
    MISSING_SKILL = "missing_skill"
    FULL = "full"
    OUTSIDE_WORKING_HOURS = "outside_working_hours"
    ALREADY_HAD_IT = "already_had_it"
    """The agent it is being taken from for not answering."""


@dataclass(frozen=True)
class QueueMessages:
    """What the customer is told; each is optional."""

    welcome: str | None = None
    position_update: str | None = None
    """With `{{position}}`: sent when the customer's place changes."""
    outside_hours: str | None = None
    queue_full: str | None = None
    wait_timeout: str | None = None


@dataclass(frozen=True)
class QueueSettings:
    """Everything a supervisor sets on a queue."""

    name: str
    strategy: Strategy = Strategy.LEAST_BUSY
    description: str | None = None
    department: str | None = None
    hours: OpeningHours | None = None
    """None: always open."""
    outside_hours: OutsideHours = OutsideHours.WAIT
    max_wait_minutes: int | None = None
    max_size: int | None = None
    required_skills: tuple[str, ...] = ()
    messages: QueueMessages = field(default_factory=QueueMessages)
    agent_reply_timeout_minutes: int | None = None
    overflow_queue_id: UUID | None = None
    target_answer_seconds: int = 120
    """Service level: an item answered within this long counts as answered in target."""
    raise_priority_when_negative: bool = False
    """A waiting customer whose sentiment turns negative goes up one priority (decision 0028)."""

    def is_open(self, now: datetime) -> bool:
        return self.hours is None or self.hours.is_open(now)


@dataclass(frozen=True, kw_only=True)
class Queue(QueueSettings):
    id: UUID
    organization_id: UUID
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Agent:
    """A user's working profile: presence, capacity, skills and queues."""

    user_id: UUID
    organization_id: UUID
    status: AgentStatus
    status_since: datetime
    capacity: int
    skills: frozenset[str] = frozenset()
    departments: tuple[str, ...] = ()
    queue_ids: frozenset[UUID] = frozenset()
    hours: OpeningHours | None = None
    """Working hours in the agent's own time zone; None: whenever online."""
    last_assigned_at: datetime | None = None
    free_since: datetime | None = None
    """When the agent last had nothing to do (went online, or finished their last item)."""


@dataclass(frozen=True)
class QueueItem:
    id: UUID
    organization_id: UUID
    queue_id: UUID
    conversation_id: UUID
    priority: int
    status: ItemStatus
    entered_at: datetime
    """When it entered this queue (a transfer enters anew)."""
    agent_id: UUID | None = None
    assigned_at: datetime | None = None
    first_agent_reply_at: datetime | None = None
    completed_at: datetime | None = None
    wait_deadline: datetime | None = None
    """When waiting ends by the fallback: the flow's wait timeout or the queue's maximum."""
    target_deadline: datetime | None = None
    """When a customer still waiting has waited longer than the queue's target answer time;
    cleared once supervisors were told."""
    reply_deadline: datetime | None = None
    """When an assigned agent who has not replied loses the item to another."""
    fallback_action: FallbackAction = FallbackAction.ABANDON
    metadata: Mapping[str, Any] = field(default_factory=dict)
    routing_decision: Mapping[str, Any] | None = None
    rating: int | None = None
    feedback: str | None = None
    previous_agent_ids: tuple[UUID, ...] = ()
    """Agents it was taken from for not answering: not offered to them again."""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ITEM_STATUSES

    def was_taken_from(self, agent_id: UUID) -> bool:
        return agent_id in self.previous_agent_ids


@dataclass(frozen=True)
class HistoryEntry:
    item_id: UUID
    queue_id: UUID
    kind: HistoryKind
    at: datetime
    actor_user_id: UUID | None = None
    agent_id: UUID | None = None
    details: Mapping[str, Any] = field(default_factory=dict)
