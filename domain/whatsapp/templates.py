"""Message templates: Meta's approved messages, the only ones allowed outside the 24-hour
window (reference §8, §9). PyTake keeps a copy per WABA so that sends and flows can be checked
against a template's placeholders before Meta sees them."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.errors import InvalidInput
from domain.whatsapp.outbound import (
    NAMED,
    POSITIONAL,
    TemplateButton,
    TemplateHeader,
    TemplatePlaceholders,
    placeholders,
)

NAME = re.compile(r"^[a-z0-9_]{1,512}$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2,4})?$")
CATEGORIES = frozenset({"MARKETING", "UTILITY", "AUTHENTICATION"})
PARAMETER_FORMATS = frozenset({"positional", "named"})
HEADER_FORMATS = frozenset({"TEXT", "IMAGE", "VIDEO", "DOCUMENT", "LOCATION"})
MEDIA_HEADERS = frozenset({"IMAGE", "VIDEO", "DOCUMENT"})
BUTTON_TYPES = frozenset({"QUICK_REPLY", "URL", "PHONE_NUMBER", "COPY_CODE", "OTP", "FLOW"})
APPROVED = "APPROVED"
MAX_BODY = 1024
MAX_HEADER_TEXT = 60
MAX_FOOTER = 60
MAX_BUTTONS = 10
MAX_BUTTON_TEXT = 25
ADJACENT_PLACEHOLDERS = re.compile(r"\}\}\s*\{\{")


@dataclass(frozen=True)
class Template:
    id: UUID
    organization_id: UUID
    waba_id: str
    meta_id: str | None
    name: str
    language: str
    category: str
    status: str
    parameter_format: str
    components: list[dict[str, Any]]
    rejection_reason: str | None
    created_at: datetime
    updated_at: datetime

    def component(self, kind: str) -> dict[str, Any] | None:
        for component in self.components:
            if str(component.get("type", "")).upper() == kind:
                return component
        return None

    @property
    def body_text(self) -> str:
        body = self.component("BODY")
        return str(body.get("text", "")) if body else ""

    @property
    def body_parameters(self) -> TemplatePlaceholders:
        """What a sender must fill in: the names or positions of the body's placeholders."""
        return placeholders(self.body_text)

    @property
    def approved(self) -> bool:
        return self.status == APPROVED

    def check_send(
        self, header: TemplateHeader | None, buttons: tuple[TemplateButton, ...]
    ) -> None:
        """The header and button parameters a send gives must be the ones this template takes."""
        definition = self.component("HEADER") or {}
        header_format = str(definition.get("format", "TEXT")).upper() if definition else None
        header_text = str(definition.get("text", ""))
        takes_text = header_format == "TEXT" and bool(
            POSITIONAL.search(header_text) or NAMED.search(header_text)
        )
        expected = "text" if takes_text else (header_format or "").lower()
        if header_format in MEDIA_HEADERS or takes_text:
            if header is None or header.kind != expected:
                raise InvalidInput(
                    f"template '{self.name}' needs a {expected} header parameter",
                    field="template.header",
                )
        elif header is not None:
            raise InvalidInput(
                f"template '{self.name}' takes no header parameter", field="template.header"
            )
        defined = (self.component("BUTTONS") or {}).get("buttons", [])
        given = {button.index: button for button in buttons}
        for index, button in enumerate(defined):
            kind = str(button.get("type", "")).upper()
            dynamic_url = kind == "URL" and "{{" in str(button.get("url", ""))
            parameter = given.pop(index, None)
            if dynamic_url and (parameter is None or not parameter.url_suffix):
                raise InvalidInput(
                    f"button {index} of template '{self.name}' is a URL with a placeholder: "
                    "give its url suffix",
                    field=f"template.buttons[{index}]",
                )
            if parameter is not None and kind == "QUICK_REPLY" and parameter.payload is None:
                raise InvalidInput(
                    f"button {index} of template '{self.name}' is a quick reply: give a payload",
                    field=f"template.buttons[{index}]",
                )
            if parameter is not None and kind not in ("QUICK_REPLY", "URL"):
                raise InvalidInput(
                    f"button {index} of template '{self.name}' ({kind}) takes no parameter",
                    field=f"template.buttons[{index}]",
                )
        if given:
            raise InvalidInput(
                f"template '{self.name}' has no button {min(given)}",
                field=f"template.buttons[{min(given)}]",
            )


@dataclass(frozen=True)
class TemplateFilter:
    status: str | None = None
    category: str | None = None
    language: str | None = None
    search: str | None = None

    def matches(self, template: Template) -> bool:
        if self.status and template.status != self.status.upper():
            return False
        if self.category and template.category != self.category.upper():
            return False
        if self.language and template.language != self.language:
            return False
        needle = (self.search or "").strip().lower()
        return not needle or needle in template.name or needle in template.body_text.lower()


def from_meta(organization_id: UUID, waba_id: str, item: dict[str, Any], now: datetime) -> Template:
    """A template as Meta lists it (reference §9)."""
    components = [c for c in item.get("components", []) if isinstance(c, dict)]
    body = next((c for c in components if str(c.get("type", "")).upper() == "BODY"), {})
    parameter_format = str(item.get("parameter_format") or "").lower()
    if parameter_format not in PARAMETER_FORMATS:
        parameter_format = placeholders(str(body.get("text", ""))).format
    return Template(
        id=uuid.uuid4(),
        organization_id=organization_id,
        waba_id=waba_id,
        meta_id=str(item["id"]) if item.get("id") is not None else None,
        name=str(item.get("name", "")),
        language=str(item.get("language", "")),
        category=str(item.get("category", "")).upper(),
        status=str(item.get("status", "PENDING")).upper(),
        parameter_format=parameter_format,
        components=components,
        rejection_reason=item.get("rejected_reason") if item.get("rejected_reason") else None,
        created_at=now,
        updated_at=now,
    )


def merged(existing: Template | None, incoming: Template) -> Template:
    """Keep PyTake's id and creation time for a template it already knew."""
    if existing is None:
        return incoming
    return replace(incoming, id=existing.id, created_at=existing.created_at)


@dataclass(frozen=True)
class TemplateDefinition:
    """A template to submit to Meta for review."""

    name: str
    category: str
    language: str
    body: str
    body_examples: list[str] | dict[str, str]
    header_text: str | None = None
    footer: str | None = None
    quick_replies: tuple[str, ...] = ()

    def to_meta(self) -> dict[str, Any]:
        """Meta's create-template request body, checked against Meta's rules first."""
        name = self.name.strip()
        if not NAME.match(name):
            raise InvalidInput(
                "a template name uses lowercase letters, digits and underscores only (at most 512)",
                field="name",
            )
        category = self.category.strip().upper()
        if category not in CATEGORIES:
            raise InvalidInput(
                f"the category must be one of {', '.join(sorted(CATEGORIES))}", field="category"
            )
        if not LANGUAGE.match(self.language.strip()):
            raise InvalidInput(
                f"'{self.language}' is not a WhatsApp language code such as en or pt_BR",
                field="language",
            )
        body, parameter_format = self._body()
        components: list[dict[str, Any]] = []
        if self.header_text is not None:
            components.append(self._header())
        components.append(body)
        if self.footer is not None:
            footer = self.footer.strip()
            _length(footer, MAX_FOOTER, "footer")
            if POSITIONAL.search(footer) or NAMED.search(footer):
                raise InvalidInput("a footer takes no placeholders", field="footer")
            components.append({"type": "FOOTER", "text": footer})
        if self.quick_replies:
            components.append(self._buttons())
        return {
            "name": name,
            "category": category,
            "language": self.language.strip(),
            "parameter_format": parameter_format,
            "components": components,
        }

    def _body(self) -> tuple[dict[str, Any], str]:
        text = self.body.strip()
        _length(text, MAX_BODY, "body")
        found = placeholders(text)
        component: dict[str, Any] = {"type": "BODY", "text": text}
        if POSITIONAL.search(text) and NAMED.search(text):
            raise InvalidInput("a body uses {{1}} or {{name}} placeholders, not both", field="body")
        if found.names:
            _placement(text, "body")
        if found.format == "positional" and found.names:
            expected = [str(i) for i in range(1, len(found.names) + 1)]
            if found.names != expected:
                raise InvalidInput(
                    f"positional placeholders must be numbered {{{{1}}}} to "
                    f"{{{{{len(found.names)}}}}} without gaps (found {found.names})",
                    field="body",
                )
            if not isinstance(self.body_examples, list) or len(self.body_examples) != len(
                found.names
            ):
                raise InvalidInput(
                    f"give one example value per placeholder ({len(found.names)})",
                    field="bodyExamples",
                )
            component["example"] = {"body_text": [list(self.body_examples)]}
        elif found.names:
            examples = self.body_examples if isinstance(self.body_examples, dict) else {}
            missing = [name for name in found.names if not examples.get(name)]
            if missing:
                raise InvalidInput(
                    f"give an example value for each named placeholder: missing {missing}",
                    field="bodyExamples",
                )
            component["example"] = {
                "body_text_named_params": [
                    {"param_name": name, "example": examples[name]} for name in found.names
                ]
            }
        elif self.body_examples:
            raise InvalidInput("the body has no placeholders to give examples for", field="body")
        return component, found.format if found.names else "positional"

    def _header(self) -> dict[str, Any]:
        header = (self.header_text or "").strip()
        _length(header, MAX_HEADER_TEXT, "headerText")
        if POSITIONAL.search(header) or NAMED.search(header):
            raise InvalidInput(
                "header placeholders are not supported by PyTake yet", field="headerText"
            )
        return {"type": "HEADER", "format": "TEXT", "text": header}

    def _buttons(self) -> dict[str, Any]:
        if len(self.quick_replies) > MAX_BUTTONS:
            raise InvalidInput(
                f"a template has at most {MAX_BUTTONS} buttons", field="quickReplies"
            )
        for index, text in enumerate(self.quick_replies):
            _length(text.strip(), MAX_BUTTON_TEXT, f"quickReplies[{index}]")
        return {
            "type": "BUTTONS",
            "buttons": [{"type": "QUICK_REPLY", "text": t.strip()} for t in self.quick_replies],
        }


def _length(value: str, maximum: int, field: str) -> None:
    if not value:
        raise InvalidInput(f"'{field}' must not be empty", field=field)
    if len(value) > maximum:
        raise InvalidInput(
            f"'{field}' has {len(value)} characters; Meta allows {maximum}", field=field
        )


def _placement(text: str, field: str) -> None:
    """Meta rejects these as INVALID_FORMAT after review; refusing them now saves a day."""
    if text.startswith("{{") or text.endswith("}}"):
        raise InvalidInput(
            f"the {field} may not start or end with a placeholder: add text around it",
            field=field,
        )
    if ADJACENT_PLACEHOLDERS.search(text):
        raise InvalidInput(
            f"the {field} has placeholders next to each other: separate them with text",
            field=field,
        )


def approved_names(templates: Iterable[Template]) -> list[str]:
    return sorted({f"{t.name} ({t.language})" for t in templates if t.approved})
