"""Facts about the business's WhatsApp numbers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from uuid import UUID

from domain.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class WhatsAppNumberChanged(DomainEvent):
    type: ClassVar[str] = "whatsapp_number.changed"
    number_id: UUID
    change: str
    """created, updated or deleted."""


@dataclass(frozen=True, kw_only=True)
class WhatsAppNumberUnhealthy(DomainEvent):
    """Meta refused the number's access token: sends wait until an administrator replaces it."""

    type: ClassVar[str] = "whatsapp_number.unhealthy"
    number_id: UUID
    reason: str


@dataclass(frozen=True, kw_only=True)
class TemplateStatusChanged(DomainEvent):
    """Meta reviewed a template again (message_template_status_update): approved, rejected,
    paused, disabled…"""

    type: ClassVar[str] = "whatsapp_template.status_changed"
    template_id: UUID
    name: str
    language: str
    status: str
    reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class TemplatesSynced(DomainEvent):
    """A WhatsApp account's templates were read again from Meta."""

    type: ClassVar[str] = "whatsapp_templates.synced"
    waba_id: str
    templates: int
