"""The agent inbox over GraphQL: the conversation list (order, paging, filters, search, who
sees what, a fixed number of statements per page) and the conversation mutations."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from domain.accounts.model import Actor, Role
from domain.conversations.messaging import TextContent
from domain.ingestion.ingest import InboundService
from domain.whatsapp.numbers import NumberDetails
from persistence.database import Database
from persistence.models.conversations import ContactRow, ConversationRow
from tests.meta_payloads import PHONE_NUMBER_ID, WABA_ID
from tests.support import (
    AdjustableClock,
    GraphQLClient,
    RunningServer,
    Tenant,
    add_user,
    conversation_with,
    counting_statements,
    create_tenant,
    eventually,
    make_settings,
    running_server,
    subscribed,
    whatsapp_channel,
)
from tests.web.test_webhook_ingestion import text_message

LIST = """
query($filter: ConversationFilter, $first: Int, $after: String) {
  conversations(filter: $filter, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node {
      id status unreadCount labels windowOpen owner
      flowSession { id waitingAtNodeId }
      contact { waId profileName }
      assignee { id name }
      queue { name }
      number { phoneNumberId }
      lastMessage { direction content { ... on TextContent { body } } statusHistory { status } }
    } }
  }
}
"""
SEND = """
mutation($input: MessageSendInput!) {
  messageSend(input: $input) {
    __typename
    ... on MessageSendSuccess { sentMessage { id status direction sender { kind userId } } }
    ... on WindowClosedError { message approvedTemplates }
    ... on Error { message }
  }
}
"""


async def inbox(
    server: RunningServer, client: GraphQLClient, customers: list[tuple[str, str, str, int]]
) -> Tenant:
    """One organization and number; each customer (wa_id, name, text, seconds ago) writes."""
    tenant = await create_tenant(server, client, "Acme")
    await server.runtime.services.numbers.create(
        Actor.of(tenant.owner, None), PHONE_NUMBER_ID, WABA_ID, NumberDetails(access_token="t")
    )
    inbound = InboundService(server.runtime.unit_of_work, server.runtime.clock)
    now = int(time.time())
    for wa_id, name, text, ago in customers:
        payload = text_message(f"wamid.{wa_id}", sender=wa_id, at=now - ago)
        value = payload["entry"][0]["changes"][0]["value"]
        value["contacts"][0]["profile"]["name"] = name
        value["messages"][0]["text"]["body"] = text
        await inbound.apply(payload)
    return tenant


async def listed(
    client: GraphQLClient, token: str, **variables: Any
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    data = await client.data(LIST, variables, token=token)
    page = data["conversations"]
    return [edge["node"] for edge in page["edges"]], page["pageInfo"]


async def inbox_conversation(server: RunningServer, wa_id: str, hours_ago: int) -> str:
    """A customer who last wrote `hours_ago` hours ago; returns the conversation's id."""
    inbound = InboundService(server.runtime.unit_of_work, server.runtime.clock)
    written = int(time.time()) - hours_ago * 3600
    await inbound.apply(text_message(f"wamid.{wa_id}", sender=wa_id, at=written))
    async with server.runtime.database.engine.connect() as connection:
        found = await connection.scalar(
            select(ConversationRow.id)
            .join(ContactRow, ContactRow.id == ConversationRow.contact_id)
            .where(ContactRow.wa_id == wa_id)
        )
    return str(found)


def names(nodes: list[dict[str, Any]]) -> list[str]:
    return [node["contact"]["profileName"] for node in nodes]


async def test_conversations_come_most_recently_active_first_page_by_page(
    server: RunningServer, client: GraphQLClient, database: Database
) -> None:
    customers = [(f"551199990000{n}", f"Customer {n}", f"hello {n}", 100 - n) for n in range(7)]
    tenant = await inbox(server, client, customers)

    first, info = await listed(client, tenant.token, first=3)
    second, info2 = await listed(client, tenant.token, first=3, after=info["endCursor"])
    third, info3 = await listed(client, tenant.token, first=3, after=info2["endCursor"])

    assert names(first + second + third) == [f"Customer {n}" for n in reversed(range(7))]
    assert (info["hasNextPage"], info3["hasNextPage"]) == (True, False)
    assert first[0]["lastMessage"] == {
        "direction": "INBOUND",
        "content": {"body": "hello 6"},
        "statusHistory": [],
    }
    assert first[0]["number"] == {"phoneNumberId": PHONE_NUMBER_ID}


async def test_filters_and_search_narrow_the_list(
    server: RunningServer, client: GraphQLClient, database: Database
) -> None:
    tenant = await inbox(
        server,
        client,
        [
            ("5511999990001", "Ana Souza", "I want a refund for order 77", 10),
            ("5511999990002", "Bruno Lima", "Where is my parcel?", 20),
            ("5511999990003", "Carla Dias", "Thanks!", 60 * 60 * 30),
        ],
    )
    nodes, _ = await listed(client, tenant.token)
    by_name = {node["contact"]["profileName"]: node["id"] for node in nodes}
    await client.data(
        "mutation($id: ID!) { conversationStatusUpdate(input: {id: $id, status: RESOLVED}) "
        "{ __typename } }",
        {"id": by_name["Bruno Lima"]},
        token=tenant.token,
    )
    await client.data(
        "mutation($id: ID!, $a: ID!) { conversationAssign(input: {id: $id, agentId: $a}) "
        "{ __typename } }",
        {"id": by_name["Ana Souza"], "a": str(tenant.owner.id)},
        token=tenant.token,
    )
    await client.data(
        "mutation($id: ID!) { conversationMarkRead(input: {id: $id}) { __typename } }",
        {"id": by_name["Carla Dias"]},
        token=tenant.token,
    )

    async def matching(**conditions: Any) -> list[str]:
        found, _ = await listed(client, tenant.token, filter=conditions)
        return names(found)

    assert await matching(status="RESOLVED") == ["Bruno Lima"]
    assert await matching(unreadOnly=True) == ["Ana Souza", "Bruno Lima"]
    assert await matching(windowOpen=False) == ["Carla Dias"]
    assert await matching(windowOpen=True) == ["Ana Souza", "Bruno Lima"]
    assert await matching(search="souza") == ["Ana Souza"]
    assert await matching(search="999990002") == ["Bruno Lima"]
    assert await matching(search="refund") == ["Ana Souza"]
    assert await matching(search="100%_") == []
    assert await matching(assigneeId=str(tenant.owner.id)) == ["Ana Souza"]
    assert await matching(unassigned=True) == ["Bruno Lima", "Carla Dias"]


async def test_an_agent_sees_and_answers_only_the_conversations_assigned_to_them(
    server: RunningServer, client: GraphQLClient, database: Database
) -> None:
    tenant = await inbox(
        server,
        client,
        [("5511999990001", "Ana", "hi", 10), ("5511999990002", "Bruno", "hello", 20)],
    )
    agent, agent_token = await add_user(server, client, tenant, Role.AGENT)
    nodes, _ = await listed(client, tenant.token)
    ana, bruno = nodes[0]["id"], nodes[1]["id"]

    before, _ = await listed(client, agent_token)
    refused = await client.data(
        "mutation($id: ID!, $a: ID!) { conversationAssign(input: {id: $id, agentId: $a}) "
        "{ __typename } }",
        {"id": ana, "a": str(agent.id)},
        token=agent_token,
    )
    await client.data(
        "mutation($id: ID!, $a: ID!) { conversationAssign(input: {id: $id, agentId: $a}) "
        "{ __typename } }",
        {"id": ana, "a": str(agent.id)},
        token=tenant.token,
    )
    after, _ = await listed(client, agent_token)
    hidden = await client.data(
        "query($id: ID!) { conversation(id: $id) { id } }", {"id": bruno}, token=agent_token
    )
    blocked = await client.data(
        SEND, {"input": {"conversationId": bruno, "text": {"body": "x"}}}, token=agent_token
    )

    assert before == []
    assert refused["conversationAssign"]["__typename"] == "PermissionDeniedError"
    assert [node["id"] for node in after] == [ana]
    assert after[0]["assignee"] == {"id": str(agent.id), "name": agent.name}
    assert hidden["conversation"] is None
    assert blocked["messageSend"]["__typename"] == "NotFoundError"


async def test_a_page_runs_the_same_statements_whatever_its_size(
    database: Database, database_url: str
) -> None:
    # No background workers, and the token's user read on every request: only the request's
    # own statements are counted, the same way each time.
    quiet = make_settings(database_url, run_workers_in_process=False, principal_cache_seconds=0)
    async with running_server(quiet) as server:
        client = GraphQLClient(server.url)
        customers = [(f"55119999{n:05d}", f"Customer {n}", f"message {n}", n) for n in range(60)]
        tenant = await inbox(server, client, customers)
        agent, agent_token = await add_user(server, client, tenant, Role.AGENT)
        nodes, _ = await listed(client, tenant.token, first=60)
        for node in nodes[::2]:
            await client.data(
                "mutation($id: ID!, $a: ID!) { conversationAssign(input: {id: $id, agentId: $a})"
                " { __typename } }",
                {"id": node["id"], "a": str(agent.id)},
                token=tenant.token,
            )

        with counting_statements(server.runtime.database) as small:
            few, _ = await listed(client, tenant.token, first=5)
        with counting_statements(server.runtime.database) as large:
            many, _ = await listed(client, tenant.token, first=50)
        with counting_statements(server.runtime.database) as agent_small:
            agent_few, _ = await listed(client, agent_token, first=5)
        with counting_statements(server.runtime.database) as agent_large:
            agent_many, _ = await listed(client, agent_token, first=25)
        await client.close()

    assert (len(few), len(many)) == (5, 50)
    assert sum(1 for node in many if node["assignee"]) == 25
    assert {node["owner"] for node in many} == {"AGENT", "NOBODY"}
    assert len(small) == len(large), (small, large)
    assert 3 <= len(large) <= 10, large
    assert (len(agent_few), len(agent_many)) == (5, 25)
    assert len(agent_small) == len(agent_large) == len(large) + 1, (agent_small, agent_large)


async def test_message_send_sends_once_per_client_message_id_and_refuses_a_closed_window(
    database: Database, database_url: str
) -> None:
    async with whatsapp_channel(database_url) as channel:
        conversation_id = str(await conversation_with(channel, "16505551234"))
        token = channel.tenant.token
        request = {
            "conversationId": conversation_id,
            "clientMessageId": "c-42",
            "text": {"body": "On its way!"},
        }

        first = await channel.client.data(SEND, {"input": request}, token=token)
        again = await channel.client.data(SEND, {"input": request}, token=token)

        sent = first["messageSend"]["sentMessage"]
        assert again["messageSend"]["sentMessage"]["id"] == sent["id"]
        assert (sent["status"], sent["direction"]) == ("PENDING", "OUTBOUND")
        assert sent["sender"] == {"kind": "AGENT", "userId": str(channel.tenant.owner.id)}

        async def delivered_once() -> bool:
            return len(channel.simulator.state.sent) == 1

        await eventually(delivered_once, what="the send")
        both = await channel.client.data(
            SEND,
            {"input": {**request, "clientMessageId": "c-43", "media": {"kind": "image"}}},
            token=token,
        )
        assert both["messageSend"]["__typename"] == "ValidationError"

        quiet = await inbox_conversation(channel.server, "5511988887777", hours_ago=30)
        closed = await channel.client.data(
            SEND,
            {"input": {"conversationId": quiet, "text": {"body": "Still there?"}}},
            token=token,
        )
        assert closed["messageSend"]["__typename"] == "WindowClosedError"
        assert closed["messageSend"]["approvedTemplates"] == []
        assert len(channel.simulator.state.sent) == 1


async def test_status_snooze_labels_notes_and_read(database: Database, database_url: str) -> None:
    async with whatsapp_channel(database_url) as channel:
        conversation_id = str(await conversation_with(channel, "16505551234"))
        token = channel.tenant.token
        later = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
        earlier = (datetime.now(UTC) - timedelta(hours=2)).isoformat()
        change = (
            "mutation($id: ID!, $until: DateTime) { conversationStatusUpdate(input: {id: $id, "
            "status: PENDING, snoozedUntil: $until}) { __typename "
            "... on ConversationChangeSuccess { status } ... on ValidationError { field } } }"
        )

        snoozed = await channel.client.data(
            change, {"id": conversation_id, "until": later}, token=token
        )
        past = await channel.client.data(
            change, {"id": conversation_id, "until": earlier}, token=token
        )
        labels = await channel.client.data(
            'mutation($id: ID!) { conversationLabelsSet(input: {id: $id, labels: ["vip", "vip", '
            '" refund "]}) { ... on ConversationChangeSuccess { labels } } }',
            {"id": conversation_id},
            token=token,
        )
        await channel.client.data(
            'mutation($id: ID!) { conversationNoteAdd(input: {id: $id, body: "Prefers email"}) '
            "{ __typename } }",
            {"id": conversation_id},
            token=token,
        )
        notes = await channel.client.data(
            "query($id: ID!) { conversationNotes(conversationId: $id) { body authorId } }",
            {"id": conversation_id},
            token=token,
        )
        read = await channel.client.data(
            "mutation($id: ID!) { conversationMarkRead(input: {id: $id}) "
            "{ ... on ConversationChangeSuccess { unreadCount } } }",
            {"id": conversation_id},
            token=token,
        )

        assert snoozed["conversationStatusUpdate"]["status"] == "PENDING"
        assert past["conversationStatusUpdate"] == {
            "__typename": "ValidationError",
            "field": "snoozedUntil",
        }
        assert labels["conversationLabelsSet"]["labels"] == ["vip", "refund"]
        assert notes["conversationNotes"] == [
            {"body": "Prefers email", "authorId": str(channel.tenant.owner.id)}
        ]
        assert read["conversationMarkRead"]["unreadCount"] == 0

        async def receipt() -> bool:
            return len(channel.simulator.state.read_receipts) == 1

        await eventually(receipt, what="Meta's read receipt")


STATS = """
query($since: DateTime!) { conversationStats(since: $since) {
  byStatus { status count } unreadTotal waitingForFirstHumanReply
  medianFirstResponseSeconds firstResponses medianResolutionSeconds resolutions
} }
"""


async def test_stats_count_human_first_replies_from_the_handoff_and_ignore_bot_replies(
    database: Database, database_url: str
) -> None:
    clock = AdjustableClock()
    async with whatsapp_channel(database_url, clock=clock) as channel:
        token, owner = channel.tenant.token, str(channel.tenant.owner.id)
        since = clock.now().isoformat()
        ids = [str(await conversation_with(channel, f"1650555000{n}")) for n in range(3)]
        assign = (
            "mutation($c: ID!, $a: ID!) { conversationAssign(input: {id: $c, agentId: $a}) "
            "{ __typename } }"
        )
        reply = (
            'mutation($c: ID!) { messageSend(input: {conversationId: $c, text: {body: "Hi"}}) '
            "{ __typename } }"
        )
        for conversation_id in ids:
            await channel.client.data(assign, {"c": conversation_id, "a": owner}, token=token)
        clock.advance(seconds=30)
        await channel.client.data(reply, {"c": ids[0]}, token=token)
        clock.advance(seconds=60)
        await channel.client.data(reply, {"c": ids[1]}, token=token)
        await channel.server.runtime.messaging.send(
            channel.tenant.organization_id, uuid.UUID(ids[2]), TextContent("I am a bot")
        )
        clock.advance(seconds=10)
        await channel.client.data(
            "mutation($c: ID!) { conversationStatusUpdate(input: {id: $c, status: RESOLVED}) "
            "{ __typename } }",
            {"c": ids[0]},
            token=token,
        )

        stats = (await channel.client.data(STATS, {"since": since}, token=token))[
            "conversationStats"
        ]

        assert stats["byStatus"] == [
            {"status": "OPEN", "count": 2},
            {"status": "RESOLVED", "count": 1},
        ]
        assert stats["waitingForFirstHumanReply"] == 1, "a bot reply counted as a human reply"
        assert (stats["firstResponses"], stats["medianFirstResponseSeconds"]) == (2, 60.0)
        assert stats["resolutions"] == 1
        assert stats["medianResolutionSeconds"] >= 100
        assert stats["unreadTotal"] == 2


SNOOZE = (
    "mutation($id: ID!, $until: DateTime) { conversationStatusUpdate(input: {id: $id, "
    "status: PENDING, snoozedUntil: $until}) { __typename } }"
)
STATUS_OF = "query($id: ID!) { conversation(id: $id) { status snoozedUntil } }"
UPDATES = "subscription { conversationUpdated { conversationId changed status } }"


async def test_a_snoozed_conversation_reopens_when_its_time_comes_or_the_customer_writes(
    database: Database,
) -> None:
    clock = AdjustableClock()
    url = database.url.render_as_string(hide_password=False)
    async with running_server(make_settings(url, snooze_poll_seconds=0.05), clock) as server:
        client = GraphQLClient(server.url)
        tenant = await create_tenant(server, client, "Acme")
        await server.runtime.services.numbers.create(
            Actor.of(tenant.owner, None), PHONE_NUMBER_ID, WABA_ID, NumberDetails(access_token="t")
        )
        inbound = InboundService(server.runtime.unit_of_work, clock)
        await inbound.apply(text_message("wamid.S1", sender="5511977776666", at=int(time.time())))
        async with database.session() as session:
            conversation = str(await session.scalar(select(ConversationRow.id)))
        until = (clock.now() + timedelta(minutes=1)).isoformat()
        await client.data(SNOOZE, {"id": conversation, "until": until}, token=tenant.token)
        async with subscribed(server.ws_url, tenant.token, UPDATES) as updates:
            await asyncio.sleep(0.2)
            still = await client.data(STATUS_OF, {"id": conversation}, token=tenant.token)
            clock.advance(minutes=1, seconds=1)
            reopened = await updates.next_data()
            later = (clock.now() + timedelta(hours=1)).isoformat()
            await client.data(SNOOZE, {"id": conversation, "until": later}, token=tenant.token)
            await updates.next_data()
            await inbound.apply(
                text_message("wamid.S2", sender="5511977776666", at=int(time.time()))
            )
            written = await updates.next_data()
        now = await client.data(STATUS_OF, {"id": conversation}, token=tenant.token)
        await client.close()

    assert still["conversation"]["status"] == "PENDING"
    assert reopened["data"]["conversationUpdated"] == {
        "conversationId": conversation,
        "changed": ["status"],
        "status": "OPEN",
    }
    assert written["data"]["conversationUpdated"]["status"] == "OPEN"
    assert now["conversation"] == {"status": "OPEN", "snoozedUntil": None}
