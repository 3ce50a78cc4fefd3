"""WhatsApp numbers as the API shows them: never their credentials."""

from __future__ import annotations

from datetime import datetime

import strawberry

from domain.whatsapp import model


@strawberry.type(
    description="A WhatsApp Business phone number connected to the organization. Its access "
    "token, app secret and verify token are stored encrypted and never returned."
)
class WhatsAppNumber:
    id: strawberry.ID = strawberry.field(description="PyTake's id of the number.")
    phone_number_id: str = strawberry.field(
        description="Meta's phone number id; webhooks are routed on it."
    )
    waba_id: str = strawberry.field(description="The WhatsApp Business Account id it belongs to.")
    display_phone_number: str = strawberry.field(description="The number as customers see it.")
    verified_name: str | None = strawberry.field(description="The display name Meta approved.")
    quality_rating: str | None = strawberry.field(
        description="Meta's quality rating (GREEN, YELLOW, RED, NA), as last synced."
    )
    status: str | None = strawberry.field(description="Meta's status, e.g. CONNECTED.")
    messages_per_second: int = strawberry.field(
        description="Send throughput PyTake keeps to for this number (Meta's default is 80)."
    )
    healthy: bool = strawberry.field(
        description="False after Meta rejected the access token; set a new one with "
        "whatsappNumberUpdate."
    )
    has_app_secret: bool = strawberry.field(
        description="Whether a number-specific app secret verifies its webhooks."
    )
    has_verify_token: bool = strawberry.field(
        description="Whether a number-specific verify token answers Meta's webhook handshake."
    )
    created_at: datetime = strawberry.field(description="When it was connected (UTC).")
    updated_at: datetime = strawberry.field(description="When it last changed (UTC).")

    @classmethod
    def from_domain(cls, number: model.WhatsAppNumber) -> WhatsAppNumber:
        return cls(
            id=strawberry.ID(str(number.id)),
            phone_number_id=number.phone_number_id,
            waba_id=number.waba_id,
            display_phone_number=number.display_phone_number,
            verified_name=number.verified_name,
            quality_rating=number.quality_rating,
            status=number.status,
            messages_per_second=number.messages_per_second,
            healthy=number.healthy,
            has_app_secret=number.has_app_secret,
            has_verify_token=number.has_verify_token,
            created_at=number.created_at,
            updated_at=number.updated_at,
        )
