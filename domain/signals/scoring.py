"""Reading customer messages once they are stored: each text's language, sentiment and intent,
the conversation's current sentiment and trend, and what follows from them (a waiting customer
whose sentiment turned negative goes up a priority where the queue asks for it).

Runs in the signals worker, never on the ingestion path: a message is committed first and
scored soon after (decision 0028)."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from domain.ai.language import detected_language
from domain.ai.sentiment import Sentiment, SentimentAnalyzer, SentimentLabel, label_for
from domain.clock import Clock
from domain.conversations.model import Conversation, conversation_updated
from domain.conversations.signals import ConversationSentiment, MessageSignals, followed_by
from domain.flows.engine import SignalsRead
from domain.flows.runner import FlowRunner
from domain.queues.events import QueueItemChanged
from domain.queues.model import PRIORITIES, SENTIMENT_ESCALATION, ItemStatus, QueueItem
from domain.queues.ports import QueuesUnitOfWork
from domain.signals.events import AiAlertRaised, MessageScored
from domain.signals.insights import IntentHour, SentimentCounts, SentimentHour
from domain.signals.loaded_models import LoadedIntentModels
from domain.signals.ports import SignalsUnitOfWork
from domain.signals.settings import AiSettings, Alert, triggered_rules
from domain.unit_of_work import UnitOfWorkFactory


@dataclass(frozen=True)
class ToScore:
    message_id: UUID
    conversation_id: UUID
    text: str
    sent_at: datetime
    """When the customer wrote it: the hour insights count it in."""


class SignalScorer:
    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory[SignalsUnitOfWork],
        clock: Clock,
        flows: FlowRunner | None = None,
        analyzer: SentimentAnalyzer | None = None,
        intent_models: LoadedIntentModels | None = None,
    ) -> None:
        self._uow = unit_of_work
        self._clock = clock
        self._flows = flows
        self._analyzer = analyzer or SentimentAnalyzer()
        self._intent_models = intent_models or LoadedIntentModels(unit_of_work)

    async def score(self, organization_id: UUID, messages: Sequence[ToScore]) -> None:
        """Scores one organization's messages, in the order given, in one transaction."""
        async with self._uow(organization_id) as uow:
            settings = await uow.ai_settings.get()
            if not settings.enabled:
                # Off: read nothing, and keep no backlog for the day it is turned on.
                await uow.signals.skip([message.message_id for message in messages])
                await uow.commit()
                return
            organization = await uow.organization.get()
            now = self._clock.now()
            signals = [
                self._read(message, settings, organization.language, now) for message in messages
            ]
            signals = await self._with_intents(uow, organization_id, signals, messages)
            conversation_ids = list(dict.fromkeys(s.conversation_id for s in signals))
            sentiments = await uow.signals.for_conversations(conversation_ids)
            turned_negative: set[UUID] = set()
            for signal in signals:
                after = followed_by(sentiments.get(signal.conversation_id), signal)
                sentiments[signal.conversation_id] = after
                if after.turned_negative(settings.negative_threshold):
                    turned_negative.add(signal.conversation_id)
            changed = [sentiments[c] for c in conversation_ids]
            earlier = await uow.signals.for_messages([s.message_id for s in signals])
            await uow.signals.save(signals, changed)
            conversations = await uow.conversations.get_many(conversation_ids)
            await _count(uow, messages, signals, earlier, turned_negative, conversations)
            negative = [
                sentiments[c]
                for c in conversation_ids
                if sentiments[c].current.score <= settings.negative_threshold
            ]
            # Customers waiting in a queue matter to both the alerts and the priority rule.
            items = await uow.queue_items.open_for_many([s.conversation_id for s in negative])
            await self._alert(uow, organization_id, settings, negative, conversations, items, now)
            for signal in signals:
                conversation = conversations.get(signal.conversation_id)
                uow.emit(_scored(organization_id, signal, conversation))
            for conversation in conversations.values():
                uow.emit(conversation_updated(conversation, ("sentiment",)))
            for conversation_id in turned_negative:
                item = items.get(conversation_id)
                if item is not None:
                    await self._raise_priority(uow, item, sentiments[conversation_id], now)
            if self._flows is not None:
                read: dict[UUID, dict[str, SignalsRead]] = {}
                for signal in signals:
                    read.setdefault(signal.conversation_id, {})[str(signal.message_id)] = (
                        SignalsRead(
                            str(signal.message_id),
                            signal.sentiment.label.value,
                            intent=signal.intent.name if signal.intent else None,
                            intent_confidence=signal.intent.confidence if signal.intent else 0.0,
                        )
                    )
                await self._flows.signals_read(uow, read)
            await uow.commit()

    async def _with_intents(
        self,
        uow: SignalsUnitOfWork,
        organization_id: UUID,
        signals: list[MessageSignals],
        messages: Sequence[ToScore],
    ) -> list[MessageSignals]:
        """Each text's intent by the organization's newest trained model, if it has one."""
        loaded = await self._intent_models.active(uow, organization_id)
        if loaded is None:
            return signals
        version, classifier = loaded
        guesses = classifier.classify_many([message.text for message in messages])
        return [
            replace(signal, intent=guess, intent_model_version=version)
            for signal, guess in zip(signals, guesses, strict=True)
        ]

    def _read(
        self, message: ToScore, settings: AiSettings, default_language: str, now: datetime
    ) -> MessageSignals:
        if len(settings.languages) == 1:
            language = settings.languages[0]
        else:
            fallback = (
                default_language
                if default_language in settings.languages
                else settings.languages[0]
            )
            language = detected_language(message.text, fallback)
            if language not in settings.languages:
                language = fallback
        read = self._analyzer.score(message.text, language, settings.lexicon)
        label = label_for(read.score, settings.positive_threshold, settings.negative_threshold)
        return MessageSignals(
            message_id=message.message_id,
            conversation_id=message.conversation_id,
            language=language,
            sentiment=Sentiment(label, read.score),
            scored_at=now,
        )

    @staticmethod
    async def _alert(
        uow: SignalsUnitOfWork,
        organization_id: UUID,
        settings: AiSettings,
        negative: list[ConversationSentiment],
        conversations: Mapping[UUID, Conversation],
        items: Mapping[UUID, QueueItem],
        now: datetime,
    ) -> None:
        """Raises what the rules set off on these negative conversations, once per
        conversation and rule until resolved."""
        if not negative:
            return
        already = await uow.ai_alerts.open_rules([s.conversation_id for s in negative])
        for sentiment in negative:
            conversation = conversations.get(sentiment.conversation_id)
            waiting = items.get(sentiment.conversation_id)
            for triggered in triggered_rules(
                settings.alerts,
                sentiment,
                settings.negative_threshold,
                conversation,
                waiting,
                now,
            ):
                if (sentiment.conversation_id, triggered.rule) in already:
                    continue
                alert = Alert(
                    id=uuid.uuid4(),
                    organization_id=organization_id,
                    conversation_id=sentiment.conversation_id,
                    message_id=sentiment.message_id,
                    rule=triggered.rule,
                    details={**triggered.details, "score": sentiment.current.score},
                    raised_at=now,
                )
                await uow.ai_alerts.add(alert)
                uow.emit(
                    AiAlertRaised(
                        organization_id=alert.organization_id,
                        alert_id=alert.id,
                        conversation_id=alert.conversation_id,
                        message_id=alert.message_id,
                        rule=alert.rule.value,
                        assignee_id=conversation.assignee_id if conversation else None,
                        queue_id=conversation.queue_id if conversation else None,
                    )
                )

    @staticmethod
    async def _raise_priority(
        uow: QueuesUnitOfWork, item: QueueItem, sentiment: ConversationSentiment, now: datetime
    ) -> None:
        """One level up, once per item, for a customer still waiting in a queue that asks."""
        if item.status is not ItemStatus.WAITING:
            return
        if SENTIMENT_ESCALATION in item.metadata or item.priority >= max(PRIORITIES):
            return
        queue = await uow.queues.get(item.queue_id)
        if queue is None or not queue.raise_priority_when_negative:
            return
        escalation = {
            "from": item.priority,
            "to": item.priority + 1,
            "messageId": str(sentiment.message_id),
            "score": sentiment.current.score,
            "at": now.isoformat(),
        }
        raised = replace(
            item,
            priority=item.priority + 1,
            metadata={**item.metadata, SENTIMENT_ESCALATION: escalation},
        )
        await uow.queue_items.save(raised)
        uow.emit(
            QueueItemChanged(
                organization_id=raised.organization_id,
                item_id=raised.id,
                queue_id=raised.queue_id,
                conversation_id=raised.conversation_id,
                change="priority_raised",
                status=raised.status.value,
                priority=raised.priority,
                agent_id=raised.agent_id,
            )
        )


def _scored(
    organization_id: UUID, signal: MessageSignals, conversation: Conversation | None
) -> MessageScored:
    return MessageScored(
        organization_id=organization_id,
        conversation_id=signal.conversation_id,
        message_id=signal.message_id,
        language=signal.language,
        sentiment=signal.sentiment.label.value,
        score=signal.sentiment.score,
        intent=signal.intent.name if signal.intent else None,
        intent_confidence=signal.intent.confidence if signal.intent else None,
        assignee_id=conversation.assignee_id if conversation else None,
        queue_id=conversation.queue_id if conversation else None,
    )


async def _count(
    uow: SignalsUnitOfWork,
    messages: Sequence[ToScore],
    signals: Sequence[MessageSignals],
    earlier: Mapping[UUID, MessageSignals],
    turned_negative: set[UUID],
    conversations: Mapping[UUID, Conversation],
) -> None:
    """Adds the texts to the insights' hourly rollups; an edited text read again takes back
    what its earlier reading added."""
    sentiment: dict[tuple[datetime, UUID], SentimentCounts] = defaultdict(SentimentCounts)
    intents: Counter[tuple[datetime, UUID, str]] = Counter()
    sent_at = {message.message_id: message.sent_at for message in messages}
    for signal in signals:
        conversation = conversations.get(signal.conversation_id)
        if conversation is None:
            continue
        key = (_hour(sent_at[signal.message_id]), conversation.number_id)
        before = earlier.get(signal.message_id)
        sentiment[key] = sentiment[key] + _counted(signal, 1)
        if before is not None:
            sentiment[key] = sentiment[key] + _counted(before, -1)
        elif signal.conversation_id in turned_negative:
            sentiment[key] = sentiment[key] + SentimentCounts(turned_negative=1)
        if signal.intent is not None:
            intents[(*key, signal.intent.name)] += 1
        if before is not None and before.intent is not None:
            intents[(*key, before.intent.name)] -= 1
    await uow.insights.add_sentiment(
        [SentimentHour(hour, number_id, counts) for (hour, number_id), counts in sentiment.items()]
    )
    await uow.insights.add_intents(
        [
            IntentHour(hour, number_id, intent, count)
            for (hour, number_id, intent), count in intents.items()
            if count
        ]
    )


def _counted(signal: MessageSignals, sign: int) -> SentimentCounts:
    label = signal.sentiment.label
    return SentimentCounts(
        negative=sign * (label is SentimentLabel.NEGATIVE),
        neutral=sign * (label is SentimentLabel.NEUTRAL),
        positive=sign * (label is SentimentLabel.POSITIVE),
        score_sum=sign * signal.sentiment.score,
    )


def _hour(at: datetime) -> datetime:
    return at.replace(minute=0, second=0, microsecond=0)
