"""On PostgreSQL, searching conversations by message text is served by the full-text index
over message bodies instead of reading every message of the organization: 10,000 messages in
one organization, one of them with the words searched for."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, text

from domain.conversations.model import ConversationFilter
from domain.pagination import PageRequest
from persistence import migrate
from persistence.database import Database
from persistence.repositories.conversations import SqlConversationRepository
from tests.conftest import recreate_postgres_database
from tests.support import own_postgres_url

SEARCH_TEST_POSTGRES = own_postgres_url("search_index")


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


@dataclass(frozen=True)
class Searched:
    names: list[str | None]
    plan: str


async def search(needle: str, *, plan_cache_mode: str, only_bitmap_scans: bool = False) -> Searched:
    """Seeds a fresh database, searches through the repository, and explains the very
    statement it issued, planned as `plan_cache_mode` says."""
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
            repository = SqlConversationRepository(session, organization_id, database.components)
            found = await repository.page(
                ConversationFilter(search=needle), 50, PageRequest(first=50), datetime.now(UTC)
            )
        event.remove(database.engine.sync_engine, "before_cursor_execute", capture)
        [(statement, parameters)] = issued

        async with database.connect() as connection:
            await connection.execute(text(f"SET plan_cache_mode = {plan_cache_mode}"))
            if only_bitmap_scans:
                await connection.execute(text("SET enable_seqscan = off"))
                await connection.execute(text("SET enable_indexscan = off"))
            raw = (await connection.get_raw_connection()).driver_connection
            assert raw is not None
            await raw.execute(f"PREPARE search AS {statement}")
            arguments = ", ".join(sql_literal(value) for value in parameters)
            plan = await raw.fetch(f"EXPLAIN EXECUTE search({arguments})")
    finally:
        await database.dispose()
    names = [edge.node.contact.profile_name for edge in found.edges]
    return Searched(names, "\n".join(row[0] for row in plan))


async def test_a_message_text_search_uses_the_body_index() -> None:
    # asyncpg's cached statements end up on generic plans, which match an expression index
    # only when the expression holds no parameters: that is what this checks.
    searched = await search("number 4242", plan_cache_mode="force_generic_plan")

    assert searched.names == ["Customer 243"]
    assert "ix_messages_body_search" in searched.plan


async def test_a_name_or_number_search_can_use_the_trigram_index() -> None:
    # 500 contacts are few enough for the planner to prefer scanning them; with scans and
    # plain index scans forbidden, only a usable trigram index can serve the match.
    by_name = await search(
        "customer 243", plan_cache_mode="force_custom_plan", only_bitmap_scans=True
    )
    by_number = await search("+551124", plan_cache_mode="force_custom_plan", only_bitmap_scans=True)

    assert by_name.names == ["Customer 243"]
    assert "ix_contacts_search" in by_name.plan
    assert set(by_number.names) == {"Customer 24", *(f"Customer {n}" for n in range(240, 250))}
    assert "ix_contacts_search" in by_number.plan
