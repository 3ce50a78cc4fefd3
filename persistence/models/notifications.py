"""People's notifications, their choices about them, and how far each organization's events
have been read for them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column

from persistence.models.base import Base


class NotificationRow(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        Index(None, "organization_id", "user_id", "created_at", "id"),
        # The bell's count: what is neither read nor archived.
        Index(
            "ix_notifications_unread",
            "organization_id",
            "user_id",
            postgresql_where=text("read_at IS NULL AND archived_at IS NULL"),
            sqlite_where=text("read_at IS NULL AND archived_at IS NULL"),
        ),
        Index(
            "ix_notifications_awaiting_summary",
            "created_at",
            postgresql_where=text("awaiting_summary"),
            sqlite_where=text("awaiting_summary"),
        ),
        Index(
            "ix_notifications_email_pending",
            "created_at",
            postgresql_where=text("email_pending"),
            sqlite_where=text("email_pending"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(40))
    category: Mapped[str] = mapped_column(String(20))
    severity: Mapped[str] = mapped_column(String(10))
    subject: Mapped[str] = mapped_column(Text)
    conversation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL")
    )
    event_sequence: Mapped[int | None] = mapped_column(BigInteger)
    announced: Mapped[bool] = mapped_column(Boolean)
    sound: Mapped[bool] = mapped_column(Boolean)
    held_because: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]
    archived_at: Mapped[datetime | None]
    email_pending: Mapped[bool] = mapped_column(Boolean, server_default=false())
    awaiting_summary: Mapped[bool] = mapped_column(Boolean, server_default=false())


class NotificationPreferencesRow(Base):
    __tablename__ = "notification_preferences"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    document: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]


class NotificationCursorRow(Base):
    __tablename__ = "notification_cursors"

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    last_sequence: Mapped[int] = mapped_column(BigInteger)


class PushSubscriptionRow(Base):
    """A browser that asked for Web Push, and whose person it now belongs to."""

    __tablename__ = "push_subscriptions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    endpoint: Mapped[str] = mapped_column(Text, unique=True)
    p256dh: Mapped[str] = mapped_column(String(100))
    auth: Mapped[str] = mapped_column(String(40))
    user_agent: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime]
    last_delivered_at: Mapped[datetime | None]


class PushDeliveryRow(Base):
    """A push still to send (the push worker's outbox): gone once sent or given up."""

    __tablename__ = "push_deliveries"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    notification_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("notifications.id", ondelete="CASCADE"), index=True
    )
    subscription_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("push_subscriptions.id", ondelete="CASCADE"), index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    due_at: Mapped[datetime] = mapped_column(index=True)
    last_error: Mapped[str | None] = mapped_column(Text)


class WebPushKeyRow(Base):
    """The installation's VAPID key pair, made at first start when none is configured: the
    browsers' subscriptions are bound to its public key, so it must outlive restarts."""

    __tablename__ = "web_push_keys"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    private_key: Mapped[str] = mapped_column(Text)
    """Sealed with PYTAKE_SECRET_KEY."""
    created_at: Mapped[datetime]
