"""Reading customer messages once they are stored: each text's language and sentiment, the
conversation's current sentiment and trend, and what follows from them (a waiting customer
whose sentiment turned negative goes up a priority where the queue asks for it).

Runs in the signals worker, never on the ingestion path: a message is committed first and
scored soon after (decision 0028)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from domain.ai.language import detected_language
from domain.ai.sentiment import SentimentAnalyzer
from domain.clock import Clock
from domain.conversations.model import Conversation, conversation_updated
from domain.conversations.signals import ConversationSentiment, MessageSignals, followed_by
from domain.flows.ports import FlowsUnitOfWork
from domain.flows.runner import FlowRunner
from domain.queues.events import QueueItemChanged
from domain.queues.model import PRIORITIES, SENTIMENT_ESCALATION, ItemStatus
from domain.queues.ports import QueuesUnitOfWork
from domain.signals.events import MessageScored
from domain.unit_of_work import UnitOfWorkFactory


@dataclass(frozen=True)
class ToScore:
    message_id: UUID
    conversation_id: UUID
    text: str


class SignalScorer:
    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory[FlowsUnitOfWork],
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
            organization = await uow.organization.get()
            now = self._clock.now()
            signals = [self._read(message, organization.language, now) for message in messages]
            conversation_ids = list(dict.fromkeys(s.conversation_id for s in signals))
            sentiments = await uow.signals.for_conversations(conversation_ids)
            turned_negative: set[UUID] = set()
            for signal in signals:
                after = followed_by(sentiments.get(signal.conversation_id), signal)
                sentiments[signal.conversation_id] = after
                if after.turned_negative:
                    turned_negative.add(signal.conversation_id)
            changed = [sentiments[c] for c in conversation_ids]
            await uow.signals.save(signals, changed)
            conversations = await uow.conversations.get_many(conversation_ids)
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

    def _read(self, message: ToScore, default_language: str, now: datetime) -> MessageSignals:
        language = detected_language(message.text, default_language)
        return MessageSignals(
            message_id=message.message_id,
            conversation_id=message.conversation_id,
            language=language,
            sentiment=self._analyzer.score(message.text, language),
            scored_at=now,
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
