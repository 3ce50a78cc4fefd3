"""Flows with their numbers and versions, and the sessions they ran."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
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
from persistence.types import JSONDocument


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
