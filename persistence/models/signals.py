"""An organization's AI settings, the alerts its rules raised, its intents and the trainings
of its intent model."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Double, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from persistence.models.base import Base
from persistence.types import JSONDocument


class AiSettingsRow(Base):
    __tablename__ = "ai_settings"

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    document: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]
    updated_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )


class AiAlertRow(Base):
    __tablename__ = "ai_alerts"
    __table_args__ = (
        Index(None, "organization_id", "raised_at", "id"),
        # One open alert per conversation and rule: the rule goes off again once it is resolved.
        Index(
            "uq_ai_alerts_open",
            "organization_id",
            "conversation_id",
            "rule",
            unique=True,
            postgresql_where=text("resolved_at IS NULL"),
            sqlite_where=text("resolved_at IS NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE")
    )
    message_id: Mapped[uuid.UUID]
    rule: Mapped[str] = mapped_column(String(32))
    details: Mapped[dict[str, Any]]
    raised_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )


class IntentRow(Base):
    __tablename__ = "intents"
    __table_args__ = (UniqueConstraint("organization_id", "name"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(String(200))
    examples: Mapped[list[str]] = mapped_column(JSONDocument)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class IntentModelRow(Base):
    """One training of an organization's intent model; `due_at` is set while it waits for the
    intents worker (or for another try, once a claim's lease runs out)."""

    __tablename__ = "intent_models"
    __table_args__ = (
        UniqueConstraint("organization_id", "version"),
        Index(
            "ix_intent_models_due_at",
            "due_at",
            postgresql_where=text("due_at IS NOT NULL"),
            sqlite_where=text("due_at IS NOT NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    version: Mapped[int]
    status: Mapped[str] = mapped_column(String(10))
    stage: Mapped[str] = mapped_column(String(20))
    progress: Mapped[float] = mapped_column(Double)
    requested_at: Mapped[datetime]
    requested_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    due_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    training_seconds: Mapped[float | None] = mapped_column(Double)
    evaluation: Mapped[dict[str, Any] | None]
    artifact: Mapped[bytes | None] = mapped_column(LargeBinary)
    """The trained model as numpy arrays (domain/ai/intents.py); null once superseded."""
    error: Mapped[str | None] = mapped_column(Text)


class SentimentRollupRow(Base):
    """Texts read per organization, hour (of the customer's message) and number; counters
    only ever moved by the signals worker in its scoring transaction."""

    __tablename__ = "sentiment_rollups"

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    hour: Mapped[datetime] = mapped_column(primary_key=True)
    number_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    negative: Mapped[int]
    neutral: Mapped[int]
    positive: Mapped[int]
    score_sum: Mapped[float] = mapped_column(Double)
    turned_negative: Mapped[int]


class IntentRollupRow(Base):
    __tablename__ = "intent_rollups"

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    hour: Mapped[datetime] = mapped_column(primary_key=True)
    number_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    intent: Mapped[str] = mapped_column(String(40), primary_key=True)
    count: Mapped[int]


class SuggestionRollupRow(Base):
    __tablename__ = "suggestion_rollups"

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    hour: Mapped[datetime] = mapped_column(primary_key=True)
    offered: Mapped[int]
    accepted: Mapped[int]
