"""What the signals worker announces."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from uuid import UUID

from domain.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class MessageScored(DomainEvent):
    """A customer message's sentiment is ready (flows waiting for it go on)."""

    type: ClassVar[str] = "message.scored"
    conversation_id: UUID
    message_id: UUID
    language: str
    sentiment: str
    """negative, neutral or positive."""
    score: float
    assignee_id: UUID | None = None
    queue_id: UUID | None = None
