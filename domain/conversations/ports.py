"""What conversations need from persistence, and what they let a feature above them do in the
same transaction (`ConversationWork`, which queues provide)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol, TypeVar
from uuid import UUID

from domain.conversations.model import (
    AgentScope,
    Contact,
    Conversation,
    ConversationFilter,
    ConversationSummary,
    Message,
    Note,
    OutboxItem,
    StatsSample,
)
from domain.conversations.signals import SignalRepository
from domain.pagination import Page, PageRequest
from domain.whatsapp.inbound import InboundContact, MessageStatus, StatusUpdate
from domain.whatsapp.ports import WhatsAppUnitOfWork


class ContactRepository(Protocol):
    async def upsert_many(self, contacts: Sequence[InboundContact], now: datetime) -> list[Contact]:
        """The contact with each one's user id or wa_id, created or refreshed with its
        profile; in the order given."""
        ...

    async def get(self, contact_id: UUID) -> Contact | None: ...
    async def get_many(self, contact_ids: list[UUID]) -> dict[UUID, Contact]: ...

    async def change_wa_id(self, contact_id: UUID, wa_id: str, now: datetime) -> bool:
        """The customer changed numbers; False when another contact already has the new one."""
        ...


class ConversationRepository(Protocol):
    async def open_many(
        self, pairs: Sequence[tuple[UUID, UUID]], now: datetime
    ) -> dict[tuple[UUID, UUID], tuple[Conversation, bool]]:
        """The open conversation of each (number, contact); True when it was just opened."""
        ...

    async def get(self, conversation_id: UUID) -> Conversation | None: ...
    async def page(
        self,
        conversation_filter: ConversationFilter,
        size: int,
        request: PageRequest,
        now: datetime,
    ) -> Page[ConversationSummary]:
        """By last activity, newest first; one statement with contact and last message."""
        ...

    async def stats(
        self, visible_to: AgentScope | None, since: datetime, until: datetime | None
    ) -> StatsSample:
        """With no `until`, the period runs to now."""
        ...

    async def save(self, conversation: Conversation) -> None: ...
    async def save_many(self, conversations: list[Conversation]) -> None: ...
    async def get_many(self, conversation_ids: list[UUID]) -> dict[UUID, Conversation]: ...
    async def snoozes_due(self, now: datetime) -> list[Conversation]:
        """PENDING conversations whose snooze has passed, locked for this transaction."""
        ...


class MessageRepository(Protocol):
    async def add_if_new(self, message: Message) -> bool:
        """Store unless a message with this wamid exists; True when stored."""
        ...

    async def add_new(self, messages: Sequence[Message]) -> set[UUID]:
        """Store those whose wamid is not known yet; the ids of those stored."""
        ...

    async def get(self, message_id: UUID) -> Message | None: ...
    async def get_by_wamid(self, wamid: str) -> Message | None: ...
    async def by_wamids(self, wamids: list[str]) -> dict[str, Message]: ...
    async def latest_inbound(self, conversation_id: UUID) -> Message | None: ...
    async def page(self, conversation_id: UUID, size: int, request: PageRequest) -> Page[Message]:
        """A conversation's messages in chronological order, reactions excluded."""
        ...

    async def reactions_to(self, wamids: list[str]) -> list[Message]: ...
    async def ids_by_wamid(self, wamids: list[str]) -> dict[str, UUID]: ...
    async def get_many(self, message_ids: list[UUID]) -> dict[UUID, Message]: ...
    async def by_client_message_id(self, client_message_id: str) -> Message | None: ...
    async def revise(
        self,
        message_id: UUID,
        message_type: str,
        content: dict[str, Any],
        score_again_at: datetime | None,
    ) -> None:
        """The customer edited or deleted it: its type and content as they are now, scored
        again from `score_again_at` if given. A deleted message keeps nothing read in it."""
        ...

    async def set_wamids(self, wamids: dict[UUID, str]) -> None: ...
    async def lock_wamids(self, wamids: list[str]) -> None:
        """Serialize, until commit, with other transactions that settle these wamids' statuses:
        a status and the wamid it refers to can arrive at the same moment."""
        ...

    async def set_status(
        self, message_id: UUID, status: MessageStatus, error: dict[str, Any] | None
    ) -> None: ...
    async def set_statuses(
        self, statuses: Mapping[UUID, tuple[MessageStatus, dict[str, Any] | None]]
    ) -> None: ...


class StatusLog(Protocol):
    async def record_many(
        self, updates: list[StatusUpdate], received_at: datetime
    ) -> set[tuple[str, str]]:
        """Keep each status even for an unknown wamid, in one statement; the (wamid, status)
        pairs that were not seen before."""
        ...

    async def for_wamid(self, wamid: str) -> list[StatusUpdate]: ...
    async def for_wamids(self, wamids: list[str]) -> dict[str, list[StatusUpdate]]: ...


class Outbox(Protocol):
    async def add(self, item: OutboxItem) -> None: ...
    async def mark_sent(self, sent: list[tuple[int, str | None]], at: datetime) -> None:
        """Rows Meta accepted, with the wamid each got (None for read receipts)."""
        ...

    async def retry_at(
        self,
        send_id: int,
        not_before: datetime | None,
        code: int | None,
        error: str,
        *,
        refund_attempt: bool,
    ) -> None:
        """Back to the queue; with no time, as soon as the number can send again."""
        ...

    async def fail(self, send_id: int, code: int | None, error: str) -> None: ...


class NoteRepository(Protocol):
    async def add(self, note: Note) -> None: ...
    async def for_conversation(self, conversation_id: UUID) -> list[Note]: ...


class QueueMembership(Protocol):
    """Which queues a user answers: an agent sees the conversations of those queues."""

    async def queue_ids_of(self, user_id: UUID) -> frozenset[UUID]:
        """The queues the user is a member of."""
        ...


class ConversationsUnitOfWork(WhatsAppUnitOfWork, Protocol):
    @property
    def contacts(self) -> ContactRepository: ...
    @property
    def conversations(self) -> ConversationRepository: ...
    @property
    def messages(self) -> MessageRepository: ...
    @property
    def statuses(self) -> StatusLog: ...
    @property
    def outbox(self) -> Outbox: ...
    @property
    def notes(self) -> NoteRepository: ...
    @property
    def signals(self) -> SignalRepository: ...
    @property
    def agents(self) -> QueueMembership: ...


Work = TypeVar("Work", bound=ConversationsUnitOfWork)
"""The unit of work a conversation service runs in: at least conversations' own repositories,
and whatever the features it tells about its changes (`ConversationWork`) need."""
Work_contra = TypeVar("Work_contra", bound=ConversationsUnitOfWork, contravariant=True)


class ConversationWork(Protocol[Work_contra]):
    """The work a conversation stands for outside it (a queue item), kept in step in the same
    transaction. Queues implement it; conversations know only this."""

    async def agent_replied(
        self, uow: Work_contra, conversation: Conversation, agent_id: UUID, at: datetime
    ) -> None:
        """An agent answered the customer: the first reply ends the wait for a person."""
        ...

    async def closed(
        self, uow: Work_contra, conversation: Conversation, actor_id: UUID | None
    ) -> None:
        """The conversation was resolved or closed: its work is complete."""
        ...
