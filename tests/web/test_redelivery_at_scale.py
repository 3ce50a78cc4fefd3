"""Meta's redelivery at full scale on PostgreSQL: 2,000 inbound messages and the statuses of
2,000 sent messages, each posted three times in shuffled order (many statuses before their
message is known), converge to exactly 2,000 + 2,000 messages, each with its highest status,
and exactly one event per message."""

from __future__ import annotations

import random
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import func, select

from domain.accounts.model import Actor
from domain.conversations.model import Direction, Message
from domain.conversations.statuses import settle_statuses
from domain.whatsapp.inbound import InboundContact, MessageStatus
from domain.whatsapp.numbers import NumberDetails
from persistence.database import Database
from persistence.models.conversations import ContactRow, MessageRow, MessageStatusRow
from persistence.models.events import EventRow
from persistence.models.ingestion import WebhookDeliveryRow
from tests.conftest import fresh_postgres_database
from tests.meta_payloads import PHONE_NUMBER_ID, WABA_ID, meta_bytes
from tests.support import (
    PASSWORD,
    WEBHOOK_APP_SECRET,
    eventually,
    make_settings,
    own_postgres_url,
    running_server,
)
from web.whatsapp.signature import sign

DATABASE_URL = own_postgres_url("redelivery")
MESSAGES = 2000
CHANGES_PER_DELIVERY = 25
LADDER = ("sent", "delivered", "read")


def inbound_change(n: int, at: int) -> dict[str, Any]:
    wa_id = f"5511{n:07d}"
    return {
        "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE_NUMBER_ID},
            "contacts": [{"profile": {"name": f"Customer {n}"}, "wa_id": wa_id}],
            "messages": [
                {
                    "from": wa_id,
                    "id": f"wamid.IN{n}",
                    "timestamp": str(at),
                    "type": "text",
                    "text": {"body": f"message {n}"},
                }
            ],
        },
        "field": "messages",
    }


def status_change(n: int, status: str, at: int) -> dict[str, Any]:
    return {
        "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE_NUMBER_ID},
            "statuses": [
                {
                    "id": f"wamid.OUT{n}",
                    "status": status,
                    "timestamp": str(at + LADDER.index(status)),
                    "recipient_id": f"5511{n:07d}",
                }
            ],
        },
        "field": "messages",
    }


def deliveries(changes: list[dict[str, Any]]) -> list[bytes]:
    return [
        meta_bytes(
            {
                "object": "whatsapp_business_account",
                "entry": [
                    {"id": WABA_ID, "changes": changes[start : start + CHANGES_PER_DELIVERY]}
                ],
            }
        )
        for start in range(0, len(changes), CHANGES_PER_DELIVERY)
    ]


async def scalar(database: Database, statement: Any) -> int:
    async with database.engine.connect() as connection:
        return int(await connection.scalar(statement) or 0)


async def test_three_shuffled_redeliveries_of_everything_converge_exactly(
    tmp_path: Any,
) -> None:
    await fresh_postgres_database(DATABASE_URL)
    async with running_server(make_settings(DATABASE_URL)) as server:
        runtime = server.runtime
        owner = await runtime.services.accounts.bootstrap_admin(
            "Busy Co", "owner@busy.example", "Owner", PASSWORD
        )
        assert owner is not None
        number = await runtime.services.numbers.create(
            Actor.of(owner, None), PHONE_NUMBER_ID, WABA_ID, NumberDetails(access_token="t")
        )
        now = int(time.time())
        changes = [inbound_change(n, now) for n in range(MESSAGES)]
        changes += [status_change(n, s, now) for n in range(MESSAGES) for s in LADDER]
        traffic = changes * 3
        random.Random(2000).shuffle(traffic)
        bodies = deliveries(traffic)

        async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:

            async def post(body: bytes) -> None:
                response = await http.post(
                    "/api/v1/whatsapp/webhook",
                    content=body,
                    headers={"x-hub-signature-256": sign(WEBHOOK_APP_SECRET, body)},
                )
                assert response.status_code == 200, response.text

            for body in bodies[: len(bodies) // 2]:
                await post(body)
            await record_sent_messages(server, number.organization_id, number.id)
            for body in bodies[len(bodies) // 2 :]:
                await post(body)

        database = runtime.database

        async def all_processed() -> bool:
            pending = await scalar(
                database,
                select(func.count())
                .select_from(WebhookDeliveryRow)
                .where(WebhookDeliveryRow.status != "processed"),
            )
            return pending == 0

        await eventually(all_processed, within=240, what="every delivery to be applied")

        def messages(*where: Any) -> Any:
            return select(func.count()).select_from(MessageRow).where(*where)

        assert await scalar(database, messages(MessageRow.direction == "inbound")) == MESSAGES
        assert await scalar(database, messages(MessageRow.direction == "outbound")) == MESSAGES
        assert (
            await scalar(
                database,
                messages(MessageRow.direction == "outbound", MessageRow.status == "read"),
            )
            == MESSAGES
        ), "a sent message did not end at its highest status"
        assert await scalar(database, select(func.count()).select_from(ContactRow)) == MESSAGES
        assert await scalar(
            database, select(func.count()).select_from(MessageStatusRow)
        ) == MESSAGES * len(LADDER)
        received = (
            select(func.count()).select_from(EventRow).where(EventRow.type == "message.received")
        )
        assert await scalar(database, received) == MESSAGES
        distinct_messages = select(
            func.count(func.distinct(EventRow.payload["messageId"].as_string()))
        ).where(EventRow.type == "message.received")
        assert await scalar(database, distinct_messages) == MESSAGES


async def record_sent_messages(
    server: Any, organization_id: uuid.UUID, number_id: uuid.UUID
) -> None:
    """What the sender stores once Meta answers: the messages with their wamids, settling the
    statuses that arrived before them."""
    now = datetime.now(UTC)
    for first in range(0, MESSAGES, 200):
        async with server.runtime.unit_of_work(organization_id) as uow:
            # All of a transaction's wamid locks at once, sorted, as the processor takes them.
            await uow.messages.lock_wamids([f"wamid.OUT{n}" for n in range(first, first + 200)])
            for n in range(first, first + 200):
                wamid = f"wamid.OUT{n}"
                [contact] = await uow.contacts.upsert_many(
                    [InboundContact(f"5511{n:07d}", None, f"Customer {n}", None)], now
                )
                opened = await uow.conversations.open_many([(number_id, contact.id)], now)
                conversation, _ = opened[(number_id, contact.id)]
                message = Message(
                    id=uuid.uuid4(),
                    organization_id=organization_id,
                    conversation_id=conversation.id,
                    direction=Direction.OUTBOUND,
                    wamid=wamid,
                    type="text",
                    content={"body": f"reply {n}"},
                    status=MessageStatus.PENDING,
                    sent_at=now,
                    created_at=now,
                )
                await uow.messages.add_if_new(message)
                await settle_statuses(uow, message)
            await uow.commit()
