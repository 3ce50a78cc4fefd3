"""Web Push end to end: a browser subscribes through the API, an assignment makes a notification,
and a push service on this machine receives PyTake's push, which the test decrypts with the
browser's keys (RFC 8291) and whose VAPID signature it checks (RFC 8292). Gone browsers are
forgotten, failing push services are retried, and what is held is not pushed."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import func, select

from domain.accounts.model import Role
from persistence.database import Database
from persistence.models.notifications import PushDeliveryRow
from tests.notifications import assign, customer_writes, notified, with_number
from tests.support import (
    AdjustableClock,
    GraphQLClient,
    RunningServer,
    add_user,
    create_tenant,
    eventually,
    make_settings,
    running_server,
)
from tests.webpush import SUBSCRIBE, Browser, PushService, push_service, vapid_claims

CHANNELS = "{ notificationChannels { email webPushPublicKey } }"
SUBSCRIPTIONS = "{ pushSubscriptions { endpoint userAgent } }"


async def subscribe(client: GraphQLClient, token: str, browser: Browser) -> dict[str, object]:
    data = await client.data(SUBSCRIBE, {"input": browser.subscription()}, token=token)
    return data["pushSubscriptionAdd"]  # type: ignore[no-any-return]


async def pushes_to(service: PushService, name: str, count: int = 1) -> list[bytes]:
    async def arrived() -> list[bytes] | None:
        found = service.to(name)
        return [push.body for push in found] if len(found) >= count else None

    return await eventually(arrived, what=f"{count} push(es) to {name}")


async def test_an_assignment_reaches_the_agents_browser_encrypted_for_it(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    await with_number(server, tenant)
    agent, agent_token = await add_user(server, client, tenant, Role.AGENT, "Ana")
    async with push_service() as service:
        browser = Browser(service.endpoint("ana-laptop"))
        subscribed = await subscribe(client, agent_token, browser)
        assert subscribed["__typename"] == "PushSubscriptionAddSuccess"
        conversation = await customer_writes(server, "wamid.PUSHED", "5511900000001")
        await assign(client, tenant.token, conversation, str(agent.id))
        [body] = await pushes_to(service, "ana-laptop")
        [pushed] = service.to("ana-laptop")
    channels = (await client.data(CHANNELS, token=agent_token))["notificationChannels"]

    assert json.loads(browser.decrypt(body)) == {
        "id": (await notified(client, agent_token))[0]["id"],
        "type": "conversation_assigned",
        "severity": "info",
        "title": "Acme",
        "body": "Conversa com Sheena Nelson atribuída a você",
        "conversationId": conversation,
        "url": f"/#/conversations/{conversation}",
    }
    assert pushed.headers["content-encoding"] == "aes128gcm"
    assert pushed.headers["ttl"] == "3600"
    assert pushed.headers["urgency"] == "normal"
    claims = vapid_claims(pushed.headers["authorization"], channels["webPushPublicKey"])
    endpoint = urlsplit(service.url)
    assert claims["aud"] == f"{endpoint.scheme}://{endpoint.netloc}"
    assert claims["sub"].startswith(("mailto:", "https://"))
    assert 0 < claims["exp"] - datetime.now(UTC).timestamp() <= 24 * 3600
    assert channels["email"] is False


async def test_the_vapid_key_is_made_once_and_survives_a_restart(
    database: Database, database_url: str
) -> None:
    settings = make_settings(database_url)
    keys: list[str] = []
    for _ in range(2):
        async with running_server(settings) as server:
            client = GraphQLClient(server.url)
            tenant = await create_tenant(server, client, f"Acme {len(keys)}")
            data = await client.data(CHANNELS, token=tenant.token)
            keys.append(data["notificationChannels"]["webPushPublicKey"])
            await client.close()
    assert keys[0] == keys[1]
    assert len(keys[0]) == 87  # 65 bytes, base64url without padding


async def test_a_browser_the_push_service_no_longer_knows_is_forgotten(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    await with_number(server, tenant)
    agent, agent_token = await add_user(server, client, tenant, Role.AGENT, "Ana")
    async with push_service() as service:
        service.answers["old-phone"] = [410]
        await subscribe(client, agent_token, Browser(service.endpoint("old-phone")))
        await subscribe(client, agent_token, Browser(service.endpoint("laptop")))
        conversation = await customer_writes(server, "wamid.GONE", "5511900000001")
        await assign(client, tenant.token, conversation, str(agent.id))
        await pushes_to(service, "old-phone")
        await pushes_to(service, "laptop")

        async def forgotten() -> list[dict[str, object]] | None:
            data = await client.data(SUBSCRIPTIONS, token=agent_token)
            left = data["pushSubscriptions"]
            return left if len(left) == 1 else None

        [left] = await eventually(forgotten, what="the gone browser to be forgotten")
    assert left == {"endpoint": service.endpoint("laptop"), "userAgent": "Chromium test"}


async def test_a_failing_push_service_is_tried_again_later(
    database: Database, database_url: str
) -> None:
    clock = AdjustableClock()
    async with (
        push_service() as service,
        running_server(make_settings(database_url), clock) as server,
    ):
        client = GraphQLClient(server.url)
        tenant = await create_tenant(server, client, "Acme")
        await with_number(server, tenant)
        agent, agent_token = await add_user(server, client, tenant, Role.AGENT, "Ana")
        service.answers["busy"] = [503]
        await subscribe(client, agent_token, Browser(service.endpoint("busy")))
        conversation = await customer_writes(server, "wamid.BUSY", "5511900000001")
        await assign(client, tenant.token, conversation, str(agent.id))
        await pushes_to(service, "busy")
        assert await queued_pushes(database) == 1
        clock.advance(seconds=6)
        server.runtime.push.wake()
        await pushes_to(service, "busy", count=2)

        async def sent() -> bool:
            return await queued_pushes(database) == 0

        await eventually(sent, what="the retried push to leave the queue")
        await client.close()
    assert len(service.to("busy")) == 2


async def test_nothing_is_pushed_while_held_or_for_a_type_whose_push_is_off(
    server: RunningServer, client: GraphQLClient, database: Database
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    await with_number(server, tenant)
    agent, agent_token = await add_user(server, client, tenant, Role.AGENT, "Ana")
    update = (
        "mutation($input: NotificationPreferencesUpdateInput!) { notificationPreferencesUpdate("
        "input: $input) { __typename } }"
    )
    async with push_service() as service:
        # Refused pushes would stay queued for a retry, so none can slip by unseen.
        service.answers["laptop"] = [503] * 10
        await subscribe(client, agent_token, Browser(service.endpoint("laptop")))
        await client.data(
            update,
            {"input": {"types": [{"type": "conversation_assigned", "inApp": True, "push": False}]}},
            token=agent_token,
        )
        first = await customer_writes(server, "wamid.OFF", "5511900000001")
        await assign(client, tenant.token, first, str(agent.id))
        await notified(client, agent_token)
        await client.data(
            update,
            {
                "input": {
                    "types": [{"type": "conversation_assigned", "inApp": True, "push": True}],
                    "doNotDisturbUntil": (datetime.now(UTC) + timedelta(hours=1)).isoformat(),
                }
            },
            token=agent_token,
        )
        second = await customer_writes(server, "wamid.HELD", "5511900000002")
        await assign(client, tenant.token, second, str(agent.id))
        await notified(client, agent_token, count=2)
        assert service.to("laptop") == []
        assert await queued_pushes(database) == 0


async def test_a_subscription_must_be_a_browsers_and_belongs_to_its_last_subscriber(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    _, agent_token = await add_user(server, client, tenant, Role.AGENT, "Ana")
    browser = Browser("https://push.example.com/send/shared-desk")
    forged = {**browser.subscription(), "p256dh": "bm90IGEga2V5"}
    refused = await client.data(SUBSCRIBE, {"input": forged}, token=agent_token)
    assert refused["pushSubscriptionAdd"] == {
        "__typename": "ValidationError",
        "field": "p256dh",
        "message": "p256dh must be the subscription's P-256 public key, base64url-encoded",
    }
    await subscribe(client, tenant.token, browser)
    await subscribe(client, agent_token, browser)
    owners = await client.data(SUBSCRIPTIONS, token=tenant.token)
    agents = await client.data(SUBSCRIPTIONS, token=agent_token)
    removed = await client.data(
        "mutation($e: String!) { pushSubscriptionRemove(input: {endpoint: $e}) "
        "{ ... on PushSubscriptionRemoveSuccess { removed } } }",
        {"e": browser.endpoint},
        token=agent_token,
    )
    assert owners["pushSubscriptions"] == []
    assert [s["endpoint"] for s in agents["pushSubscriptions"]] == [browser.endpoint]
    assert removed["pushSubscriptionRemove"] == {"removed": True}
    assert (await client.data(SUBSCRIPTIONS, token=agent_token))["pushSubscriptions"] == []


async def queued_pushes(database: Database) -> int:
    async with database.engine.connect() as connection:
        return int(await connection.scalar(select(func.count()).select_from(PushDeliveryRow)) or 0)
