"""What PyTake read in customer messages (sentiment, language, intent), per message and as a
conversation's current mood and its direction. Scored after the message is committed, by the
signals worker (domain/signals)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from statistics import fmean
from typing import Protocol
from uuid import UUID

from domain.ai.intents import IntentGuess
from domain.ai.sentiment import NEGATIVE_THRESHOLD, Sentiment

TREND_WINDOW = 3
"""How many earlier scores the latest one is compared with."""
TREND_DEAD_BAND = 0.2
"""A smaller move than this (on the -1..1 scale) is no trend."""
KEPT_SCORES = TREND_WINDOW + 1


class SentimentTrend(StrEnum):
    IMPROVING = "improving"
    STEADY = "steady"
    WORSENING = "worsening"


@dataclass(frozen=True)
class MessageSignals:
    message_id: UUID
    conversation_id: UUID
    language: str
    sentiment: Sentiment
    scored_at: datetime
    intent: IntentGuess | None = None
    """None when the organization has no trained intent model."""
    intent_model_version: int | None = None


@dataclass(frozen=True)
class ConversationSentiment:
    conversation_id: UUID
    current: Sentiment
    """The latest scored customer message's."""
    trend: SentimentTrend
    recent_scores: tuple[float, ...]
    """The latest scores, oldest first, the current one last."""
    message_id: UUID
    updated_at: datetime
    intent: IntentGuess | None = None
    """The current message's."""

    def turned_negative(self, threshold: float = NEGATIVE_THRESHOLD) -> bool:
        """The current message is negative and the one before was not (or there was none)."""
        if self.current.score > threshold:
            return False
        return len(self.recent_scores) < 2 or self.recent_scores[-2] > threshold


def trend_of(scores: Sequence[float]) -> SentimentTrend:
    """The latest score against the mean of the few before it."""
    if len(scores) < 2:
        return SentimentTrend.STEADY
    earlier = fmean(scores[-1 - TREND_WINDOW : -1])
    moved = scores[-1] - earlier
    if moved >= TREND_DEAD_BAND:
        return SentimentTrend.IMPROVING
    if moved <= -TREND_DEAD_BAND:
        return SentimentTrend.WORSENING
    return SentimentTrend.STEADY


def followed_by(
    before: ConversationSentiment | None, signals: MessageSignals
) -> ConversationSentiment:
    """The conversation's sentiment once this message is scored. A message scored out of
    order (a redelivered edit of an older one) does not move what is current."""
    scores = (*(before.recent_scores if before else ()), signals.sentiment.score)[-KEPT_SCORES:]
    return ConversationSentiment(
        conversation_id=signals.conversation_id,
        current=signals.sentiment,
        trend=trend_of(scores),
        recent_scores=scores,
        message_id=signals.message_id,
        updated_at=signals.scored_at,
        intent=signals.intent,
    )


class SignalRepository(Protocol):
    async def for_messages(self, message_ids: Sequence[UUID]) -> dict[UUID, MessageSignals]: ...
    async def for_conversations(
        self, conversation_ids: Sequence[UUID]
    ) -> dict[UUID, ConversationSentiment]: ...
    async def skip(self, message_ids: Sequence[UUID]) -> None:
        """Marks the messages done without reading them (the organization turned it off)."""
        ...

    async def save(
        self, signals: Sequence[MessageSignals], sentiments: Sequence[ConversationSentiment]
    ) -> None:
        """Stores the messages' signals (replacing an earlier scoring of an edited message)
        and the conversations' sentiments, and marks the messages scored."""
        ...
