"""Contacts, conversations, messages with their statuses and notes, and the outbox."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Double,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from persistence.models.base import Base
from persistence.types import AutoIncrementBigInt, JSONDocument

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
        # The signals worker's backlog: only messages still to score are in it.
        Index(
            "ix_messages_signals_due_at",
            "signals_due_at",
            postgresql_where=text("signals_due_at IS NOT NULL"),
            sqlite_where=text("signals_due_at IS NOT NULL"),
        ),
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
    # Set for a customer's text until the signals worker has scored it; while it works on it,
    # when its claim runs out.
    signals_due_at: Mapped[datetime | None]


class MessageSignalRow(Base):
    """What PyTake read in one customer message (domain/conversations/signals.py)."""

    __tablename__ = "message_signals"

    message_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    conversation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("conversations.id"))
    language: Mapped[str] = mapped_column(String(10))
    sentiment_label: Mapped[str] = mapped_column(String(10))
    sentiment_score: Mapped[float] = mapped_column(Double)
    intent: Mapped[str | None] = mapped_column(String(40))
    """Null when the organization has no trained intent model."""
    intent_confidence: Mapped[float | None] = mapped_column(Double)
    intent_model_version: Mapped[int | None]
    scored_at: Mapped[datetime]


class ConversationSentimentRow(Base):
    """A conversation's current sentiment and the latest scores its trend is read from."""

    __tablename__ = "conversation_sentiments"

    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    message_id: Mapped[uuid.UUID]
    label: Mapped[str] = mapped_column(String(10))
    score: Mapped[float] = mapped_column(Double)
    trend: Mapped[str] = mapped_column(String(10))
    recent_scores: Mapped[list[float]] = mapped_column(JSONDocument)
    intent: Mapped[str | None] = mapped_column(String(40))
    """The latest scored message's, for an intent node reached without a new message."""
    intent_confidence: Mapped[float | None] = mapped_column(Double)
    updated_at: Mapped[datetime]


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
