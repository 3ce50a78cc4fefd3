"""What the signals worker announces."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from uuid import UUID

from domain.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class MessageScored(DomainEvent):
    """A customer message's sentiment and intent are ready (flows waiting for them go on)."""

    type: ClassVar[str] = "message.scored"
    conversation_id: UUID
    message_id: UUID
    language: str
    sentiment: str
    """negative, neutral or positive."""
    score: float
    intent: str | None = None
    """By the organization's newest trained intent model; None without one."""
    intent_confidence: float | None = None
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


@dataclass(frozen=True, kw_only=True)
class IntentModelUpdated(DomainEvent):
    """A training of the organization's intent model was queued, moved on, or finished."""

    type: ClassVar[str] = "intent_model.updated"
    model_id: UUID
    version: int
    status: str
    """queued, training, ready or failed."""
    stage: str
    progress: float
