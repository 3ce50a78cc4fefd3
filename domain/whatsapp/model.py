"""WhatsApp Business numbers connected to an organization."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

DEFAULT_MESSAGES_PER_SECOND = 80
WEBHOOK_PATH = "/api/v1/whatsapp/webhook"
"""Where Meta's webhooks reach PyTake: the callback URL is the public address and this path."""
"""Meta's default throughput per registered business number (reference §7.1)."""


@dataclass(frozen=True)
class WhatsAppNumber:
    id: UUID
    organization_id: UUID
    phone_number_id: str
    waba_id: str
    display_phone_number: str
    verified_name: str | None
    quality_rating: str | None
    status: str | None
    messages_per_second: int
    healthy: bool
    access_token_sealed: str
    app_secret_sealed: str | None
    verify_token_sealed: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def has_app_secret(self) -> bool:
        return self.app_secret_sealed is not None

    @property
    def has_verify_token(self) -> bool:
        return self.verify_token_sealed is not None
