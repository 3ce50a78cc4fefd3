"""What PyTake read in customer messages, and the signals worker's backlog: the messages whose
`signals_due_at` is set."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.ai.sentiment import Sentiment, SentimentLabel
from domain.conversations.signals import (
    ConversationSentiment,
    MessageSignals,
    SentimentTrend,
)
from persistence.claims import claim_due
from persistence.database import Database
from persistence.dialects import QueryComponents
from persistence.models.conversations import (
    ConversationSentimentRow,
    MessageRow,
    MessageSignalRow,
)

MESSAGES = cast(Table, MessageRow.__table__)
SIGNALS = cast(Table, MessageSignalRow.__table__)
SENTIMENTS = cast(Table, ConversationSentimentRow.__table__)


@dataclass(frozen=True)
class DueMessage:
    organization_id: uuid.UUID
    message_id: uuid.UUID
    conversation_id: uuid.UUID
    text: str


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
        ),
    )
    return [
        DueMessage(row.organization_id, row.id, row.conversation_id, _text(row.content))
        for row in rows
    ]


def _text(content: object) -> str:
    body = content.get("body") if isinstance(content, dict) else None
    return body if isinstance(body, str) else ""


MARK_SCORED = (
    update(MESSAGES)
    .where(
        MESSAGES.c.id == bindparam("b_message_id"),
        MESSAGES.c.organization_id == bindparam("b_organization_id"),
    )
    .values(signals_due_at=None)
)


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
            )
            for row in result.mappings()
        }

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
                        "scored_at": s.scored_at,
                    }
                    for s in signals
                ],
            )
            await self._session.execute(
                MARK_SCORED,
                [
                    {"b_message_id": s.message_id, "b_organization_id": self._organization_id}
                    for s in signals
                ],
            )
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
                        "updated_at": s.updated_at,
                    }
                    for s in sentiments
                ],
            )
