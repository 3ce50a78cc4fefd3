"""Canned responses, and the agents' past replies that suggestions learn from."""

from __future__ import annotations

import uuid
from typing import cast

from sqlalchemy import RowMapping, Table, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.replies.model import CannedResponse
from domain.replies.ports import PastReply
from persistence.dialects import QueryComponents
from persistence.models.conversations import MessageRow
from persistence.models.replies import CannedResponseRow
from persistence.repositories.scope import RepositoryScope

CANNED = cast(Table, CannedResponseRow.__table__)
MESSAGES = cast(Table, MessageRow.__table__)


def _canned(row: RowMapping) -> CannedResponse:
    return CannedResponse(
        id=row["id"],
        organization_id=row["organization_id"],
        shortcut=row["shortcut"],
        title=row["title"],
        body=row["body"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


class SqlCannedResponseRepository:
    def __init__(
        self, session: AsyncSession, organization_id: uuid.UUID, components: QueryComponents
    ) -> None:
        self._session = session
        self._organization_id = organization_id
        self._sql = components
        self._mine = CANNED.c.organization_id == organization_id

    async def list(self) -> list[CannedResponse]:
        result = await self._session.execute(
            select(CANNED).where(self._mine).order_by(CANNED.c.shortcut)
        )
        return [_canned(row) for row in result.mappings()]

    async def get(self, canned_id: uuid.UUID) -> CannedResponse | None:
        result = await self._session.execute(
            select(CANNED).where(self._mine, CANNED.c.id == canned_id)
        )
        row = result.mappings().first()
        return _canned(row) if row else None

    async def by_shortcut(self, shortcut: str) -> CannedResponse | None:
        result = await self._session.execute(
            select(CANNED).where(self._mine, CANNED.c.shortcut == shortcut)
        )
        row = result.mappings().first()
        return _canned(row) if row else None

    async def save(self, canned: CannedResponse) -> None:
        values = {
            "shortcut": canned.shortcut,
            "title": canned.title,
            "body": canned.body,
            "updated_at": canned.updated_at,
        }
        upsert = self._sql.insert(CANNED)
        await self._session.execute(
            upsert.values(
                id=canned.id,
                organization_id=self._organization_id,
                created_at=canned.created_at,
                **values,
            ).on_conflict_do_update(index_elements=[CANNED.c.id], set_=values)
        )

    async def delete(self, canned_id: uuid.UUID) -> None:
        await self._session.execute(delete(CANNED).where(self._mine, CANNED.c.id == canned_id))


class SqlReplyHistory:
    def __init__(self, session: AsyncSession, organization_id: uuid.UUID) -> None:
        self._session = session
        self._organization_id = organization_id

    async def latest_customer_text(self, conversation_id: uuid.UUID) -> str | None:
        content = await self._session.scalar(
            select(MESSAGES.c.content)
            .where(
                MESSAGES.c.organization_id == self._organization_id,
                MESSAGES.c.conversation_id == conversation_id,
                MESSAGES.c.direction == "inbound",
                MESSAGES.c.type == "text",
            )
            .order_by(MESSAGES.c.sent_at.desc(), MESSAGES.c.id.desc())
            .limit(1)
        )
        return _body(content)

    async def past_replies(self, limit: int) -> list[PastReply]:
        reply = MESSAGES.alias("reply")
        asked = MESSAGES.alias("asked")
        question = (
            select(asked.c.content)
            .where(
                asked.c.organization_id == reply.c.organization_id,
                asked.c.conversation_id == reply.c.conversation_id,
                asked.c.direction == "inbound",
                asked.c.type == "text",
                asked.c.sent_at <= reply.c.sent_at,
            )
            .order_by(asked.c.sent_at.desc())
            .limit(1)
            .scalar_subquery()
        )
        result = await self._session.execute(
            select(reply.c.content, question.label("question"))
            .where(
                reply.c.organization_id == self._organization_id,
                reply.c.direction == "outbound",
                reply.c.type == "text",
                reply.c.sender_user_id.is_not(None),
            )
            .order_by(reply.c.sent_at.desc())
            .limit(limit)
        )
        found = []
        for content, asked_content in result.all():
            answer, customer_text = _body(content), _body(asked_content)
            if answer and customer_text:
                found.append(PastReply(customer_text, answer))
        return found


def _body(content: object) -> str | None:
    body = content.get("body") if isinstance(content, dict) else None
    return body if isinstance(body, str) and body.strip() else None


class RepliesRepositories(RepositoryScope):
    """Canned responses and the reply history."""

    @property
    def canned_responses(self) -> SqlCannedResponseRepository:
        return SqlCannedResponseRepository(self.session, self.scope(), self.components)

    @property
    def reply_history(self) -> SqlReplyHistory:
        return SqlReplyHistory(self.session, self.scope())
