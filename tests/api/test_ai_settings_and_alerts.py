"""The AI settings and alerts through the API, on PostgreSQL and SQLite: settings validated and
applied to the next texts read, alerts raised once per rule and conversation until resolved,
live to supervisors, and nothing read while the organization has it off."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import func, select

from domain.accounts.model import Actor, Role
from domain.whatsapp.numbers import NumberDetails
from persistence.models.conversations import MessageRow, MessageSignalRow
from tests.ai.alerts import ANGRY, customer_says, scored
from tests.support import GraphQLClient, RunningServer, add_user, create_tenant, subscribed

SETTINGS = """
{ aiSettings { enabled languages negativeThreshold positiveThreshold lexicon { term valence }
  alerts { negativeStreak angryWaitingMinutes vipLabels } } }
"""
UPDATE = """
mutation($input: AiSettingsUpdateInput!) {
  aiSettingsUpdate(input: $input) {
    __typename
    ... on AiSettingsUpdateSuccess { settings { languages negativeThreshold lexicon { term valence }
      alerts { negativeStreak angryWaitingMinutes vipLabels } } }
    ... on ValidationError { field message }
    ... on PermissionDeniedError { message }
  }
}
"""
ALERTS = """
query($unresolved: Boolean!) {
  aiAlerts(unresolvedOnly: $unresolved) {
    edges { node { id rule conversationId messageId details resolvedAt resolvedById } }
  }
}
"""
RESOLVE = "mutation($id: ID!) { aiAlertResolve(input: {id: $id}) { __typename } }"


async def connected(server: RunningServer, client: GraphQLClient) -> Any:
    tenant = await create_tenant(server, client, "Acme")
    await server.runtime.services.numbers.create(
        Actor.of(tenant.owner, None),
        "106540352242922",
        "102290129340398",
        NumberDetails(access_token="t"),
    )
    return tenant


async def alerts(client: GraphQLClient, token: str, unresolved: bool = False) -> list[Any]:
    data = await client.data(ALERTS, {"unresolved": unresolved}, token=token)
    return [edge["node"] for edge in data["aiAlerts"]["edges"]]


async def test_settings_are_validated_and_read_the_next_texts(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await connected(server, client)
    _, agent_token = await add_user(server, client, tenant, Role.AGENT)
    defaults = await client.data(SETTINGS, token=agent_token)
    refused = {}
    for field, value in {
        "languages": ["es"],
        "negativeThreshold": 0.3,
        "negativeStreak": 9,
        "lexicon": [{"term": "x", "valence": 7}],
    }.items():
        answer = await client.data(UPDATE, {"input": {field: value}}, token=tenant.token)
        refused[field] = answer["aiSettingsUpdate"]
    by_agent = await client.data(UPDATE, {"input": {"enabled": False}}, token=agent_token)
    changed = await client.data(
        UPDATE,
        {
            "input": {
                "languages": ["pt-BR"],
                "lexicon": [{"term": "Fila Infinita", "valence": -3}],
                "clearAngryWaitingMinutes": True,
            }
        },
        token=tenant.token,
    )
    await customer_says(server, ("Essa fila infinita de novo",))
    await scored(server)
    async with server.runtime.database.engine.connect() as connection:
        label = await connection.scalar(select(MessageSignalRow.sentiment_label))

    assert defaults["aiSettings"] == {
        "enabled": True,
        "languages": ["pt-BR", "en"],
        "negativeThreshold": -0.05,
        "positiveThreshold": 0.05,
        "lexicon": [],
        "alerts": {"negativeStreak": 2, "angryWaitingMinutes": 10, "vipLabels": ["VIP"]},
    }
    assert {field: answer.get("field") for field, answer in refused.items()} == {
        "languages": "languages",
        "negativeThreshold": "negativeThreshold",
        "negativeStreak": "negativeStreak",
        "lexicon": "lexicon",
    }
    assert by_agent["aiSettingsUpdate"]["__typename"] == "PermissionDeniedError"
    assert changed["aiSettingsUpdate"]["settings"] == {
        "languages": ["pt-BR"],
        "negativeThreshold": -0.05,
        "lexicon": [{"term": "fila infinita", "valence": -3.0}],
        "alerts": {"negativeStreak": 2, "angryWaitingMinutes": None, "vipLabels": ["VIP"]},
    }
    assert label == "negative"


async def test_alerts_go_off_once_per_rule_live_and_again_after_they_are_resolved(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await connected(server, client)
    _, agent_token = await add_user(server, client, tenant, Role.AGENT)
    document = "subscription { aiAlertRaised { alertId rule conversationId } }"
    async with subscribed(server.ws_url, tenant.token, document) as live:
        await asyncio.sleep(0.1)
        await customer_says(server, ANGRY)
        await scored(server)
        announced = (await live.next_data())["data"]["aiAlertRaised"]
        await customer_says(server, ("Continua péssimo",))
        await scored(server)
        still_one = await alerts(client, tenant.token)
        await client.data(RESOLVE, {"id": still_one[0]["id"]}, token=tenant.token)
        await customer_says(server, ("Horrível, vou reclamar",))
        await scored(server)
        again = await alerts(client, tenant.token)
        open_now = await alerts(client, tenant.token, unresolved=True)
    by_agent = await client.execute(ALERTS, {"unresolved": False}, token=agent_token)

    assert [alert["rule"] for alert in still_one] == ["NEGATIVE_STREAK"]
    first = still_one[0]
    assert announced == {
        "alertId": first["id"],
        "rule": "NEGATIVE_STREAK",
        "conversationId": first["conversationId"],
    }
    assert first["details"]["streak"] == 2
    assert first["details"]["score"] < -0.5
    assert len(again) == 2
    assert again[1]["resolvedById"] == str(tenant.owner.id)
    assert [alert["id"] for alert in open_now] == [again[0]["id"]]
    assert again[0]["details"]["streak"] == 4
    assert by_agent["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_vip_customers_negative_text_alerts_at_once(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await connected(server, client)
    await customer_says(server, ("Bom dia",))
    await scored(server)
    conversation_id = str(
        (await client.data("{ conversations { edges { node { id } } } }", token=tenant.token))[
            "conversations"
        ]["edges"][0]["node"]["id"]
    )
    await client.data(
        'mutation($c: ID!) { conversationLabelsSet(input: {id: $c, labels: ["VIP"]}) '
        "{ __typename } }",
        {"c": conversation_id},
        token=tenant.token,
    )
    await customer_says(server, ("Que absurdo!",))
    await scored(server)

    assert [alert["rule"] for alert in await alerts(client, tenant.token)] == ["VIP_NEGATIVE"]


async def test_nothing_is_read_while_the_organization_has_it_off(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await connected(server, client)
    await client.data(UPDATE, {"input": {"enabled": False}}, token=tenant.token)
    await customer_says(server, ANGRY)
    await scored(server)
    async with server.runtime.database.engine.connect() as connection:
        signals = await connection.scalar(select(func.count()).select_from(MessageSignalRow))
        backlog = await connection.scalar(
            select(func.count()).where(MessageRow.signals_due_at.is_not(None))
        )

    assert (signals, backlog) == (0, 0)
    assert await alerts(client, tenant.token) == []
