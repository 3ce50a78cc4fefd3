"""Sending to a customer: checked against Meta's limits, the 24-hour window and the stored
template, then written to the outbox in the same transaction as the message it sends."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any, Generic, Protocol
from uuid import UUID

from domain.audit import AuditEntry
from domain.clock import Clock
from domain.conversations.events import MessageQueued
from domain.conversations.model import (
    Contact,
    Conversation,
    Direction,
    Message,
    OutboxItem,
    SendKind,
    conversation_updated,
)
from domain.conversations.ports import (
    ConversationsUnitOfWork,
    ConversationWork,
    Work,
    Work_contra,
)
from domain.errors import Conflict, InvalidInput, NotFound, WindowClosed
from domain.unit_of_work import UnitOfWorkFactory
from domain.whatsapp.inbound import MessageStatus
from domain.whatsapp.outbound import (
    ListSection,
    ReplyButton,
    TemplateButton,
    TemplateHeader,
    buttons_payload,
    list_payload,
    mark_read_payload,
    media_payload,
    reaction_payload,
    template_payload,
    text_payload,
)
from domain.whatsapp.templates import approved_names

DEFAULT_SEND_DEADLINE = timedelta(hours=1)


@dataclass(frozen=True)
class TextContent:
    body: str
    preview_url: bool = False


@dataclass(frozen=True)
class TemplateContent:
    name: str
    language: str
    parameters: list[str] | dict[str, str] = field(default_factory=list)
    header: TemplateHeader | None = None
    buttons: tuple[TemplateButton, ...] = ()


@dataclass(frozen=True)
class ButtonsContent:
    body: str
    buttons: list[ReplyButton]
    header: str | None = None
    footer: str | None = None


@dataclass(frozen=True)
class ListContent:
    body: str
    button: str
    sections: list[ListSection]
    header: str | None = None
    footer: str | None = None


@dataclass(frozen=True)
class MediaContent:
    kind: str
    media_id: str | None = None
    link: str | None = None
    caption: str | None = None
    filename: str | None = None


@dataclass(frozen=True)
class ReactionContent:
    message_id: UUID
    """PyTake's id of the message reacted to; an empty emoji removes the reaction."""
    emoji: str


OutgoingContent = (
    TextContent | TemplateContent | ButtonsContent | ListContent | MediaContent | ReactionContent
)


class TemplateSentListener(Protocol[Work_contra]):
    """Told, in the sending transaction, that the business sent a template to a customer:
    template-started flows begin here."""

    async def template_sent(
        self,
        uow: Work_contra,
        conversation: Conversation,
        contact: Contact,
        template: str,
    ) -> Conversation: ...


class MessageQueue:
    """Writes a checked message and its outbox row within a caller's transaction."""

    def __init__(self, clock: Clock, send_deadline: timedelta = DEFAULT_SEND_DEADLINE) -> None:
        self._clock = clock
        self._deadline = send_deadline

    async def queue(
        self,
        uow: ConversationsUnitOfWork,
        conversation: Conversation,
        contact: Contact,
        content: OutgoingContent,
        reply_to: UUID | None = None,
        *,
        sender_user_id: UUID | None = None,
        client_message_id: str | None = None,
    ) -> tuple[Message, Conversation]:
        """The message queued, and the conversation as it now is (saved)."""
        number = await uow.whatsapp_numbers.get(conversation.number_id)
        if number is None:
            raise InvalidInput(
                "the conversation's WhatsApp number is disconnected", field="conversationId"
            )
        now = self._clock.now()
        if not isinstance(content, TemplateContent) and not conversation.window_open(now):
            templates = await uow.templates.list_for(number.waba_id)
            raise WindowClosed(conversation.window_expires_at, approved_names(templates))
        to = _recipient(contact)
        context = await _wamid_of(uow, reply_to, "replyToId") if reply_to else None
        template_text = None
        if isinstance(content, TemplateContent):
            payload, template_text = await _template_payload(
                uow, number.waba_id, to, content, context
            )
        else:
            payload = await _payload(uow, to, content, context)
        kind = str(payload["type"])
        stored = stored_content(payload)
        if template_text is not None:
            # Kept as the customer reads it, placeholders filled in.
            stored["text"] = render(template_text, stored["parameters"])
        if kind == "reaction":
            context = str(payload["reaction"]["message_id"])
        message = Message(
            id=uuid.uuid4(),
            organization_id=conversation.organization_id,
            conversation_id=conversation.id,
            direction=Direction.OUTBOUND,
            wamid=None,
            type=kind,
            content=stored,
            status=MessageStatus.PENDING,
            sent_at=now,
            created_at=now,
            context_wamid=context,
            sender_user_id=sender_user_id,
            client_message_id=client_message_id,
        )
        if not await uow.messages.add_if_new(message):
            raise Conflict("a message with this clientMessageId exists", "clientMessageId")
        await uow.outbox.add(
            OutboxItem(
                organization_id=conversation.organization_id,
                number_id=number.id,
                message_id=message.id,
                recipient=to,
                kind=SendKind.MESSAGE,
                payload=payload,
                deadline=now + self._deadline,
                created_at=now,
            )
        )
        updated = conversation.sent(message.id, now, by_human=sender_user_id is not None)
        await uow.conversations.save(updated)
        uow.emit(
            MessageQueued(
                organization_id=conversation.organization_id,
                conversation_id=conversation.id,
                message_id=message.id,
                message_type=kind,
                assignee_id=conversation.assignee_id,
                queue_id=conversation.queue_id,
            )
        )
        return message, updated


class MessagingService(Generic[Work]):
    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory[Work],
        clock: Clock,
        send_deadline: timedelta = DEFAULT_SEND_DEADLINE,
        template_listener: TemplateSentListener[Work] | None = None,
        work: ConversationWork[Work] | None = None,
    ) -> None:
        self._uow = unit_of_work
        self._clock = clock
        self._deadline = send_deadline
        self._queue = MessageQueue(clock, send_deadline)
        self._template_listener = template_listener
        self._work = work

    async def send(
        self,
        organization_id: UUID,
        conversation_id: UUID,
        content: OutgoingContent,
        reply_to: UUID | None = None,
        *,
        sender_user_id: UUID | None = None,
        client_message_id: str | None = None,
        audit: AuditEntry | None = None,
    ) -> Message:
        """Without a sender the message is the system's; with one, an agent's."""
        async with self._uow(organization_id) as uow:
            conversation, contact = await self._conversation(uow, conversation_id)
            message, conversation = await self._queue.queue(
                uow,
                conversation,
                contact,
                content,
                reply_to,
                sender_user_id=sender_user_id,
                client_message_id=client_message_id,
            )
            if sender_user_id is not None and self._work is not None:
                await self._work.agent_replied(uow, conversation, sender_user_id, self._clock.now())
            if isinstance(content, TemplateContent) and self._template_listener is not None:
                await self._template_listener.template_sent(
                    uow, conversation, contact, content.name
                )
            if audit is not None:
                uow.audit(audit)
            await uow.commit()
        return message

    async def mark_read(
        self,
        organization_id: UUID,
        conversation_id: UUID,
        typing: bool = False,
        audit: AuditEntry | None = None,
    ) -> Conversation:
        """Clears the unread count and sends Meta's read receipt (with the typing indicator when
        asked) for the customer's latest message; Meta marks the earlier ones read with it."""
        async with self._uow(organization_id) as uow:
            conversation, contact = await self._conversation(uow, conversation_id)
            latest = await uow.messages.latest_inbound(conversation.id)
            now = self._clock.now()
            if latest is not None and latest.wamid is not None:
                await uow.outbox.add(
                    OutboxItem(
                        organization_id=organization_id,
                        number_id=conversation.number_id,
                        message_id=None,
                        recipient=contact.wa_id or contact.user_id or "",
                        kind=SendKind.READ_RECEIPT,
                        payload=mark_read_payload(latest.wamid, typing=typing),
                        deadline=now + self._deadline,
                        created_at=now,
                    )
                )
            updated = replace(conversation, unread_count=0, updated_at=now)
            await uow.conversations.save(updated)
            uow.emit(conversation_updated(updated, ("unreadCount",)))
            if audit is not None:
                uow.audit(audit)
            await uow.commit()
        return updated

    async def _conversation(
        self, uow: ConversationsUnitOfWork, conversation_id: UUID
    ) -> tuple[Conversation, Contact]:
        conversation = await uow.conversations.get(conversation_id)
        if conversation is None:
            raise NotFound("Conversation", conversation_id)
        contact = await uow.contacts.get(conversation.contact_id)
        if contact is None:
            raise NotFound("Contact", conversation.contact_id)
        return conversation, contact


async def _wamid_of(uow: ConversationsUnitOfWork, message_id: UUID, field_name: str) -> str:
    message = await uow.messages.get(message_id)
    if message is None:
        raise NotFound("Message", message_id)
    if message.wamid is None:
        raise InvalidInput(
            "that message has not reached WhatsApp yet, so it cannot be referred to",
            field=field_name,
        )
    return message.wamid


async def _payload(
    uow: ConversationsUnitOfWork,
    to: str,
    content: TextContent | ButtonsContent | ListContent | MediaContent | ReactionContent,
    context: str | None,
) -> dict[str, Any]:
    if isinstance(content, ReactionContent):
        target = await _wamid_of(uow, content.message_id, "reaction.messageId")
        return reaction_payload(to, target, content.emoji)
    return free_form_payload(to, content, context)


async def _template_payload(
    uow: ConversationsUnitOfWork,
    waba_id: str,
    to: str,
    content: TemplateContent,
    context: str | None,
) -> tuple[dict[str, Any], str]:
    """The payload, checked against the stored template, and the template's body text."""
    template = await uow.templates.find(waba_id, content.name, content.language)
    if template is None:
        raise NotFound("Template", f"{content.name} ({content.language})")
    if not template.approved:
        raise InvalidInput(
            f"template '{content.name}' ({content.language}) is {template.status}; "
            "only approved templates can be sent",
            field="template.name",
        )
    template.check_send(content.header, content.buttons)
    payload = template_payload(
        to,
        template.name,
        template.language,
        template.body_text,
        content.parameters,
        context,
        header=content.header,
        buttons=content.buttons,
    )
    return payload, template.body_text


def free_form_payload(
    to: str,
    content: TextContent | ButtonsContent | ListContent | MediaContent,
    reply_to: str | None = None,
) -> dict[str, Any]:
    """The Graph API payload of a message that needs the 24-hour window, checked against
    Meta's limits."""
    match content:
        case TextContent():
            return text_payload(to, content.body, content.preview_url, reply_to)
        case ButtonsContent():
            return buttons_payload(
                to, content.body, content.buttons, content.header, content.footer, reply_to
            )
        case ListContent():
            return list_payload(
                to,
                content.body,
                content.button,
                content.sections,
                content.header,
                content.footer,
                reply_to,
            )
        case MediaContent():
            return media_payload(
                to,
                content.kind,
                content.media_id,
                content.link,
                content.caption,
                content.filename,
                reply_to,
            )


def stored_content(payload: dict[str, Any]) -> dict[str, Any]:
    kind = str(payload["type"])
    body: dict[str, Any] = payload[kind]
    if kind == "text":
        return {"body": body["body"], "previewUrl": bool(body.get("preview_url"))}
    if kind == "reaction":
        return {"messageId": body["message_id"], "emoji": body["emoji"]}
    if kind == "template":
        parameters = [
            {"name": parameter.get("parameter_name"), "value": parameter.get("text")}
            for component in body.get("components", [])
            if component.get("type") == "body"
            for parameter in component.get("parameters", [])
        ]
        return {
            "name": body["name"],
            "language": body["language"]["code"],
            "parameters": parameters,
        }
    if kind == "interactive":
        action = body.get("action", {})
        return {
            "kind": body["type"],
            "body": body["body"]["text"],
            "header": (body.get("header") or {}).get("text"),
            "footer": (body.get("footer") or {}).get("text"),
            "buttons": [button["reply"] for button in action.get("buttons", [])],
            "button": action.get("button"),
            "sections": action.get("sections", []),
        }
    return {
        "mediaId": body.get("id"),
        "link": body.get("link"),
        "caption": body.get("caption"),
        "filename": body.get("filename"),
    }


def render(text: str, parameters: list[dict[str, Any]]) -> str:
    """A template's body with its placeholders filled in, positional or named."""
    values = {
        str(parameter["name"] or position): str(parameter["value"])
        for position, parameter in enumerate(parameters, start=1)
    }

    def fill(placeholder: re.Match[str]) -> str:
        return values.get(placeholder.group(1), placeholder.group(0))

    return re.sub(r"\{\{\s*([a-z0-9_]+)\s*\}\}", fill, text)


def _recipient(contact: Contact) -> str:
    if contact.wa_id is None:
        raise InvalidInput(
            "this contact reached the business without a phone number, so PyTake cannot "
            "address a message to it",
            field="conversationId",
        )
    return contact.wa_id
