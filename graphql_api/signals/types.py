"""An organization's AI settings and alerts, as the API shows them."""

from __future__ import annotations

import asyncio
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, cast
from uuid import UUID

import strawberry
from strawberry.scalars import JSON

from domain.events import StoredEvent
from domain.signals import insights
from domain.signals import settings as domain
from domain.signals.events import AiAlertRaised
from graphql_api.context import Context

if TYPE_CHECKING:
    from graphql_api.conversations.types import Conversation


@strawberry.type(description="A word or phrase and the feeling it carries.")
class LexiconEntry:
    term: str = strawberry.field(description="The word or phrase, without accents, lower case.")
    valence: float = strawberry.field(
        description="From -4 (most negative) to 4 (most positive), as VADER's lexicons."
    )


@strawberry.type(description="The rules that raise an AI alert on a customer's negative text.")
class AiAlertRules:
    negative_streak: int | None = strawberry.field(
        description="How many negative texts in a row raise an alert (2 to 4); null: never."
    )
    angry_waiting_minutes: int | None = strawberry.field(
        description="A negative text from a customer waiting in a queue at least this long "
        "raises an alert; null: never."
    )
    vip_labels: list[str] = strawberry.field(
        description="A negative text in a conversation with one of these labels raises an alert."
    )


@strawberry.type(description="What the organization chose about reading its customers' texts.")
class AiSettings:
    enabled: bool = strawberry.field(
        description="Off: texts are not read at all (no sentiment, no alert); on by default."
    )
    languages: list[str] = strawberry.field(
        description="The languages texts are read in (pt-BR, en); with one, every text is read "
        "in it."
    )
    negative_threshold: float = strawberry.field(
        description="A score at or below it is negative (-0.05 by default)."
    )
    positive_threshold: float = strawberry.field(
        description="A score at or above it is positive (0.05 by default)."
    )
    lexicon: list[LexiconEntry] = strawberry.field(
        description="The organization's own words and phrases, over PyTake's lexicons."
    )
    alerts: AiAlertRules = strawberry.field(description="The alert rules.")

    @classmethod
    def from_domain(cls, settings: domain.AiSettings) -> AiSettings:
        rules = settings.alerts
        return cls(
            enabled=settings.enabled,
            languages=list(settings.languages),
            negative_threshold=settings.negative_threshold,
            positive_threshold=settings.positive_threshold,
            lexicon=[
                LexiconEntry(term=term, valence=valence)
                for term, valence in sorted(settings.lexicon.items())
            ],
            alerts=AiAlertRules(
                negative_streak=rules.negative_streak,
                angry_waiting_minutes=rules.angry_waiting_minutes,
                vip_labels=list(rules.vip_labels),
            ),
        )


@strawberry.enum(description="Which rule raised an AI alert.")
class AiAlertRule(Enum):
    NEGATIVE_STREAK = strawberry.enum_value(
        "negative_streak", description="The customer's last texts were all negative."
    )
    ANGRY_WAITING = strawberry.enum_value(
        "angry_waiting", description="A negative text after a long wait in a queue."
    )
    VIP_NEGATIVE = strawberry.enum_value(
        "vip_negative", description="A negative text in a conversation with a VIP label."
    )


@strawberry.type(description="A rule watching customers' sentiment went off.")
class AiAlert:
    id: strawberry.ID = strawberry.field(description="PyTake's id of the alert.")
    conversation_id: strawberry.ID = strawberry.field(description="Where it went off.")
    message_id: strawberry.ID = strawberry.field(description="The text that set it off.")
    rule: AiAlertRule = strawberry.field(description="Which rule.")
    details: JSON = strawberry.field(
        description="The facts: the score, and the streak, the queue and minutes waited, or the "
        "VIP labels."
    )
    raised_at: datetime = strawberry.field(description="When it went off (UTC).")
    resolved_at: datetime | None = strawberry.field(
        description="When a supervisor resolved it; the rule can go off again afterwards."
    )
    resolved_by_id: strawberry.ID | None = strawberry.field(description="Who resolved it.")

    @classmethod
    def from_domain(cls, alert: domain.Alert) -> AiAlert:
        return cls(
            id=strawberry.ID(str(alert.id)),
            conversation_id=strawberry.ID(str(alert.conversation_id)),
            message_id=strawberry.ID(str(alert.message_id)),
            rule=AiAlertRule(alert.rule.value),
            details=cast(JSON, dict(alert.details)),
            raised_at=alert.raised_at,
            resolved_at=alert.resolved_at,
            resolved_by_id=strawberry.ID(str(alert.resolved_by)) if alert.resolved_by else None,
        )


@strawberry.type(description="An AI alert went off.")
class AiAlertEvent:
    event_id: strawberry.ID = strawberry.field(
        description="The event's id; pass the last one as `after` when resubscribing."
    )
    alert_id: strawberry.ID = strawberry.field(description="The alert; read it with aiAlerts.")
    conversation_id: strawberry.ID = strawberry.field(description="Where it went off.")
    message_id: strawberry.ID = strawberry.field(description="The text that set it off.")
    rule: AiAlertRule = strawberry.field(description="Which rule.")
    occurred_at: datetime = strawberry.field(description="When it was committed (UTC).")

    @classmethod
    def from_event(cls, event: StoredEvent) -> AiAlertEvent:
        fact = AiAlertRaised.read(event)
        return cls(
            event_id=strawberry.ID(str(event.sequence)),
            alert_id=strawberry.ID(str(fact.alert_id)),
            conversation_id=strawberry.ID(str(fact.conversation_id)),
            message_id=strawberry.ID(str(fact.message_id)),
            rule=AiAlertRule(fact.rule),
            occurred_at=event.occurred_at,
        )


@strawberry.enum(description="How aiInsights' trend is grouped.")
class InsightGrouping(Enum):
    HOUR = strawberry.enum_value("hour", description="By hour (UTC hours).")
    DAY = strawberry.enum_value("day", description="By day, in the organization's time zone.")
    WEEK = strawberry.enum_value(
        "week", description="By week from Monday, in the organization's time zone."
    )


@strawberry.type(description="Customer texts read, by sentiment.")
class SentimentDistribution:
    read: int = strawberry.field(description="Texts read.")
    negative: int = strawberry.field(description="Read as negative.")
    neutral: int = strawberry.field(description="Read as neutral.")
    positive: int = strawberry.field(description="Read as positive.")
    average_score: float | None = strawberry.field(
        description="The mean score, -1 to 1; null with no text read."
    )
    turned_negative: int = strawberry.field(
        description="Times a conversation's sentiment turned negative (from none or not negative)."
    )

    @classmethod
    def from_domain(cls, counts: insights.SentimentCounts) -> SentimentDistribution:
        return cls(
            read=counts.read,
            negative=counts.negative,
            neutral=counts.neutral,
            positive=counts.positive,
            average_score=counts.average_score,
            turned_negative=counts.turned_negative,
        )


@strawberry.type(description="One hour, day or week of the trend.")
class SentimentBucket:
    start: datetime = strawberry.field(description="When it starts.")
    sentiment: SentimentDistribution = strawberry.field(description="Its texts.")


@strawberry.type(description="An intent's share of the texts read with an intent.")
class IntentShare:
    name: str = strawberry.field(description="The intent.")
    count: int = strawberry.field(description="Texts read as it in the period.")
    share: float = strawberry.field(description="Of all texts read with an intent, 0 to 1.")
    previous_count: int = strawberry.field(
        description="Texts read as it in the period of the same length just before."
    )


@strawberry.type(description="How often agents took a suggested reply.")
class SuggestionUsage:
    offered: int = strawberry.field(
        description="Times replySuggestions answered an agent with at least one suggestion."
    )
    accepted: int = strawberry.field(description="Texts sent with messageSend's fromSuggestion.")
    acceptance_rate: float | None = strawberry.field(
        description="accepted ÷ offered (at most 1); null when none was offered."
    )


@strawberry.type(description="What customers felt and wanted over a period, read locally.")
class AiInsights:
    since: datetime = strawberry.field(description="The period's start (UTC).")
    until: datetime = strawberry.field(description="The period's end, excluded (UTC).")
    sentiment: SentimentDistribution = strawberry.field(description="Over the whole period.")
    trend: list[SentimentBucket] = strawberry.field(
        description="By hour, day or week, oldest first; periods with no text read are left out."
    )
    top_intents: list[IntentShare] = strawberry.field(
        description="The 10 intents read most, most first, with their count in the period before."
    )
    suggestions: SuggestionUsage = strawberry.field(description="Reply suggestions' use.")
    negative_conversation_ids: list[strawberry.ID] = strawberry.field(
        description="Up to 20 conversations negative now whose latest text was read in the "
        "period, latest first."
    )

    @strawberry.field(
        description="The conversations of `negativeConversationIds`, in the same order, as the "
        "inbox shows them (the customer's name, the last message)."
    )
    async def negative_conversations(
        self, info: strawberry.Info[Context, None]
    ) -> list[Annotated[Conversation, strawberry.lazy("graphql_api.conversations.types")]]:
        # Conversations show their sentiment from this module: importing theirs at the top
        # would be a cycle.
        from graphql_api.conversations.types import load_conversation

        found = await asyncio.gather(
            *(
                load_conversation(info, UUID(str(conversation_id)))
                for conversation_id in self.negative_conversation_ids
            )
        )
        return [conversation for conversation in found if conversation is not None]

    @classmethod
    def from_domain(cls, read: insights.AiInsights) -> AiInsights:
        return cls(
            since=read.since,
            until=read.until,
            sentiment=SentimentDistribution.from_domain(read.sentiment),
            trend=[
                SentimentBucket(
                    start=bucket.start,
                    sentiment=SentimentDistribution.from_domain(bucket.sentiment),
                )
                for bucket in read.trend
            ],
            top_intents=[
                IntentShare(
                    name=share.name,
                    count=share.count,
                    share=share.share,
                    previous_count=share.previous_count,
                )
                for share in read.top_intents
            ],
            suggestions=SuggestionUsage(
                offered=read.suggestions.offered,
                accepted=read.suggestions.accepted,
                acceptance_rate=read.suggestions.rate,
            ),
            negative_conversation_ids=[
                strawberry.ID(str(c)) for c in read.turned_negative_conversations
            ],
        )
