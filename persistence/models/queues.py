"""Queues, their members, agent profiles and status changes, and queue items."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Index,
    String,
    Text,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from persistence.models.base import Base
from persistence.types import AutoIncrementBigInt, JSONDocument


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
    raise_priority_when_negative: Mapped[bool] = mapped_column(default=False)
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
            "ix_queue_items_target_deadline",
            "target_deadline",
            postgresql_where=text("status = 'waiting'"),
            sqlite_where=text("status = 'waiting'"),
        ),
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
    target_deadline: Mapped[datetime | None]
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
