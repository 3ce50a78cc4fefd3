"""Contacts, conversations and messages, as the WhatsApp channel records them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.conversations.events import ConversationUpdated
from domain.whatsapp.inbound import InboundContact, MessageStatus

CUSTOMER_SERVICE_WINDOW = timedelta(hours=24)
"""Free-form replies are allowed for 24 hours after the customer's last message (reference §8)."""


class ConversationStatus(StrEnum):
    OPEN = "open"
    PENDING = "pending"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


@dataclass(frozen=True)
class Contact:
    id: UUID
    organization_id: UUID
    wa_id: str | None
    user_id: str | None
    profile_name: str | None
    username: str | None
    created_at: datetime
    updated_at: datetime

    def with_details(self, inbound: InboundContact, now: datetime) -> Contact:
        """The contact as a customer's message describes it: what Meta sent replaces what was
        known, and what it left out stays."""
        changes = {
            name: value
            for name in ("wa_id", "user_id", "profile_name", "username")
            if (value := getattr(inbound, name)) is not None and value != getattr(self, name)
        }
        return replace(self, updated_at=now, **changes) if changes else self


@dataclass(frozen=True)
class AgentScope:
    """The conversations an agent (not a supervisor) may see: those assigned to them and those
    of the queues they belong to."""

    user_id: UUID
    queue_ids: frozenset[UUID]

    def sees(self, conversation: Conversation) -> bool:
        return conversation.assignee_id == self.user_id or conversation.queue_id in self.queue_ids

    def replies_in(self, conversation: Conversation) -> bool:
        """An agent sees the conversations of their queues, as a team inbox, but answers the
        customer only in those assigned to them: two agents never answer one customer."""
        return conversation.assignee_id == self.user_id


@dataclass(frozen=True)
class Conversation:
    id: UUID
    organization_id: UUID
    number_id: UUID
    contact_id: UUID
    status: ConversationStatus
    unread_count: int
    last_message_at: datetime | None
    last_inbound_at: datetime | None
    created_at: datetime
    updated_at: datetime
    last_message_id: UUID | None = None
    assignee_id: UUID | None = None
    queue_id: UUID | None = None
    """The queue it was last routed to, kept after it is served: the queue's agents keep
    seeing the conversation, as a team inbox does."""
    labels: tuple[str, ...] = ()
    snoozed_until: datetime | None = None
    handed_off_at: datetime | None = None
    """When a human last took the conversation over (assignment, or a queue later): first
    response time counts from here, not from the bot's start."""
    first_human_reply_at: datetime | None = None
    resolved_at: datetime | None = None

    @property
    def window_expires_at(self) -> datetime | None:
        if self.last_inbound_at is None:
            return None
        return self.last_inbound_at + CUSTOMER_SERVICE_WINDOW

    @property
    def owned_by_people(self) -> bool:
        """An agent holds it, or it was handed to people: no bot answers it until resolved."""
        return self.assignee_id is not None or self.handed_off_at is not None

    def window_open(self, now: datetime) -> bool:
        expires = self.window_expires_at
        return expires is not None and now < expires

    def received(self, message_id: UUID, sent_at: datetime, now: datetime) -> Conversation:
        """A customer message: opens or refreshes the window from the customer's own time, and
        ends a snooze (the customer wants attention now)."""
        last_inbound = max(filter(None, (self.last_inbound_at, sent_at)))
        newest = (
            self.last_message_id is None
            or self.last_message_at is None
            or sent_at >= self.last_message_at
        )
        return replace(
            self,
            status=ConversationStatus.OPEN if self.snoozed_until else self.status,
            snoozed_until=None,
            unread_count=self.unread_count + 1,
            last_inbound_at=last_inbound,
            last_message_at=sent_at if newest else self.last_message_at,
            last_message_id=message_id if newest else self.last_message_id,
            updated_at=now,
        )

    def woken(self, now: datetime) -> Conversation:
        """Its snooze has passed: it wants attention again."""
        return replace(self, status=ConversationStatus.OPEN, snoozed_until=None, updated_at=now)

    def sent(self, message_id: UUID, now: datetime, by_human: bool) -> Conversation:
        """A business message; an agent's first reply after a handoff is the one that counts
        for first response time (bot replies never do)."""
        first_reply = self.first_human_reply_at
        if by_human and first_reply is None:
            first_reply = now
        return replace(
            self,
            last_message_at=now,
            last_message_id=message_id,
            first_human_reply_at=first_reply,
            updated_at=now,
        )


@dataclass(frozen=True)
class Message:
    id: UUID
    organization_id: UUID
    conversation_id: UUID
    direction: Direction
    wamid: str | None
    type: str
    content: dict[str, Any]
    status: MessageStatus
    sent_at: datetime
    created_at: datetime
    context_wamid: str | None = None
    forwarded: bool = False
    referral: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    sender_user_id: UUID | None = None
    client_message_id: str | None = None

    @property
    def scored(self) -> bool:
        """A customer's text: what the signals worker reads sentiment in."""
        return self.direction is Direction.INBOUND and self.type == "text"


def conversation_updated(
    conversation: Conversation, changed: tuple[str, ...], changed_by: UUID | None = None
) -> ConversationUpdated:
    """The event announcing a change to a conversation, carrying what inboxes route on."""
    return ConversationUpdated(
        organization_id=conversation.organization_id,
        conversation_id=conversation.id,
        changed=changed,
        changed_by=changed_by,
        assignee_id=conversation.assignee_id,
        queue_id=conversation.queue_id,
        status=conversation.status.value,
        unread_count=conversation.unread_count,
    )


@dataclass(frozen=True)
class Note:
    id: UUID
    organization_id: UUID
    conversation_id: UUID
    author_id: UUID
    body: str
    created_at: datetime


@dataclass(frozen=True)
class ConversationFilter:
    status: ConversationStatus | None = None
    assignee_id: UUID | None = None
    queue_id: UUID | None = None
    unassigned: bool = False
    number_id: UUID | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    unread_only: bool = False
    window_open: bool | None = None
    search: str | None = None
    visible_to: AgentScope | None = None
    """Set by the reader for agents: only the conversations assigned to them or in their
    queues."""


@dataclass(frozen=True)
class ConversationSummary:
    conversation: Conversation
    contact: Contact
    last_message: Message | None


@dataclass(frozen=True)
class StatsSample:
    """What the statistics are computed from, as persistence reads it."""

    by_status: dict[ConversationStatus, int]
    unread_total: int
    waiting_for_first_human_reply: int
    first_responses: list[timedelta]
    resolutions: list[timedelta]


class SendKind(StrEnum):
    MESSAGE = "message"
    READ_RECEIPT = "read_receipt"


class SendStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True)
class OutboxItem:
    """A send to write to the outbox."""

    organization_id: UUID
    number_id: UUID
    message_id: UUID | None
    recipient: str
    kind: SendKind
    payload: dict[str, Any]
    deadline: datetime
    created_at: datetime


@dataclass(frozen=True)
class ClaimedSend:
    """A row the sender holds, with what it needs to call Meta."""

    id: int
    organization_id: UUID
    number_id: UUID
    message_id: UUID | None
    kind: SendKind
    payload: dict[str, Any]
    attempts: int
    deadline: datetime
    phone_number_id: str
    access_token_sealed: str
    number_live: bool
    abandoned: bool
    """Its previous claim's lease ran out while Meta may have been handling it."""
    slot: float = 0.0
    """When it may be sent, in seconds since the epoch: the number's pacing."""
    interval: float = 0.0
    """Seconds between two of the number's sends."""
