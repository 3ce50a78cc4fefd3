"""What PyTake read in customer messages, and the signals worker's backlog: the messages whose
`signals_due_at` is set."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import RowMapping, Table, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.ai.intents import IntentGuess
from domain.ai.sentiment import Sentiment, SentimentLabel
from domain.conversations.signals import (
    ConversationSentiment,
    MessageSignals,
    SentimentTrend,
)
from domain.pagination import Edge, Page, PageRequest
from domain.signals.settings import (
    AiSettings,
    Alert,
    AlertRule,
    settings_from_document,
)
from persistence.claims import claim_due
from persistence.database import Database
from persistence.dialects import QueryComponents
from persistence.models.conversations import (
    ConversationSentimentRow,
    MessageRow,
    MessageSignalRow,
)
from persistence.models.signals import AiAlertRow, AiSettingsRow
from persistence.repositories.cursors import Keyset, encode_cursor
from persistence.repositories.insights import SqlInsightRepository
from persistence.repositories.intents import SqlIntentModelRepository, SqlIntentRepository
from persistence.repositories.scope import RepositoryScope

MESSAGES = cast(Table, MessageRow.__table__)
SIGNALS = cast(Table, MessageSignalRow.__table__)
SENTIMENTS = cast(Table, ConversationSentimentRow.__table__)


@dataclass(frozen=True)
class DueMessage:
    organization_id: uuid.UUID
    message_id: uuid.UUID
    conversation_id: uuid.UUID
    text: str
    sent_at: datetime


async def claim_due_messages(
    database: Database, limit: int, now: datetime, lease: timedelta
) -> list[DueMessage]:
    """Customer texts still to score, oldest first, taken for `lease` so that several processes
    never score the same one at once; scoring one twice replaces the same row."""
    rows = await claim_due(
        database,
        MESSAGES,
        "signals_due_at",
        limit,
        now,
        lease,
        (
            MESSAGES.c.organization_id,
            MESSAGES.c.id,
            MESSAGES.c.conversation_id,
            MESSAGES.c.content,
            MESSAGES.c.sent_at,
        ),
    )
    return [
        DueMessage(
            row.organization_id, row.id, row.conversation_id, _text(row.content), row.sent_at
        )
        for row in rows
    ]


def _guess(row: RowMapping) -> IntentGuess | None:
    name = row["intent"]
    return IntentGuess(name, row["intent_confidence"]) if name is not None else None


def _text(content: object) -> str:
    body = content.get("body") if isinstance(content, dict) else None
    return body if isinstance(body, str) else ""


class SqlSignalRepository:
    def __init__(
        self, session: AsyncSession, organization_id: uuid.UUID, components: QueryComponents
    ) -> None:
        self._session = session
        self._organization_id = organization_id
        self._sql = components

    async def for_messages(
        self, message_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, MessageSignals]:
        if not message_ids:
            return {}
        result = await self._session.execute(
            select(SIGNALS).where(
                SIGNALS.c.organization_id == self._organization_id,
                SIGNALS.c.message_id.in_(list(message_ids)),
            )
        )
        return {
            row["message_id"]: MessageSignals(
                message_id=row["message_id"],
                conversation_id=row["conversation_id"],
                language=row["language"],
                sentiment=Sentiment(SentimentLabel(row["sentiment_label"]), row["sentiment_score"]),
                scored_at=row["scored_at"],
                intent=_guess(row),
                intent_model_version=row["intent_model_version"],
            )
            for row in result.mappings()
        }

    async def for_conversations(
        self, conversation_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, ConversationSentiment]:
        if not conversation_ids:
            return {}
        result = await self._session.execute(
            select(SENTIMENTS).where(
                SENTIMENTS.c.organization_id == self._organization_id,
                SENTIMENTS.c.conversation_id.in_(list(conversation_ids)),
            )
        )
        return {
            row["conversation_id"]: ConversationSentiment(
                conversation_id=row["conversation_id"],
                current=Sentiment(SentimentLabel(row["label"]), row["score"]),
                trend=SentimentTrend(row["trend"]),
                recent_scores=tuple(row["recent_scores"]),
                message_id=row["message_id"],
                updated_at=row["updated_at"],
                intent=_guess(row),
            )
            for row in result.mappings()
        }

    async def skip(self, message_ids: Sequence[uuid.UUID]) -> None:
        if message_ids:
            await self._session.execute(
                update(MESSAGES)
                .where(
                    MESSAGES.c.organization_id == self._organization_id,
                    MESSAGES.c.id.in_(list(message_ids)),
                )
                .values(signals_due_at=None)
            )

    async def save(
        self, signals: Sequence[MessageSignals], sentiments: Sequence[ConversationSentiment]
    ) -> None:
        if signals:
            insert = self._sql.insert(SIGNALS)
            await self._session.execute(
                insert.on_conflict_do_update(
                    index_elements=[SIGNALS.c.message_id],
                    set_={
                        "language": insert.excluded.language,
                        "sentiment_label": insert.excluded.sentiment_label,
                        "sentiment_score": insert.excluded.sentiment_score,
                        "intent": insert.excluded.intent,
                        "intent_confidence": insert.excluded.intent_confidence,
                        "intent_model_version": insert.excluded.intent_model_version,
                        "scored_at": insert.excluded.scored_at,
                    },
                ),
                [
                    {
                        "message_id": s.message_id,
                        "organization_id": self._organization_id,
                        "conversation_id": s.conversation_id,
                        "language": s.language,
                        "sentiment_label": s.sentiment.label.value,
                        "sentiment_score": s.sentiment.score,
                        "intent": s.intent.name if s.intent else None,
                        "intent_confidence": s.intent.confidence if s.intent else None,
                        "intent_model_version": s.intent_model_version,
                        "scored_at": s.scored_at,
                    }
                    for s in signals
                ],
            )
            await self.skip([s.message_id for s in signals])
        if sentiments:
            insert = self._sql.insert(SENTIMENTS)
            await self._session.execute(
                insert.on_conflict_do_update(
                    index_elements=[SENTIMENTS.c.conversation_id],
                    set_={
                        column: getattr(insert.excluded, column)
                        for column in (
                            "message_id",
                            "label",
                            "score",
                            "trend",
                            "recent_scores",
                            "intent",
                            "intent_confidence",
                            "updated_at",
                        )
                    },
                ),
                [
                    {
                        "conversation_id": s.conversation_id,
                        "organization_id": self._organization_id,
                        "message_id": s.message_id,
                        "label": s.current.label.value,
                        "score": s.current.score,
                        "trend": s.trend.value,
                        "recent_scores": list(s.recent_scores),
                        "intent": s.intent.name if s.intent else None,
                        "intent_confidence": s.intent.confidence if s.intent else None,
                        "updated_at": s.updated_at,
                    }
                    for s in sentiments
                ],
            )


SETTINGS = cast(Table, AiSettingsRow.__table__)
ALERTS = cast(Table, AiAlertRow.__table__)
ALERT_ORDER = Keyset(ALERTS.c.raised_at, ALERTS.c.id, newest_first=True)


class SqlAiSettingsRepository:
    def __init__(
        self, session: AsyncSession, organization_id: uuid.UUID, components: QueryComponents
    ) -> None:
        self._session = session
        self._organization_id = organization_id
        self._sql = components

    async def get(self) -> AiSettings:
        document = await self._session.scalar(
            select(SETTINGS.c.document).where(SETTINGS.c.organization_id == self._organization_id)
        )
        return settings_from_document(document) if document is not None else AiSettings()

    async def save(self, settings: AiSettings, at: datetime, by: uuid.UUID | None) -> None:
        values = {"document": settings.document(), "updated_at": at, "updated_by": by}
        upsert = self._sql.insert(SETTINGS)
        await self._session.execute(
            upsert.values(organization_id=self._organization_id, **values).on_conflict_do_update(
                index_elements=[SETTINGS.c.organization_id], set_=values
            )
        )


def _alert(row: RowMapping) -> Alert:
    return Alert(
        id=row["id"],
        organization_id=row["organization_id"],
        conversation_id=row["conversation_id"],
        message_id=row["message_id"],
        rule=AlertRule(row["rule"]),
        details=row["details"],
        raised_at=row["raised_at"],
        resolved_at=row["resolved_at"],
        resolved_by=row["resolved_by"],
    )


class SqlAlertRepository:
    def __init__(self, session: AsyncSession, organization_id: uuid.UUID) -> None:
        self._session = session
        self._organization_id = organization_id
        self._mine = ALERTS.c.organization_id == organization_id

    async def open_rules(
        self, conversation_ids: list[uuid.UUID]
    ) -> set[tuple[uuid.UUID, AlertRule]]:
        if not conversation_ids:
            return set()
        result = await self._session.execute(
            select(ALERTS.c.conversation_id, ALERTS.c.rule).where(
                self._mine,
                ALERTS.c.conversation_id.in_(conversation_ids),
                ALERTS.c.resolved_at.is_(None),
            )
        )
        return {(conversation_id, AlertRule(rule)) for conversation_id, rule in result.all()}

    async def add(self, alert: Alert) -> None:
        await self._session.execute(
            insert(ALERTS).values(
                id=alert.id,
                organization_id=self._organization_id,
                conversation_id=alert.conversation_id,
                message_id=alert.message_id,
                rule=alert.rule.value,
                details=dict(alert.details),
                raised_at=alert.raised_at,
            )
        )

    async def get(self, alert_id: uuid.UUID) -> Alert | None:
        result = await self._session.execute(
            select(ALERTS).where(self._mine, ALERTS.c.id == alert_id)
        )
        row = result.mappings().first()
        return _alert(row) if row else None

    async def resolve(self, alert_id: uuid.UUID, at: datetime, by: uuid.UUID) -> None:
        await self._session.execute(
            update(ALERTS)
            .where(self._mine, ALERTS.c.id == alert_id)
            .values(resolved_at=at, resolved_by=by)
        )

    async def page(self, unresolved_only: bool, size: int, request: PageRequest) -> Page[Alert]:
        query = select(*ALERTS.columns).where(self._mine)
        if unresolved_only:
            query = query.where(ALERTS.c.resolved_at.is_(None))
        result = await self._session.execute(ALERT_ORDER.select(query, request, size))
        return ALERT_ORDER.page(
            list(result.mappings()),
            request,
            size,
            lambda r: Edge(encode_cursor(r["raised_at"], r["id"]), _alert(r)),
        )


class SignalsRepositories(RepositoryScope):
    """An organization's AI settings, alerts, intents and intent models."""

    @property
    def ai_settings(self) -> SqlAiSettingsRepository:
        return SqlAiSettingsRepository(self.session, self.scope(), self.components)

    @property
    def ai_alerts(self) -> SqlAlertRepository:
        return SqlAlertRepository(self.session, self.scope())

    @property
    def intents(self) -> SqlIntentRepository:
        return SqlIntentRepository(self.session, self.scope())

    @property
    def intent_models(self) -> SqlIntentModelRepository:
        return SqlIntentModelRepository(self.session, self.scope())

    @property
    def insights(self) -> SqlInsightRepository:
        return SqlInsightRepository(self.session, self.scope(), self.components)
