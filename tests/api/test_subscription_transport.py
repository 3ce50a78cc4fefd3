"""Subscriptions live on graphql-transport-ws only, within limits, and end with their token."""

from __future__ import annotations

import asyncio
import json

import pytest
import websockets

from domain.accounts.model import Role
from persistence.database import Database
from tests.support import (
    AdjustableClock,
    GraphQLClient,
    RunningServer,
    add_user,
    create_tenant,
    make_settings,
    running_server,
    subscribed,
    websocket,
)

EVENTS = "subscription { organizationEvents { id type } }"


async def test_subscriptions_over_http_are_refused_with_a_pointer_to_websocket(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")

    post = await client.post(EVENTS, token=tenant.token)
    get = await client.http.get(
        "/graphql", params={"query": EVENTS}, headers={"authorization": f"Bearer {tenant.token}"}
    )

    multipart = await client.http.post(
        "/graphql",
        json={"query": EVENTS},
        headers={
            "authorization": f"Bearer {tenant.token}",
            "accept": 'multipart/mixed;subscriptionSpec="1.0",application/json',
        },
    )

    for response in (post, get, multipart):
        assert response.status_code == 400
        message = response.json()["errors"][0]["message"]
        assert "subscriptions are not allowed" in message
        assert "graphql-transport-ws" in message


async def test_no_event_is_delivered_after_the_access_token_expires(database: Database) -> None:
    clock = AdjustableClock()
    url = database.url.render_as_string(hide_password=False)
    async with running_server(make_settings(url), clock) as server:
        client = GraphQLClient(server.url)
        tenant = await create_tenant(server, client, "Acme")
        async with subscribed(server.ws_url, tenant.token, EVENTS) as subscription:
            await asyncio.sleep(0.1)
            clock.advance(minutes=16)
            _, fresh_admin_token = await add_user(server, client, tenant, Role.ADMIN)

            message = await subscription.receive()
        await client.close()

    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    assert errors[0]["extensions"]["code"] == "TOKEN_EXPIRED"
    assert "reconnect with a fresh token" in errors[0]["message"]
    assert fresh_admin_token


async def test_subscriptions_per_connection_are_capped(database: Database) -> None:
    url = database.url.render_as_string(hide_password=False)
    async with running_server(make_settings(url, max_subscriptions_per_connection=2)) as server:
        client = GraphQLClient(server.url)
        tenant = await create_tenant(server, client, "Acme")
        async with subscribed(server.ws_url, tenant.token, EVENTS) as subscription:
            for operation_id in ("2", "3"):
                await subscription.send(
                    {"id": operation_id, "type": "subscribe", "payload": {"query": EVENTS}}
                )
            refused = await subscription.receive()
        await client.close()

    assert refused["type"] == "error"
    assert refused["id"] == "3"
    assert refused["payload"][0]["message"] == "Subscription limit reached"


async def test_a_connection_that_never_initialises_is_closed_4408(database: Database) -> None:
    url = database.url.render_as_string(hide_password=False)
    settings = make_settings(url, connection_init_timeout_seconds=0.3)
    async with running_server(settings) as server, websocket(server.ws_url, None) as silent:
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await silent.receive(timeout=5)

    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4408


async def test_a_subscription_that_is_malformed_or_over_the_limits_gets_an_error_saying_why(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    malformed = "subscription { organizationEvents { id }"
    too_many_tokens = "subscription { organizationEvents { " + " ".join(["id"] * 6000) + " } }"
    aliased = (
        "subscription { organizationEvents { " + " ".join(f"a{n}: id" for n in range(31)) + " } }"
    )

    refusals = []
    for document in (malformed, too_many_tokens, aliased):
        async with subscribed(server.ws_url, tenant.token, document) as subscription:
            refusals.append(await subscription.receive())

    assert [refusal["type"] for refusal in refusals] == ["error", "error", "error"]
    assert "Syntax Error: Expected Name, found <EOF>" in refusals[0]["payload"][0]["message"]
    assert "more than 5000 tokens" in refusals[1]["payload"][0]["message"]
    assert "aliases" in refusals[2]["payload"][0]["message"]


@pytest.mark.parametrize(
    ("frame", "reason"),
    [
        pytest.param("[1, 2]", "JSON object", id="a list"),
        pytest.param('{"type": 1}', "string 'type'", id="a numeric type"),
        pytest.param(
            json.dumps({"id": {"x": 1}, "type": "subscribe", "payload": {"query": EVENTS}}),
            "'id' must be a string",
            id="an object id",
        ),
        pytest.param(
            json.dumps({"id": "1", "type": "subscribe", "payload": {"query": 5}}),
            "'query' must be a string",
            id="a numeric query",
        ),
        pytest.param(
            json.dumps(
                {"id": "1", "type": "subscribe", "payload": {"query": EVENTS, "variables": []}}
            ),
            "'variables' must be an object",
            id="list variables",
        ),
        pytest.param("[" * 100_000 + "]" * 100_000, "valid JSON", id="nested 100,000 deep"),
    ],
)
async def test_a_frame_the_protocol_does_not_define_closes_the_connection_4400_saying_why(
    server: RunningServer, client: GraphQLClient, frame: str, reason: str
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    async with websocket(server.ws_url, {"authorization": f"Bearer {tenant.token}"}) as socket:
        assert (await socket.receive())["type"] == "connection_ack"
        await socket.connection.send(frame)
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await socket.receive(timeout=5)

    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4400
    assert reason in closed.value.rcvd.reason


DEMOTE = "mutation($id: ID!) { userUpdate(input: {id: $id, role: AGENT}) { __typename } }"
DEACTIVATE = "mutation($id: ID!) { userDeactivate(input: {id: $id}) { __typename } }"
RENAME = 'mutation($id: ID!) { userUpdate(input: {id: $id, name: "Bea"}) { __typename } }'


@pytest.mark.parametrize("change", [DEMOTE, DEACTIVATE], ids=["demoted", "deactivated"])
async def test_a_live_stream_ends_at_once_when_its_users_access_changes(
    server: RunningServer, client: GraphQLClient, change: str
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    supervisor, token = await add_user(server, client, tenant, Role.SUPERVISOR)
    async with subscribed(server.ws_url, token, EVENTS) as subscription:
        await asyncio.sleep(0.1)
        await client.data(RENAME, {"id": str(supervisor.id)}, token=tenant.token)
        renamed = await subscription.receive()
        await client.data(change, {"id": str(supervisor.id)}, token=tenant.token)
        ended = await subscription.receive()

    assert renamed["type"] == "next"
    assert renamed["payload"]["data"]["organizationEvents"]["type"] == "user.updated"
    errors = ended["payload"] if ended["type"] == "error" else ended["payload"]["errors"]
    assert errors[0]["extensions"]["code"] == "ACCESS_CHANGED"
    assert "sign in again" in errors[0]["message"]
