"""Contacts, conversations and messages, with each message's content typed by its kind."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import Annotated, Any, cast
from uuid import UUID

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.scalars import JSON

from domain.ai.sentiment import Sentiment as DomainSentiment
from domain.conversations.model import Contact as ContactModel
from domain.conversations.model import Message as MessageModel
from domain.conversations.model import Note
from domain.inbox import reading
from domain.inbox.reading import ConversationListItem, MessageView
from domain.whatsapp.inbound import StatusUpdate
from graphql_api.accounts.types import User
from graphql_api.context import Context
from graphql_api.flows.types import FlowSession
from graphql_api.node.types import Node
from graphql_api.queues.types import Queue
from graphql_api.whatsapp.types import WhatsAppNumber

MEDIA_TYPES = frozenset({"image", "video", "audio", "document", "sticker"})


@strawberry.enum(description="Who wrote a message.")
class MessageDirection(Enum):
    INBOUND = strawberry.enum_value("inbound", description="The customer wrote it.")
    OUTBOUND = strawberry.enum_value("outbound", description="The business sent it.")


@strawberry.enum(description="Where a message stands. It only moves forward.")
class MessageStatus(Enum):
    PENDING = strawberry.enum_value(
        "pending", description="In PyTake's outbox, or accepted by Meta and not yet sent."
    )
    SENT = strawberry.enum_value("sent", description="Meta sent it to WhatsApp.")
    FAILED = strawberry.enum_value("failed", description="It will not arrive; see `error`.")
    DELIVERED = strawberry.enum_value(
        "delivered", description="On the customer's phone (inbound messages are delivered)."
    )
    READ = strawberry.enum_value("read", description="The customer opened it.")
    PLAYED = strawberry.enum_value("played", description="The customer played the voice note.")


@strawberry.enum(description="An open conversation is being handled; resolved ones are done.")
class ConversationStatus(Enum):
    OPEN = strawberry.enum_value("open", description="Waiting for or in handling.")
    PENDING = strawberry.enum_value("pending", description="Waiting on the customer.")
    RESOLVED = strawberry.enum_value(
        "resolved", description="Done; the customer's next message opens a new conversation."
    )
    CLOSED = strawberry.enum_value("closed", description="Done and archived.")


@strawberry.type(description="A WhatsApp user who wrote to one of the organization's numbers.")
class Contact:
    id: strawberry.ID = strawberry.field(description="PyTake's id of the contact.")
    wa_id: str | None = strawberry.field(
        description="The WhatsApp id (phone number in international form, digits only). Absent "
        "for users who reached the business by username only."
    )
    user_id: str | None = strawberry.field(
        description="Meta's business-scoped user id: stable even when the phone number changes."
    )
    profile_name: str | None = strawberry.field(description="The name in their WhatsApp profile.")
    username: str | None = strawberry.field(description="Their WhatsApp username, if any.")
    created_at: datetime = strawberry.field(description="First seen (UTC).")

    @classmethod
    def from_domain(cls, contact: ContactModel) -> Contact:
        return cls(
            id=strawberry.ID(str(contact.id)),
            wa_id=contact.wa_id,
            user_id=contact.user_id,
            profile_name=contact.profile_name,
            username=contact.username,
            created_at=contact.created_at,
        )


@strawberry.type(description="A text message.")
class TextContent:
    body: str = strawberry.field(description="The text.")
    preview_url: bool = strawberry.field(
        description="Whether WhatsApp shows a preview of the first link (outbound only)."
    )


@strawberry.type(
    description="An image, video, audio, document or sticker. Its bytes stay at Meta until "
    "downloaded through PyTake's media endpoint."
)
class MediaContent:
    media_type: str = strawberry.field(description="image, video, audio, document or sticker.")
    media_id: str | None = strawberry.field(description="Meta's media id.")
    link: str | None = strawberry.field(description="The URL it was sent from (outbound only).")
    mime_type: str | None = strawberry.field(description="As Meta reported it.")
    sha256: str | None = strawberry.field(description="Meta's checksum of the file.")
    caption: str | None = strawberry.field(description="The caption, if any.")
    filename: str | None = strawberry.field(description="A document's file name.")
    voice: bool = strawberry.field(description="True for a recorded voice note.")


@strawberry.type(description="A shared location.")
class LocationContent:
    latitude: float | None = strawberry.field(description="Degrees north.")
    longitude: float | None = strawberry.field(description="Degrees east.")
    name: str | None = strawberry.field(description="The place's name.")
    address: str | None = strawberry.field(description="The place's address.")


@strawberry.type(description="Shared contact cards.")
class ContactsContent:
    contacts: JSON = strawberry.field(description="The cards, in Meta's shape.")


@strawberry.type(description="A reaction; it is also listed in the `reactions` of its message.")
class ReactionContent:
    emoji: str = strawberry.field(description="The emoji; empty when a reaction was removed.")
    message_wamid: str | None = strawberry.field(description="The wamid reacted to.")


@strawberry.type(description="The customer tapped a reply button or chose a list row.")
class InteractiveReplyContent:
    reply_type: str = strawberry.field(description="button_reply or list_reply.")
    id: str | None = strawberry.field(description="The id the business gave the choice.")
    title: str | None = strawberry.field(description="The choice's title as shown.")
    description: str | None = strawberry.field(description="A list row's description.")


@strawberry.type(
    description="The customer completed a WhatsApp Flow (a form in the chat): its answers."
)
class FlowReplyContent:
    flow_name: str | None = strawberry.field(description="The Flow's name, as Meta reports it.")
    text: str | None = strawberry.field(description="The text WhatsApp shows for the answer.")
    response: JSON | None = strawberry.field(
        description="The answers, Meta's response_json read as an object (field names are the "
        "Flow's own, with its flow_token); null when Meta's text was not a JSON object."
    )
    response_json: str = strawberry.field(description="The answers exactly as Meta sent them.")


@strawberry.type(
    description="The customer answered a request to call them on WhatsApp (Meta's "
    "call_permission_reply)."
)
class CallPermissionReplyContent:
    accepted: bool = strawberry.field(description="True when the customer allowed calls.")
    permanent: bool = strawberry.field(
        description="True when the permission does not expire (until the customer revokes it)."
    )
    expires_at: datetime | None = strawberry.field(
        description="When a temporary permission ends; null for permanent ones and refusals."
    )
    response_source: str | None = strawberry.field(
        description="user_action when the customer answered the request, automatic when "
        "WhatsApp granted it because the customer called the business."
    )


@strawberry.type(description="One product of an order, as the customer's cart listed it.")
class OrderItem:
    product_retailer_id: str = strawberry.field(description="The product's id in the catalog.")
    quantity: float = strawberry.field(description="How many.")
    item_price: float = strawberry.field(description="The price of one, in `currency`.")
    currency: str | None = strawberry.field(description="ISO 4217 code, e.g. BRL.")


@strawberry.type(description="The customer sent a cart from the business's catalog.")
class OrderContent:
    catalog_id: str | None = strawberry.field(description="The catalog the products are from.")
    text: str | None = strawberry.field(description="The customer's note with the order.")
    items: list[OrderItem] = strawberry.field(description="The products ordered.")


@strawberry.type(
    description="The customer deleted this message for everyone; nothing of it is kept."
)
class DeletedContent:
    deleted_at: datetime = strawberry.field(description="When the customer deleted it (UTC).")


@strawberry.type(description="The catalog product a customer wrote about.")
class ReferredProduct:
    catalog_id: str | None = strawberry.field(description="The product's catalog.")
    product_retailer_id: str = strawberry.field(description="The product's id in the catalog.")


@strawberry.type(description="A reply button the business offered.")
class ReplyButton:
    id: str = strawberry.field(description="The id returned when the customer taps it.")
    title: str = strawberry.field(description="The label (20 characters at most).")


@strawberry.type(description="Reply buttons or a list the business sent.")
class InteractiveContent:
    interactive_type: str = strawberry.field(description="button or list.")
    body: str = strawberry.field(description="The message text.")
    header: str | None = strawberry.field(description="The text header, if any.")
    footer: str | None = strawberry.field(description="The footer, if any.")
    buttons: list[ReplyButton] = strawberry.field(description="Reply buttons (button type).")
    list_button: str | None = strawberry.field(description="The list's button label.")
    sections: JSON = strawberry.field(description="The list's sections and rows, Meta's shape.")


@strawberry.type(description="The customer tapped a template's quick-reply button.")
class QuickReplyContent:
    text: str | None = strawberry.field(description="The button's label.")
    payload: str | None = strawberry.field(description="The payload the template gave it.")


@strawberry.type(description="A template the business sent.")
class TemplateContent:
    name: str = strawberry.field(description="The template's name.")
    language: str = strawberry.field(description="The template's language code.")
    parameters: list[str] = strawberry.field(description="The body parameters, in order.")
    text: str | None = strawberry.field(
        description="The body as the customer read it, placeholders filled in."
    )


@strawberry.type(description="A notice from WhatsApp, e.g. the customer changed numbers.")
class SystemContent:
    text: str | None = strawberry.field(description="WhatsApp's notice.")
    system_type: str | None = strawberry.field(description="e.g. user_changed_number.")
    new_wa_id: str | None = strawberry.field(description="The customer's new WhatsApp id.")
    identity: JSON | None = strawberry.field(
        description="For customer_identity_changed: what Meta sent about the customer's new "
        "identity, unchanged."
    )


@strawberry.type(
    description="A message WhatsApp or PyTake cannot show (unsupported types, orders): kept "
    "with Meta's error so nothing is lost."
)
class UnsupportedContent:
    unsupported_type: str | None = strawberry.field(description="The type Meta reported.")
    errors: JSON = strawberry.field(description="Meta's errors for it, if any.")
    raw: JSON = strawberry.field(description="The message as Meta sent it.")


MessageContent = Annotated[
    TextContent
    | MediaContent
    | LocationContent
    | ContactsContent
    | ReactionContent
    | InteractiveReplyContent
    | FlowReplyContent
    | CallPermissionReplyContent
    | OrderContent
    | InteractiveContent
    | QuickReplyContent
    | TemplateContent
    | SystemContent
    | DeletedContent
    | UnsupportedContent,
    strawberry.union("MessageContent", description="What a message says, typed by its kind."),
]


def _time(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def _referred_product(value: object) -> ReferredProduct | None:
    if not isinstance(value, dict) or not isinstance(value.get("productRetailerId"), str):
        return None
    return ReferredProduct(
        catalog_id=value.get("catalogId"), product_retailer_id=value["productRetailerId"]
    )


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def content_of(message: MessageModel) -> Any:
    """Typed by kind; a stored content that does not fit its type (rows from before ingestion
    checked types) reads as UnsupportedContent rather than failing the whole page."""
    c = message.content
    kind = message.type
    deleted_at = c.get("deletedAt")
    if isinstance(deleted_at, str):
        return DeletedContent(deleted_at=datetime.fromisoformat(deleted_at))
    if kind == "text":
        return TextContent(body=str(c.get("body", "")), preview_url=bool(c.get("previewUrl")))
    if kind in MEDIA_TYPES:
        return MediaContent(
            media_type=kind,
            media_id=c.get("mediaId"),
            link=c.get("link"),
            mime_type=c.get("mimeType"),
            sha256=c.get("sha256"),
            caption=c.get("caption"),
            filename=c.get("filename"),
            voice=bool(c.get("voice")),
        )
    if kind == "location" and all(_is_number(c.get(key)) for key in ("latitude", "longitude")):
        return LocationContent(
            latitude=c.get("latitude"),
            longitude=c.get("longitude"),
            name=c.get("name"),
            address=c.get("address"),
        )
    if kind == "contacts":
        return ContactsContent(contacts=cast(JSON, c.get("contacts", [])))
    if kind == "reaction":
        return ReactionContent(emoji=str(c.get("emoji") or ""), message_wamid=c.get("messageId"))
    if kind == "interactive" and c.get("kind") == "nfm_reply":
        return FlowReplyContent(
            flow_name=c.get("name"),
            text=c.get("body"),
            response=cast(JSON, c.get("response")),
            response_json=str(c.get("responseJson", "")),
        )
    if kind == "interactive" and c.get("kind") == "call_permission_reply":
        return CallPermissionReplyContent(
            accepted=c.get("response") == "accept",
            permanent=bool(c.get("permanent")),
            expires_at=_time(c.get("expiresAt")),
            response_source=c.get("responseSource"),
        )
    if kind == "order" and isinstance(c.get("items"), list):
        return OrderContent(
            catalog_id=c.get("catalogId"),
            text=c.get("text"),
            items=[
                OrderItem(
                    product_retailer_id=str(item.get("productRetailerId")),
                    quantity=float(item.get("quantity", 0)),
                    item_price=float(item.get("itemPrice", 0)),
                    currency=item.get("currency"),
                )
                for item in c["items"]
            ],
        )
    if kind == "interactive" and c.get("kind") in ("button_reply", "list_reply"):
        return InteractiveReplyContent(
            reply_type=str(c["kind"]),
            id=c.get("id"),
            title=c.get("title"),
            description=c.get("description"),
        )
    if kind == "interactive":
        return InteractiveContent(
            interactive_type=str(c.get("kind", "")),
            body=str(c.get("body", "")),
            header=c.get("header"),
            footer=c.get("footer"),
            buttons=[ReplyButton(id=b["id"], title=b["title"]) for b in c.get("buttons", [])],
            list_button=c.get("button"),
            sections=cast(JSON, c.get("sections", [])),
        )
    if kind == "button":
        return QuickReplyContent(text=c.get("text"), payload=c.get("payload"))
    if kind == "template":
        return TemplateContent(
            name=str(c.get("name", "")),
            language=str(c.get("language", "")),
            parameters=[str(p.get("value", "")) for p in c.get("parameters", [])],
            text=c.get("text"),
        )
    if kind == "system":
        return SystemContent(
            text=c.get("body"),
            system_type=c.get("kind"),
            new_wa_id=c.get("newWaId"),
            identity=cast(JSON, c.get("identity")),
        )
    return UnsupportedContent(
        unsupported_type=c.get("unsupportedType", kind),
        errors=cast(JSON, c.get("errors", [])),
        raw=cast(JSON, c.get("raw", c)),
    )


@strawberry.type(description="Why a message failed, in the shape of Meta's errors.")
class MessageError:
    code: int | None = strawberry.field(description="Meta's error code, when there is one.")
    title: str | None = strawberry.field(description="Meta's title for the code.")
    message: str = strawberry.field(description="What happened, in words an agent can act on.")
    details: str | None = strawberry.field(description="Meta's details, when given.")

    @classmethod
    def from_error(cls, error: dict[str, Any]) -> MessageError:
        data = error.get("error_data")
        details = data.get("details") if isinstance(data, dict) else None
        return cls(
            code=error.get("code"),
            title=error.get("title"),
            message=str(error.get("message") or error.get("title") or "unknown error"),
            details=details or None,
        )


@strawberry.type(description="One status Meta reported for a message, with its time.")
class MessageStatusChange:
    status: MessageStatus = strawberry.field(description="The status reported.")
    at: datetime = strawberry.field(description="When it happened, by Meta's clock (UTC).")
    pricing: StatusPricing | None = strawberry.field(
        description="How Meta prices the message, given with `sent` and one later status."
    )
    conversation: StatusConversation | None = strawberry.field(
        description="Meta's conversation the message opened or fell in, when Meta gives it."
    )

    @classmethod
    def from_update(cls, update: StatusUpdate) -> MessageStatusChange:
        return cls(
            status=MessageStatus(update.status.value),
            at=update.occurred_at,
            pricing=StatusPricing.of(update.pricing),
            conversation=StatusConversation.of(update.conversation),
        )


@strawberry.type(description="Meta's pricing of a message (reference §2.3).")
class StatusPricing:
    type: str | None = strawberry.field(
        description="regular, free_customer_service or free_entry_point."
    )
    category: str | None = strawberry.field(
        description="authentication, marketing, marketing_lite, service, utility ..."
    )
    model: str | None = strawberry.field(description="PMP (per message), or CBP before 2025-07.")
    billable: bool | None = strawberry.field(
        description="Meta's flag, which Meta deprecates in favour of type and category."
    )

    @classmethod
    def of(cls, pricing: dict[str, Any] | None) -> StatusPricing | None:
        if not pricing:
            return None
        billable = pricing.get("billable")
        return cls(
            type=_optional_text(pricing.get("type")),
            category=_optional_text(pricing.get("category")),
            model=_optional_text(pricing.get("pricing_model")),
            billable=billable if isinstance(billable, bool) else None,
        )


@strawberry.type(description="Meta's conversation a message belongs to, for billing.")
class StatusConversation:
    id: str | None = strawberry.field(description="Meta's conversation id.")
    origin_type: str | None = strawberry.field(
        description="What opened it: service, marketing, utility, authentication ..."
    )
    expires_at: datetime | None = strawberry.field(description="When it ends, given on `sent`.")

    @classmethod
    def of(cls, conversation: dict[str, Any] | None) -> StatusConversation | None:
        if not conversation:
            return None
        origin = conversation.get("origin")
        expiry = conversation.get("expiration_timestamp")
        try:
            expires_at = datetime.fromtimestamp(int(str(expiry)), tz=UTC) if expiry else None
        except (ValueError, OverflowError, OSError):
            expires_at = None
        return cls(
            id=_optional_text(conversation.get("id")),
            origin_type=_optional_text(origin.get("type")) if isinstance(origin, dict) else None,
            expires_at=expires_at,
        )


def _optional_text(value: object) -> str | None:
    return value if isinstance(value, str) else None


@strawberry.enum(description="Who wrote a message.")
class SenderKind(Enum):
    CONTACT = strawberry.enum_value("contact", description="The customer.")
    AGENT = strawberry.enum_value("agent", description="A PyTake user; see `userId`.")
    AUTOMATION = strawberry.enum_value(
        "automation", description="PyTake itself: a flow or another automation."
    )


@strawberry.type(description="The author of a message.")
class MessageSender:
    kind: SenderKind = strawberry.field(description="Customer, agent or automation.")
    user_id: strawberry.ID | None = strawberry.field(description="The agent, for AGENT.")


@strawberry.type(description="A reaction to a message.")
class Reaction:
    emoji: str = strawberry.field(description="The emoji.")
    direction: MessageDirection = strawberry.field(
        description="INBOUND when the customer reacted, OUTBOUND when the business did."
    )
    at: datetime = strawberry.field(description="When (UTC).")


def sender_of(message: MessageModel) -> MessageSender:
    if message.direction.value == "inbound":
        return MessageSender(kind=SenderKind.CONTACT, user_id=None)
    if message.sender_user_id is not None:
        return MessageSender(
            kind=SenderKind.AGENT, user_id=strawberry.ID(str(message.sender_user_id))
        )
    return MessageSender(kind=SenderKind.AUTOMATION, user_id=None)


@strawberry.enum(description="How the customer feels in a message (decision 0027).")
class SentimentLabel(Enum):
    NEGATIVE = strawberry.enum_value("negative", description="Unhappy, angry, disappointed.")
    NEUTRAL = strawberry.enum_value("neutral", description="A request or a fact, no feeling.")
    POSITIVE = strawberry.enum_value("positive", description="Pleased, thankful.")


@strawberry.enum(description="Where a conversation's sentiment is heading.")
class SentimentTrend(Enum):
    IMPROVING = strawberry.enum_value(
        "improving", description="The latest score is 0.2 or more above the few before it."
    )
    STEADY = strawberry.enum_value("steady", description="Within 0.2 of the few before it.")
    WORSENING = strawberry.enum_value(
        "worsening", description="The latest score is 0.2 or more below the few before it."
    )


@strawberry.type(description="The sentiment PyTake read in one customer text, locally.")
class Sentiment:
    label: SentimentLabel = strawberry.field(description="Negative, neutral or positive.")
    score: float = strawberry.field(
        description="From -1 (most negative) to 1 (most positive); negative at -0.05 and "
        "below, positive at 0.05 and above."
    )

    @classmethod
    def from_domain(cls, sentiment: DomainSentiment) -> Sentiment:
        return cls(label=SentimentLabel(sentiment.label.value), score=sentiment.score)


@strawberry.type(description="What PyTake read in a customer's text message.")
class MessageSentiment(Sentiment):
    language: str = strawberry.field(
        description="The language it was read in: pt-BR or en (the organization's own when "
        "the text is too short to tell)."
    )
    scored_at: datetime = strawberry.field(description="When it was scored (UTC).")


@strawberry.type(description="How the customer of a conversation feels now, and the direction.")
class ConversationSentiment:
    current: Sentiment = strawberry.field(description="Their latest scored text's sentiment.")
    trend: SentimentTrend = strawberry.field(
        description="The latest score against the mean of the up to three before it."
    )
    message_id: strawberry.ID = strawberry.field(description="The latest scored message.")
    updated_at: datetime = strawberry.field(description="When it was last scored (UTC).")


@strawberry.type(description="What a customer text was read as wanting, locally.")
class MessageIntent:
    name: str = strawberry.field(description="The intent (see `intents`).")
    confidence: float = strawberry.field(
        description="The model's probability for it, 0 to 1; a flow's intent node goes "
        "'unsure' below its threshold."
    )
    model_version: int = strawberry.field(description="The intent model version that read it.")


@strawberry.type(description="A message of a conversation, either way.")
class Message:
    id: strawberry.ID = strawberry.field(description="PyTake's id of the message.")
    wamid: str | None = strawberry.field(
        description="Meta's message id; null until Meta accepted an outbound message."
    )
    direction: MessageDirection = strawberry.field(description="Who wrote it.")
    sender: MessageSender = strawberry.field(
        description="The customer, the agent who sent it, or an automation."
    )
    type: str = strawberry.field(description="Meta's message type (text, image, button ...).")
    content: MessageContent = strawberry.field(description="What it says, typed by its kind.")
    status: MessageStatus = strawberry.field(description="Where it stands now.")
    status_history: list[MessageStatusChange] = strawberry.field(
        description="Every status Meta reported, oldest first."
    )
    error: MessageError | None = strawberry.field(description="Why it failed, if it did.")
    reactions: list[Reaction] = strawberry.field(
        description="The current reaction of the customer and of the business, if any."
    )
    reply_to_wamid: str | None = strawberry.field(
        description="The wamid of the message it replies to (quotes)."
    )
    reply_to_id: strawberry.ID | None = strawberry.field(
        description="PyTake's id of the message it replies to, when PyTake has it."
    )
    forwarded: bool = strawberry.field(description="The customer forwarded it.")
    referral: JSON | None = strawberry.field(
        description="The ad or post the customer came from (Click-to-WhatsApp), Meta's shape."
    )
    sent_at: datetime = strawberry.field(
        description="When it was written: Meta's time for inbound, queueing time for outbound."
    )
    edited_at: datetime | None = strawberry.field(
        description="When the customer last edited it; its content is the edited one."
    )
    referred_product: ReferredProduct | None = strawberry.field(
        description="The catalog product the customer wrote about, from its 'Message business' "
        "button."
    )
    ingestion_notes: list[str] = strawberry.field(
        description="What PyTake changed or could not read when it stored this inbound "
        "message: NUL or lone surrogate characters replaced with U+FFFD (the database cannot "
        "hold them), or a "
        "field that did not fit its type, in which case the content is UnsupportedContent "
        "with Meta's raw object. Empty for almost every message."
    )
    sentiment: MessageSentiment | None = strawberry.field(
        description="The customer's feeling in a text message, read by PyTake's own models "
        "soon after it arrived; null for other messages and until it is scored (follow "
        "conversationUpdated's `sentiment` change)."
    )
    intent: MessageIntent | None = strawberry.field(
        description="What the customer wants in a text message, by the organization's intent "
        "model, read with its sentiment; null for other messages, until it is read, and when "
        "the organization has no trained model."
    )

    @classmethod
    def from_view(cls, view: MessageView) -> Message:
        message = view.message
        return cls(
            id=strawberry.ID(str(message.id)),
            wamid=message.wamid,
            direction=MessageDirection(message.direction.value),
            sender=sender_of(message),
            type=message.type,
            content=content_of(message),
            status=MessageStatus(message.status.value),
            status_history=[MessageStatusChange.from_update(s) for s in view.status_history],
            error=MessageError.from_error(message.error) if message.error else None,
            reactions=[
                Reaction(
                    emoji=str(r.content.get("emoji")),
                    direction=MessageDirection(r.direction.value),
                    at=r.sent_at,
                )
                for r in view.reactions
            ],
            reply_to_wamid=message.context_wamid,
            reply_to_id=strawberry.ID(str(view.reply_to_id)) if view.reply_to_id else None,
            forwarded=message.forwarded,
            referral=cast(JSON, message.referral) if message.referral else None,
            sent_at=message.sent_at,
            edited_at=_time(message.content.get("editedAt")),
            referred_product=_referred_product(message.content.get("referredProduct")),
            ingestion_notes=[str(note) for note in message.content.get("notes", [])],
            sentiment=MessageSentiment(
                label=SentimentLabel(view.signals.sentiment.label.value),
                score=view.signals.sentiment.score,
                language=view.signals.language,
                scored_at=view.signals.scored_at,
            )
            if view.signals
            else None,
            intent=MessageIntent(
                name=view.signals.intent.name,
                confidence=view.signals.intent.confidence,
                model_version=view.signals.intent_model_version or 0,
            )
            if view.signals and view.signals.intent
            else None,
        )


@strawberry.enum(description="Who answers the customer now.")
class ConversationOwner(Enum):
    AGENT = strawberry.enum_value("agent", description="An agent holds it: see `assignee`.")
    PEOPLE = strawberry.enum_value(
        "people",
        description="Handed to people (a flow's transfer, or a supervisor took the agent off) "
        "and waiting for an agent; no bot answers it until it is resolved.",
    )
    BOT = strawberry.enum_value("bot", description="A flow is running in it: see `flowSession`.")
    NOBODY = strawberry.enum_value(
        "nobody", description="No one: the customer's next message goes to the flows."
    )


@strawberry.type(
    description="The exchange between one contact and one of the organization's numbers."
)
class Conversation(Node):
    id: strawberry.ID = strawberry.field(description="PyTake's id of the conversation.")
    status: ConversationStatus = strawberry.field(description="Where the conversation stands.")
    contact: Contact = strawberry.field(description="Who the business talks to.")
    number: WhatsAppNumber | None = strawberry.field(
        description="The business number; null once it has been disconnected."
    )
    assignee: User | None = strawberry.field(
        description="The agent handling it; null while no human owns it."
    )
    queue: Queue | None = strawberry.field(
        description="The queue it was last routed to (by a flow or a transfer), kept after it "
        "is served so that the queue's agents keep seeing it; null when it never entered one "
        "or the queue was deleted."
    )
    last_message: Message | None = strawberry.field(description="The latest message either way.")
    unread_count: int = strawberry.field(description="Customer messages not yet marked read.")
    labels: list[str] = strawberry.field(description="Labels agents gave it.")
    window_open: bool = strawberry.field(
        description="True while free-form messages may be sent: less than 24 hours since the "
        "customer's last message. Outside it only approved templates can be sent."
    )
    window_expires_at: datetime | None = strawberry.field(
        description="When the 24-hour customer-service window closes (UTC); null when the "
        "customer has not written yet."
    )
    snoozed_until: datetime | None = strawberry.field(
        description="A PENDING conversation's snooze: when it wants attention again (UTC)."
    )
    last_message_at: datetime | None = strawberry.field(
        description="Time of the latest message either way (UTC)."
    )
    handed_off_at: datetime | None = strawberry.field(
        description="When a human last took it over (assignment); first response time counts "
        "from here."
    )
    first_human_reply_at: datetime | None = strawberry.field(
        description="The assignee's first reply after the latest handoff (bot replies never count)."
    )
    resolved_at: datetime | None = strawberry.field(description="When it was resolved (UTC).")
    created_at: datetime = strawberry.field(description="When it opened (UTC).")
    updated_at: datetime = strawberry.field(description="When it last changed (UTC).")
    owner: ConversationOwner = strawberry.field(description="Who answers the customer now.")
    flow_session: FlowSession | None = strawberry.field(
        description="The flow session running in it, if any (its steps are for supervisors)."
    )
    sentiment: ConversationSentiment | None = strawberry.field(
        description="How its customer feels, from their latest scored texts; null until one "
        "is scored."
    )

    @classmethod
    def from_item(cls, item: ConversationListItem, now: datetime) -> Conversation:
        view = item.view
        conversation = view.conversation
        return cls(
            id=strawberry.ID(str(conversation.id)),
            status=ConversationStatus(conversation.status.value),
            contact=Contact.from_domain(view.contact),
            number=WhatsAppNumber.from_domain(view.number) if view.number else None,
            assignee=User.from_domain(item.assignee) if item.assignee else None,
            queue=Queue.from_domain(view.queue) if view.queue else None,
            last_message=Message.from_view(item.last_message) if item.last_message else None,
            unread_count=conversation.unread_count,
            labels=list(conversation.labels),
            window_open=conversation.window_open(now),
            window_expires_at=conversation.window_expires_at,
            snoozed_until=conversation.snoozed_until,
            last_message_at=conversation.last_message_at,
            handed_off_at=conversation.handed_off_at,
            first_human_reply_at=conversation.first_human_reply_at,
            resolved_at=conversation.resolved_at,
            created_at=conversation.created_at,
            updated_at=conversation.updated_at,
            owner=_owner(item),
            flow_session=FlowSession.from_domain(item.flow_session) if item.flow_session else None,
            sentiment=ConversationSentiment(
                current=Sentiment.from_domain(item.sentiment.current),
                trend=SentimentTrend(item.sentiment.trend.value),
                message_id=strawberry.ID(str(item.sentiment.message_id)),
                updated_at=item.sentiment.updated_at,
            )
            if item.sentiment
            else None,
        )


def _owner(item: ConversationListItem) -> ConversationOwner:
    conversation = item.view.conversation
    if conversation.assignee_id is not None:
        return ConversationOwner.AGENT
    if conversation.owned_by_people:
        return ConversationOwner.PEOPLE
    return ConversationOwner.BOT if item.flow_session else ConversationOwner.NOBODY


@strawberry.type(description="An internal note on a conversation; customers never see it.")
class ConversationNote:
    id: strawberry.ID = strawberry.field(description="PyTake's id of the note.")
    author_id: strawberry.ID = strawberry.field(description="The user who wrote it.")
    body: str = strawberry.field(description="The note.")
    created_at: datetime = strawberry.field(description="When it was written (UTC).")

    @classmethod
    def from_domain(cls, note: Note) -> ConversationNote:
        return cls(
            id=strawberry.ID(str(note.id)),
            author_id=strawberry.ID(str(note.author_id)),
            body=note.body,
            created_at=note.created_at,
        )


@strawberry.type(description="How many of the caller's conversations have a status.")
class StatusCount:
    status: ConversationStatus = strawberry.field(description="The status.")
    count: int = strawberry.field(description="Conversations with it now.")


@strawberry.type(
    description="The inbox in numbers, over the conversations the caller may see. Counts are "
    "the current state; the medians cover the period asked for."
)
class ConversationStats:
    by_status: list[StatusCount] = strawberry.field(description="Conversations per status, now.")
    unread_total: int = strawberry.field(
        description="Unread customer messages in OPEN and PENDING conversations, now."
    )
    waiting_for_first_human_reply: int = strawberry.field(
        description="OPEN or PENDING conversations handed to a human (assigned) who has not "
        "replied since the handoff. Conversations only a bot has answered are not counted as "
        "answered."
    )
    median_first_response_seconds: float | None = strawberry.field(
        description="Median time from the latest handoff to a human (assignment) to that "
        "human's first reply, over first replies sent in the period. It does not count from the "
        "conversation's or the bot's start, and bot replies never count as human replies. Null "
        "when there were none."
    )
    first_responses: int = strawberry.field(
        description="How many first replies the median is taken over."
    )
    median_resolution_seconds: float | None = strawberry.field(
        description="Median time from a conversation's opening to its resolution, over "
        "conversations resolved in the period. Null when there were none."
    )
    resolutions: int = strawberry.field(
        description="How many resolutions the median is taken over."
    )

    @classmethod
    def from_domain(cls, stats: reading.ConversationStats) -> ConversationStats:
        return cls(
            by_status=[
                StatusCount(status=ConversationStatus(status.value), count=count)
                for status, count in sorted(stats.by_status.items())
            ],
            unread_total=stats.unread_total,
            waiting_for_first_human_reply=stats.waiting_for_first_human_reply,
            median_first_response_seconds=stats.median_first_response.total_seconds()
            if stats.median_first_response
            else None,
            first_responses=stats.first_responses,
            median_resolution_seconds=stats.median_resolution.total_seconds()
            if stats.median_resolution
            else None,
            resolutions=stats.resolutions,
        )


async def load_conversation(
    info: strawberry.Info[Context, None], conversation_id: UUID
) -> Conversation | None:
    """As the inbox shows it, or null when the caller may not see it; the conversations asked
    for in one request are read together (a queue monitor shows hundreds)."""
    context = info.context
    loader = context.loaders.get("conversations")
    if loader is None:

        async def load(ids: list[UUID]) -> list[ConversationListItem | None]:
            found = await context.services.conversations.conversations(context.actor, ids)
            return [found.get(conversation_id) for conversation_id in ids]

        loader = DataLoader(load, cache=False)
        context.loaders["conversations"] = loader
    item = await cast(DataLoader[UUID, ConversationListItem | None], loader).load(conversation_id)
    return Conversation.from_item(item, context.services.clock.now()) if item else None
