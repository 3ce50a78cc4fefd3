"""Canned responses and reply suggestions through the API, on PostgreSQL and SQLite."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from domain.accounts.model import Actor, Role
from domain.conversations.messaging import TextContent
from domain.whatsapp.numbers import NumberDetails
from domain.whatsapp.templates import from_meta
from tests.ai.alerts import customer_says
from tests.support import GraphQLClient, RunningServer, Tenant, add_user, create_tenant

CREATE = """
mutation($input: CannedResponseCreateInput!) {
  cannedResponseCreate(input: $input) {
    __typename
    ... on CannedResponseSaveSuccess { cannedResponse { id shortcut title body } }
    ... on ValidationError { field }
    ... on ConflictError { message }
  }
}
"""
UPDATE = """
mutation($input: CannedResponseUpdateInput!) {
  cannedResponseUpdate(input: $input) {
    __typename ... on CannedResponseSaveSuccess { cannedResponse { shortcut title body } }
  }
}
"""
DELETE = "mutation($id: ID!) { cannedResponseDelete(input: {id: $id}) { __typename } }"
SUGGESTIONS = """
query($c: ID!) {
  replySuggestions(conversationId: $c, first: 3) {
    source text cannedResponseId templateName templateLanguage
  }
}
"""
WABA = "102290129340398"


async def connected(server: RunningServer, client: GraphQLClient) -> Tenant:
    tenant = await create_tenant(server, client, "Acme")
    await server.runtime.services.numbers.create(
        Actor.of(tenant.owner, None), "106540352242922", WABA, NumberDetails(access_token="t")
    )
    return tenant


async def create(client: GraphQLClient, token: str, **fields: str) -> dict[str, Any]:
    data = await client.data(CREATE, {"input": fields}, token=token)
    answer: dict[str, Any] = data["cannedResponseCreate"]
    return answer


async def conversation_of(client: GraphQLClient, token: str, wa_id: str = "5511999990000") -> str:
    data = await client.data(
        "query($s: String!) { conversations(filter: {search: $s}) { edges { node { id } } } }",
        {"s": wa_id},
        token=token,
    )
    return str(data["conversations"]["edges"][0]["node"]["id"])


async def test_canned_responses_are_validated_unique_by_shortcut_and_for_supervisors(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await connected(server, client)
    _, agent_token = await add_user(server, client, tenant, Role.AGENT)
    made = await create(
        client, tenant.token, shortcut="/Horario", title="Horário", body="Das 9h às 18h."
    )
    taken = await create(client, tenant.token, shortcut="horario", title="Again", body="x")
    bad = await create(client, tenant.token, shortcut="tem espaço", title="x", body="x")
    empty = await create(client, tenant.token, shortcut="ok", title="x", body="  ")
    by_agent = await create(client, agent_token, shortcut="agent", title="x", body="x")
    canned_id = made["cannedResponse"]["id"]
    changed = await client.data(
        UPDATE,
        {"input": {"id": canned_id, "shortcut": "horas", "title": "Horas", "body": "9h-18h"}},
        token=tenant.token,
    )
    listed = await client.data("{ cannedResponses { shortcut body } }", token=agent_token)
    deleted = await client.data(DELETE, {"id": canned_id}, token=tenant.token)
    after = await client.data("{ cannedResponses { id } }", token=tenant.token)

    assert made["cannedResponse"]["shortcut"] == "horario"
    assert taken["__typename"] == "ConflictError"
    assert (bad["field"], empty["field"]) == ("shortcut", "body")
    assert by_agent["__typename"] == "PermissionDeniedError"
    assert changed["cannedResponseUpdate"]["cannedResponse"] == {
        "shortcut": "horas",
        "title": "Horas",
        "body": "9h-18h",
    }
    assert listed["cannedResponses"] == [{"shortcut": "horas", "body": "9h-18h"}]
    assert deleted["cannedResponseDelete"]["__typename"] == "CannedResponseDeleteSuccess"
    assert after["cannedResponses"] == []


async def test_suggestions_come_from_canned_responses_and_past_replies_inside_the_window(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await connected(server, client)
    agent, agent_token = await add_user(server, client, tenant, Role.SUPERVISOR)
    hours = await create(
        client,
        tenant.token,
        shortcut="horario",
        title="Horário de funcionamento",
        body="Abrimos de segunda a sexta, das 9h às 18h.",
    )
    await create(
        client, tenant.token, shortcut="pix", title="Pagamento por Pix", body="Aceitamos Pix."
    )
    await customer_says(server, ("O produto veio quebrado, quero reembolso",), "5511900000001")
    refund_conversation = await conversation_of(client, tenant.token, "5511900000001")
    await server.runtime.messaging.send(
        tenant.organization_id,
        uuid.UUID(refund_conversation),
        TextContent("Sinto muito! Já abri o seu reembolso."),
        sender_user_id=agent.id,
    )
    await customer_says(server, ("Qual o horário de funcionamento?",), "5511900000002")
    hours_conversation = await conversation_of(client, tenant.token, "5511900000002")
    await customer_says(server, ("Chegou quebrado, como peço reembolso?",), "5511900000003")
    broken_conversation = await conversation_of(client, tenant.token, "5511900000003")

    for_hours = await client.data(SUGGESTIONS, {"c": hours_conversation}, token=agent_token)
    for_broken = await client.data(SUGGESTIONS, {"c": broken_conversation}, token=agent_token)

    assert for_hours["replySuggestions"][0] == {
        "source": "CANNED",
        "text": "Abrimos de segunda a sexta, das 9h às 18h.",
        "cannedResponseId": hours["cannedResponse"]["id"],
        "templateName": None,
        "templateLanguage": None,
    }
    assert [s["text"] for s in for_broken["replySuggestions"]] == [
        "Sinto muito! Já abri o seu reembolso."
    ]
    assert for_broken["replySuggestions"][0]["source"] == "PAST_REPLY"


async def test_outside_the_window_only_approved_templates_are_suggested(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await connected(server, client)
    await create(
        client, tenant.token, shortcut="pedido", title="Pedido", body="Seu pedido foi enviado."
    )
    async with server.runtime.unit_of_work(tenant.organization_id) as uow:
        for name, status in (("order_update", "APPROVED"), ("order_late", "REJECTED")):
            template = {
                "id": name,
                "name": name,
                "language": "pt_BR",
                "status": status,
                "category": "UTILITY",
                "components": [{"type": "BODY", "text": "Seu pedido {{1}} foi enviado."}],
            }
            await uow.templates.save(
                from_meta(tenant.organization_id, WABA, template, datetime.now(UTC))
            )
        await uow.commit()
    await customer_says(server, ("Cadê meu pedido?",), hours_ago=30)
    conversation_id = await conversation_of(client, tenant.token)

    found = await client.data(SUGGESTIONS, {"c": conversation_id}, token=tenant.token)

    assert found["replySuggestions"] == [
        {
            "source": "TEMPLATE",
            "text": "Seu pedido {{1}} foi enviado.",
            "cannedResponseId": None,
            "templateName": "order_update",
            "templateLanguage": "pt_BR",
        }
    ]
