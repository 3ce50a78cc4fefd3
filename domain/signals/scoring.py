"""Reading customer messages once they are stored: each text's language and sentiment, the
conversation's current sentiment and trend, and what follows from them (a waiting customer
whose sentiment turned negative goes up a priority where the queue asks for it).

Runs in the signals worker, never on the ingestion path: a message is committed first and
scored soon after (decision 0028)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from domain.ai.language import detected_language
from domain.ai.sentiment import Sentiment, SentimentAnalyzer, label_for
from domain.clock import Clock
from domain.conversations.model import Conversation, conversation_updated
from domain.conversations.signals import ConversationSentiment, MessageSignals, followed_by
from domain.flows.runner import FlowRunner
from domain.queues.events import QueueItemChanged
from domain.queues.model import PRIORITIES, SENTIMENT_ESCALATION, ItemStatus
from domain.queues.ports import QueuesUnitOfWork
from domain.signals.events import AiAlertRaised, MessageScored
from domain.signals.ports import SignalsUnitOfWork
from domain.signals.settings import AiSettings, Alert, triggered_rules
from domain.unit_of_work import UnitOfWorkFactory


@dataclass(frozen=True)
class ToScore:
    message_id: UUID
    conversation_id: UUID
    text: str


class SignalScorer:
    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory[SignalsUnitOfWork],
        clock: Clock,
        flows: FlowRunner | None = None,
        analyzer: SentimentAnalyzer | None = None,
    ) -> None:
        self._uow = unit_of_work
        self._clock = clock
        self._flows = flows
        self._analyzer = analyzer or SentimentAnalyzer()

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
            conversation_ids = list(dict.fromkeys(s.conversation_id for s in signals))
            sentiments = await uow.signals.for_conversations(conversation_ids)
            turned_negative: set[UUID] = set()
            for signal in signals:
                after = followed_by(sentiments.get(signal.conversation_id), signal)
                sentiments[signal.conversation_id] = after
                if after.turned_negative(settings.negative_threshold):
                    turned_negative.add(signal.conversation_id)
            changed = [sentiments[c] for c in conversation_ids]
            await uow.signals.save(signals, changed)
            conversations = await uow.conversations.get_many(conversation_ids)
            await self._alert(
                uow,
                organization_id,
                settings,
                [sentiments[c] for c in conversation_ids],
                conversations,
                now,
            )
            for signal in signals:
                conversation = conversations.get(signal.conversation_id)
                uow.emit(_scored(organization_id, signal, conversation))
            for conversation in conversations.values():
                uow.emit(conversation_updated(conversation, ("sentiment",)))
            for conversation_id in turned_negative:
                await self._raise_priority(uow, sentiments[conversation_id], now)
            if self._flows is not None:
                read: dict[UUID, dict[str, str]] = {}
                for signal in signals:
                    read.setdefault(signal.conversation_id, {})[str(signal.message_id)] = (
                        signal.sentiment.label.value
                    )
                await self._flows.signals_read(uow, read)
            await uow.commit()

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
        sentiments: list[ConversationSentiment],
        conversations: Mapping[UUID, Conversation],
        now: datetime,
    ) -> None:
        """Raises what the rules set off, once per conversation and rule until resolved."""
        negative = [s for s in sentiments if s.current.score <= settings.negative_threshold]
        if not negative:
            return
        already = await uow.ai_alerts.open_rules([s.conversation_id for s in negative])
        for sentiment in negative:
            conversation = conversations.get(sentiment.conversation_id)
            waiting = await uow.queue_items.open_for(sentiment.conversation_id)
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
        uow: QueuesUnitOfWork, sentiment: ConversationSentiment, now: datetime
    ) -> None:
        """One level up, once per item, for a customer still waiting in a queue that asks."""
        item = await uow.queue_items.open_for(sentiment.conversation_id)
        if item is None or item.status is not ItemStatus.WAITING:
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
        assignee_id=conversation.assignee_id if conversation else None,
        queue_id=conversation.queue_id if conversation else None,
    )
