"""Agents see the conversations of their queues (the queue a conversation was last routed to)
and those assigned to them: in the list, one by one, in the live inbox, when replying and in
the queue's items; a change to their queues applies at once, even to a running subscription."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from domain.accounts.model import Role, User
from persistence.database import Database
from tests.api.test_inbox_subscriptions import RECEIVED, next_event
from tests.api.test_queues_api import AGENT_UPDATE, save
from tests.support import Channel, add_user, conversation_with, subscribed, whatsapp_channel

CREATE_ITEM = """
mutation($input: QueueItemCreateInput!) { queueItemCreate(input: $input) {
  __typename
  ... on QueueItemSuccess { item { status priority queueId conversationId } }
  ... on ConflictError { message field }
  ... on NotFoundError { message }
} }
"""
LIST = """
query($filter: ConversationFilter) { conversations(filter: $filter) {
  edges { node { id contact { waId } queue { name } } } } }
"""
SEND = """
mutation($c: ID!) { messageSend(input: {conversationId: $c, text: {body: "On it"}}) {
  __typename } }
"""
ANA, BRUNO, CARLA = "5511900003001", "5511900003002", "5511900003003"


async def listed(channel: Channel, token: str, **conditions: Any) -> list[str]:
    data = await channel.client.data(LIST, {"filter": conditions}, token=token)
    return [edge["node"]["contact"]["waId"] for edge in data["conversations"]["edges"]]


async def into_queue(channel: Channel, token: str, conversation: str, queue: str) -> Any:
    data = await channel.client.data(
        CREATE_ITEM,
        {"input": {"conversationId": conversation, "queueId": queue, "priority": 1}},
        token=token,
    )
    return data["queueItemCreate"]


@dataclass
class Team:
    sales: str
    support: str
    agent: User
    agent_token: str
    ana: str
    """Waits in Sales, where the agent works."""
    bruno: str
    """Waits in Support."""


async def sales_and_support(channel: Channel) -> Team:
    owner = channel.tenant.token
    sales = (await save(channel.client, owner, name="Sales"))["queue"]["id"]
    support = (await save(channel.client, owner, name="Support"))["queue"]["id"]
    agent, agent_token = await add_user(channel.server, channel.client, channel.tenant, Role.AGENT)
    await channel.client.data(
        AGENT_UPDATE, {"input": {"userId": str(agent.id), "queueIds": [sales]}}, token=owner
    )
    ana = str(await conversation_with(channel, ANA))
    bruno = str(await conversation_with(channel, BRUNO))
    entered = await into_queue(channel, owner, ana, sales)
    assert entered == {
        "__typename": "QueueItemSuccess",
        "item": {"status": "WAITING", "priority": 1, "queueId": sales, "conversationId": ana},
    }
    await into_queue(channel, owner, bruno, support)
    return Team(sales, support, agent, agent_token, ana, bruno)


async def test_an_agent_sees_their_queues_conversations_and_no_others(
    database: Database, database_url: str
) -> None:
    async with whatsapp_channel(database_url) as channel:
        owner = channel.tenant.token
        team = await sales_and_support(channel)
        sales, support, seller_token = team.sales, team.support, team.agent_token
        ana, bruno = team.ana, team.bruno
        carla = str(await conversation_with(channel, CARLA))
        seen = await channel.client.data(LIST, {"filter": {}}, token=seller_token)
        in_support = await listed(channel, owner, queueId=support)
        seller_in_support = await listed(channel, seller_token, queueId=support)
        hidden = await channel.client.data(
            "query($id: ID!) { conversation(id: $id) { id } }", {"id": bruno}, token=seller_token
        )
        reply_while_waiting = await channel.client.data(SEND, {"c": ana}, token=seller_token)
        assigned = await channel.client.data(
            "mutation($c: ID!, $a: ID!) { conversationAssign(input: {id: $c, agentId: $a}) "
            "{ __typename } }",
            {"c": ana, "a": str(team.agent.id)},
            token=owner,
        )
        reply_to_own = await channel.client.data(SEND, {"c": ana}, token=seller_token)
        reply_to_other = await channel.client.data(SEND, {"c": bruno}, token=seller_token)
        move_unseen = await into_queue(channel, seller_token, carla, sales)
        own_items = await channel.client.data(
            "query($q: ID!) { queueItems(queueId: $q) { edges { node { conversationId } } } }",
            {"q": sales},
            token=seller_token,
        )
        other_items = await channel.client.execute(
            "query($q: ID!) { queueItems(queueId: $q) { edges { node { id } } } }",
            {"q": support},
            token=seller_token,
        )
        stats = await channel.client.data(
            "query($s: DateTime!) { conversationStats(since: $s) { byStatus { status count } } }",
            {"s": (datetime.now(UTC) - timedelta(days=1)).isoformat()},
            token=seller_token,
        )

    assert seen["conversations"]["edges"] == [
        {"node": {"id": ana, "contact": {"waId": ANA}, "queue": {"name": "Sales"}}}
    ]
    assert in_support == [BRUNO]
    assert seller_in_support == []
    assert hidden["conversation"] is None
    # The queue's conversations are the agent's to read; to answer, one must be theirs.
    assert reply_while_waiting["messageSend"]["__typename"] == "PermissionDeniedError"
    assert assigned["conversationAssign"]["__typename"] == "ConversationChangeSuccess"
    assert reply_to_own["messageSend"]["__typename"] == "MessageSendSuccess"
    assert reply_to_other["messageSend"]["__typename"] == "NotFoundError"
    assert move_unseen["__typename"] == "NotFoundError"
    assert own_items["queueItems"]["edges"] == [{"node": {"conversationId": ana}}]
    assert other_items["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert sum(s["count"] for s in stats["conversationStats"]["byStatus"]) == 1


async def test_the_live_inbox_follows_the_agents_queues(
    database: Database, database_url: str
) -> None:
    async with whatsapp_channel(database_url) as channel:
        owner = channel.tenant.token
        team = await sales_and_support(channel)
        agent, agent_token, ana, bruno = team.agent, team.agent_token, team.ana, team.bruno
        ws = channel.server.ws_url
        async with subscribed(ws, agent_token, RECEIVED) as received:
            await asyncio.sleep(0.2)
            await channel.customer_says(BRUNO, text="support, are you there?")
            await channel.customer_says(ANA, text="sales, are you there?")
            first = await next_event(received, "messageReceived")
            await channel.client.data(
                AGENT_UPDATE,
                {"input": {"userId": str(agent.id), "queueIds": [team.support]}},
                token=owner,
            )
            await asyncio.sleep(0.2)
            await channel.customer_says(ANA, text="hello again, sales")
            await channel.customer_says(BRUNO, text="hello again, support")
            second = await next_event(received, "messageReceived")
            with pytest.raises(TimeoutError):
                await received.receive(timeout=0.5)
        async with subscribed(
            ws,
            agent_token,
            "subscription($c: ID) { messageReceived(conversationId: $c) { eventId } }",
            {"c": ana},
        ) as refused:
            answer = await refused.receive()

    assert first["conversationId"] == ana
    assert second["conversationId"] == bruno
    assert answer["type"] == "next"
    assert answer["payload"]["errors"][0]["extensions"]["code"] == "NOT_FOUND"
