"""What an organization chooses about reading its customers' messages, and the alert rules that
watch what is read (pure decisions; the signals worker applies them)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.ai.sentiment import NEGATIVE_THRESHOLD, POSITIVE_THRESHOLD, plain
from domain.conversations.model import Conversation
from domain.conversations.services import MAX_LABEL, MAX_LABELS
from domain.conversations.signals import KEPT_SCORES, ConversationSentiment
from domain.errors import InvalidInput
from domain.languages import LANGUAGES
from domain.queues.model import ItemStatus, QueueItem

MAX_LEXICON_TERMS = 100
MAX_TERM_LENGTH = 60
MAX_VALENCE = 4.0
MAX_WAITING_MINUTES = 24 * 60


class AlertRule(StrEnum):
    NEGATIVE_STREAK = "negative_streak"
    """The customer's last few texts were all negative."""
    ANGRY_WAITING = "angry_waiting"
    """A negative text from a customer who has waited in a queue too long."""
    VIP_NEGATIVE = "vip_negative"
    """A negative text in a conversation with one of the VIP labels."""


@dataclass(frozen=True)
class AlertRules:
    negative_streak: int | None = 2
    """How many negative texts in a row raise an alert; None: never."""
    angry_waiting_minutes: int | None = 10
    """A negative text after this long waiting in a queue raises an alert; None: never."""
    vip_labels: tuple[str, ...] = ("VIP",)
    """A negative text in a conversation with one of these labels raises an alert."""


@dataclass(frozen=True)
class AiSettings:
    enabled: bool = True
    """Off: customer texts are not read at all (nothing stored, no alert)."""
    languages: tuple[str, ...] = LANGUAGES
    """The languages texts are read in; with one, every text is read in it."""
    negative_threshold: float = NEGATIVE_THRESHOLD
    positive_threshold: float = POSITIVE_THRESHOLD
    lexicon: Mapping[str, float] = field(default_factory=dict)
    """The organization's own words and phrases, with a valence from -4 to 4."""
    alerts: AlertRules = field(default_factory=AlertRules)

    def document(self) -> dict[str, Any]:
        return {
            "enabled": self.enabled,
            "languages": list(self.languages),
            "negativeThreshold": self.negative_threshold,
            "positiveThreshold": self.positive_threshold,
            "lexicon": dict(self.lexicon),
            "alerts": {
                "negativeStreak": self.alerts.negative_streak,
                "angryWaitingMinutes": self.alerts.angry_waiting_minutes,
                "vipLabels": list(self.alerts.vip_labels),
            },
        }


def settings_from_document(document: Mapping[str, Any]) -> AiSettings:
    alerts = document.get("alerts") or {}
    return AiSettings(
        enabled=bool(document.get("enabled", True)),
        languages=tuple(document.get("languages") or LANGUAGES),
        negative_threshold=float(document.get("negativeThreshold", NEGATIVE_THRESHOLD)),
        positive_threshold=float(document.get("positiveThreshold", POSITIVE_THRESHOLD)),
        lexicon={str(k): float(v) for k, v in (document.get("lexicon") or {}).items()},
        alerts=AlertRules(
            negative_streak=alerts.get("negativeStreak", 2),
            angry_waiting_minutes=alerts.get("angryWaitingMinutes", 10),
            vip_labels=tuple(alerts.get("vipLabels", ("VIP",))),
        ),
    )


def checked_settings(settings: AiSettings) -> AiSettings:
    """The settings as stored, or InvalidInput naming the first field that is wrong."""
    languages = tuple(dict.fromkeys(settings.languages))
    if not languages or any(language not in LANGUAGES for language in languages):
        raise InvalidInput(
            f"languages are one or more of {', '.join(LANGUAGES)}", field="languages"
        )
    if not -1 < settings.negative_threshold < 0:
        raise InvalidInput(
            "negativeThreshold is between -1 and 0 (exclusive)", field="negativeThreshold"
        )
    if not 0 < settings.positive_threshold < 1:
        raise InvalidInput(
            "positiveThreshold is between 0 and 1 (exclusive)", field="positiveThreshold"
        )
    if len(settings.lexicon) > MAX_LEXICON_TERMS:
        raise InvalidInput(f"the lexicon holds at most {MAX_LEXICON_TERMS} terms", field="lexicon")
    lexicon: dict[str, float] = {}
    for term, valence in settings.lexicon.items():
        cleaned = " ".join(plain(term).split())
        if not cleaned or len(cleaned) > MAX_TERM_LENGTH:
            raise InvalidInput(
                f"each lexicon term has 1 to {MAX_TERM_LENGTH} characters", field="lexicon"
            )
        if not -MAX_VALENCE <= valence <= MAX_VALENCE:
            raise InvalidInput(f"the valence of '{term}' is between -4 and 4", field="lexicon")
        lexicon[cleaned] = round(valence, 2)
    rules = settings.alerts
    if rules.negative_streak is not None and not 2 <= rules.negative_streak <= KEPT_SCORES:
        raise InvalidInput(
            f"negativeStreak is between 2 and {KEPT_SCORES}, or null", field="negativeStreak"
        )
    minutes = rules.angry_waiting_minutes
    if minutes is not None and not 1 <= minutes <= MAX_WAITING_MINUTES:
        raise InvalidInput(
            f"angryWaitingMinutes is between 1 and {MAX_WAITING_MINUTES}, or null",
            field="angryWaitingMinutes",
        )
    labels = tuple(dict.fromkeys(" ".join(label.split()) for label in rules.vip_labels))
    if len(labels) > MAX_LABELS or any(not label or len(label) > MAX_LABEL for label in labels):
        raise InvalidInput(
            f"vipLabels are at most {MAX_LABELS} labels of 1 to {MAX_LABEL} characters",
            field="vipLabels",
        )
    return AiSettings(
        enabled=settings.enabled,
        languages=languages,
        negative_threshold=settings.negative_threshold,
        positive_threshold=settings.positive_threshold,
        lexicon=lexicon,
        alerts=AlertRules(rules.negative_streak, minutes, labels),
    )


@dataclass(frozen=True)
class Alert:
    id: UUID
    organization_id: UUID
    conversation_id: UUID
    message_id: UUID
    rule: AlertRule
    details: Mapping[str, Any]
    raised_at: datetime
    resolved_at: datetime | None = None
    resolved_by: UUID | None = None


@dataclass(frozen=True)
class Triggered:
    rule: AlertRule
    details: Mapping[str, Any]


def triggered_rules(
    rules: AlertRules,
    sentiment: ConversationSentiment,
    negative_threshold: float,
    conversation: Conversation | None,
    waiting: QueueItem | None,
    now: datetime,
) -> list[Triggered]:
    """The rules the conversation's latest scored text sets off. Only a negative text sets
    one off, so an alert always names the message that raised it."""
    if sentiment.current.score > negative_threshold:
        return []
    found: list[Triggered] = []
    streak = _negative_run(sentiment.recent_scores, negative_threshold)
    if rules.negative_streak is not None and streak >= rules.negative_streak:
        found.append(Triggered(AlertRule.NEGATIVE_STREAK, {"streak": streak}))
    if (
        rules.angry_waiting_minutes is not None
        and waiting is not None
        and waiting.status is ItemStatus.WAITING
        and now - waiting.entered_at >= timedelta(minutes=rules.angry_waiting_minutes)
    ):
        minutes = int((now - waiting.entered_at).total_seconds() // 60)
        found.append(
            Triggered(
                AlertRule.ANGRY_WAITING,
                {"queueId": str(waiting.queue_id), "waitingMinutes": minutes},
            )
        )
    labels = set(conversation.labels) if conversation else set()
    vip = sorted(labels & set(rules.vip_labels))
    if vip:
        found.append(Triggered(AlertRule.VIP_NEGATIVE, {"labels": vip}))
    return found


def _negative_run(scores: Sequence[float], threshold: float) -> int:
    run = 0
    for score in reversed(scores):
        if score > threshold:
            break
        run += 1
    return run
