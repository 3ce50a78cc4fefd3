"""Typed table rows. Every table that holds tenant data carries organization_id."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Double,
    ForeignKey,
    Index,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from persistence.types import AutoIncrementBigInt, JSONDocument, UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        datetime: UTCDateTime(),
        uuid.UUID: Uuid(),
        dict[str, Any]: JSONDocument,
    }


class OrganizationRow(Base):
    __tablename__ = "organizations"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(10), default="pt-BR", server_default="pt-BR")
    # Locked briefly at commit to hand out event sequences in commit order.
    last_event_sequence: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    created_at: Mapped[datetime]


class UserRow(Base):
    __tablename__ = "users"
    __table_args__ = (Index(None, "organization_id", "created_at", "id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_superuser: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class RefreshTokenRow(Base):
    __tablename__ = "refresh_tokens"
    __table_args__ = (Index(None, "user_id"), Index(None, "family_id"))

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    family_id: Mapped[uuid.UUID]
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    replaced_by_id: Mapped[uuid.UUID | None]


class LoginAttemptRow(Base):
    """Sign-in attempts, keyed by the email typed (which may match no account), not by tenant:
    failures (recorded before the password is checked), and the successes that make an
    address a known device of the email."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index(None, "email", "attempted_at"),
        Index(None, "client_ip", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(AutoIncrementBigInt, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(320))
    client_ip: Mapped[str | None] = mapped_column(String(64))
    attempted_at: Mapped[datetime]
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class AuditLogRow(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index(None, "organization_id", "occurred_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    actor_user_id: Mapped[uuid.UUID | None]
    action: Mapped[str] = mapped_column(String(100))
    target_type: Mapped[str] = mapped_column(String(50))
    target_id: Mapped[str] = mapped_column(String(100))
    occurred_at: Mapped[datetime]
    client_ip: Mapped[str | None] = mapped_column(String(64))
    changes: Mapped[dict[str, Any]]


class WhatsAppNumberRow(Base):
    __tablename__ = "whatsapp_numbers"
    __table_args__ = (
        Index(None, "organization_id"),
        # Meta's id routes webhooks, so it names at most one live number across all tenants.
        Index(
            "uq_whatsapp_numbers_live_phone_number_id",
            "phone_number_id",
            unique=True,
            postgresql_where=text("deleted_at IS NULL"),
            sqlite_where=text("deleted_at IS NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    phone_number_id: Mapped[str] = mapped_column(String(32))
    waba_id: Mapped[str] = mapped_column(String(32))
    display_phone_number: Mapped[str] = mapped_column(String(32))
    verified_name: Mapped[str | None] = mapped_column(String(200))
    quality_rating: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str | None] = mapped_column(String(40))
    messages_per_second: Mapped[int]
    healthy: Mapped[bool] = mapped_column(Boolean, default=True)
    access_token_sealed: Mapped[str] = mapped_column(Text)
    app_secret_sealed: Mapped[str | None] = mapped_column(Text)
    verify_token_sealed: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]


class WebhookDeliveryRow(Base):
    """Every signed webhook body exactly as received, before it is routed to a tenant: the
    audit and replay record, and the inbox the processor applies from."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index(None, "status", "id"),)

    id: Mapped[int] = mapped_column(AutoIncrementBigInt, primary_key=True, autoincrement=True)
    received_at: Mapped[datetime]
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    # While processing: the claim's lease. While pending after a failure: the retry's backoff.
    not_before: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    processed_at: Mapped[datetime | None]
    notes: Mapped[dict[str, Any] | None]
    # The numbers whose own app secret signed the body; null when the installation's did.
    signer_numbers: Mapped[list[str] | None] = mapped_column(JSONDocument)


CONTACT_SEARCH_DOCUMENT = "(COALESCE(profile_name, '') || ' ' || COALESCE(wa_id, ''))"
"""What conversation search matches a contact's name and number against, case-insensitively."""


class ContactRow(Base):
    __tablename__ = "contacts"
    __table_args__ = (
        Index(
            "uq_contacts_organization_id_wa_id",
            "organization_id",
            "wa_id",
            unique=True,
            postgresql_where=text("wa_id IS NOT NULL"),
            sqlite_where=text("wa_id IS NOT NULL"),
        ),
        Index(
            "uq_contacts_organization_id_user_id",
            "organization_id",
            "user_id",
            unique=True,
            postgresql_where=text("user_id IS NOT NULL"),
            sqlite_where=text("user_id IS NOT NULL"),
        ),
        # Trigram index for conversation search by name or number (substring matches);
        # SQLite scans instead.
        Index(
            "ix_contacts_search",
            text(f"({CONTACT_SEARCH_DOCUMENT}) gin_trgm_ops"),
            postgresql_using="gin",
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    wa_id: Mapped[str | None] = mapped_column(String(32))
    user_id: Mapped[str | None] = mapped_column(String(160))
    profile_name: Mapped[str | None] = mapped_column(String(200))
    username: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ConversationRow(Base):
    __tablename__ = "conversations"
    __table_args__ = (
        Index(None, "organization_id", "last_message_at", "id"),
        Index(None, "organization_id", "assignee_id"),
        # The snooze worker's poll reads only conversations that are snoozed.
        Index(
            "ix_conversations_snoozed_until",
            "snoozed_until",
            postgresql_where=text("snoozed_until IS NOT NULL"),
            sqlite_where=text("snoozed_until IS NOT NULL"),
        ),
        # Agents' inboxes: the conversations of their queues, by last activity.
        Index(None, "organization_id", "queue_id", "last_message_at", "id"),
        # One open conversation per number and contact; a resolved one does not block a new one.
        Index(
            "uq_conversations_open_number_id_contact_id",
            "number_id",
            "contact_id",
            unique=True,
            postgresql_where=text("status IN ('open', 'pending')"),
            sqlite_where=text("status IN ('open', 'pending')"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    number_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("whatsapp_numbers.id"))
    contact_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contacts.id"))
    status: Mapped[str] = mapped_column(String(20))
    unread_count: Mapped[int] = mapped_column(default=0)
    last_message_at: Mapped[datetime | None]
    last_inbound_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # No foreign key: the message points back at the conversation, and either may come first.
    last_message_id: Mapped[uuid.UUID | None]
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    queue_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("queues.id", ondelete="SET NULL"))
    labels: Mapped[list[str] | None] = mapped_column(JSONDocument)
    snoozed_until: Mapped[datetime | None]
    handed_off_at: Mapped[datetime | None]
    first_human_reply_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]


MESSAGE_BODY_DOCUMENT = (
    "to_tsvector('simple'::regconfig, COALESCE(content ->> 'body'::text, ''::text))"
)
"""The words of a message's text as PostgreSQL full-text search sees them; the configuration
and key are literals, not parameters, so that the planner matches the index on it."""


class MessageRow(Base):
    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("organization_id", "wamid"),
        Index(None, "conversation_id", "sent_at", "id"),
        Index(None, "organization_id"),
        # Reactions and replies are found by the wamid they point at.
        Index(None, "context_wamid"),
        Index(
            "uq_messages_organization_id_client_message_id",
            "organization_id",
            "client_message_id",
            unique=True,
            postgresql_where=text("client_message_id IS NOT NULL"),
            sqlite_where=text("client_message_id IS NOT NULL"),
        ),
        # Conversation search matches this very expression (MESSAGE_BODY_DOCUMENT), so the
        # planner can use the index; SQLite searches by substring and goes without.
        Index(
            "ix_messages_body_search",
            text(MESSAGE_BODY_DOCUMENT),
            postgresql_using="gin",
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    conversation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("conversations.id"))
    direction: Mapped[str] = mapped_column(String(10))
    # Meta retries for days and to every subscribed app: one row per wamid in an organization,
    # whatever arrives (organization_id, wamid is unique in __table_args__). Scoped to the
    # organization so that no tenant can shadow another's messages by sending their wamids first.
    wamid: Mapped[str | None] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(20))
    content: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(20))
    sent_at: Mapped[datetime]
    created_at: Mapped[datetime]
    context_wamid: Mapped[str | None] = mapped_column(String(200))
    forwarded: Mapped[bool] = mapped_column(Boolean, default=False)
    referral: Mapped[dict[str, Any] | None]
    error: Mapped[dict[str, Any] | None]
    sender_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    # The client's key for a send: a retried request finds the message it already created.
    client_message_id: Mapped[str | None] = mapped_column(String(100))


class ConversationNoteRow(Base):
    """Internal notes agents leave on a conversation; never sent to the customer."""

    __tablename__ = "conversation_notes"
    __table_args__ = (Index(None, "conversation_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    conversation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("conversations.id"))
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class MessageStatusRow(Base):
    """Every status Meta reported, kept even before its message is known."""

    __tablename__ = "message_statuses"
    __table_args__ = (UniqueConstraint("organization_id", "wamid", "status"),)

    id: Mapped[int] = mapped_column(AutoIncrementBigInt, primary_key=True, autoincrement=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    wamid: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    occurred_at: Mapped[datetime]
    received_at: Mapped[datetime]
    recipient_id: Mapped[str | None] = mapped_column(String(160))
    errors: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONDocument)
    pricing: Mapped[dict[str, Any] | None]
    conversation: Mapped[dict[str, Any] | None]


class OutboundMessageRow(Base):
    """The outbox: one row per call to Meta's send endpoint, written in the same transaction as
    the change that caused it, and delivered by the sender worker."""

    __tablename__ = "outbound_messages"
    __table_args__ = (
        Index(None, "status", "not_before"),
        Index(None, "number_id", "recipient", "status"),
        Index(None, "message_id"),
    )

    id: Mapped[int] = mapped_column(AutoIncrementBigInt, primary_key=True, autoincrement=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    number_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("whatsapp_numbers.id"))
    # None for calls that are not messages of their own (read receipts).
    message_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("messages.id"))
    recipient: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(20))
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(default=0)
    # While queued: when the next attempt is due. While sending: the claim's lease.
    not_before: Mapped[datetime | None]
    deadline: Mapped[datetime]
    wamid: Mapped[str | None] = mapped_column(String(200))
    error_code: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class SendPacingRow(Base):
    """The next free send slot of each number, shared by every sender process, so that the
    number's throughput holds whichever process sends."""

    __tablename__ = "send_pacing"

    number_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("whatsapp_numbers.id", ondelete="CASCADE"), primary_key=True
    )
    next_slot: Mapped[float] = mapped_column(Double)
    """Seconds since the epoch."""


class WhatsAppTemplateRow(Base):
    __tablename__ = "whatsapp_templates"
    __table_args__ = (
        UniqueConstraint("organization_id", "waba_id", "name", "language"),
        Index(None, "organization_id", "status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    waba_id: Mapped[str] = mapped_column(String(32))
    meta_id: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(512))
    language: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(30))
    parameter_format: Mapped[str] = mapped_column(String(20))
    components: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument)
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class EventRow(Base):
    __tablename__ = "events"
    __table_args__ = (Index(None, "occurred_at"),)

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    sequence: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    type: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]]
    occurred_at: Mapped[datetime]


class FlowRow(Base):
    """An automation as the editor saved it (the draft), with its settings."""

    __tablename__ = "flows"
    __table_args__ = (
        UniqueConstraint("organization_id", "name"),
        Index(None, "organization_id", "updated_at", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    expiry_minutes: Mapped[int]
    draft: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    published_version: Mapped[int | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    draft_updated_at: Mapped[datetime]
    published_at: Mapped[datetime | None]
    archived_at: Mapped[datetime | None]


class FlowNumberRow(Base):
    """The WhatsApp numbers a flow runs on."""

    __tablename__ = "flow_numbers"
    __table_args__ = (Index(None, "number_id"),)

    flow_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("flows.id", ondelete="CASCADE"), primary_key=True
    )
    number_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("whatsapp_numbers.id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )


class FlowVersionRow(Base):
    """A published graph, never changed: sessions run on the version they started with."""

    __tablename__ = "flow_versions"

    flow_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("flows.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    document: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    published_at: Mapped[datetime]
    published_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


class FlowSessionRow(Base):
    """A flow running in a conversation: at most one active per conversation."""

    __tablename__ = "flow_sessions"
    __table_args__ = (
        Index(
            "uq_flow_sessions_active_conversation",
            "conversation_id",
            unique=True,
            postgresql_where=text("status = 'active'"),
            sqlite_where=text("status = 'active'"),
        ),
        Index(
            "ix_flow_sessions_due",
            "wakes_at",
            postgresql_where=text("status = 'active'"),
            sqlite_where=text("status = 'active'"),
        ),
        Index(None, "conversation_id", "flow_id", "started_at"),
        Index(None, "organization_id", "flow_id", "started_at"),
        Index(None, "organization_id", "started_at", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    flow_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("flows.id", ondelete="CASCADE"))
    flow_version: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE")
    )
    contact_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    number_id: Mapped[uuid.UUID]
    status: Mapped[str] = mapped_column(String(20))
    expiry_minutes: Mapped[int]
    """The flow's inactivity timeout when the session started."""
    state: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    """Variables and what the session waits for."""
    pending_http: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    expires_at: Mapped[datetime]
    wakes_at: Mapped[datetime | None]
    """When a worker must act: the next timer, an HTTP call to make, or a claim's lease."""
    error: Mapped[str | None] = mapped_column(Text)
    last_node_id: Mapped[str | None] = mapped_column(String(100))
    step_count: Mapped[int]
    started_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class FlowSessionStepRow(Base):
    """The execution log: one row per node a session went through."""

    __tablename__ = "flow_session_steps"

    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("flow_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    sequence: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    node_id: Mapped[str] = mapped_column(String(100))
    node_type: Mapped[str] = mapped_column(String(40))
    input: Mapped[str | None] = mapped_column(Text)
    effects: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument)
    variables_changed: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    duration_ms: Mapped[float] = mapped_column(Double)
    way: Mapped[str | None] = mapped_column(String(100))
    error: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime]


class QueueRow(Base):
    """A service queue; deleted queues are kept (soft delete) for their items' history."""

    __tablename__ = "queues"
    __table_args__ = (
        Index(
            "uq_queues_live_name",
            "organization_id",
            "name",
            unique=True,
            postgresql_where=text("deleted_at IS NULL"),
            sqlite_where=text("deleted_at IS NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    department: Mapped[str | None] = mapped_column(String(200))
    strategy: Mapped[str] = mapped_column(String(20))
    hours: Mapped[dict[str, Any] | None]
    outside_hours: Mapped[str] = mapped_column(String(20))
    max_wait_minutes: Mapped[int | None]
    max_size: Mapped[int | None]
    required_skills: Mapped[list[str]] = mapped_column(JSONDocument)
    messages: Mapped[dict[str, Any]]
    agent_reply_timeout_minutes: Mapped[int | None]
    overflow_queue_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("queues.id"))
    target_answer_seconds: Mapped[int]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]


class QueueMemberRow(Base):
    """The agents who serve a queue."""

    __tablename__ = "queue_members"
    __table_args__ = (Index(None, "user_id"),)

    queue_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("queues.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )


class AgentProfileRow(Base):
    """A user's working profile; users without one are offline with the default capacity."""

    __tablename__ = "agent_profiles"
    __table_args__ = (Index(None, "organization_id"),)

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    status: Mapped[str] = mapped_column(String(20))
    status_since: Mapped[datetime]
    capacity: Mapped[int]
    skills: Mapped[list[str]] = mapped_column(JSONDocument)
    departments: Mapped[list[str]] = mapped_column(JSONDocument)
    hours: Mapped[dict[str, Any] | None]
    last_assigned_at: Mapped[datetime | None]
    free_since: Mapped[datetime | None]


class AgentStatusChangeRow(Base):
    """An agent's status history."""

    __tablename__ = "agent_status_changes"
    __table_args__ = (Index(None, "organization_id", "user_id", "at"),)

    id: Mapped[int] = mapped_column(AutoIncrementBigInt, primary_key=True, autoincrement=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime]
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)


class QueueItemRow(Base):
    """A conversation waiting in, or served from, a queue: at most one open per conversation."""

    __tablename__ = "queue_items"
    __table_args__ = (
        Index(
            "uq_queue_items_open_conversation",
            "conversation_id",
            unique=True,
            postgresql_where=text("status IN ('waiting', 'assigned')"),
            sqlite_where=text("status IN ('waiting', 'assigned')"),
        ),
        Index(None, "organization_id", "queue_id", "status", "priority", "entered_at"),
        Index(None, "organization_id", "status", "agent_id"),
        Index(
            "ix_queue_items_wait_deadline",
            "organization_id",
            "wait_deadline",
            postgresql_where=text("status = 'waiting'"),
            sqlite_where=text("status = 'waiting'"),
        ),
        Index(
            "ix_queue_items_reply_deadline",
            "organization_id",
            "reply_deadline",
            postgresql_where=text("status = 'assigned'"),
            sqlite_where=text("status = 'assigned'"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    queue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("queues.id"))
    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE")
    )
    priority: Mapped[int]
    status: Mapped[str] = mapped_column(String(20))
    entered_at: Mapped[datetime]
    agent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[datetime | None]
    first_agent_reply_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    wait_deadline: Mapped[datetime | None]
    reply_deadline: Mapped[datetime | None]
    fallback_action: Mapped[str] = mapped_column(String(20))
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", JSONDocument)
    routing_decision: Mapped[dict[str, Any] | None]
    rating: Mapped[int | None]
    feedback: Mapped[str | None] = mapped_column(Text)
    previous_agent_ids: Mapped[list[str]] = mapped_column(JSONDocument)


class QueueItemEventRow(Base):
    """A queue item's history: entered, assigned, reassigned, transferred, completed..."""

    __tablename__ = "queue_item_events"
    __table_args__ = (
        Index(None, "item_id"),
        Index(None, "organization_id", "queue_id", "at"),
    )

    id: Mapped[int] = mapped_column(AutoIncrementBigInt, primary_key=True, autoincrement=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("queue_items.id", ondelete="CASCADE"))
    queue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("queues.id"))
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime]
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    agent_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    details: Mapped[dict[str, Any]]
