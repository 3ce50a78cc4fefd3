"""What the domain needs from the outside world, as Protocols the outer layers implement."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, Self
from uuid import UUID

from domain.accounts.model import Organization, User
from domain.audit import AuditEntry
from domain.conversations.model import Contact, Conversation, Message
from domain.events import DomainEvent, StoredEvent
from domain.flows.model import Flow, FlowFilter, FlowKind, FlowVersion
from domain.pagination import Page, PageRequest
from domain.whatsapp.inbound import InboundContact, MessageStatus, StatusUpdate
from domain.whatsapp.model import WhatsAppNumber
from domain.whatsapp.templates import Template

if TYPE_CHECKING:
    from domain.conversations.reading import (
        ConversationFilter,
        ConversationSummary,
        StatsSample,
    )
    from domain.conversations.services import Note
    from domain.whatsapp.outbox import OutboxItem


class Clock(Protocol):
    def now(self) -> datetime: ...


@dataclass(frozen=True)
class RefreshTokenRecord:
    id: UUID
    organization_id: UUID
    user_id: UUID
    family_id: UUID
    token_hash: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None
    replaced_by_id: UUID | None = None


class UserRepository(Protocol):
    """Users of the unit of work's organization only."""

    async def get(self, user_id: UUID) -> User | None: ...
    async def get_many(self, user_ids: list[UUID]) -> dict[UUID, User]: ...
    async def add(self, user: User) -> None: ...
    async def save(self, user: User) -> None: ...
    async def page(self, first: int, after: str | None, include_inactive: bool) -> Page[User]: ...


class OrganizationRepository(Protocol):
    """The unit of work's own organization."""

    async def get(self) -> Organization: ...


class OrganizationDirectory(Protocol):
    """Platform-level: creating organizations, which belong to no tenant yet."""

    async def add(self, organization: Organization) -> None: ...
    async def all(self) -> list[Organization]: ...


class CredentialStore(Protocol):
    """Platform-level lookups keyed by what a caller proves: an email, a token's subject."""

    async def find_by_email(self, email: str) -> User | None: ...
    async def email_taken(self, email: str) -> bool: ...
    async def any_user_exists(self) -> bool: ...


class RefreshTokenStore(Protocol):
    async def add(self, record: RefreshTokenRecord) -> None: ...
    async def find_by_hash(self, token_hash: str) -> RefreshTokenRecord | None: ...
    async def mark_replaced(self, token_id: UUID, replaced_by: UUID, at: datetime) -> bool:
        """Revoke a live token in favour of its successor; False when it was no longer live."""
        ...

    async def revoke_family(self, family_id: UUID, at: datetime) -> None: ...
    async def revoke_user(self, user_id: UUID, at: datetime) -> None: ...


@dataclass(frozen=True)
class FailureCounts:
    by_email: int
    by_client: int
    oldest: datetime | None


class LoginAttemptStore(Protocol):
    async def record_failure(self, email: str, client_ip: str | None, at: datetime) -> None: ...
    async def failures_since(
        self, email: str, client_ip: str | None, since: datetime
    ) -> FailureCounts: ...
    async def clear(self, email: str) -> None: ...


class WhatsAppNumberRepository(Protocol):
    """Live (not deleted) numbers of the unit of work's organization."""

    async def list(self) -> list[WhatsAppNumber]: ...
    async def get(self, number_id: UUID) -> WhatsAppNumber | None: ...
    async def add(self, number: WhatsAppNumber) -> None: ...
    async def save(self, number: WhatsAppNumber) -> None: ...
    async def delete(self, number_id: UUID, at: datetime) -> None: ...


class NumberDirectory(Protocol):
    """Platform-level: the webhook routes on Meta's phone number id before any tenant is known."""

    async def find_by_phone_number_id(self, phone_number_id: str) -> WhatsAppNumber | None: ...
    async def organizations_with_waba(self, waba_id: str) -> list[UUID]:
        """Organizations with a live number on this WhatsApp Business account."""
        ...

    async def verify_tokens(self) -> list[str]:
        """The sealed per-number verify tokens of every live number."""
        ...


class ContactRepository(Protocol):
    async def upsert(self, contact: InboundContact, now: datetime) -> Contact:
        """The contact with this wa_id or user id, created or refreshed with its profile."""
        ...

    async def get(self, contact_id: UUID) -> Contact | None: ...


class ConversationRepository(Protocol):
    async def open_for(
        self, number_id: UUID, contact_id: UUID, now: datetime
    ) -> tuple[Conversation, bool]:
        """The open conversation of this number and contact; True when it was just opened."""
        ...

    async def get(self, conversation_id: UUID) -> Conversation | None: ...
    async def page(
        self, conversation_filter: ConversationFilter, size: int, after: str | None, now: datetime
    ) -> Page[ConversationSummary]:
        """By last activity, newest first; one statement with contact and last message."""
        ...

    async def stats(
        self, visible_to: UUID | None, since: datetime, until: datetime | None
    ) -> StatsSample:
        """With no `until`, the period runs to now."""
        ...

    async def save(self, conversation: Conversation) -> None: ...


class MessageRepository(Protocol):
    async def add_if_new(self, message: Message) -> bool:
        """Store unless a message with this wamid exists; True when stored."""
        ...

    async def get(self, message_id: UUID) -> Message | None: ...
    async def get_by_wamid(self, wamid: str) -> Message | None: ...
    async def latest_inbound(self, conversation_id: UUID) -> Message | None: ...
    async def page(self, conversation_id: UUID, size: int, request: PageRequest) -> Page[Message]:
        """A conversation's messages in chronological order, reactions excluded."""
        ...

    async def reactions_to(self, wamids: list[str]) -> list[Message]: ...
    async def ids_by_wamid(self, wamids: list[str]) -> dict[str, UUID]: ...
    async def get_many(self, message_ids: list[UUID]) -> dict[UUID, Message]: ...
    async def by_client_message_id(self, client_message_id: str) -> Message | None: ...
    async def set_wamids(self, wamids: dict[UUID, str]) -> None: ...
    async def lock_wamids(self, wamids: list[str]) -> None:
        """Serialize, until commit, with other transactions that settle these wamids' statuses:
        a status and the wamid it refers to can arrive at the same moment."""
        ...

    async def set_status(
        self, message_id: UUID, status: MessageStatus, error: dict[str, Any] | None
    ) -> None: ...


class StatusLog(Protocol):
    async def record(self, update: StatusUpdate, received_at: datetime) -> bool:
        """Keep a status even for an unknown wamid; False when (wamid, status) was seen."""
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


class TemplateRepository(Protocol):
    async def list_for(self, waba_id: str | None = None) -> list[Template]:
        """The organization's templates, of one WABA when given."""
        ...

    async def find(self, waba_id: str, name: str, language: str) -> Template | None: ...
    async def get(self, template_id: UUID) -> Template | None: ...
    async def save(self, template: Template) -> None:
        """Insert, or replace the one with the same WABA, name and language."""
        ...

    async def delete(self, waba_id: str, name: str) -> int: ...


class NoteRepository(Protocol):
    async def add(self, note: Note) -> None: ...
    async def for_conversation(self, conversation_id: UUID) -> list[Note]: ...


class FlowRepository(Protocol):
    async def get(self, flow_id: UUID) -> Flow | None: ...
    async def page(self, flow_filter: FlowFilter, size: int, after: str | None) -> Page[Flow]: ...
    async def add(self, flow: Flow) -> None:
        """Raises Conflict when the organization has a flow of that name."""
        ...

    async def save(self, flow: Flow) -> None:
        """Raises Conflict when the organization has another flow of that name."""
        ...

    async def published_on(self, number_ids: list[UUID], kind: FlowKind) -> list[Flow]:
        """Published, unarchived flows of a kind that run on any of these numbers."""
        ...

    async def add_version(self, version: FlowVersion) -> None: ...
    async def version(self, flow_id: UUID, version: int) -> FlowVersion | None: ...


class EventLog(Protocol):
    """Committed events of the unit of work's organization."""

    async def after(self, sequence: int, limit: int) -> list[StoredEvent]: ...
    async def latest_sequence(self) -> int: ...
    async def oldest_sequence(self) -> int | None: ...


class UnitOfWork(Protocol):
    """One transaction. Tenant repositories exist only when it is bound to an organization."""

    @property
    def users(self) -> UserRepository: ...
    @property
    def organization(self) -> OrganizationRepository: ...
    @property
    def events(self) -> EventLog: ...
    @property
    def whatsapp_numbers(self) -> WhatsAppNumberRepository: ...
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
    def templates(self) -> TemplateRepository: ...
    @property
    def notes(self) -> NoteRepository: ...
    @property
    def flows(self) -> FlowRepository: ...
    @property
    def number_directory(self) -> NumberDirectory: ...
    @property
    def organizations(self) -> OrganizationDirectory: ...
    @property
    def credentials(self) -> CredentialStore: ...
    @property
    def refresh_tokens(self) -> RefreshTokenStore: ...
    @property
    def login_attempts(self) -> LoginAttemptStore: ...

    def emit(self, event: DomainEvent) -> None: ...
    def audit(self, entry: AuditEntry) -> None: ...
    async def commit(self) -> None: ...
    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(
        self, organization_id: UUID | None = None, *, read_only: bool = False
    ) -> UnitOfWork:
        """read_only: no transaction (cheaper, and no write lock on SQLite); commit refuses."""
        ...


class EventSubscriber(Protocol):
    def subscribe(
        self, organization_id: UUID
    ) -> AbstractAsyncContextManager[AsyncIterator[StoredEvent]]: ...


class EventPublisher(Protocol):
    async def publish(self, events: Sequence[StoredEvent]) -> None: ...
