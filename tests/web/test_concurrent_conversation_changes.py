"""Two transactions changing different things of one conversation at once both keep their
change. Only PostgreSQL runs writers side by side (SQLite has one writer at a time), so the
interleaving is forced there: a label change holds the row while a mark-read reads it and then
waits to write."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import select, text, update

from domain.accounts.model import Actor
from persistence.database import Database
from persistence.models.conversations import ConversationRow
from tests.conftest import fresh_postgres_database
from tests.support import conversation_with, eventually, own_postgres_url, whatsapp_channel

CUSTOMER = "5511987650001"


async def writers_waiting_for_a_lock(database: Database) -> int | None:
    async with database.autocommit_engine.connect() as connection:
        waiting = await connection.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        )
    return int(waiting or 0) or None


async def test_a_mark_read_while_labels_change_keeps_the_labels() -> None:
    database_url = await fresh_postgres_database(own_postgres_url("concurrent_changes"))
    async with whatsapp_channel(database_url) as channel:
        conversation_id = await conversation_with(channel, CUSTOMER)
        runtime = channel.server.runtime
        owner = Actor.of(channel.tenant.owner, None)
        assert await stored(runtime.database, conversation_id) == ([], 1)

        async with runtime.database.engine.connect() as labelling:
            transaction = await labelling.begin()
            await labelling.execute(
                update(ConversationRow)
                .where(ConversationRow.id == conversation_id)
                .values(labels=["vip"])
            )
            marking = asyncio.create_task(
                runtime.services.conversation_actions.mark_read(owner, conversation_id)
            )
            await eventually(
                lambda: writers_waiting_for_a_lock(runtime.database),
                what="the mark-read waiting for the label change's row",
            )
            await transaction.commit()
        await marking

        assert await stored(runtime.database, conversation_id) == (["vip"], 0)


async def stored(database: Database, conversation_id: uuid.UUID) -> tuple[list[str], int]:
    """The conversation's labels and unread count as committed."""
    async with database.autocommit_engine.connect() as connection:
        row = (
            await connection.execute(
                select(ConversationRow.labels, ConversationRow.unread_count).where(
                    ConversationRow.id == conversation_id
                )
            )
        ).one()
    return list(row.labels or []), row.unread_count
