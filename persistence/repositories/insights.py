"""The hourly rollups behind aiInsights: moved by increments, so that a text read (or read
again after an edit) and a suggestion offered or taken each cost one upsert."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.signals.insights import (
    IntentHour,
    SentimentCounts,
    SentimentHour,
    SuggestionUsage,
)
from persistence.dialects import QueryComponents
from persistence.models.conversations import ConversationRow, ConversationSentimentRow
from persistence.models.signals import IntentRollupRow, SentimentRollupRow, SuggestionRollupRow

SENTIMENT = cast(Table, SentimentRollupRow.__table__)
INTENTS = cast(Table, IntentRollupRow.__table__)
SUGGESTIONS = cast(Table, SuggestionRollupRow.__table__)
CURRENT = cast(Table, ConversationSentimentRow.__table__)
CONVERSATIONS = cast(Table, ConversationRow.__table__)
SENTIMENT_COUNTERS = ("negative", "neutral", "positive", "score_sum", "turned_negative")


class SqlInsightRepository:
    def __init__(
        self, session: AsyncSession, organization_id: uuid.UUID, components: QueryComponents
    ) -> None:
        self._session = session
        self._organization_id = organization_id
        self._sql = components

    async def add_sentiment(self, hours: Sequence[SentimentHour]) -> None:
        if not hours:
            return
        upsert = self._sql.insert(SENTIMENT)
        await self._session.execute(
            upsert.on_conflict_do_update(
                index_elements=[
                    SENTIMENT.c.organization_id,
                    SENTIMENT.c.hour,
                    SENTIMENT.c.number_id,
                ],
                set_={c: SENTIMENT.c[c] + upsert.excluded[c] for c in SENTIMENT_COUNTERS},
            ),
            [
                {
                    "organization_id": self._organization_id,
                    "hour": row.hour,
                    "number_id": row.number_id,
                    "negative": row.counts.negative,
                    "neutral": row.counts.neutral,
                    "positive": row.counts.positive,
                    "score_sum": row.counts.score_sum,
                    "turned_negative": row.counts.turned_negative,
                }
                for row in hours
            ],
        )

    async def add_intents(self, hours: Sequence[IntentHour]) -> None:
        if not hours:
            return
        upsert = self._sql.insert(INTENTS)
        await self._session.execute(
            upsert.on_conflict_do_update(
                index_elements=[
                    INTENTS.c.organization_id,
                    INTENTS.c.hour,
                    INTENTS.c.number_id,
                    INTENTS.c.intent,
                ],
                set_={"count": INTENTS.c.count + upsert.excluded.count},
            ),
            [
                {
                    "organization_id": self._organization_id,
                    "hour": row.hour,
                    "number_id": row.number_id,
                    "intent": row.intent,
                    "count": row.count,
                }
                for row in hours
            ],
        )

    async def add_suggestions(self, hour: datetime, offered: int, accepted: int) -> None:
        upsert = self._sql.insert(SUGGESTIONS)
        await self._session.execute(
            upsert.values(
                organization_id=self._organization_id,
                hour=hour,
                offered=offered,
                accepted=accepted,
            ).on_conflict_do_update(
                index_elements=[SUGGESTIONS.c.organization_id, SUGGESTIONS.c.hour],
                set_={
                    "offered": SUGGESTIONS.c.offered + upsert.excluded.offered,
                    "accepted": SUGGESTIONS.c.accepted + upsert.excluded.accepted,
                },
            )
        )

    def _hours(
        self, table: Table, since: datetime, until: datetime, number_id: uuid.UUID | None
    ) -> Select[Any]:
        query = select(table).where(
            table.c.organization_id == self._organization_id,
            table.c.hour >= since,
            table.c.hour < until,
        )
        return query if number_id is None else query.where(table.c.number_id == number_id)

    async def sentiment_hours(
        self, since: datetime, until: datetime, number_id: uuid.UUID | None
    ) -> list[SentimentHour]:
        result = await self._session.execute(self._hours(SENTIMENT, since, until, number_id))
        return [
            SentimentHour(
                row["hour"],
                row["number_id"],
                SentimentCounts(*(row[c] for c in SENTIMENT_COUNTERS)),
            )
            for row in result.mappings()
        ]

    async def intent_hours(
        self, since: datetime, until: datetime, number_id: uuid.UUID | None
    ) -> list[IntentHour]:
        result = await self._session.execute(self._hours(INTENTS, since, until, number_id))
        return [
            IntentHour(row["hour"], row["number_id"], row["intent"], row["count"])
            for row in result.mappings()
        ]

    async def suggestion_usage(self, since: datetime, until: datetime) -> SuggestionUsage:
        result = await self._session.execute(
            select(
                func.coalesce(func.sum(SUGGESTIONS.c.offered), 0),
                func.coalesce(func.sum(SUGGESTIONS.c.accepted), 0),
            ).where(
                SUGGESTIONS.c.organization_id == self._organization_id,
                SUGGESTIONS.c.hour >= since,
                SUGGESTIONS.c.hour < until,
            )
        )
        offered, accepted = result.one()
        return SuggestionUsage(int(offered), int(accepted))

    async def negative_conversations(
        self,
        since: datetime,
        until: datetime,
        number_id: uuid.UUID | None,
        threshold: float,
        limit: int,
    ) -> list[uuid.UUID]:
        query = (
            select(CURRENT.c.conversation_id)
            .join(CONVERSATIONS, CONVERSATIONS.c.id == CURRENT.c.conversation_id)
            .where(
                CURRENT.c.organization_id == self._organization_id,
                CURRENT.c.score <= threshold,
                CURRENT.c.updated_at >= since,
                CURRENT.c.updated_at < until,
            )
            .order_by(CURRENT.c.updated_at.desc(), CURRENT.c.conversation_id)
            .limit(limit)
        )
        if number_id is not None:
            query = query.where(CONVERSATIONS.c.number_id == number_id)
        return list(await self._session.scalars(query))
