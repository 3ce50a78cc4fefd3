"""Each organization's committed events, numbered in commit order."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from persistence.models.base import Base


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
