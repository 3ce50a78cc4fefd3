"""Sending through the outbox to the Graph API simulator over real HTTP, on PostgreSQL and
SQLite: wamids and statuses, retries, terminal errors with their sentence, the 24-hour window,
a refused token, and a recipient's messages kept in order."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import select

from domain.accounts.model import Actor
from domain.conversations.messaging import TextContent
from domain.errors import WindowClosed
from domain.whatsapp.inbound import MessageStatus
from domain.whatsapp.numbers import NumberDetails
from persistence.database import Database
from persistence.models.conversations import ConversationRow, OutboundMessageRow
from persistence.models.events import EventRow
from tests.notifications import notified
from tests.support import (
    AdjustableClock,
    conversation_with,
    eventually,
    message_row,
    reaches,
    whatsapp_channel,
)

CUSTOMER = "16505551234"
FAST: dict[str, Any] = {"whatsapp_retry_base_seconds": 0.05}


async def outbox_rows(database: Database) -> list[Any]:
    async with database.engine.connect() as connection:
        result = await connection.execute(
            select(OutboundMessageRow).order_by(OutboundMessageRow.id)
        )
        return list(result.mappings())


async def event_types(database: Database) -> list[str]:
    async with database.engine.connect() as connection:
        result = await connection.scalars(select(EventRow.type).order_by(EventRow.sequence))
        return list(result)


async def test_a_reply_reaches_the_customer_once_and_its_statuses_come_back(
    database: Database, database_url: str
) -> None:
    async with whatsapp_channel(database_url) as channel:
        conversation_id = await conversation_with(channel, CUSTOMER)
        runtime = channel.server.runtime

        message = await runtime.messaging.send(
            channel.tenant.organization_id, conversation_id, TextContent("Hi Ana, how can I help?")
        )

        row = await reaches(database, message.id, MessageStatus.DELIVERED)
        sent = channel.simulator.state.sent
        assert len(sent) == 1
        assert sent[0].to == CUSTOMER
        assert sent[0].payload["text"] == {"preview_url": False, "body": "Hi Ana, how can I help?"}
        assert row["wamid"] == sent[0].wamid
        assert row["direction"] == "outbound"
        [outbox] = await outbox_rows(database)
        assert (outbox["status"], outbox["wamid"], outbox["attempts"]) == ("sent", sent[0].wamid, 1)
        types = await event_types(database)
        assert types.index("message.queued") < types.index("message.accepted")
        assert "message.status_updated" in types


async def test_rate_limits_server_errors_and_timeouts_are_retried_and_sent_once(
    database: Database, database_url: str
) -> None:
    async with whatsapp_channel(
        database_url, whatsapp_graph_timeout_seconds=0.5, **FAST
    ) as channel:
        conversation_id = await conversation_with(channel, CUSTOMER)
        await channel.fault(code=130429, times=2)
        await channel.fault(http_status=503, times=1)
        await channel.fault(http_status=500, delay_seconds=1.0, times=1)

        message = await channel.server.runtime.messaging.send(
            channel.tenant.organization_id, conversation_id, TextContent("Your order shipped")
        )

        await reaches(database, message.id, MessageStatus.DELIVERED)
        assert len(channel.simulator.state.sent) == 1
        assert [r["code"] for r in channel.simulator.state.rejected] == [130429, 130429]
        [outbox] = await outbox_rows(database)
        assert outbox["attempts"] == 5
        assert outbox["status"] == "sent"


@pytest.mark.parametrize(
    ("code", "sentence"),
    [
        (131047, "the 24-hour window is closed: send an approved template"),
        (132000, "the template's parameters do not match its definition"),
        (131026, "the message could not be delivered"),
    ],
)
async def test_terminal_errors_fail_the_message_with_a_sentence_and_are_not_retried(
    database: Database, database_url: str, code: int, sentence: str
) -> None:
    async with whatsapp_channel(database_url, **FAST) as channel:
        conversation_id = await conversation_with(channel, CUSTOMER)
        await channel.fault(code=code, times=5)

        message = await channel.server.runtime.messaging.send(
            channel.tenant.organization_id, conversation_id, TextContent("Are you still there?")
        )

        row = await reaches(database, message.id, MessageStatus.FAILED)
        assert row["error"]["code"] == code
        assert row["error"]["message"].startswith(sentence)
        await asyncio.sleep(0.3)
        assert len(channel.simulator.state.rejected) == 1, "a terminal error was retried"
        assert channel.simulator.state.sent == []
        [outbox] = await outbox_rows(database)
        assert (outbox["status"], outbox["error_code"]) == ("failed", code)


async def test_meta_reports_a_closed_window_that_pytake_did_not_know_about(
    database: Database, database_url: str
) -> None:
    """The simulator enforces its own window: PyTake's record of the conversation says open,
    but the customer's message never reached this simulator."""
    async with whatsapp_channel(database_url, **FAST) as channel:
        conversation_id = await conversation_with(channel, CUSTOMER)
        channel.simulator.state.last_inbound_at.clear()

        message = await channel.server.runtime.messaging.send(
            channel.tenant.organization_id, conversation_id, TextContent("Following up")
        )

        row = await reaches(database, message.id, MessageStatus.FAILED)
        assert row["error"]["message"].startswith(
            "the 24-hour window is closed: send an approved template"
        )
        assert [r["code"] for r in channel.simulator.state.rejected] == [131047]


async def test_a_free_form_send_outside_the_window_is_refused_before_meta(
    database: Database, database_url: str
) -> None:
    clock = AdjustableClock()
    async with whatsapp_channel(database_url, clock=clock) as channel:
        conversation_id = await conversation_with(channel, CUSTOMER)
        clock.advance(hours=24, minutes=1)

        with pytest.raises(WindowClosed) as refused:
            await channel.server.runtime.messaging.send(
                channel.tenant.organization_id, conversation_id, TextContent("Too late")
            )

        assert "only an approved template can be sent" in refused.value.message
        assert await outbox_rows(database) == []
        assert channel.simulator.state.sent == []
        assert channel.simulator.state.rejected == []


async def test_a_refused_token_holds_sends_until_an_administrator_replaces_it(
    database: Database, database_url: str
) -> None:
    async with whatsapp_channel(database_url, **FAST) as channel:
        conversation_id = await conversation_with(channel, CUSTOMER)
        runtime = channel.server.runtime
        channel.simulator.config.access_token = "rotated-token"

        message = await runtime.messaging.send(
            channel.tenant.organization_id, conversation_id, TextContent("Order update")
        )

        async def unhealthy() -> bool:
            return "whatsapp_number.unhealthy" in await event_types(database)

        await eventually(unhealthy, what="the number to be marked unhealthy")
        await asyncio.sleep(0.5)
        [outbox] = await outbox_rows(database)
        assert outbox["status"] == "queued", "a send was dropped instead of held"
        assert outbox["error_code"] == 190
        assert len(channel.simulator.state.rejected) == 1, "sends went on with a refused token"
        assert (await message_row(database, message.id))["status"] == "pending"
        [told] = await notified(channel.client, channel.tenant.token)
        assert (told["type"], told["severity"]) == ("number_unhealthy", "URGENT")
        assert told["subject"].startswith(
            f"O número {channel.number.display_phone_number} parou de enviar: "
        )

        await runtime.services.numbers.update(
            Actor.of(channel.tenant.owner, None),
            channel.number.id,
            NumberDetails(access_token="rotated-token"),
        )

        await reaches(database, message.id, MessageStatus.DELIVERED)
        assert len(channel.simulator.state.sent) == 1


async def test_a_recipients_messages_arrive_in_order_even_when_one_is_retried(
    database: Database, database_url: str
) -> None:
    async with whatsapp_channel(database_url, **FAST) as channel:
        conversation_id = await conversation_with(channel, CUSTOMER)
        await channel.fault(code=131056, times=1)
        bodies = [f"part {index} of 5" for index in range(1, 6)]

        for body in bodies:
            await channel.server.runtime.messaging.send(
                channel.tenant.organization_id, conversation_id, TextContent(body)
            )

        async def all_sent() -> bool:
            return len(channel.simulator.state.sent) == len(bodies)

        await eventually(all_sent, what="every part to be sent")
        assert [m.payload["text"]["body"] for m in channel.simulator.state.sent] == bodies
        assert [r["code"] for r in channel.simulator.state.rejected] == [131056]


async def test_marking_read_clears_unread_and_sends_metas_read_receipt_with_typing(
    database: Database, database_url: str
) -> None:
    async with whatsapp_channel(database_url) as channel:
        conversation_id = await conversation_with(channel, CUSTOMER)
        latest = await channel.customer_says(CUSTOMER, text="Hello? Anyone?")

        async def both_stored() -> bool:
            async with database.engine.connect() as connection:
                unread = await connection.scalar(select(ConversationRow.unread_count))
            return unread == 2

        await eventually(both_stored, what="both customer messages")

        conversation = await channel.server.runtime.messaging.mark_read(
            channel.tenant.organization_id, conversation_id, typing=True
        )

        assert conversation.unread_count == 0

        async def receipt_sent() -> bool:
            return bool(channel.simulator.state.read_receipts)

        await eventually(receipt_sent, what="the read receipt")
        assert channel.simulator.state.read_receipts == [
            {
                "phone_number_id": channel.number.phone_number_id,
                "message_id": latest,
                "typing_indicator": {"type": "text"},
            }
        ]

        async def recorded() -> list[Any] | None:
            rows = await outbox_rows(database)
            return rows if rows and rows[0]["status"] == "sent" else None

        [receipt] = await eventually(recorded, what="the receipt recorded as sent")
        assert receipt["kind"] == "read_receipt"
