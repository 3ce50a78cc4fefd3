"""Deliveries applied end to end: HTTP in, processor, contacts, conversations, messages,
statuses and events out, on PostgreSQL and SQLite."""

from __future__ import annotations

import asyncio
import copy
import random
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import func, select

from domain.accounts.model import Actor
from domain.conversations.model import ConversationStatus, Direction, Message
from domain.conversations.statuses import settle_statuses
from domain.ingestion.ingest import InboundService
from domain.whatsapp.inbound import INSTALLATION, InboundContact, MessageStatus
from domain.whatsapp.model import WhatsAppNumber
from domain.whatsapp.numbers import NumberDetails
from persistence.database import Database
from persistence.models.conversations import ContactRow, ConversationRow, MessageRow
from persistence.models.events import EventRow
from persistence.models.ingestion import WebhookDeliveryRow
from tests.meta_payloads import (
    BUTTON_REPLY,
    INBOUND_TEXT,
    PHONE_NUMBER_ID,
    STATUS_DELIVERED,
    WABA_ID,
    meta_bytes,
)
from tests.support import WEBHOOK_APP_SECRET, GraphQLClient, RunningServer, create_tenant
from web.whatsapp.signature import sign

WEBHOOK = "/api/v1/whatsapp/webhook"


async def connect_number(server: RunningServer, client: GraphQLClient) -> WhatsAppNumber:
    tenant = await create_tenant(server, client, "Acme")
    return await server.runtime.services.numbers.create(
        Actor.of(tenant.owner, None), PHONE_NUMBER_ID, WABA_ID, NumberDetails(access_token="t")
    )


async def deliver(http: httpx.AsyncClient, payload: dict[str, Any]) -> None:
    body = meta_bytes(payload)
    response = await http.post(
        WEBHOOK, content=body, headers={"x-hub-signature-256": sign(WEBHOOK_APP_SECRET, body)}
    )
    assert response.status_code == 200, response.text


async def all_processed(database: Database, expected: int) -> list[WebhookDeliveryRow]:
    for _ in range(400):
        async with database.session() as session:
            rows = list(
                await session.scalars(select(WebhookDeliveryRow).order_by(WebhookDeliveryRow.id))
            )
        if len(rows) >= expected and all(row.status == "processed" for row in rows):
            return rows
        await asyncio.sleep(0.05)
    raise AssertionError(
        f"deliveries not processed: {[(r.id, r.status, r.last_error) for r in rows]}"
    )


async def count(database: Database, row_type: type[Any], *where: Any) -> int:
    async with database.session() as session:
        return int(
            await session.scalar(select(func.count()).select_from(row_type).where(*where)) or 0
        )


def text_message(wamid: str, sender: str = "16505551234", at: int = 1749416383) -> dict[str, Any]:
    payload = copy.deepcopy(INBOUND_TEXT)
    value = payload["entry"][0]["changes"][0]["value"]
    value["contacts"][0]["wa_id"] = sender
    value["messages"][0].update({"id": wamid, "from": sender, "timestamp": str(at)})
    return payload


def status(wamid: str, name: str, at: int = 1750030080) -> dict[str, Any]:
    payload = copy.deepcopy(STATUS_DELIVERED)
    payload["entry"][0]["changes"][0]["value"]["statuses"][0].update(
        {"id": wamid, "status": name, "timestamp": str(at)}
    )
    return payload


async def test_metas_text_example_becomes_contact_conversation_message_and_events(
    server: RunningServer, client: GraphQLClient, database: Database
) -> None:
    number = await connect_number(server, client)
    async with httpx.AsyncClient(base_url=server.url) as http:
        await deliver(http, INBOUND_TEXT)
    (delivery,) = await all_processed(database, 1)

    async with database.session() as session:
        contact = (await session.scalars(select(ContactRow))).one()
        conversation = (await session.scalars(select(ConversationRow))).one()
        message = (await session.scalars(select(MessageRow))).one()
        # The signals worker reads the message after the commit and tells of it later.
        read_after = ("message.scored", "conversation.updated")
        events = [
            event
            for event in await session.scalars(select(EventRow.type).order_by(EventRow.sequence))
            if event not in read_after
        ]
    sent_at = datetime.fromtimestamp(1749416383, tz=UTC)
    assert (contact.wa_id, contact.profile_name) == ("16505551234", "Sheena Nelson")
    assert conversation.number_id == number.id
    assert conversation.contact_id == contact.id
    assert (conversation.status, conversation.unread_count) == ("open", 1)
    assert conversation.last_inbound_at == sent_at
    assert (message.direction, message.type, message.sent_at) == ("inbound", "text", sent_at)
    assert message.content == {"body": "Does it come in another color?"}
    assert events[-2:] == ["conversation.opened", "message.received"]
    assert delivery.notes is not None
    assert delivery.notes["messagesStored"] == 1


async def test_the_same_wamid_delivered_again_is_stored_and_announced_once(
    server: RunningServer, client: GraphQLClient, database: Database
) -> None:
    await connect_number(server, client)
    rebatched = copy.deepcopy(INBOUND_TEXT)
    rebatched["entry"][0]["changes"].append(copy.deepcopy(BUTTON_REPLY["entry"][0]["changes"][0]))
    async with httpx.AsyncClient(base_url=server.url) as http:
        for payload in (INBOUND_TEXT, INBOUND_TEXT, rebatched):
            await deliver(http, payload)
    deliveries = await all_processed(database, 3)

    assert await count(database, MessageRow) == 2
    assert await count(database, EventRow, EventRow.type == "message.received") == 2
    assert await count(database, ConversationRow) == 1
    assert await count(database, ConversationRow, ConversationRow.unread_count == 2) == 1
    assert [d.notes["duplicateMessages"] for d in deliveries if d.notes] == [0, 1, 1]


async def test_a_delivery_for_an_unknown_number_is_acknowledged_and_recorded_unroutable(
    server: RunningServer, database: Database
) -> None:
    async with httpx.AsyncClient(base_url=server.url) as http:
        await deliver(http, INBOUND_TEXT)
    (delivery,) = await all_processed(database, 1)

    assert delivery.notes is not None
    assert delivery.notes["unroutableNumbers"] == [PHONE_NUMBER_ID]
    assert await count(database, MessageRow) == 0


async def test_the_window_follows_the_customers_latest_message_whatever_the_order(
    server: RunningServer, client: GraphQLClient, database: Database
) -> None:
    await connect_number(server, client)
    async with httpx.AsyncClient(base_url=server.url) as http:
        await deliver(http, text_message("wamid.LATE", at=1749420000))
        await deliver(http, text_message("wamid.EARLY", at=1749410000))
    await all_processed(database, 2)

    async with database.session() as session:
        conversation = (await session.scalars(select(ConversationRow))).one()
    assert conversation.last_inbound_at == datetime.fromtimestamp(1749420000, tz=UTC)


async def record_outbound(server: RunningServer, number: WhatsAppNumber, wamid: str) -> Message:
    """What the sender does once Meta answers a send: under the wamid's lock (as the webhook
    processor takes it), store the wamid, then settle statuses that already arrived for it."""
    runtime = server.runtime
    async with runtime.unit_of_work(number.organization_id) as uow:
        await uow.messages.lock_wamids([wamid])
        [contact] = await uow.contacts.upsert_many(
            [InboundContact("16505551234", None, None, None)], datetime.now(UTC)
        )
        opened = await uow.conversations.open_many([(number.id, contact.id)], datetime.now(UTC))
        conversation, _ = opened[(number.id, contact.id)]
        message = Message(
            id=uuid.uuid4(),
            organization_id=number.organization_id,
            conversation_id=conversation.id,
            direction=Direction.OUTBOUND,
            wamid=wamid,
            type="text",
            content={"body": "hi"},
            status=MessageStatus.PENDING,
            sent_at=datetime.now(UTC),
            created_at=datetime.now(UTC),
        )
        await uow.messages.add_if_new(message)
        await settle_statuses(uow, message)
        await uow.commit()
    return message


async def message_status(database: Database, wamid: str) -> tuple[str, Any]:
    async with database.session() as session:
        row = (await session.scalars(select(MessageRow).where(MessageRow.wamid == wamid))).one()
    return row.status, row.error


async def test_statuses_only_move_forward_and_repeats_are_ignored(
    server: RunningServer, client: GraphQLClient, database: Database
) -> None:
    number = await connect_number(server, client)
    await record_outbound(server, number, "wamid.OUT")
    async with httpx.AsyncClient(base_url=server.url) as http:
        for name in ("delivered", "sent", "read", "delivered", "read"):
            await deliver(http, status("wamid.OUT", name))
    deliveries = await all_processed(database, 5)

    assert await message_status(database, "wamid.OUT") == ("read", None)
    assert [d.notes["statusesRecorded"] for d in deliveries if d.notes] == [1, 1, 1, 0, 0]
    assert await count(database, EventRow, EventRow.type == "message.status_updated") == 2


async def test_statuses_applied_in_one_batch_move_and_count_as_they_would_one_by_one(
    server: RunningServer, client: GraphQLClient, database: Database
) -> None:
    number = await connect_number(server, client)
    await record_outbound(server, number, "wamid.BATCH")
    inbound = InboundService(server.runtime.unit_of_work, server.runtime.clock)
    batch = [
        (status("wamid.BATCH", name), INSTALLATION)
        for name in ("delivered", "sent", "read", "delivered", "read")
    ]

    outcomes = await inbound.apply_many(batch)

    assert await message_status(database, "wamid.BATCH") == ("read", None)
    assert [outcome.statuses_recorded for outcome in outcomes] == [1, 1, 1, 0, 0]
    assert await count(database, EventRow, EventRow.type == "message.status_updated") == 2


async def test_statuses_that_arrive_before_their_message_are_applied_when_it_is_known(
    server: RunningServer, client: GraphQLClient, database: Database
) -> None:
    number = await connect_number(server, client)
    async with httpx.AsyncClient(base_url=server.url) as http:
        await deliver(http, status("wamid.EARLY", "delivered"))
        await deliver(http, status("wamid.EARLY", "read"))
    await all_processed(database, 2)

    await record_outbound(server, number, "wamid.EARLY")

    assert (await message_status(database, "wamid.EARLY"))[0] == "read"


async def test_a_failed_status_keeps_metas_error(
    server: RunningServer, client: GraphQLClient, database: Database
) -> None:
    number = await connect_number(server, client)
    await record_outbound(server, number, "wamid.FAIL")
    failed = status("wamid.FAIL", "failed")
    failed["entry"][0]["changes"][0]["value"]["statuses"][0]["errors"] = [
        {
            "code": 131047,
            "title": "Re-engagement message",
            "message": "Re-engagement message",
            "error_data": {
                "details": "More than 24 hours have passed since the recipient last replied."
            },
        }
    ]
    async with httpx.AsyncClient(base_url=server.url) as http:
        await deliver(http, status("wamid.FAIL", "sent"))
        await deliver(http, failed)
    await all_processed(database, 2)

    state, error = await message_status(database, "wamid.FAIL")
    assert state == "failed"
    assert error["code"] == 131047


async def test_redelivered_and_shuffled_traffic_converges(
    server: RunningServer, client: GraphQLClient, database: Database
) -> None:
    """Every message and status three times, statuses before messages, in random order."""
    number = await connect_number(server, client)
    inbound = [text_message(f"wamid.IN{n}", sender=f"5511{n:07d}") for n in range(40)]
    outbound = [f"wamid.OUT{n}" for n in range(20)]
    statuses = [status(wamid, name) for wamid in outbound for name in ("sent", "delivered", "read")]
    traffic = (inbound + statuses) * 3
    random.Random(7).shuffle(traffic)
    async with httpx.AsyncClient(base_url=server.url) as http:
        for payload in traffic[: len(traffic) // 2]:
            await deliver(http, payload)
        for wamid in outbound:
            await record_outbound(server, number, wamid)
        for payload in traffic[len(traffic) // 2 :]:
            await deliver(http, payload)
    await all_processed(database, len(traffic))

    assert await count(database, MessageRow, MessageRow.direction == "inbound") == 40
    assert await count(database, EventRow, EventRow.type == "message.received") == 40
    assert await count(database, ContactRow) == 41
    assert (
        await count(
            database, MessageRow, MessageRow.direction == "outbound", MessageRow.status == "read"
        )
        == 20
    )


async def test_a_late_redelivery_after_resolution_opens_no_new_conversation(
    server: RunningServer, client: GraphQLClient, database: Database
) -> None:
    number = await connect_number(server, client)
    async with httpx.AsyncClient(base_url=server.url) as http:
        await deliver(http, INBOUND_TEXT)
        await all_processed(database, 1)
        async with server.runtime.unit_of_work(number.organization_id) as uow:
            [contact] = await uow.contacts.upsert_many(
                [InboundContact("16505551234", None, None, None)], datetime.now(UTC)
            )
            opened = await uow.conversations.open_many([(number.id, contact.id)], datetime.now(UTC))
            conversation, _ = opened[(number.id, contact.id)]
            await uow.conversations.save(replace(conversation, status=ConversationStatus.RESOLVED))
            await uow.commit()

        await deliver(http, INBOUND_TEXT)
        await all_processed(database, 2)

    assert await count(database, ConversationRow) == 1
    assert await count(database, MessageRow) == 1


async def test_a_wamid_seen_by_one_organization_is_still_stored_for_another(
    server: RunningServer, client: GraphQLClient, database: Database
) -> None:
    """Deduplication is per organization: a wamid Acme's webhook brought first must not
    shadow the same wamid arriving for Globex's number, message or status."""
    acme = await connect_number(server, client)
    globex = await create_tenant(server, client, "Globex")
    await server.runtime.services.numbers.create(
        Actor.of(globex.owner, None), "2002", "2", NumberDetails(access_token="t")
    )
    for_globex = text_message("wamid.SHARED")
    for_globex["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "2002"
    read = status("wamid.SHARED", "read")
    globex_status = copy.deepcopy(read)
    globex_status["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "2002"

    async with httpx.AsyncClient(base_url=server.url) as http:
        for payload in (text_message("wamid.SHARED"), read, for_globex, globex_status):
            await deliver(http, payload)
    await all_processed(database, 4)

    async with database.session() as session:
        stored = await session.execute(
            select(MessageRow.organization_id, MessageRow.status).where(
                MessageRow.wamid == "wamid.SHARED"
            )
        )
        by_organization = {organization: status for organization, status in stored.all()}
    assert by_organization == {acme.organization_id: "read", globex.organization_id: "read"}


MESSAGES = """
query($id: ID!) { messages(conversationId: $id) { edges { node {
  type ingestionNotes
  content { __typename ... on TextContent { body } ... on UnsupportedContent { unsupportedType } }
} } } }
"""


async def test_hostile_or_malformed_messages_are_kept_and_the_conversation_stays_readable(
    server: RunningServer, client: GraphQLClient, database: Database
) -> None:
    """A NUL in a text or a name, and a location whose latitude is text (Meta's own doc
    example), are stored at the first attempt and read back; a number change moves the contact."""
    tenant = await create_tenant(server, client, "Acme")
    await server.runtime.services.numbers.create(
        Actor.of(tenant.owner, None), PHONE_NUMBER_ID, WABA_ID, NumberDetails(access_token="t")
    )
    with_nul = text_message("wamid.NUL")
    value = with_nul["entry"][0]["changes"][0]["value"]
    value["messages"][0]["text"]["body"] = "oi\u0000"
    value["contacts"][0]["profile"]["name"] = "Ze\u0000"
    location = text_message("wamid.LOCATION", at=1749416384)
    location_message = location["entry"][0]["changes"][0]["value"]["messages"][0]
    location_message.update(
        type="location", location={"latitude": "LOCATION_LATITUDE", "longitude": "x"}
    )
    del location_message["text"]
    location["entry"][0]["changes"][0]["value"]["contacts"][0]["profile"]["name"] = "Ze\u0000"
    renumbered = text_message("wamid.SYSTEM", at=1749416385)
    system_message = renumbered["entry"][0]["changes"][0]["value"]["messages"][0]
    system_message.update(
        type="system",
        system={
            "body": "User changed number",
            "type": "user_changed_number",
            "wa_id": "5511988887777",
        },
    )
    del system_message["text"]
    # Meta sends a number change without contacts[] (reference §2.3).
    del renumbered["entry"][0]["changes"][0]["value"]["contacts"]

    async with httpx.AsyncClient(base_url=server.url) as http:
        for payload in (with_nul, location, renumbered):
            await deliver(http, payload)
    deliveries = await all_processed(database, 3)

    assert [delivery.attempts for delivery in deliveries] == [1, 1, 1]
    async with database.session() as session:
        conversation_id = await session.scalar(select(ConversationRow.id))
        contact = (await session.scalars(select(ContactRow))).one()
    assert (contact.profile_name, contact.wa_id) == ("Ze\ufffd", "5511988887777")
    read = await client.data(MESSAGES, {"id": str(conversation_id)}, token=tenant.token)
    nodes = [edge["node"] for edge in read["messages"]["edges"]]
    assert nodes[0]["content"] == {"__typename": "TextContent", "body": "oi\ufffd"}
    assert nodes[0]["ingestionNotes"] == [
        "1 NUL or lone surrogate characters were replaced with U+FFFD: the database cannot "
        "store them"
    ]
    assert nodes[1]["content"] == {
        "__typename": "UnsupportedContent",
        "unsupportedType": "location",
    }
    assert nodes[1]["ingestionNotes"] == ["location.latitude is not a number"]


async def test_a_sender_id_holding_nul_or_a_lone_surrogate_is_acknowledged_and_applied(
    server: RunningServer, client: GraphQLClient, database: Database
) -> None:
    """The sender's id names the conversation in the backlog's keys when the webhook is
    acknowledged: characters the database cannot store must not fail that acknowledgement."""
    await connect_number(server, client)
    hostile = text_message("wamid.HOSTILE.SENDER")
    value = hostile["entry"][0]["changes"][0]["value"]
    del value["messages"][0]["from"]
    value["messages"][0]["from_user_id"] = "US.1\u0000\ud800"
    value["contacts"] = [{"profile": {"name": "Ana"}, "user_id": "US.1\u0000\ud800"}]

    async with httpx.AsyncClient(base_url=server.url) as http:
        await deliver(http, hostile)
    (delivery,) = await all_processed(database, 1)

    assert delivery.notes is not None
    assert delivery.notes["messagesStored"] == 1
    async with database.session() as session:
        contact = (await session.scalars(select(ContactRow))).one()
    assert contact.user_id == "US.1\ufffd\ufffd"
