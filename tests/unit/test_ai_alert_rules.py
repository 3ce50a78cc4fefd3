"""The alert rules as pure decisions over a conversation's latest scores."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from domain.ai.sentiment import Sentiment, SentimentLabel
from domain.conversations.model import Conversation, ConversationStatus
from domain.conversations.signals import ConversationSentiment, SentimentTrend
from domain.queues.model import ItemStatus, QueueItem
from domain.signals.settings import AlertRule, AlertRules, triggered_rules

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
THRESHOLD = -0.05


def mood(*scores: float) -> ConversationSentiment:
    latest = scores[-1]
    label = SentimentLabel.NEGATIVE if latest <= THRESHOLD else SentimentLabel.NEUTRAL
    return ConversationSentiment(
        conversation_id=uuid.uuid4(),
        current=Sentiment(label, latest),
        trend=SentimentTrend.STEADY,
        recent_scores=scores,
        message_id=uuid.uuid4(),
        updated_at=NOW,
    )


def conversation(*labels: str) -> Conversation:
    return Conversation(
        id=uuid.uuid4(),
        organization_id=uuid.uuid4(),
        number_id=uuid.uuid4(),
        contact_id=uuid.uuid4(),
        status=ConversationStatus.OPEN,
        unread_count=1,
        last_message_at=NOW,
        last_inbound_at=NOW,
        created_at=NOW,
        updated_at=NOW,
        labels=labels,
    )


def waiting_since(minutes: int, status: ItemStatus = ItemStatus.WAITING) -> QueueItem:
    return QueueItem(
        id=uuid.uuid4(),
        organization_id=uuid.uuid4(),
        queue_id=uuid.uuid4(),
        conversation_id=uuid.uuid4(),
        priority=0,
        status=status,
        entered_at=NOW - timedelta(minutes=minutes),
    )


def rules_set_off(
    rules: AlertRules,
    sentiment: ConversationSentiment,
    labels: tuple[str, ...] = (),
    waiting: QueueItem | None = None,
) -> list[AlertRule]:
    found = triggered_rules(rules, sentiment, THRESHOLD, conversation(*labels), waiting, NOW)
    return [triggered.rule for triggered in found]


def test_a_streak_of_negative_texts_sets_off_the_streak_rule_at_its_length() -> None:
    rules = AlertRules(negative_streak=3, angry_waiting_minutes=None, vip_labels=())

    assert rules_set_off(rules, mood(0.5, -0.4, -0.6)) == []
    assert rules_set_off(rules, mood(-0.3, -0.4, -0.6)) == [AlertRule.NEGATIVE_STREAK]
    assert rules_set_off(rules, mood(-0.3, -0.4, 0.2)) == []
    assert rules_set_off(replace(rules, negative_streak=None), mood(-0.3, -0.4, -0.6)) == []


def test_only_a_negative_text_sets_off_a_rule() -> None:
    rules = AlertRules(negative_streak=2, angry_waiting_minutes=1, vip_labels=("VIP",))

    assert rules_set_off(rules, mood(-0.9, 0.0), ("VIP",), waiting_since(60)) == []


def test_a_negative_text_after_a_long_wait_in_a_queue_sets_off_the_waiting_rule() -> None:
    rules = AlertRules(negative_streak=None, angry_waiting_minutes=10, vip_labels=())

    assert rules_set_off(rules, mood(-0.5), waiting=waiting_since(9)) == []
    assert rules_set_off(rules, mood(-0.5), waiting=waiting_since(10)) == [AlertRule.ANGRY_WAITING]
    assigned = waiting_since(30, ItemStatus.ASSIGNED)
    assert rules_set_off(rules, mood(-0.5), waiting=assigned) == []
    found = triggered_rules(rules, mood(-0.5), THRESHOLD, conversation(), waiting_since(12), NOW)
    assert found[0].details["waitingMinutes"] == 12


def test_a_negative_text_in_a_vip_conversation_sets_off_the_vip_rule() -> None:
    rules = AlertRules(negative_streak=None, angry_waiting_minutes=None, vip_labels=("VIP", "Gold"))

    assert rules_set_off(rules, mood(-0.5), ("Gold", "late")) == [AlertRule.VIP_NEGATIVE]
    assert rules_set_off(rules, mood(-0.5), ("late",)) == []
