"""The inbox subscriptions against the simulator: a customer's message, the reply and its
statuses arrive in order; agents receive only their conversations; a client that reconnects
with `after` receives exactly what it missed."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from domain.accounts.model import Role
from persistence.database import Database
from tests.support import (
    Subscription,
    add_user,
    conversation_with,
    eventually,
    subscribed,
    whatsapp_channel,
)

CUSTOMER = "16505551234"
RECEIVED = (
    "subscription($after: ID) { messageReceived(after: $after) "
    "{ eventId conversationId messageType } }"
)


async def next_event(subscription: Subscription, field: str) -> dict[str, Any]:
    data = await subscription.next_data(timeout=10)
    event: dict[str, Any] = data["data"][field]
    return event


async def test_a_message_the_reply_and_its_statuses_reach_the_inbox_in_order(
    database: Database, database_url: str
) -> None:
    async with whatsapp_channel(database_url) as channel:
        conversation_id = str(await conversation_with(channel, CUSTOMER))
        ws, token = channel.server.ws_url, channel.tenant.token
        by_conversation = {"c": conversation_id}
        async with (
            subscribed(ws, token, RECEIVED) as received,
            subscribed(
                ws,
                token,
                "subscription($c: ID) { messageSent(conversationId: $c) { messageId } }",
                by_conversation,
            ) as sent,
            subscribed(
                ws,
                token,
                "subscription($c: ID) { messageStatusUpdated(conversationId: $c) "
                "{ messageId status } }",
                by_conversation,
            ) as statuses,
        ):
            await asyncio.sleep(0.2)
            await channel.customer_says(CUSTOMER, text="Is it in stock?")
            arrived = await next_event(received, "messageReceived")
            reply = await channel.client.data(
                "mutation($c: ID!) { messageSend(input: {conversationId: $c, "
                'text: {body: "Yes!"}}) { ... on MessageSendSuccess { sentMessage { id } } } }',
                by_conversation,
                token=token,
            )
            reply_id = reply["messageSend"]["sentMessage"]["id"]
            queued = await next_event(sent, "messageSent")
            first = await next_event(statuses, "messageStatusUpdated")
            second = await next_event(statuses, "messageStatusUpdated")

        assert (arrived["conversationId"], arrived["messageType"]) == (conversation_id, "text")
        assert queued == {"messageId": reply_id}
        assert [first, second] == [
            {"messageId": reply_id, "status": "SENT"},
            {"messageId": reply_id, "status": "DELIVERED"},
        ]
        assert len(channel.simulator.state.sent) == 1


async def test_an_agent_receives_only_the_conversations_assigned_to_them(
    database: Database, database_url: str
) -> None:
    async with whatsapp_channel(database_url) as channel:
        conversation_id = str(await conversation_with(channel, CUSTOMER))
        agent, agent_token = await add_user(
            channel.server, channel.client, channel.tenant, Role.AGENT
        )
        ws = channel.server.ws_url
        async with (
            subscribed(ws, agent_token, RECEIVED) as received,
            subscribed(
                ws,
                agent_token,
                "subscription { conversationUpdated { conversationId changed assigneeId } }",
            ) as updates,
        ):
            await asyncio.sleep(0.2)
            await channel.customer_says(CUSTOMER, text="before the handoff")
            with pytest.raises(TimeoutError):
                await received.receive(timeout=0.5)
            await channel.client.data(
                "mutation($c: ID!, $a: ID!) { conversationAssign(input: {id: $c, agentId: $a}) "
                "{ __typename } }",
                {"c": conversation_id, "a": str(agent.id)},
                token=channel.tenant.token,
            )
            handoff = await next_event(updates, "conversationUpdated")
            await channel.customer_says(CUSTOMER, text="after the handoff")
            arrived = await next_event(received, "messageReceived")

        assert handoff == {
            "conversationId": conversation_id,
            "changed": ["assignee"],
            "assigneeId": str(agent.id),
        }
        assert arrived["conversationId"] == conversation_id


async def test_subscribers_of_one_event_each_receive_the_selection_they_asked_for(
    database: Database, database_url: str
) -> None:
    async with whatsapp_channel(database_url) as channel:
        conversation_id = str(await conversation_with(channel, CUSTOMER))
        ws, token = channel.server.ws_url, channel.tenant.token
        by_type = "subscription { messageReceived { messageType } }"
        by_conversation = (
            "subscription($c: ID) { messageReceived(conversationId: $c) { conversationId } }"
        )
        async with (
            subscribed(ws, token, RECEIVED) as with_ids,
            subscribed(ws, token, RECEIVED) as also_with_ids,
            subscribed(ws, token, by_type) as with_type,
            subscribed(ws, token, by_conversation, {"c": conversation_id}) as filtered,
        ):
            await asyncio.sleep(0.2)
            await channel.customer_says(CUSTOMER, text="one event, four subscribers")
            first = await next_event(with_ids, "messageReceived")
            second = await next_event(also_with_ids, "messageReceived")
            typed = await next_event(with_type, "messageReceived")
            scoped = await next_event(filtered, "messageReceived")

        assert first == second
        # The identical subscription got the result computed for the first one.
        assert channel.server.runtime.services.event_views.reused >= 1
        assert set(first) == {"eventId", "conversationId", "messageType"}
        assert typed == {"messageType": "text"}
        assert scoped == {"conversationId": conversation_id}


async def test_a_client_that_reconnects_with_after_receives_every_missed_event_once(
    database: Database, database_url: str
) -> None:
    async with whatsapp_channel(database_url) as channel:
        await conversation_with(channel, CUSTOMER)
        ws, token = channel.server.ws_url, channel.tenant.token
        async with subscribed(ws, token, RECEIVED) as received:
            await asyncio.sleep(0.2)
            await channel.customer_says(CUSTOMER, text="one")
            last_seen = (await next_event(received, "messageReceived"))["eventId"]

        for text in ("two", "three", "four"):
            await channel.customer_says(CUSTOMER, text=text)
        await asyncio.sleep(0.5)
        async with subscribed(ws, token, RECEIVED, {"after": last_seen}) as resumed:
            missed = [await next_event(resumed, "messageReceived") for _ in range(3)]
            with pytest.raises(TimeoutError):
                await resumed.receive(timeout=0.5)

        ids = [int(event["eventId"]) for event in missed]
        assert ids == sorted(ids)
        assert ids[0] > int(last_seen)
        assert len(set(ids)) == 3


async def test_typing_reaches_the_other_agents_and_the_customer_and_unread_counts_follow(
    database: Database, database_url: str
) -> None:
    async with whatsapp_channel(database_url) as channel:
        conversation_id = str(await conversation_with(channel, CUSTOMER))
        _, supervisor_token = await add_user(
            channel.server, channel.client, channel.tenant, Role.SUPERVISOR
        )
        ws, token = channel.server.ws_url, channel.tenant.token
        async with (
            subscribed(
                ws, supervisor_token, "subscription { typing { conversationId userId typing } }"
            ) as watching,
            subscribed(ws, token, "subscription { typing { userId } }") as own,
            subscribed(
                ws, token, "subscription { unreadCountsChanged { conversationId unreadCount } }"
            ) as unread,
        ):
            await asyncio.sleep(0.2)
            await channel.customer_says(CUSTOMER, text="hello again")
            counted = await next_event(unread, "unreadCountsChanged")
            await channel.client.data(
                "mutation($c: ID!) { typingIndicatorSend(input: {conversationId: $c}) "
                "{ __typename } }",
                {"c": conversation_id},
                token=token,
            )
            typing = await next_event(watching, "typing")
            cleared = await next_event(unread, "unreadCountsChanged")
            with pytest.raises(TimeoutError):
                await own.receive(timeout=0.5)

        assert counted == {"conversationId": conversation_id, "unreadCount": 2}
        assert typing == {
            "conversationId": conversation_id,
            "userId": str(channel.tenant.owner.id),
            "typing": True,
        }
        assert cleared == {"conversationId": conversation_id, "unreadCount": 0}

        async def receipt_with_typing() -> bool:
            receipts = channel.simulator.state.read_receipts
            return bool(receipts) and receipts[-1]["typing_indicator"] == {"type": "text"}

        await eventually(receipt_with_typing, what="Meta's typing indicator")
