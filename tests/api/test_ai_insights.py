"""aiInsights on PostgreSQL and SQLite: what the signals worker read, counted by hour, intent
and number as it reads, and how often agents took a suggested reply."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from domain.accounts.model import Role
from tests.ai.alerts import customer_says, scored
from tests.ai.intents import trained_starter_model
from tests.api.test_intents import connected
from tests.support import GraphQLClient, RunningServer, add_user

INSIGHTS = """
query($since: DateTime!, $until: DateTime!, $by: InsightGrouping!, $number: ID) {
  aiInsights(since: $since, until: $until, groupBy: $by, numberId: $number) {
    sentiment { read negative neutral positive averageScore turnedNegative }
    trend { start sentiment { read negative positive } }
    topIntents { name count share previousCount }
    suggestions { offered accepted acceptanceRate }
    negativeConversationIds
    negativeConversations { id contact { waId } }
  }
}
"""


async def insights(
    client: GraphQLClient, token: str, by: str = "HOUR", number: str | None = None
) -> dict[str, Any]:
    now = datetime.now(UTC)
    variables = {
        "since": (now - timedelta(days=1)).isoformat(),
        "until": (now + timedelta(hours=1)).isoformat(),
        "by": by,
        "number": number,
    }
    data = await client.data(INSIGHTS, variables, token=token)
    return dict(data["aiInsights"])


async def test_insights_count_each_text_read_by_hour_and_intent_and_each_suggestion_taken(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await connected(server, client)
    await trained_starter_model(server, tenant.owner)
    empty = await insights(client, tenant.token)
    await customer_says(
        server, ("quero cancelar minha assinatura, péssimo serviço",), "5511900000001", 2
    )
    await customer_says(server, ("obrigado, adorei o atendimento",), "5511900000002")
    await customer_says(server, ("cadê meu pedido? que absurdo",), "5511900000003")
    await scored(server)
    await client.data(
        'mutation { cannedResponseCreate(input: {shortcut: "pedido", title: "Pedido", '
        'body: "Seu pedido está a caminho, segue o rastreio."}) { __typename } }',
        token=tenant.token,
    )
    conversations = await client.data(
        "{ conversations(first: 5) { edges { node { id contact { waId } } } } }",
        token=tenant.token,
    )
    by_phone = {
        e["node"]["contact"]["waId"]: e["node"]["id"]
        for e in conversations["conversations"]["edges"]
    }
    waiting_order = by_phone["5511900000003"]
    suggested = await client.data(
        "query($c: ID!) { replySuggestions(conversationId: $c) { text } }",
        {"c": waiting_order},
        token=tenant.token,
    )
    send = (
        "mutation($c: ID!, $t: String!) { messageSend(input: {conversationId: $c, "
        'text: {body: $t}, fromSuggestion: true, clientMessageId: "reply-1"}) { __typename } }'
    )
    reply = {"c": waiting_order, "t": suggested["replySuggestions"][0]["text"]}
    sent = await client.data(send, reply, token=tenant.token)
    # The client did not hear back and retried: still one accepted suggestion.
    retried = await client.data(send, reply, token=tenant.token)
    read = await insights(client, tenant.token)
    by_day = await insights(client, tenant.token, by="DAY")

    assert empty["sentiment"]["read"] == 0
    assert empty["suggestions"] == {"offered": 0, "accepted": 0, "acceptanceRate": None}
    assert sent["messageSend"]["__typename"] == "MessageSendSuccess"
    assert retried["messageSend"]["__typename"] == "MessageSendSuccess"
    assert read["sentiment"] | {"averageScore": None} == {
        "read": 3,
        "negative": 2,
        "neutral": 0,
        "positive": 1,
        "averageScore": None,
        "turnedNegative": 2,
    }
    assert -1 < read["sentiment"]["averageScore"] < 0
    assert [bucket["sentiment"] for bucket in read["trend"]] == [
        {"read": 1, "negative": 1, "positive": 0},
        {"read": 2, "negative": 1, "positive": 1},
    ]
    assert sum(bucket["sentiment"]["read"] for bucket in by_day["trend"]) == 3
    assert read["topIntents"] == [
        {"name": "agradecimento", "count": 1, "share": 0.3333, "previousCount": 0},
        {"name": "cancelamento", "count": 1, "share": 0.3333, "previousCount": 0},
        {"name": "status_pedido", "count": 1, "share": 0.3333, "previousCount": 0},
    ]
    assert read["suggestions"] == {"offered": 1, "accepted": 1, "acceptanceRate": 1.0}
    assert set(read["negativeConversationIds"]) == {
        by_phone["5511900000001"],
        by_phone["5511900000003"],
    }
    assert [c["id"] for c in read["negativeConversations"]] == read["negativeConversationIds"]
    assert {c["contact"]["waId"] for c in read["negativeConversations"]} == {
        "5511900000001",
        "5511900000003",
    }


async def test_insights_are_for_supervisors_and_filter_by_number(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await connected(server, client)
    _, agent_token = await add_user(server, client, tenant, Role.AGENT)
    await customer_says(server, ("Péssimo, ninguém resolve",))
    await scored(server)
    numbers = await client.data("{ whatsappNumbers { id } }", token=tenant.token)
    number_id = numbers["whatsappNumbers"][0]["id"]
    now = datetime.now(UTC)

    by_agent = await client.execute(
        INSIGHTS,
        {"since": (now - timedelta(days=1)).isoformat(), "until": now.isoformat(), "by": "DAY"},
        token=agent_token,
    )
    too_long = await client.execute(
        INSIGHTS,
        {"since": (now - timedelta(days=93)).isoformat(), "until": now.isoformat(), "by": "DAY"},
        token=tenant.token,
    )
    on_its_number = await insights(client, tenant.token, number=number_id)
    elsewhere = await insights(client, tenant.token, number="00000000-0000-0000-0000-000000000000")

    assert by_agent["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert too_long["errors"][0]["message"] == "a period is at most 92 days"
    assert on_its_number["sentiment"]["negative"] == 1
    assert elsewhere["sentiment"]["read"] == 0
    assert elsewhere["negativeConversationIds"] == []
