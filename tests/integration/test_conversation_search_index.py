"""On PostgreSQL, searching conversations by message text is served by the full-text index
over message bodies instead of reading every message of the organization: 10,000 messages in
one organization, one of them with the words searched for."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, text

from domain.conversations.reading import ConversationFilter
from persistence import migrate
from persistence.database import Database
from persistence.repositories.conversations import SqlConversationRepository
from tests.conftest import recreate_postgres_database
from tests.support import POSTGRES_URL

SEARCH_TEST_POSTGRES = POSTGRES_URL.rsplit("/", 1)[0] + "/pytake_search_index_test"


SEED = [
    "INSERT INTO organizations (id, name, created_at) VALUES (:org, 'Search', now())",
    "INSERT INTO whatsapp_numbers (id, organization_id, phone_number_id, waba_id, "
    "display_phone_number, messages_per_second, healthy, access_token_sealed, created_at, "
    "updated_at) VALUES (gen_random_uuid(), :org, '1065', '1022', '+1 555', 80, true, 'x', "
    "now(), now())",
    "INSERT INTO contacts (id, organization_id, wa_id, profile_name, created_at, updated_at) "
    "SELECT md5('contact' || n)::uuid, :org, '5511' || n, 'Customer ' || n, now(), now() "
    "FROM generate_series(1, 500) n",
    "INSERT INTO conversations (id, organization_id, number_id, contact_id, status, "
    "unread_count, last_message_at, created_at, updated_at) "
    "SELECT md5('conversation' || n)::uuid, :org, (SELECT id FROM whatsapp_numbers), "
    "md5('contact' || n)::uuid, 'open', 0, now(), now(), now() FROM generate_series(1, 500) n",
    "INSERT INTO messages (id, organization_id, conversation_id, direction, type, content, "
    "status, sent_at, created_at, forwarded) "
    "SELECT gen_random_uuid(), :org, md5('conversation' || (n % 500 + 1))::uuid, 'inbound', "
    "'text', jsonb_build_object('body', 'message number ' || n), 'delivered', now(), now(), "
    "false FROM generate_series(1, 10000) n",
    "ANALYZE",
]


def sql_literal(value: object) -> str:
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


async def test_a_message_text_search_can_use_the_body_index() -> None:
    await recreate_postgres_database(SEARCH_TEST_POSTGRES)
    database = Database(SEARCH_TEST_POSTGRES)
    issued: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "to_tsvector" in statement:
            issued.append((statement, parameters))

    try:
        await migrate.upgrade(database)
        organization_id = uuid.uuid4()
        async with database.connect() as connection:
            for statement in SEED:
                await connection.execute(text(statement), {"org": organization_id})
            await connection.commit()
        event.listen(database.engine.sync_engine, "before_cursor_execute", capture)
        async with database.session() as session:
            repository = SqlConversationRepository(session, organization_id, "postgresql")
            found = await repository.page(
                ConversationFilter(search="number 4242"), 50, None, datetime.now(UTC)
            )
        event.remove(database.engine.sync_engine, "before_cursor_execute", capture)
        [(statement, parameters)] = issued

        async with database.connect() as connection:
            # asyncpg's cached statements end up on generic plans, which match an expression
            # index only when the expression holds no parameters.
            await connection.execute(text("SET plan_cache_mode = force_generic_plan"))
            raw = (await connection.get_raw_connection()).driver_connection
            assert raw is not None
            await raw.execute(f"PREPARE search AS {statement}")
            arguments = ", ".join(sql_literal(value) for value in parameters)
            plan = await raw.fetch(f"EXPLAIN EXECUTE search({arguments})")
    finally:
        await database.dispose()

    assert [edge.node.contact.profile_name for edge in found.edges] == ["Customer 243"]
    assert "ix_messages_body_search" in "\n".join(row[0] for row in plan)
