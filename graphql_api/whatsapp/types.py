"""WhatsApp numbers as the API shows them: never their credentials."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import cast

import strawberry
from strawberry.scalars import JSON

from domain.whatsapp import model, numbers, templates
from domain.whatsapp.trial import is_trial_id


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
    trial: bool = strawberry.field(
        description="A trial number: its messages go to the simulator built into PyTake, not "
        "to Meta, and its customer is played from the console (whatsappTrialCustomerSay)."
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
            trial=is_trial_id(number.phone_number_id),
            created_at=number.created_at,
            updated_at=number.updated_at,
        )


@strawberry.type(
    description="A message template of one of the organization's WhatsApp Business Accounts, "
    "as last synchronized from Meta. Only APPROVED templates can be sent, and templates are the "
    "only messages allowed outside the customer's 24-hour window."
)
class WhatsAppTemplate:
    id: strawberry.ID = strawberry.field(description="PyTake's id of the template.")
    meta_id: str | None = strawberry.field(description="Meta's id of the template.")
    waba_id: str = strawberry.field(description="The WhatsApp Business Account it belongs to.")
    name: str = strawberry.field(
        description="Meta's name; the same name is shared by its languages."
    )
    language: str = strawberry.field(description="Language code, e.g. en_US or pt_BR.")
    category: str = strawberry.field(description="MARKETING, UTILITY or AUTHENTICATION.")
    status: str = strawberry.field(
        description="Meta's review status: APPROVED, PENDING, REJECTED, PAUSED, DISABLED ..."
    )
    rejection_reason: str | None = strawberry.field(
        description="Why Meta rejected or paused it, as Meta reported: its reason code (such "
        "as INVALID_FORMAT), then Meta's explanation and recommendation when Meta gave them."
    )
    parameter_format: str = strawberry.field(
        description="positional ({{1}}, {{2}}) or named ({{first_name}})."
    )
    body: str = strawberry.field(description="The body text with its placeholders.")
    body_parameters: list[str] = strawberry.field(
        description='What a sender fills in, in order: the positions ("1", "2") or the names '
        "of the body's placeholders."
    )
    components: JSON = strawberry.field(
        description="Meta's components (HEADER, BODY, FOOTER, BUTTONS) as Meta returns them."
    )
    updated_at: datetime = strawberry.field(description="When PyTake last saw it change (UTC).")

    @classmethod
    def from_domain(cls, template: templates.Template) -> WhatsAppTemplate:
        return cls(
            id=strawberry.ID(str(template.id)),
            meta_id=template.meta_id,
            waba_id=template.waba_id,
            name=template.name,
            language=template.language,
            category=template.category,
            status=template.status,
            rejection_reason=template.rejection_reason,
            parameter_format=template.parameter_format,
            body=template.body_text,
            body_parameters=template.body_parameters.names,
            components=cast(JSON, template.components),
            updated_at=template.updated_at,
        )


@strawberry.enum(description="What a WhatsApp number's connectivity test looks at.")
class WhatsAppNumberCheckName(Enum):
    ACCESS_TOKEN = strawberry.enum_value(
        "accessToken", description="The access token, asked about the number at the Graph API."
    )
    WEBHOOK_SUBSCRIPTION = strawberry.enum_value(
        "webhookSubscription",
        description="An app subscribed to the webhooks of the number's WhatsApp account.",
    )
    APP_SECRET = strawberry.enum_value(
        "appSecret", description="The app secret that webhooks are checked against."
    )
    VERIFY_TOKEN = strawberry.enum_value(
        "verifyToken", description="The verify token of Meta's webhook handshake."
    )


@strawberry.type(description="One finding of a connectivity test.")
class WhatsAppNumberCheckItem:
    name: WhatsAppNumberCheckName = strawberry.field(description="What was looked at.")
    ok: bool = strawberry.field(description="Whether it is as it must be.")
    message: str = strawberry.field(
        description="What was found, and what to do about it when it is wrong, in a sentence."
    )


@strawberry.type(description="Whether a WhatsApp number can work, and what to fix if not.")
class WhatsAppNumberCheck:
    ok: bool = strawberry.field(description="True when every check is ok.")
    checks: list[WhatsAppNumberCheckItem] = strawberry.field(
        description="Each check, in the order they were made."
    )

    @classmethod
    def from_domain(cls, checks: list[numbers.ConnectivityCheck]) -> WhatsAppNumberCheck:
        return cls(
            ok=all(check.ok for check in checks),
            checks=[
                WhatsAppNumberCheckItem(
                    name=WhatsAppNumberCheckName(check.name), ok=check.ok, message=check.sentence
                )
                for check in checks
            ],
        )
