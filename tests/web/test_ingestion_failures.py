"""A delivery that fails half-way leaves no trace: no message, no dedupe mark, and a retry of
the same message succeeds. PostgreSQL only: the failure used is its own refusal of a value too
long for its column, a real error in the middle of the transaction (SQLite stores any length).
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import func, select

from domain.accounts.model import Actor
from domain.whatsapp.numbers import NumberDetails
from persistence.database import Database
from persistence.models.conversations import MessageRow
from persistence.models.events import EventRow
from persistence.models.ingestion import WebhookDeliveryRow
from tests.conftest import fresh_postgres_database
from tests.meta_payloads import INBOUND_TEXT, PHONE_NUMBER_ID, WABA_ID, meta_bytes
from tests.support import (
    WEBHOOK_APP_SECRET,
    GraphQLClient,
    RunningServer,
    create_tenant,
    make_settings,
    own_postgres_url,
    running_server,
)
from web.whatsapp.signature import sign

DATABASE_URL = own_postgres_url("failure")


@pytest.fixture
async def postgres_server() -> AsyncIterator[RunningServer]:
    async with running_server(make_settings(await fresh_postgres_database(DATABASE_URL))) as server:
        yield server


def message(wamid: str, sender: str) -> dict[str, object]:
    return {
        "from": sender,
        "id": wamid,
        "timestamp": "1749416383",
        "type": "text",
        "text": {"body": "hello"},
    }


async def settled(database: Database, expected: int) -> list[WebhookDeliveryRow]:
    for _ in range(200):
        async with database.session() as session:
            rows = list(
                await session.scalars(select(WebhookDeliveryRow).order_by(WebhookDeliveryRow.id))
            )
        if len(rows) >= expected and all(
            row.status != "processing" and row.attempts > 0 for row in rows
        ):
            return rows
        await asyncio.sleep(0.05)
    raise AssertionError("deliveries did not settle")


async def test_a_failure_mid_transaction_leaves_no_dedupe_mark(
    postgres_server: RunningServer,
) -> None:
    server = postgres_server
    client = GraphQLClient(server.url)
    tenant = await create_tenant(server, client, "Acme")
    await server.runtime.services.numbers.create(
        Actor.of(tenant.owner, None), PHONE_NUMBER_ID, WABA_ID, NumberDetails(access_token="t")
    )
    poisoned = copy.deepcopy(INBOUND_TEXT)
    value = poisoned["entry"][0]["changes"][0]["value"]
    # A wamid longer than its column fails the statement after the good message was written.
    poison = "wamid.POISON" + "9" * 300
    value["messages"] = [message("wamid.GOOD", "16505551234"), message(poison, "16505551234")]
    retry = copy.deepcopy(INBOUND_TEXT)
    retry["entry"][0]["changes"][0]["value"]["messages"] = [message("wamid.GOOD", "16505551234")]
    database = server.runtime.database

    async with httpx.AsyncClient(base_url=server.url) as http:
        for payload in (poisoned, retry):
            body = meta_bytes(payload)
            response = await http.post(
                "/api/v1/whatsapp/webhook",
                content=body,
                headers={"x-hub-signature-256": sign(WEBHOOK_APP_SECRET, body)},
            )
            assert response.status_code == 200
    failed, retried = await settled(database, 2)

    async with database.session() as session:
        stored = list(await session.scalars(select(MessageRow.wamid)))
        received_events = await session.scalar(
            select(func.count()).select_from(EventRow).where(EventRow.type == "message.received")
        )
    await client.close()
    assert failed.status == "pending"
    assert failed.last_error is not None
    assert "too long" in failed.last_error
    assert failed.not_before is not None
    assert retried.status == "processed"
    assert stored == ["wamid.GOOD"]
    assert received_events == 1
