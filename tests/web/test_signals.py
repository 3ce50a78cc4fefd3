"""Sentiment read in customer messages for real, on PostgreSQL and SQLite: the simulator plays
the customer, the signals worker scores what ingestion committed, the API shows it, and a queue
that asks raises an angry waiting customer's priority, recorded in the routing decision."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from domain.signals.insights import InsightGrouping
from persistence.database import Database
from persistence.models.conversations import MessageRow, MessageSignalRow
from tests.ai.intents import trained_starter_model
from tests.api.test_conversation_messages import inbound
from tests.flow_world import Nodes, World, flow_world
from tests.flows import MOOD, WANTS, edge, node
from tests.meta_payloads import meta_bytes
from tests.support import WEBHOOK_APP_SECRET, counting_statements
from tests.web.test_queues import new_queue, to_people
from tests.web.test_webhook_ingestion import WEBHOOK
from web.whatsapp.signature import sign

SENTIMENT = """
query Sentiment($c: ID!) {
  conversation(id: $c) {
    sentiment { current { label score } trend messageId }
  }
  messages(conversationId: $c, first: 20) {
    edges { node { type direction content { ... on TextContent { body } }
      sentiment { label score language } } }
  }
}
"""


async def api(world: World, conversation_id: uuid.UUID) -> dict[str, Any]:
    client = world.channel.client
    return await client.data(
        SENTIMENT, {"c": str(conversation_id)}, token=world.channel.tenant.token
    )


async def signal_rows(world: World) -> int:
    async with world.runtime.database.engine.connect() as connection:
        return int(await connection.scalar(select(func.count()).select_from(MessageSignalRow)))


async def test_each_customer_text_is_scored_once_and_the_api_shows_it(
    database_url: str, database: Database
) -> None:
    async with flow_world(database_url) as world:
        customer = "5511900002001"
        await world.says(customer, text="Obrigado, chegou certinho!")
        await world.says(customer, text="Muito bom")
        before_scoring = await api(world, await world.conversation_id(customer))
        first_round = await world.score()
        await world.says(customer, text="Mas agora o produto parou de funcionar, que absurdo")
        await world.says(customer, image={"data_base64": "aGVsbG8=", "caption": "veja"})
        await world.says(customer, text="My order never arrived and nobody answers")
        second_round = await world.score()
        nothing_left = await world.score()
        conversation_id = await world.conversation_id(customer)
        after = await api(world, conversation_id)
        rows = await signal_rows(world)

    assert before_scoring["conversation"]["sentiment"] is None
    assert all(e["node"]["sentiment"] is None for e in before_scoring["messages"]["edges"])
    assert (first_round, second_round, nothing_left) == (2, 2, 0)
    assert rows == 4
    read = [
        (e["node"]["content"].get("body"), e["node"]["sentiment"])
        for e in after["messages"]["edges"]
    ]
    # Meta's timestamps have seconds: messages of one second are in no set order.
    labels = {body: (s["label"], s["language"]) if s else None for body, s in read}
    assert labels == {
        "Obrigado, chegou certinho!": ("POSITIVE", "pt-BR"),
        "Muito bom": ("POSITIVE", "pt-BR"),
        "Mas agora o produto parou de funcionar, que absurdo": ("NEGATIVE", "pt-BR"),
        None: None,
        "My order never arrived and nobody answers": ("NEGATIVE", "en"),
    }
    current = after["conversation"]["sentiment"]
    assert current["current"]["label"] == "NEGATIVE"
    assert current["trend"] == "WORSENING"
    latest = dict(read)["My order never arrived and nobody answers"]
    assert current["current"]["score"] == latest["score"]


async def test_an_edited_text_is_scored_again_and_a_deleted_one_keeps_nothing(
    database_url: str,
    database: Database,
) -> None:
    async with flow_world(database_url) as world:
        http = world.channel.http
        url = f"{world.channel.server.url}{WEBHOOK}"

        async def deliver(payload: dict[str, Any]) -> None:
            body = meta_bytes(payload)
            response = await http.post(
                url, content=body, headers={"x-hub-signature-256": sign(WEBHOOK_APP_SECRET, body)}
            )
            assert response.status_code == 200, response.text
            while await world.runtime.deliveries.run_once():
                pass

        await deliver(inbound("wamid.S1", 1749416390, "text", {"body": "Adorei o produto"}))
        await deliver(inbound("wamid.S2", 1749416391, "text", {"body": "Meu cartão é 4111"}))
        await world.score()
        edit = {
            "original_message_id": "wamid.S1",
            "message": {"type": "text", "text": {"body": "Odiei o produto, péssimo"}},
        }
        await deliver(inbound("wamid.S3", 1749416392, "edit", edit))
        await deliver(
            inbound("wamid.S4", 1749416393, "revoke", {"original_message_id": "wamid.S2"})
        )
        rescored = await world.score()
        async with world.runtime.database.engine.connect() as connection:
            result = await connection.execute(
                select(MessageRow.wamid, MessageSignalRow.sentiment_label).join(
                    MessageSignalRow, MessageSignalRow.message_id == MessageRow.id
                )
            )
            labels = {wamid: label for wamid, label in result.all()}
        june_8 = datetime(2025, 6, 8, tzinfo=UTC)
        insights = await world.runtime.services.ai.insights(
            world.actor, june_8, june_8 + timedelta(days=1), InsightGrouping.DAY, None
        )

    assert rescored == 1
    assert labels == {"wamid.S1": "negative"}
    # The edit took back its first reading; a deleted text stays counted as read.
    assert (insights.sentiment.read, insights.sentiment.positive) == (2, 0)
    assert insights.sentiment.negative >= 1


async def test_an_angry_waiting_customer_goes_up_a_priority_where_the_queue_asks(
    database_url: str,
    database: Database,
) -> None:
    async with flow_world(database_url) as world:
        raising = await new_queue(world, "Complaints", raise_priority_when_negative=True)
        plain = await new_queue(world, "Sales")
        await world.publish("To complaints", "keyword", to_people(raising))
        angry, also_angry = "5511900002101", "5511900002102"
        await world.says(angry, text="humano")
        await world.score()
        await world.says(angry, text="Estou esperando há uma hora, isso é um absurdo!")
        await world.says(angry, text="Péssimo, ninguém responde")
        await world.score()
        raised = (await world.items(angry))[0]
        await world.agent(2, raising)
        await world.distribute()
        assigned = (await world.items(angry))[0]

        to_sales: Nodes = (
            [
                node("t", "trigger_keyword", keywords=["vendas"], match="exact"),
                node("sales", "action_transfer_to_queue", queueId=str(plain)),
            ],
            [edge("t", "sales")],
        )
        await world.publish("To sales", "keyword", to_sales)
        await world.says(also_angry, text="vendas")
        await world.says(also_angry, text="Que absurdo, péssimo atendimento")
        await world.score()
        untouched = (await world.items(also_angry))[0]

    assert raised["status"] == "waiting"
    assert raised["priority"] == 1
    escalation = raised["metadata"]["sentimentEscalation"]
    assert (escalation["from"], escalation["to"]) == (0, 1)
    assert escalation["score"] < -0.5
    assert assigned["status"] == "assigned"
    assert assigned["routing_decision"]["sentimentEscalation"] == escalation
    assert untouched["priority"] == 0
    assert "sentimentEscalation" not in untouched["metadata"]


async def test_a_flow_branches_on_the_sentiment_read_after_the_commit_or_goes_on_neutral(
    database_url: str, database: Database
) -> None:
    async with flow_world(database_url) as world:
        await world.publish("Mood", "universal", MOOD)
        angry, pleased, unread = "5511900002201", "5511900002202", "5511900002203"
        await world.says(angry, text="Péssimo, ninguém resolve nada")
        await world.says(pleased, text="Adorei o atendimento de ontem")
        before_scoring = await world.replies(angry)
        await world.score()
        angry_replies = await world.replies(angry)
        pleased_replies = await world.replies(pleased)

        await world.says(unread, text="Que absurdo")
        world.clock.advance(seconds=6)
        await world.tick()
        unread_replies = await world.replies(unread)
        late_scoring = await world.score()
        after_late_scoring = await world.replies(unread)

    assert before_scoring == []
    assert angry_replies == ["Sinto muito! Já chamo alguém."]
    assert pleased_replies == ["Que bom!"]
    assert unread_replies == ["Como posso ajudar?"]
    assert late_scoring == 1
    assert after_late_scoring == ["Como posso ajudar?"]


async def test_a_flow_branches_on_the_intent_read_after_the_commit_or_goes_on_unsure(
    database_url: str, database: Database
) -> None:
    async with flow_world(database_url) as world:
        await trained_starter_model(world.channel.server, world.channel.tenant.owner)
        await world.publish("Wants", "universal", WANTS)
        tracking, cancelling, greeting = "5511900002301", "5511900002302", "5511900002303"
        await world.says(tracking, text="cadê meu pedido? já faz 10 dias")
        await world.says(cancelling, text="quero cancelar a assinatura")
        await world.says(greeting, text="bom dia")
        before_scoring = await world.replies(tracking)
        await world.score()
        tracked = await world.replies(tracking)
        cancelled = await world.replies(cancelling)
        greeted = await world.replies(greeting)

    assert before_scoring == []
    assert tracked == ["Seu pedido está a caminho."]
    assert cancelled == ["Vou cancelar para você."]
    assert greeted == ["Pode me dizer o que precisa?"], "saudacao is not one of the node's ways"


async def test_scoring_costs_the_same_statements_however_many_customers_turn_negative(
    database_url: str, database: Database
) -> None:
    async with flow_world(database_url) as world:

        async def statements_to_score(customers: list[str]) -> int:
            for customer in customers:
                await world.says(customer, text="Péssimo, ninguém resolve nada")
            with counting_statements(world.runtime.database) as statements:
                scored = await world.score()
            assert scored == len(customers)
            return len(statements)

        few = await statements_to_score(["5511900002401", "5511900002402"])
        many = await statements_to_score([f"55119000025{n:02}" for n in range(6)])

    assert few == many
