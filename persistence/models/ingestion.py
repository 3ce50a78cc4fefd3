"""Meta's webhook deliveries, stored before they are applied."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from persistence.models.base import Base
from persistence.types import AutoIncrementBigInt, JSONDocument


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


class WebhookBacklogKeyRow(Base):
    """The conversations each delivery of the backlog holds messages for (see
    `conversation_keys`): a claim takes a conversation's whole backlog or none of it. A row
    lives only until its delivery is applied, so the table is as small as the backlog."""

    __tablename__ = "webhook_backlog_keys"
    __table_args__ = (Index(None, "delivery_id"),)

    conversation_key: Mapped[str] = mapped_column(String(255), primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"),
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE"),
        primary_key=True,
    )
