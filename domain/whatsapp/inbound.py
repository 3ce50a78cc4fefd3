"""Meta's webhook payloads as typed commands (reference §2). Pure: no I/O, no clock.

Every entry, change, message and status is read (Meta batches up to 1,000 updates). A message
type PyTake does not know is kept as `unsupported` with its raw object, never dropped.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from domain.text import storable

MEDIA_TYPES = frozenset({"image", "video", "audio", "document", "sticker"})
REVISIONS = ("edit", "revoke")
"""A customer's edit or deletion of an earlier message: `edit{original_message_id, message}`,
`revoke{original_message_id}` (Meta's edit and revoke webhook references)."""
TYPED_KINDS = MEDIA_TYPES | {
    "text",
    "location",
    "reaction",
    "interactive",
    "button",
    "system",
    "order",
    *REVISIONS,
}
INTERACTIVE_REPLIES = ("button_reply", "list_reply")
FLOW_REPLY = "nfm_reply"
"""A WhatsApp Flow's answer: `interactive.nfm_reply{name, body, response_json}`, where
response_json is a JSON object as text."""
CALL_PERMISSION_REPLY = "call_permission_reply"
"""The customer's answer to a request to call them: `interactive.call_permission_reply
{response: accept | reject, is_permanent, expiration_timestamp, response_source}`; the expiry
comes only with a temporary grant, and `automatic` means the customer called the business."""
CALL_PERMISSION_RESPONSES = ("accept", "reject")
# A WhatsApp id is the customer's number, digits without "+" (reference §2.2).
WA_ID = re.compile(r"[0-9]{5,20}")


class MessageStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    PLAYED = "played"
    FAILED = "failed"

    @property
    def rank(self) -> int:
        return _STATUS_RANKS[self]


# `failed` sits between `sent` and `delivered`: nothing that only says "sent" undoes it, but
# Meta may report both `failed` and `delivered` for a user with several devices, and then the
# message did reach the customer. With one order the outcome no longer depends on arrival.
_STATUS_RANKS = {
    MessageStatus.PENDING: 0,
    MessageStatus.SENT: 10,
    MessageStatus.FAILED: 15,
    MessageStatus.DELIVERED: 20,
    MessageStatus.READ: 30,
    MessageStatus.PLAYED: 40,
}


def advance(current: MessageStatus, incoming: MessageStatus) -> MessageStatus | None:
    """The status a message moves to, or None when it stays: statuses never go backwards."""
    return incoming if incoming.rank > current.rank else None


@dataclass(frozen=True)
class Signer:
    """Whose app secret signed a delivery. The installation's secret speaks for every number;
    a number's own secret speaks only for the numbers that hold that very secret, so a tenant
    that sets its number's secret cannot sign traffic for another tenant's number."""

    phone_number_ids: frozenset[str] | None = None

    def covers(self, phone_number_id: str) -> bool:
        return self.phone_number_ids is None or phone_number_id in self.phone_number_ids


INSTALLATION = Signer()


@dataclass(frozen=True)
class InboundContact:
    wa_id: str | None
    user_id: str | None
    profile_name: str | None
    username: str | None


@dataclass(frozen=True)
class InboundMessage:
    wamid: str
    type: str
    content: dict[str, Any]
    sent_at: datetime
    from_wa_id: str | None
    from_user_id: str | None
    context_wamid: str | None = None
    forwarded: bool = False
    referral: dict[str, Any] | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class StatusUpdate:
    wamid: str
    status: MessageStatus
    occurred_at: datetime
    recipient_id: str | None
    errors: list[dict[str, Any]] = field(default_factory=list)
    pricing: dict[str, Any] | None = None
    conversation: dict[str, Any] | None = None
    """Meta's conversation {id, expiration_timestamp, origin{type}}, on sent and one later."""


@dataclass(frozen=True)
class NumberChange:
    """One `value` of a `messages` change: traffic for one business phone number."""

    phone_number_id: str
    display_phone_number: str | None
    contacts: list[InboundContact]
    messages: list[InboundMessage]
    statuses: list[StatusUpdate]
    errors: list[dict[str, Any]]

    def contact_for(self, message: InboundMessage) -> InboundContact:
        """contacts[] are not index-aligned with messages[]: match on wa_id or user id."""
        for contact in self.contacts:
            if message.from_user_id and contact.user_id == message.from_user_id:
                return contact
            if message.from_wa_id and contact.wa_id == message.from_wa_id:
                return contact
        return InboundContact(message.from_wa_id, message.from_user_id, None, None)


@dataclass(frozen=True)
class TemplateStatusChange:
    waba_id: str
    template_id: str
    name: str | None
    language: str | None
    event: str
    reason: str | None


@dataclass(frozen=True)
class ParsedDelivery:
    number_changes: list[NumberChange]
    template_changes: list[TemplateStatusChange]
    ignored_fields: list[str]
    problems: list[str]


def parse_delivery(payload: dict[str, Any]) -> ParsedDelivery:
    number_changes: list[NumberChange] = []
    template_changes: list[TemplateStatusChange] = []
    ignored: list[str] = []
    problems: list[str] = []
    for entry in _list(payload.get("entry")):
        waba_id = str(entry.get("id", ""))
        for change in _list(entry.get("changes")):
            field_name = change.get("field")
            value = change.get("value")
            if not isinstance(value, dict):
                problems.append(f"a '{field_name}' change has no value object")
                continue
            if field_name == "messages":
                parsed = _number_change(value, problems)
                if parsed is not None:
                    number_changes.append(parsed)
            elif field_name == "message_template_status_update":
                template_changes.append(_template_change(waba_id, value))
            else:
                ignored.append(str(field_name))
    return ParsedDelivery(number_changes, template_changes, ignored, problems)


CONVERSATION_KEY_LENGTH = 255


def conversation_keys(payload: dict[str, Any]) -> frozenset[str]:
    """The conversations a delivery's customer messages belong to, read when it is
    acknowledged: '<phone number id> wa:<wa_id>' and '<phone number id> user:<user id>' for
    each sender. The processor applies all of a key's backlog in one worker at a time, so
    each conversation takes its messages in Meta's order however workers share the backlog."""
    keys = set()
    for entry in _list(payload.get("entry")):
        for change in _list(entry.get("changes")):
            value = _object(change.get("value"))
            number = _text(_object(value.get("metadata")).get("phone_number_id"))
            raw_messages = _list(value.get("messages"))
            if change.get("field") != "messages" or number is None or not raw_messages:
                continue
            contacts = [_contact(raw) for raw in _list(value.get("contacts"))]
            for raw in raw_messages:
                wa_id, user_id = _sender(raw, contacts)
                if wa_id is not None:
                    keys.add(storable(f"{number} wa:{wa_id}")[0][:CONVERSATION_KEY_LENGTH])
                if user_id is not None:
                    keys.add(storable(f"{number} user:{user_id}")[0][:CONVERSATION_KEY_LENGTH])
    return frozenset(keys)


def _number_change(value: dict[str, Any], problems: list[str]) -> NumberChange | None:
    metadata = _object(value.get("metadata"))
    phone_number_id = metadata.get("phone_number_id")
    if not isinstance(phone_number_id, str):
        problems.append("a messages change has no metadata.phone_number_id")
        return None
    raw_messages = _list(value.get("messages"))
    value, replaced = storable({k: v for k, v in value.items() if k != "messages"})
    if replaced:
        problems.append(
            f"{replaced} NUL or lone surrogate characters replaced with U+FFFD in contacts or "
            "statuses"
        )
    contacts = [_contact(raw) for raw in _list(value.get("contacts"))]
    messages = []
    for raw in raw_messages:
        message = _message(raw, contacts)
        if message is None:
            problems.append("a message without an id was skipped")
        elif message.from_wa_id is None and message.from_user_id is None:
            # Kept in the delivery's stored body; no conversation can hold it without a sender.
            problems.append(
                f"message {message.wamid} names no sender (from, from_user_id, or a single "
                "contacts[] entry) and was not stored"
            )
        else:
            messages.append(message)
    statuses = []
    for raw in _list(value.get("statuses")):
        status = _status(raw)
        if status is None:
            problems.append(f"a status without id or with unknown status {raw.get('status')!r}")
        else:
            statuses.append(status)
    return NumberChange(
        phone_number_id=phone_number_id,
        display_phone_number=metadata.get("display_phone_number"),
        contacts=contacts,
        messages=messages,
        statuses=statuses,
        errors=_list(value.get("errors")),
    )


def _contact(raw: dict[str, Any]) -> InboundContact:
    profile = _object(raw.get("profile"))
    wa_id = _text(raw.get("wa_id"))
    # Cut to what the contacts table holds rather than lose the message over a long name.
    return InboundContact(
        wa_id=wa_id if wa_id is not None and WA_ID.fullmatch(wa_id) else None,
        user_id=_cut(_text(raw.get("user_id")), 160),
        profile_name=_cut(_text(profile.get("name")), 200),
        username=_cut(_text(profile.get("username")), 100),
    )


def _message(raw: dict[str, Any], contacts: list[InboundContact]) -> InboundMessage | None:
    raw, replaced = storable(raw)
    wamid = _text(raw.get("id"))
    if wamid is None:
        return None
    kind = str(raw.get("type") or "unknown")
    context = _object(raw.get("context"))
    message_type, content = _content(kind, raw)
    referred = _object(context.get("referred_product"))
    if isinstance(referred.get("product_retailer_id"), str):
        content["referredProduct"] = {
            "catalogId": _text(referred.get("catalog_id")),
            "productRetailerId": referred["product_retailer_id"],
        }
    notes = list(content.pop("notes", []))
    if replaced:
        notes.append(
            f"{replaced} NUL or lone surrogate characters were replaced with U+FFFD: the "
            "database cannot store them"
        )
    if notes:
        content["notes"] = notes
    from_wa_id, from_user_id = _sender(raw, contacts)
    return InboundMessage(
        wamid=wamid,
        type=message_type,
        content=content,
        sent_at=_timestamp(raw.get("timestamp")),
        from_wa_id=from_wa_id,
        from_user_id=from_user_id,
        # A reaction is attached to the message it reacts to, like a reply to the one it quotes.
        context_wamid=_text(context.get("id")) or _text(content.get("messageId")),
        forwarded=bool(context.get("forwarded") or context.get("frequently_forwarded")),
        referral=_object(raw.get("referral")) or None,
        errors=_list(raw.get("errors")),
    )


def _sender(raw: dict[str, Any], contacts: list[InboundContact]) -> tuple[str | None, str | None]:
    """The customer's wa_id and business-scoped user id, either possibly missing."""
    from_wa_id = _text(raw.get("from"))
    if from_wa_id is not None and not WA_ID.fullmatch(from_wa_id):
        from_wa_id = None
    from_user_id = _text(raw.get("from_user_id"))
    if from_wa_id is None and from_user_id is None and len(contacts) == 1:
        # Meta's BSUID-only shape names the customer in contacts[] alone.
        from_wa_id, from_user_id = contacts[0].wa_id, contacts[0].user_id
    return from_wa_id, from_user_id


def _content(kind: str, raw: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The typed content of a message; what does not fit its type is kept as unsupported with
    its raw object and the reason, so one malformed field never poisons a conversation."""
    problem = _content_problem(kind, _object(raw.get(kind)), raw)
    if problem is not None:
        return _unsupported(kind, raw, problem)
    return _typed_content(kind, raw)


def _content_problem(kind: str, body: dict[str, Any], raw: dict[str, Any]) -> str | None:
    if kind in TYPED_KINDS and not isinstance(raw.get(kind), dict):
        return f"'{kind}' has no {kind} object"
    if kind == "text" and not isinstance(body.get("body"), str):
        return "text.body is not a string"
    if kind in MEDIA_TYPES and not isinstance(body.get("id"), str):
        return f"{kind}.id is not a string"
    if kind == "location":
        for key in ("latitude", "longitude"):
            if not _is_number(body.get(key)):
                return f"location.{key} is not a number"
    if kind == "reaction" and not isinstance(body.get("message_id"), str):
        return "reaction.message_id is not a string"
    if kind == "interactive":
        return _interactive_problem(body)
    if kind == "order":
        return _order_problem(body)
    if kind in REVISIONS and not isinstance(body.get("original_message_id"), str):
        return f"{kind}.original_message_id is not a string"
    if kind == "edit" and not isinstance(body.get("message"), dict):
        return "edit.message is not an object"
    return None


def _interactive_problem(body: dict[str, Any]) -> str | None:
    reply_type = body.get("type")
    reply = _object(body.get(reply_type)) if isinstance(reply_type, str) else {}
    if reply_type == FLOW_REPLY:
        if not isinstance(reply.get("response_json"), str):
            return "interactive.nfm_reply.response_json is not a string"
        return None
    if reply_type == CALL_PERMISSION_REPLY:
        return _call_permission_problem(reply)
    if reply_type not in INTERACTIVE_REPLIES:
        return f"interactive type {str(reply_type)[:40]!r} is not a reply PyTake reads"
    if not isinstance(reply.get("id"), str):
        return f"interactive.{reply_type}.id is not a string"
    return None


def _call_permission_problem(reply: dict[str, Any]) -> str | None:
    if reply.get("response") not in CALL_PERMISSION_RESPONSES:
        return "interactive.call_permission_reply.response is neither accept nor reject"
    expiry = reply.get("expiration_timestamp")
    if expiry is not None and _epoch_seconds(expiry) is None:
        return "interactive.call_permission_reply.expiration_timestamp is not a time"
    if not isinstance(reply.get("is_permanent", False), bool):
        return "interactive.call_permission_reply.is_permanent is not a boolean"
    return None


def _order_problem(body: dict[str, Any]) -> str | None:
    items = body.get("product_items")
    if not isinstance(items, list):
        return "order.product_items is not a list"
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("product_retailer_id"), str):
            return "an order item has no product_retailer_id"
        if not _is_number(item.get("quantity")) or not _is_number(item.get("item_price")):
            return "an order item's quantity or item_price is not a number"
    return None


def _unsupported(kind: str, raw: dict[str, Any], reason: str | None) -> tuple[str, dict[str, Any]]:
    body = _object(raw.get(kind))
    unsupported_type = body.get("type") if kind in ("unsupported", "unknown") else kind
    content: dict[str, Any] = {
        "unsupportedType": unsupported_type if isinstance(unsupported_type, str) else None,
        "errors": _list(raw.get("errors")),
        "raw": {k: v for k, v in raw.items() if k not in ("from", "id", "timestamp")},
    }
    if reason is not None:
        content["notes"] = [reason]
    return "unsupported", content


def _typed_content(kind: str, raw: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    body = _object(raw.get(kind))
    if kind == "text":
        return kind, {"body": body["body"]}
    if kind in MEDIA_TYPES:
        return kind, {
            "mediaId": body.get("id"),
            "mimeType": body.get("mime_type"),
            "sha256": body.get("sha256"),
            "caption": body.get("caption"),
            "filename": body.get("filename"),
            "voice": body.get("voice"),
            "animated": body.get("animated"),
        }
    if kind == "location":
        keys = ("latitude", "longitude", "name", "address", "url")
        return kind, {key: body.get(key) for key in keys}
    if kind == "contacts":
        return kind, {"contacts": _list(raw.get("contacts"))}
    if kind == "reaction":
        return kind, {"messageId": body.get("message_id"), "emoji": body.get("emoji")}
    if kind == "interactive" and body.get("type") == FLOW_REPLY:
        return kind, _flow_reply(_object(body.get(FLOW_REPLY)))
    if kind == "interactive" and body.get("type") == CALL_PERMISSION_REPLY:
        return kind, _call_permission_reply(_object(body.get(CALL_PERMISSION_REPLY)))
    if kind == "interactive":
        reply_kind = str(body.get("type", ""))
        reply = _object(body.get(reply_kind))
        return kind, {
            "kind": reply_kind,
            "id": reply.get("id"),
            "title": reply.get("title"),
            "description": reply.get("description"),
        }
    if kind == "button":
        return kind, {"payload": body.get("payload"), "text": body.get("text")}
    if kind == "system":
        content = {
            "body": body.get("body"),
            "kind": body.get("type"),
            "newWaId": body.get("wa_id"),
        }
        # customer_identity_changed: kept as Meta sent it, whatever its shape.
        identity = raw.get("identity", body.get("identity"))
        if identity is not None:
            content["identity"] = identity
        return kind, content
    if kind == "revoke":
        return kind, {"originalWamid": body["original_message_id"]}
    if kind == "edit":
        edited = body["message"]
        new_type, new_content = _content(str(edited.get("type") or "unknown"), edited)
        return kind, {
            "originalWamid": body["original_message_id"],
            "type": new_type,
            "content": new_content,
        }
    if kind == "order":
        return kind, {
            "catalogId": _text(body.get("catalog_id")),
            "text": _text(body.get("text")),
            "items": [
                {
                    "productRetailerId": item["product_retailer_id"],
                    "quantity": item["quantity"],
                    "itemPrice": item["item_price"],
                    "currency": _text(item.get("currency")),
                }
                for item in body["product_items"]
            ],
        }
    return _unsupported(kind, raw, None)


def _call_permission_reply(reply: dict[str, Any]) -> dict[str, Any]:
    expiry = _epoch_seconds(reply.get("expiration_timestamp"))
    return {
        "kind": CALL_PERMISSION_REPLY,
        "response": reply["response"],
        "permanent": bool(reply.get("is_permanent", False)),
        "expiresAt": None if expiry is None else expiry.isoformat(),
        "responseSource": _text(reply.get("response_source")),
    }


def _flow_reply(reply: dict[str, Any]) -> dict[str, Any]:
    content: dict[str, Any] = {
        "kind": FLOW_REPLY,
        "name": _text(reply.get("name")),
        "body": _text(reply.get("body")),
        "responseJson": reply["response_json"],
    }
    try:
        response = json.loads(reply["response_json"])
    except (ValueError, RecursionError):
        response = None
    if isinstance(response, dict):
        content["response"] = response
    else:
        content["notes"] = ["the Flow's response_json is not a JSON object: kept as text"]
    return content


def _status(raw: dict[str, Any]) -> StatusUpdate | None:
    wamid = _text(raw.get("id"))
    try:
        status = MessageStatus(str(raw.get("status")))
    except ValueError:
        return None
    if wamid is None or status is MessageStatus.PENDING:
        return None
    return StatusUpdate(
        wamid=wamid,
        status=status,
        occurred_at=_timestamp(raw.get("timestamp")),
        recipient_id=_text(raw.get("recipient_id")),
        errors=_list(raw.get("errors")),
        pricing=_object(raw.get("pricing")) or None,
        conversation=_object(raw.get("conversation")) or None,
    )


def _template_change(waba_id: str, value: dict[str, Any]) -> TemplateStatusChange:
    return TemplateStatusChange(
        waba_id=waba_id,
        template_id=str(value.get("message_template_id", "")),
        name=_text(value.get("message_template_name")),
        language=_text(value.get("message_template_language")),
        event=str(value.get("event", "")),
        reason=_rejection(value),
    )


def _rejection(value: dict[str, Any]) -> str | None:
    """Meta's reason code, with the explanation and recommendation of rejection_info when Meta
    gives them (reference §9, template status webhook): enough to fix the template without
    opening WhatsApp Manager."""
    code = _text(value.get("reason"))
    info = _object(value.get("rejection_info"))
    explained = " ".join(
        text for text in (_text(info.get("reason")), _text(info.get("recommendation"))) if text
    )
    if not explained:
        return code
    return f"{code}: {explained}" if code and code != "NONE" else explained


def _cut(text: str | None, length: int) -> str | None:
    return text[:length] if text is not None else None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _epoch_seconds(value: Any) -> datetime | None:
    """Unix seconds, as a number or Meta's digit string; None for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (ValueError, OverflowError, OSError):
        return None


def _timestamp(value: Any) -> datetime:
    """Meta sends unix seconds as a string; a missing or garbled one reads as the epoch."""
    try:
        return datetime.fromtimestamp(int(str(value)), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return datetime.fromtimestamp(0, tz=UTC)
