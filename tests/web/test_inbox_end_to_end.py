"""The inbox end to end with real processes: two `pytake serve` on PostgreSQL and Redis, the
Graph API simulator playing Meta and the customer. The customer's message reaches the agent's
subscription on the other process; the agent's reply reaches the simulator once; its sent,
delivered and read statuses come back to the agent in order."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from persistence import migrate
from persistence.database import Database
from tests.conftest import recreate_postgres_database
from tests.support import (
    PASSWORD,
    WEBHOOK_APP_SECRET,
    GraphQLClient,
    eventually,
    free_port,
    own_postgres_url,
    serving,
    subscribed,
)
from tests.web.test_two_processes import pytake_serve
from web.whatsapp.simulator import Simulator, SimulatorConfig

DATABASE_URL = own_postgres_url("inbox_e2e")
CUSTOMER = "5511987654321"
PHONE_NUMBER_ID = "106540352242922"
AGENT = (
    'mutation($p: String!) { userCreate(input: {email: "agent@example.com", name: "Agent", '
    "role: AGENT, password: $p}) { ... on UserCreateSuccess { user { id } } } }"
)
NUMBER = (
    'mutation { whatsappNumberCreate(input: {phoneNumberId: "106540352242922", '
    'wabaId: "102290129340398", accessToken: "token"}) { __typename } }'
)
EVENTS = "subscription($c: ID) { messageStatusUpdated(conversationId: $c) { messageId status } }"


async def test_customer_to_agent_and_back_across_two_processes(tmp_path: Path) -> None:
    await recreate_postgres_database(DATABASE_URL)
    database = Database(DATABASE_URL)
    await migrate.upgrade(database)
    await database.dispose()
    prefix = f"inbox-e2e-{uuid.uuid4().hex[:8]}"
    simulator = Simulator(
        SimulatorConfig(app_secret=WEBHOOK_APP_SECRET, status_delays=(0.05, 0.15, 0.3))
    )
    settings = {"whatsapp_app_secret": WEBHOOK_APP_SECRET}
    async with serving(simulator.app()) as graph_url:
        settings["whatsapp_graph_url"] = graph_url
        async with (
            pytake_serve(free_port(), tmp_path, prefix, DATABASE_URL, **settings) as first,
            pytake_serve(free_port(), tmp_path, prefix, DATABASE_URL, **settings) as second,
        ):
            simulator.config.webhook_url = f"{first}/api/v1/whatsapp/webhook"
            admin_client, agent_client = GraphQLClient(first), GraphQLClient(second)
            admin = await admin_client.sign_in("admin@example.com")
            await admin_client.data(NUMBER, token=admin)
            agent = await admin_client.data(AGENT, {"p": PASSWORD}, token=admin)
            agent_id = agent["userCreate"]["user"]["id"]
            agent_token = await agent_client.sign_in("agent@example.com")
            async with simulator_customer(simulator, graph_url) as customer:
                await customer("Hi, I need help")
                conversation_id = await first_conversation(admin_client, admin)
                await admin_client.data(
                    "mutation($c: ID!, $a: ID!) { conversationAssign(input: "
                    "{id: $c, agentId: $a}) { __typename } }",
                    {"c": conversation_id, "a": agent_id},
                    token=admin,
                )
                second_ws = second.replace("http://", "ws://") + "/graphql"
                by_conversation = {"c": conversation_id}
                async with (
                    subscribed(
                        second_ws,
                        agent_token,
                        "subscription { messageReceived { conversationId messageType } }",
                    ) as received,
                    subscribed(second_ws, agent_token, EVENTS, by_conversation) as statuses,
                ):
                    await asyncio.sleep(0.3)
                    await customer("Are you there?")
                    arrived = (await received.next_data(timeout=15))["data"]["messageReceived"]
                    reply = await agent_client.data(
                        "mutation($c: ID!) { messageSend(input: {conversationId: $c, "
                        'clientMessageId: "r-1", text: {body: "Yes, how can I help?"}}) '
                        "{ ... on MessageSendSuccess { sentMessage { id } } } }",
                        by_conversation,
                        token=agent_token,
                    )
                    reply_id = reply["messageSend"]["sentMessage"]["id"]
                    updates = [
                        (await statuses.next_data(timeout=15))["data"]["messageStatusUpdated"]
                        for _ in range(3)
                    ]
            await admin_client.close()
            await agent_client.close()

    assert arrived == {"conversationId": conversation_id, "messageType": "text"}
    assert [m.payload["text"]["body"] for m in simulator.state.sent] == ["Yes, how can I help?"]
    assert updates == [
        {"messageId": reply_id, "status": "SENT"},
        {"messageId": reply_id, "status": "DELIVERED"},
        {"messageId": reply_id, "status": "READ"},
    ]


@asynccontextmanager
async def simulator_customer(
    simulator: Simulator, graph_url: str
) -> AsyncIterator[Callable[[str], Awaitable[None]]]:
    """The customer writing from their phone: a signed webhook from the simulator."""
    async with httpx.AsyncClient(base_url=graph_url, timeout=30) as http:

        async def say(text: str) -> None:
            response = await http.post(
                f"/_simulator/customers/{CUSTOMER}/messages",
                json={"phone_number_id": PHONE_NUMBER_ID, "text": text},
            )
            assert response.json()["delivered"], response.text

        yield say


async def first_conversation(client: GraphQLClient, token: str) -> str:
    async def found() -> str | None:
        data = await client.data("{ conversations { edges { node { id } } } }", token=token)
        edges = data["conversations"]["edges"]
        return str(edges[0]["node"]["id"]) if edges else None

    return await eventually(found, what="the customer's conversation")
