"""The audit log, written in the same transaction as the change it records."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Index,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from persistence.models.base import Base


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
