"""organizationEvents over graphql-transport-ws: auth, live delivery and gap-free resumption."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import websockets

from domain.accounts.model import Role
from tests.support import (
    PASSWORD,
    GraphQLClient,
    RunningServer,
    Subscription,
    add_user,
    create_tenant,
    subscribed,
    websocket,
)

EVENTS = """
subscription Events($after: ID) {
  organizationEvents(after: $after) { id type payload }
}
"""
USER_CREATE = """
mutation($email: String!, $password: String!) {
  userCreate(input: {email: $email, name: "New", role: AGENT, password: $password}) { __typename }
}
"""


async def create_agent(client: GraphQLClient, token: str, email: str) -> None:
    data = await client.data(USER_CREATE, {"email": email, "password": PASSWORD}, token=token)
    assert data["userCreate"]["__typename"] == "UserCreateSuccess"


async def next_event(subscription: Subscription) -> dict[str, Any]:
    payload = await subscription.next_data()
    assert "errors" not in payload, payload
    event: dict[str, Any] = payload["data"]["organizationEvents"]
    return event


async def settle() -> None:
    """Give the server a moment to subscribe before the test changes data."""
    await asyncio.sleep(0.1)


async def test_a_change_reaches_a_subscribed_admin(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    async with subscribed(server.ws_url, tenant.token, EVENTS) as subscription:
        await settle()
        await create_agent(client, tenant.token, "live@example.com")

        event = await next_event(subscription)

    assert event["type"] == "user.created"
    assert event["payload"]["email"] == "live@example.com"
    assert int(event["id"]) > 0


async def test_resuming_with_after_replays_exactly_what_was_missed(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    async with subscribed(server.ws_url, tenant.token, EVENTS) as subscription:
        await settle()
        await create_agent(client, tenant.token, "first@example.com")
        first = await next_event(subscription)
    for email in ("second@example.com", "third@example.com"):
        await create_agent(client, tenant.token, email)

    async with subscribed(server.ws_url, tenant.token, EVENTS, {"after": first["id"]}) as resumed:
        replayed = [await next_event(resumed), await next_event(resumed)]
        await create_agent(client, tenant.token, "fourth@example.com")
        live = await next_event(resumed)

    ids = [int(e["id"]) for e in [first, *replayed, live]]
    assert ids == list(range(ids[0], ids[0] + 4))
    assert [e["payload"]["email"] for e in [*replayed, live]] == [
        "second@example.com",
        "third@example.com",
        "fourth@example.com",
    ]


async def test_events_of_another_organization_never_arrive(
    server: RunningServer, client: GraphQLClient
) -> None:
    acme = await create_tenant(server, client, "Acme")
    globex = await create_tenant(server, client, "Globex")
    async with subscribed(server.ws_url, acme.token, EVENTS) as subscription:
        await settle()
        await create_agent(client, globex.token, "globex-agent@example.com")
        await create_agent(client, acme.token, "acme-agent@example.com")

        event = await next_event(subscription)

    assert event["payload"]["email"] == "acme-agent@example.com"


async def test_agents_may_not_subscribe_to_the_organization_firehose(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    _, agent_token = await add_user(server, client, tenant, Role.AGENT)

    async with subscribed(server.ws_url, agent_token, EVENTS) as subscription:
        message = await subscription.receive()

    assert message["type"] in ("error", "next")
    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"


async def test_an_after_older_than_retention_is_refused_clearly(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    await create_agent(client, tenant.token, "old@example.com")
    async with server.runtime.database.session() as session:
        from sqlalchemy import delete

        from persistence.models.events import EventRow

        await session.execute(delete(EventRow))
        await session.commit()

    async with subscribed(server.ws_url, tenant.token, EVENTS, {"after": "0"}) as subscription:
        message = await subscription.receive()

    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    assert errors[0]["extensions"]["code"] == "EVENTS_EXPIRED"
    assert "no longer retained" in errors[0]["message"]


@pytest.mark.parametrize(
    "init_payload",
    [{}, {"authorization": "Bearer not-a-token"}, {"authorization": "Basic dXNlcjpwdw=="}],
)
async def test_connections_without_a_valid_token_are_closed_4403(
    server: RunningServer, init_payload: dict[str, Any]
) -> None:
    async with websocket(server.ws_url, init_payload) as subscription:
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await subscription.receive()

    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4403


async def test_subscribing_before_connection_init_is_closed_4401(server: RunningServer) -> None:
    async with websocket(server.ws_url, None) as subscription:
        await subscription.send({"id": "1", "type": "subscribe", "payload": {"query": EVENTS}})
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await subscription.receive()

    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4401


async def test_the_legacy_graphql_ws_protocol_is_refused(server: RunningServer) -> None:
    async with websockets.connect(
        server.ws_url, subprotocols=[websockets.Subprotocol("graphql-ws")]
    ) as connection:
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await connection.recv()

    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4406


async def test_a_stream_started_from_last_event_id_replays_what_came_before_it_subscribed(
    server: RunningServer, client: GraphQLClient
) -> None:
    """The cursor a client reads before subscribing: with it, a stream that has received
    nothing yet still resumes without a gap."""
    tenant = await create_tenant(server, client, "Acme")
    cursor_query = "{ organization { lastEventId } }"
    await create_agent(client, tenant.token, "before@example.com")
    cursor = (await client.data(cursor_query, token=tenant.token))["organization"]["lastEventId"]
    assert int(cursor) > 0
    await create_agent(client, tenant.token, "between@example.com")
    async with subscribed(server.ws_url, tenant.token, EVENTS, {"after": cursor}) as subscription:
        event = await next_event(subscription)
    assert int(event["id"]) == int(cursor) + 1
    assert event["payload"]["email"] == "between@example.com"
    newest = (await client.data(cursor_query, token=tenant.token))["organization"]["lastEventId"]
    assert int(newest) >= int(event["id"])
