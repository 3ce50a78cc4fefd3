"""People's notifications, their choices about them, and how far each organization's events
have been read for them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, String, Text, text
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
