"""What a flow's texts can say about the conversation: `{{contact.name}}`, `{{contact.phone}}`,
`{{message.text}}` and `{{vars.<name>}}`, and how answers to questions are checked."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from domain.flows.model import AnswerKind, Question, normalize

PLACEHOLDER = re.compile(r"\{\{\s*(contact|vars|message)\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
SUBJECT = re.compile(r"^(contact|vars|message)\.([A-Za-z_][A-Za-z0-9_]*)$")
CONTACT_FIELDS = frozenset({"name", "phone"})
MESSAGE_FIELDS = frozenset({"text"})
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


@dataclass(frozen=True)
class Scope:
    contact_name: str | None
    contact_phone: str
    variables: Mapping[str, Any]
    message_text: str | None = None

    def value(self, subject: str) -> Any:
        """The value a `contact.x`, `vars.x` or `message.text` subject names, or None."""
        matched = SUBJECT.match(subject.strip())
        if matched is None:
            return None
        return self.lookup(matched.group(1), matched.group(2))

    def lookup(self, namespace: str, name: str) -> Any:
        if namespace == "vars":
            return self.variables.get(name)
        if namespace == "contact":
            return {"name": self.contact_name, "phone": self.contact_phone}.get(name)
        return self.message_text if name == "text" else None


def interpolate(text: str, scope: Scope) -> str:
    """Fills placeholders in; one with no value becomes empty rather than showing braces."""

    def fill(placeholder: re.Match[str]) -> str:
        value = scope.lookup(placeholder.group(1), placeholder.group(2))
        return "" if value is None else str(value)

    return PLACEHOLDER.sub(fill, text)


def referenced_variables(text: str) -> set[str]:
    return {name for namespace, name in PLACEHOLDER.findall(text) if namespace == "vars"}


def unknown_fields(text: str) -> set[str]:
    """`contact.x` and `message.x` placeholders that name no field."""
    unknown = set()
    for namespace, name in PLACEHOLDER.findall(text):
        if (namespace == "contact" and name not in CONTACT_FIELDS) or (
            namespace == "message" and name not in MESSAGE_FIELDS
        ):
            unknown.add(f"{namespace}.{name}")
    return unknown


def check_answer(question: Question, text: str, contact_phone: str | None = None) -> str | None:
    """The answer as it is stored (numbers, emails, phones and dates normalised), or None when
    it does not answer the question. A local phone number is read in the contact's country."""
    answer = text.strip()
    if not answer:
        return None
    match question.answer:
        case AnswerKind.TEXT:
            return answer
        case AnswerKind.NUMBER:
            try:
                number = float(answer.replace(" ", "").replace(",", "."))
            except ValueError:
                return None
            return str(int(number)) if number.is_integer() else str(number)
        case AnswerKind.EMAIL:
            try:
                return validate_email(answer, check_deliverability=False).normalized
            except EmailNotValidError:
                return None
        case AnswerKind.PHONE:
            return _phone(answer, region_of(contact_phone) if contact_phone else None)
        case AnswerKind.DATE:
            return _date(answer)
        case AnswerKind.OPTION:
            return _option(question.options, answer)


def _phone(answer: str, default_region: str | None) -> str | None:
    try:
        parsed = phonenumbers.parse(answer, default_region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _date(answer: str) -> str | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(answer, pattern).date().isoformat()
        except ValueError:
            continue
    try:
        return date.fromisoformat(answer).isoformat()
    except ValueError:
        return None


def _option(options: tuple[str, ...], answer: str) -> str | None:
    """An option by its text (case and accents aside) or by its number in the list."""
    said = normalize(answer)
    for option in options:
        if normalize(option) == said:
            return option
    if said.isdigit() and 1 <= int(said) <= len(options):
        return options[int(said) - 1]
    return None


def region_of(phone: str) -> str | None:
    """The contact's country, so that a local number given in answer can be understood."""
    try:
        parsed = phonenumbers.parse("+" + phone.lstrip("+"))
    except phonenumbers.NumberParseException:
        return None
    region = phonenumbers.region_code_for_number(parsed)
    return region if region and region != "ZZ" else None


def json_path(document: Any, path: str) -> Any:
    """`order.status` or `items.0.name` in a decoded JSON document; None when absent."""
    current = document
    for part in path.split("."):
        if isinstance(current, dict):
            current = current.get(part)
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return None
    return current
