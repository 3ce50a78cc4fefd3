"""What WhatsApp number and template operations take as input."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON


@strawberry.input(description="Connect a WhatsApp Business number registered with Meta.")
class WhatsAppNumberCreateInput:
    phone_number_id: str = strawberry.field(description="Meta's phone number id (digits).")
    waba_id: str = strawberry.field(description="Meta's WhatsApp Business Account id (digits).")
    access_token: str = strawberry.field(
        description="A system-user access token with whatsapp_business_messaging permission."
    )
    display_phone_number: str | None = strawberry.field(
        default=None, description="The number as customers see it; Meta's id when omitted."
    )
    verified_name: str | None = strawberry.field(
        default=None, description="The display name Meta approved."
    )
    app_secret: str | None = strawberry.field(
        default=None,
        description="The Meta app secret that signs this number's webhooks, when it is not the "
        "installation-wide PYTAKE_WHATSAPP_APP_SECRET.",
    )
    verify_token: str | None = strawberry.field(
        default=None, description="A verify token of this number's own for Meta's handshake."
    )
    messages_per_second: int | None = strawberry.field(
        default=None, description="Send throughput to keep to, 1 to 1000; 80 when omitted."
    )


@strawberry.input(
    description="Change a connected number. Omitted fields stay as they are; an empty app "
    "secret or verify token removes it."
)
class WhatsAppNumberUpdateInput:
    id: strawberry.ID = strawberry.field(description="The number to change.")
    display_phone_number: str | None = strawberry.field(default=None, description="New display.")
    verified_name: str | None = strawberry.field(default=None, description="New verified name.")
    messages_per_second: int | None = strawberry.field(
        default=None, description="New send throughput, 1 to 1000."
    )
    access_token: str | None = strawberry.field(
        default=None, description="A new access token; marks the number healthy again."
    )
    app_secret: str | None = strawberry.field(default=None, description="A new app secret.")
    verify_token: str | None = strawberry.field(default=None, description="A new verify token.")


@strawberry.input(description="Disconnect a number. Its conversations and history are kept.")
class WhatsAppNumberDeleteInput:
    id: strawberry.ID = strawberry.field(description="The number to disconnect.")


@strawberry.input(description="Refresh a number's fields from Meta.")
class WhatsAppNumberSyncInput:
    id: strawberry.ID = strawberry.field(description="The number to refresh.")


@strawberry.input(description="Fetch every template of a number's WhatsApp Business Account.")
class WhatsAppTemplateSyncInput:
    number_id: strawberry.ID = strawberry.field(description="A number of the WABA to read.")


@strawberry.input(
    description="A template to submit for Meta's review. It is checked against Meta's rules "
    "first: name, category, language, placeholder numbering and placement, and one example "
    "value per placeholder."
)
class WhatsAppTemplateCreateInput:
    number_id: strawberry.ID = strawberry.field(description="A number of the WABA to add it to.")
    name: str = strawberry.field(description="Lowercase letters, digits and underscores.")
    category: str = strawberry.field(description="MARKETING, UTILITY or AUTHENTICATION.")
    language: str = strawberry.field(description="Language code, e.g. en_US or pt_BR.")
    body: str = strawberry.field(
        description="Up to 1024 characters; placeholders {{1}}, {{2}} ... or {{first_name}}."
    )
    body_examples: list[str] = strawberry.field(
        default_factory=list,
        description="Example values of positional placeholders, in order.",
    )
    body_named_examples: JSON | None = strawberry.field(
        default=None, description="Example values of named placeholders: {name: value}."
    )
    header_text: str | None = strawberry.field(default=None, description="A text header.")
    footer: str | None = strawberry.field(default=None, description="Footer text, no placeholders.")
    quick_replies: list[str] = strawberry.field(
        default_factory=list, description="Quick-reply button labels (25 characters each)."
    )


@strawberry.input(description="Delete a template in every language, at Meta and in PyTake.")
class WhatsAppTemplateDeleteInput:
    number_id: strawberry.ID = strawberry.field(description="A number of the template's WABA.")
    name: str = strawberry.field(description="The template's name.")


@strawberry.input(description="Narrows whatsappTemplates; every given field must match.")
class WhatsAppTemplateFilter:
    status: str | None = strawberry.field(default=None, description="e.g. APPROVED.")
    category: str | None = strawberry.field(default=None, description="e.g. UTILITY.")
    language: str | None = strawberry.field(default=None, description="e.g. pt_BR.")
    search: str | None = strawberry.field(
        default=None, description="Matches the name or the body text, case-insensitively."
    )


@strawberry.input(description="What the trial's test customer writes to the trial number.")
class WhatsAppTrialCustomerSayInput:
    text: str = strawberry.field(description="The message, or the title of the button tapped.")
    reply_id: str | None = strawberry.field(
        default=None,
        description="The id of the button or list row tapped, as the flow sent it; the "
        "customer then answers an interactive message instead of writing.",
    )
