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


@dataclass(frozen=True, kw_only=True)
class AiAlertRaised(DomainEvent):
    """A rule watching customers' sentiment went off in a conversation."""

    type: ClassVar[str] = "ai_alert.raised"
    alert_id: UUID
    conversation_id: UUID
    message_id: UUID
    rule: str
    assignee_id: UUID | None = None
    queue_id: UUID | None = None


@dataclass(frozen=True, kw_only=True)
class AiAlertResolved(DomainEvent):
    type: ClassVar[str] = "ai_alert.resolved"
    alert_id: UUID
    conversation_id: UUID
    resolved_by: UUID


@dataclass(frozen=True, kw_only=True)
class AiSettingsUpdated(DomainEvent):
    type: ClassVar[str] = "ai_settings.updated"
    changed: tuple[str, ...]
