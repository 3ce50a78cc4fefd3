"""Payloads for Meta's send endpoint (reference §5), checked against Meta's limits before they
leave, so a bad message fails here with a precise error instead of at Meta.

Limits are the documented ones: reply buttons (3, titles 20, ids 256, body 1024, footer 60),
lists (10 sections, 10 rows in all, button 20, section and row titles 24, row description 72,
row id 200, body 4096, header and footer 60), media captions 1024.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from domain.errors import InvalidInput

MEDIA_KINDS = frozenset({"image", "video", "audio", "document", "sticker"})
CAPTIONED_MEDIA = frozenset({"image", "video", "document"})
MAX_TEXT_BODY = 4096
MAX_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_BUTTON_ID = 256
MAX_BUTTONS_BODY = 1024
MAX_FOOTER = 60
MAX_HEADER_TEXT = 60
MAX_LIST_BODY = 4096
MAX_LIST_BUTTON = 20
MAX_SECTIONS = 10
MAX_ROWS = 10
MAX_SECTION_TITLE = 24
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72
MAX_ROW_ID = 200
MAX_CAPTION = 1024
E164_DIGITS = re.compile(r"^[1-9][0-9]{6,14}$")
POSITIONAL = re.compile(r"\{\{\s*(\d+)\s*\}\}")
NAMED = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}")


@dataclass(frozen=True)
class ReplyButton:
    id: str
    title: str


@dataclass(frozen=True)
class ListRow:
    id: str
    title: str
    description: str | None = None


@dataclass(frozen=True)
class ListSection:
    title: str | None
    rows: list[ListRow]


def _limit(value: str, maximum: int, field: str, minimum: int = 1) -> str:
    if len(value) < minimum:
        raise InvalidInput(f"{field} must not be empty", field=field)
    if len(value) > maximum:
        raise InvalidInput(
            f"{field} must have at most {maximum} characters (it has {len(value)})", field=field
        )
    return value


def recipient(wa_id: str) -> str:
    """Meta wants + and the country code; without the +, it prepends the business's own."""
    digits = re.sub(r"[\s()+-]", "", wa_id)
    if not E164_DIGITS.match(digits):
        raise InvalidInput(f"'{wa_id}' is not a phone number in international form", field="to")
    return f"+{digits}"


def _envelope(to: str, kind: str, body: dict[str, Any], reply_to: str | None) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": recipient(to),
        "type": kind,
        kind: body,
    }
    if reply_to:
        payload["context"] = {"message_id": reply_to}
    return payload


def text_payload(
    to: str, body: str, preview_url: bool = False, reply_to: str | None = None
) -> dict[str, Any]:
    _limit(body, MAX_TEXT_BODY, "text.body")
    return _envelope(to, "text", {"preview_url": preview_url, "body": body}, reply_to)


def _header_and_footer(interactive: dict[str, Any], header: str | None, footer: str | None) -> None:
    if header is not None:
        interactive["header"] = {
            "type": "text",
            "text": _limit(header, MAX_HEADER_TEXT, "interactive.header.text"),
        }
    if footer is not None:
        interactive["footer"] = {"text": _limit(footer, MAX_FOOTER, "interactive.footer.text")}


def buttons_payload(
    to: str,
    body: str,
    buttons: list[ReplyButton],
    header: str | None = None,
    footer: str | None = None,
    reply_to: str | None = None,
) -> dict[str, Any]:
    if not 1 <= len(buttons) <= MAX_BUTTONS:
        raise InvalidInput(
            f"reply buttons need 1 to {MAX_BUTTONS} buttons (there are {len(buttons)})",
            field="interactive.action.buttons",
        )
    titles = [button.title for button in buttons]
    if len(set(titles)) != len(titles):
        raise InvalidInput("reply button titles must be unique", field="interactive.action.buttons")
    interactive: dict[str, Any] = {
        "type": "button",
        "body": {"text": _limit(body, MAX_BUTTONS_BODY, "interactive.body.text")},
        "action": {
            "buttons": [
                {
                    "type": "reply",
                    "reply": {
                        "id": _limit(
                            b.id, MAX_BUTTON_ID, f"interactive.action.buttons[{i}].reply.id"
                        ),
                        "title": _limit(
                            b.title,
                            MAX_BUTTON_TITLE,
                            f"interactive.action.buttons[{i}].reply.title",
                        ),
                    },
                }
                for i, b in enumerate(buttons)
            ]
        },
    }
    _header_and_footer(interactive, header, footer)
    return _envelope(to, "interactive", interactive, reply_to)


def list_payload(
    to: str,
    body: str,
    button: str,
    sections: list[ListSection],
    header: str | None = None,
    footer: str | None = None,
    reply_to: str | None = None,
) -> dict[str, Any]:
    if not 1 <= len(sections) <= MAX_SECTIONS:
        raise InvalidInput(
            f"a list needs 1 to {MAX_SECTIONS} sections (there are {len(sections)})",
            field="interactive.action.sections",
        )
    rows = sum(len(section.rows) for section in sections)
    if not 1 <= rows <= MAX_ROWS:
        raise InvalidInput(
            f"a list holds 1 to {MAX_ROWS} rows across all sections (there are {rows})",
            field="interactive.action.sections",
        )
    rendered_sections = []
    for s, section in enumerate(sections):
        path = f"interactive.action.sections[{s}]"
        rendered: dict[str, Any] = {"rows": []}
        if section.title is not None:
            rendered["title"] = _limit(section.title, MAX_SECTION_TITLE, f"{path}.title")
        elif len(sections) > 1:
            raise InvalidInput(
                f"{path}.title is required when a list has several sections", field=f"{path}.title"
            )
        for r, row in enumerate(section.rows):
            item = {
                "id": _limit(row.id, MAX_ROW_ID, f"{path}.rows[{r}].id"),
                "title": _limit(row.title, MAX_ROW_TITLE, f"{path}.rows[{r}].title"),
            }
            if row.description is not None:
                item["description"] = _limit(
                    row.description, MAX_ROW_DESCRIPTION, f"{path}.rows[{r}].description"
                )
            rendered["rows"].append(item)
        rendered_sections.append(rendered)
    interactive: dict[str, Any] = {
        "type": "list",
        "body": {"text": _limit(body, MAX_LIST_BODY, "interactive.body.text")},
        "action": {
            "button": _limit(button, MAX_LIST_BUTTON, "interactive.action.button"),
            "sections": rendered_sections,
        },
    }
    _header_and_footer(interactive, header, footer)
    return _envelope(to, "interactive", interactive, reply_to)


def media_payload(
    to: str,
    kind: str,
    media_id: str | None = None,
    link: str | None = None,
    caption: str | None = None,
    filename: str | None = None,
    reply_to: str | None = None,
) -> dict[str, Any]:
    if kind not in MEDIA_KINDS:
        raise InvalidInput(f"'{kind}' is not a media type Meta sends", field="type")
    if (media_id is None) == (link is None):
        raise InvalidInput("give exactly one of a media id or a link", field=f"{kind}.id")
    if link is not None and not link.startswith(("https://", "http://")):
        raise InvalidInput("the media link must be an http(s) URL", field=f"{kind}.link")
    media: dict[str, Any] = {"id": media_id} if media_id is not None else {"link": link}
    if caption is not None:
        if kind not in CAPTIONED_MEDIA:
            raise InvalidInput(f"{kind} messages take no caption", field=f"{kind}.caption")
        media["caption"] = _limit(caption, MAX_CAPTION, f"{kind}.caption")
    if filename is not None:
        if kind != "document":
            raise InvalidInput("only documents have a filename", field=f"{kind}.filename")
        media["filename"] = filename
    return _envelope(to, kind, media, reply_to)


def reaction_payload(to: str, message_id: str, emoji: str) -> dict[str, Any]:
    """An empty emoji removes a reaction."""
    return _envelope(to, "reaction", {"message_id": message_id, "emoji": emoji}, None)


def mark_read_payload(message_id: str, typing: bool = False) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "status": "read",
        "message_id": message_id,
    }
    if typing:
        payload["typing_indicator"] = {"type": "text"}
    return payload


@dataclass(frozen=True)
class TemplatePlaceholders:
    format: str
    """positional ({{1}}, {{2}}...) or named ({{first_name}})."""
    names: list[str]


def placeholders(text: str) -> TemplatePlaceholders:
    """What parameters a template text takes, so senders can be checked before Meta does."""
    positional = POSITIONAL.findall(text)
    if positional:
        return TemplatePlaceholders("positional", sorted(set(positional), key=int))
    return TemplatePlaceholders("named", list(dict.fromkeys(NAMED.findall(text))))


@dataclass(frozen=True)
class TemplateHeader:
    """The parameter of a template's header: its text placeholder, or its image, video or
    document (by uploaded media id or by link)."""

    kind: str
    text: str | None = None
    media_id: str | None = None
    link: str | None = None
    filename: str | None = None

    def component(self) -> dict[str, Any]:
        if self.kind == "text":
            text = _limit(self.text or "", MAX_HEADER_TEXT, "template.header.text")
            return {"type": "header", "parameters": [{"type": "text", "text": text}]}
        media = media_payload(
            "10000000", self.kind, self.media_id, self.link, filename=self.filename
        )[self.kind]
        return {"type": "header", "parameters": [{"type": self.kind, self.kind: media}]}


@dataclass(frozen=True)
class TemplateButton:
    """The parameter of one of a template's buttons: a quick reply's payload (returned when the
    customer taps it) or the dynamic suffix of a URL button."""

    index: int
    payload: str | None = None
    url_suffix: str | None = None

    def component(self) -> dict[str, Any]:
        if self.payload is not None:
            sub_type, parameter = "quick_reply", {"type": "payload", "payload": self.payload}
        else:
            sub_type, parameter = "url", {"type": "text", "text": self.url_suffix or ""}
        return {
            "type": "button",
            "sub_type": sub_type,
            "index": str(self.index),
            "parameters": [parameter],
        }


def template_payload(
    to: str,
    name: str,
    language: str,
    body_text: str,
    body_parameters: list[str] | dict[str, str],
    reply_to: str | None = None,
    header: TemplateHeader | None = None,
    buttons: tuple[TemplateButton, ...] = (),
) -> dict[str, Any]:
    """A template with body parameters checked against the template's own placeholders; the
    header and button parameters are checked against the template by Template.check_send."""
    expected = placeholders(body_text)
    if not expected.names:
        if body_parameters:
            raise InvalidInput(
                f"template '{name}' takes no body parameters; got {len(body_parameters)}",
                field="template.components.body",
            )
        parameters: list[dict[str, str]] = []
    elif isinstance(body_parameters, dict):
        if expected.format != "named" or set(body_parameters) != set(expected.names):
            raise InvalidInput(
                f"template '{name}' takes the body parameters {expected.names} "
                f"({expected.format}); got {sorted(body_parameters)}",
                field="template.components.body",
            )
        parameters = [
            {"type": "text", "parameter_name": key, "text": value}
            for key, value in body_parameters.items()
        ]
    else:
        if expected.format != "positional" or len(body_parameters) != len(expected.names):
            raise InvalidInput(
                f"template '{name}' takes {len(expected.names)} {expected.format} body "
                f"parameters; got {len(body_parameters)}",
                field="template.components.body",
            )
        parameters = [{"type": "text", "text": value} for value in body_parameters]
    template: dict[str, Any] = {"name": name, "language": {"code": language}}
    components = [header.component()] if header is not None else []
    if parameters:
        components.append({"type": "body", "parameters": parameters})
    components += [button.component() for button in buttons]
    if components:
        template["components"] = components
    return _envelope(to, "template", template, reply_to)
