"""The business's WhatsApp numbers and message templates."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
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
