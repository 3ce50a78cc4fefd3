"""What PyTake notifies people of: each type's name, category, severity and default, and the
short text a notification carries in the organization's language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from domain.accounts.model import MANAGER_ROLES, SUPERVISING_ROLES, Role
from domain.languages import DEFAULT_LANGUAGE

EVERYONE = frozenset(Role)


class Category(StrEnum):
    CONVERSATIONS = "conversations"
    QUEUES = "queues"
    AI = "ai"
    SYSTEM = "system"
    SECURITY = "security"


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    URGENT = "urgent"
    """May pass do-not-disturb and quiet hours, if the person allows it."""


@dataclass(frozen=True)
class NotificationType:
    name: str
    category: Category
    severity: Severity
    description: str
    on_by_default: bool
    subjects: dict[str, str]
    """The notification's text by language, with `{contact}`, `{queue}`, `{number}`,
    `{person}`, `{role}` or `{reason}` filled in from what it is about."""
    email_by_default: bool = False
    """In the e-mail digest unless the person says otherwise: what matters even to someone
    who is not looking at PyTake."""
    roles: frozenset[Role] = EVERYONE
    """Who can receive it: the preferences page offers a person only their role's types."""

    def subject(self, language: str, values: Mapping[str, str]) -> str:
        template = self.subjects.get(language) or self.subjects[DEFAULT_LANGUAGE]
        return template.format_map(_BlankWhereMissing(values))


class _BlankWhereMissing(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


CONVERSATION_ASSIGNED = NotificationType(
    "conversation_assigned",
    Category.CONVERSATIONS,
    Severity.INFO,
    "A conversation was given to you, by distribution or by someone else.",
    True,
    {"pt-BR": "Conversa com {contact} atribuída a você", "en": "{contact} was assigned to you"},
)
CONVERSATION_TAKEN_BACK = NotificationType(
    "conversation_taken_back",
    Category.CONVERSATIONS,
    Severity.WARNING,
    "A conversation was taken from you because you did not reply in time.",
    True,
    {
        "pt-BR": "A conversa com {contact} voltou para a fila: você não respondeu a tempo",
        "en": "{contact} went back to the queue: you did not reply in time",
    },
)
MESSAGE_WHILE_AWAY = NotificationType(
    "message_while_away",
    Category.CONVERSATIONS,
    Severity.INFO,
    "A customer wrote in a conversation of yours while your status was away, on a break or "
    "offline.",
    True,
    {"pt-BR": "Nova mensagem de {contact}", "en": "New message from {contact}"},
)
TRANSFER_INTO_MY_QUEUE = NotificationType(
    "transfer_into_my_queue",
    Category.QUEUES,
    Severity.INFO,
    "A conversation was transferred into a queue you answer.",
    True,
    {
        "pt-BR": "Conversa com {contact} transferida para a fila {queue}",
        "en": "{contact} was transferred to the {queue} queue",
    },
)
AI_ALERT = NotificationType(
    "ai_alert",
    Category.AI,
    Severity.URGENT,
    "A sentiment alert went off in a conversation of yours (or, unassigned, of your "
    "organization, for supervisors and up).",
    True,
    {"pt-BR": "Alerta: {contact} — {reason}", "en": "Alert: {contact} — {reason}"},
)
NUMBER_UNHEALTHY = NotificationType(
    "number_unhealthy",
    Category.SYSTEM,
    Severity.URGENT,
    "Meta refused a WhatsApp number's access token: its messages wait until it is replaced "
    "(owners and administrators).",
    True,
    {
        "pt-BR": "O número {number} parou de enviar: {reason}",
        "en": "The number {number} stopped sending: {reason}",
    },
    email_by_default=True,
    roles=MANAGER_ROLES,
)
TEMPLATE_UNUSABLE = NotificationType(
    "template_unusable",
    Category.SYSTEM,
    Severity.WARNING,
    "Meta rejected, paused or disabled a message template: flows and agents can no longer send "
    "it (owners and administrators).",
    True,
    {
        "pt-BR": "O modelo {template} ({language}) foi {status} pela Meta: {reason}",
        "en": "Meta {status} the template {template} ({language}): {reason}",
    },
    email_by_default=True,
    roles=MANAGER_ROLES,
)
ADMINISTRATOR_ADDED = NotificationType(
    "administrator_added",
    Category.SECURITY,
    Severity.WARNING,
    "Someone became an owner or administrator of your organization (owners and administrators).",
    True,
    {
        "pt-BR": "{person} agora é {role} da organização",
        "en": "{person} is now {role} of the organization",
    },
    email_by_default=True,
    roles=MANAGER_ROLES,
)

SIGN_IN_FAILURES = NotificationType(
    "sign_in_failures",
    Category.SECURITY,
    Severity.WARNING,
    "Someone failed to sign in as a person of your organization 5 times within 15 minutes (that "
    "person, and owners and administrators).",
    True,
    {
        "pt-BR": "{failures} tentativas de entrar como {person} falharam (a última de {address})",
        "en": "{failures} attempts to sign in as {person} failed (the last from {address})",
    },
    email_by_default=True,
)
REFRESH_TOKEN_REUSED = NotificationType(
    "refresh_token_reused",
    Category.SECURITY,
    Severity.URGENT,
    "A session token already used was presented again (it leaked), so that sign-in was ended "
    "(that person, and owners and administrators).",
    True,
    {
        "pt-BR": "Um token de sessão de {person} foi reutilizado (de {address}): a sessão foi "
        "encerrada",
        "en": "A session token of {person} was used again (from {address}): the session was ended",
    },
    email_by_default=True,
)

WAITING_OVER_TARGET = NotificationType(
    "waiting_over_target",
    Category.QUEUES,
    Severity.WARNING,
    "A customer has waited longer than their queue's target answer time, still unanswered "
    "(supervisors, administrators and owners).",
    True,
    {
        "pt-BR": "{contact} espera na fila {queue} há mais de {wait}",
        "en": "{contact} has waited in the {queue} queue for more than {wait}",
    },
    roles=SUPERVISING_ROLES,
)
QUEUE_FULL = NotificationType(
    "queue_full",
    Category.QUEUES,
    Severity.WARNING,
    "A queue reached its maximum size: a customer went to its overflow queue or was refused "
    "(supervisors, administrators and owners; one unread per queue).",
    True,
    {"pt-BR": "A fila {queue} está cheia", "en": "The {queue} queue is full"},
    roles=SUPERVISING_ROLES,
)
QUEUE_OUTSIDE_HOURS = NotificationType(
    "queue_outside_hours",
    Category.QUEUES,
    Severity.INFO,
    "Customers reach a queue outside its hours (supervisors, administrators and owners; one "
    "unread per queue).",
    True,
    {
        "pt-BR": "Clientes chegam à fila {queue} fora do horário",
        "en": "Customers reach the {queue} queue outside its hours",
    },
    roles=SUPERVISING_ROLES,
)

HELD_BACK = NotificationType(
    "held_back",
    Category.SYSTEM,
    Severity.INFO,
    "Your limit of announcements a minute held some back: how many, a minute after the first, "
    "so a flood ends with one toast instead of silence.",
    True,
    {
        "pt-BR": "{count} notificação(ões) retida(s) pelo seu limite por minuto: veja a central",
        "en": "{count} notification(s) held back by your limit a minute: see the center",
    },
)

TYPES: dict[str, NotificationType] = {
    kind.name: kind
    for kind in (
        CONVERSATION_ASSIGNED,
        CONVERSATION_TAKEN_BACK,
        MESSAGE_WHILE_AWAY,
        TRANSFER_INTO_MY_QUEUE,
        WAITING_OVER_TARGET,
        QUEUE_FULL,
        QUEUE_OUTSIDE_HOURS,
        AI_ALERT,
        NUMBER_UNHEALTHY,
        TEMPLATE_UNUSABLE,
        ADMINISTRATOR_ADDED,
        SIGN_IN_FAILURES,
        REFRESH_TOKEN_REUSED,
        HELD_BACK,
    )
}
