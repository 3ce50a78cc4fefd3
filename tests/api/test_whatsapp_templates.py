"""Templates over GraphQL against the Graph API simulator: create with validation, Meta's
status webhooks, paged sync, filters, deletion, Meta's refusals, and template sends checked
against the stored template."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from domain.conversations.messaging import TemplateContent
from domain.errors import InvalidInput
from domain.whatsapp.inbound import MessageStatus
from persistence.database import Database
from tests.meta_payloads import TEMPLATE_STATUS, meta_bytes
from tests.notifications import notified
from tests.support import (
    WEBHOOK_APP_SECRET,
    GraphQLClient,
    RunningServer,
    conversation_with,
    create_tenant,
    eventually,
    reaches,
    whatsapp_channel,
)
from web.whatsapp.signature import sign
from web.whatsapp.simulator import Simulator

CUSTOMER = "16505551234"

NUMBER_CREATE = (
    'mutation($w: String!) { whatsappNumberCreate(input: {phoneNumberId: "106540352242922", '
    'wabaId: $w, accessToken: "t"}) { ... on WhatsAppNumberCreateSuccess { number { id } } } }'
)
CREATE = """
mutation($input: WhatsAppTemplateCreateInput!) {
  whatsappTemplateCreate(input: $input) {
    __typename
    ... on WhatsAppTemplateCreateSuccess { template { name status bodyParameters category } }
    ... on ValidationError { field message }
    ... on MetaRefusedError { metaCode message }
  }
}
"""
TEMPLATES = """
query($filter: WhatsAppTemplateFilter) {
  whatsappTemplates(filter: $filter) { name language status rejectionReason bodyParameters }
}
"""
WABA_ID = "102290129340398"


async def owner_with_number(server: RunningServer, client: GraphQLClient) -> tuple[str, str]:
    tenant = await create_tenant(server, client, "Acme")
    data = await client.data(NUMBER_CREATE, {"w": WABA_ID}, token=tenant.token)
    return tenant.token, data["whatsappNumberCreate"]["number"]["id"]


def template_input(number_id: str, **overrides: Any) -> dict[str, Any]:
    return {
        "numberId": number_id,
        "name": "order_ready",
        "category": "utility",
        "language": "en_US",
        "body": "Hi {{1}}, order {{2}} is ready for pickup.",
        "bodyExamples": ["Ana", "A-1001"],
        **overrides,
    }


async def test_a_created_template_is_pending_then_approved_by_metas_webhook(
    server: RunningServer, client: GraphQLClient
) -> None:
    token, number_id = await owner_with_number(server, client)

    data = await client.data(CREATE, {"input": template_input(number_id)}, token=token)

    created = data["whatsappTemplateCreate"]
    assert created["__typename"] == "WhatsAppTemplateCreateSuccess"
    assert created["template"] == {
        "name": "order_ready",
        "status": "PENDING",
        "bodyParameters": ["1", "2"],
        "category": "UTILITY",
    }

    async def approved() -> bool:
        listed = await client.data(TEMPLATES, token=token)
        return [t["status"] for t in listed["whatsappTemplates"]] == ["APPROVED"]

    await eventually(approved, what="the simulator's approval webhook to be applied")


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"name": "Order Ready"}, "name", "lowercase letters"),
        ({"category": "PROMO"}, "category", "AUTHENTICATION, MARKETING, UTILITY"),
        ({"language": "english"}, "language", "language code"),
        ({"body": "Hi {{1}}, see {{3}} now.", "bodyExamples": ["a", "b"]}, "body", "without gaps"),
        ({"body": "{{1}} is ready.", "bodyExamples": ["a"]}, "body", "start or end"),
        ({"body": "Hi {{1}}{{2}} there", "bodyExamples": ["a", "b"]}, "body", "next to each"),
        ({"bodyExamples": ["only one"]}, "bodyExamples", "one example value"),
        ({"body": "x" * 1025, "bodyExamples": []}, "body", "Meta allows 1024"),
    ],
)
async def test_a_template_meta_would_reject_is_refused_before_it_is_submitted(
    server: RunningServer,
    client: GraphQLClient,
    simulator: tuple[Simulator, str],
    overrides: dict[str, Any],
    field: str,
    words: str,
) -> None:
    token, number_id = await owner_with_number(server, client)

    data = await client.data(CREATE, {"input": template_input(number_id, **overrides)}, token=token)

    refused = data["whatsappTemplateCreate"]
    assert refused["__typename"] == "ValidationError"
    assert refused["field"] == field
    assert words in refused["message"]
    assert simulator[0].state.templates.get(WABA_ID, []) == []


async def test_named_placeholders_need_an_example_each(
    server: RunningServer, client: GraphQLClient
) -> None:
    token, number_id = await owner_with_number(server, client)
    named = template_input(number_id, body="Hello {{first_name}}, welcome back.", bodyExamples=[])

    missing = await client.data(CREATE, {"input": named}, token=token)
    given = await client.data(
        CREATE, {"input": {**named, "bodyNamedExamples": {"first_name": "Ana"}}}, token=token
    )

    assert missing["whatsappTemplateCreate"]["field"] == "bodyExamples"
    assert given["whatsappTemplateCreate"]["template"]["bodyParameters"] == ["first_name"]


async def test_sync_pages_through_metas_list_and_drops_what_meta_deleted(
    server: RunningServer, client: GraphQLClient, simulator: tuple[Simulator, str]
) -> None:
    token, number_id = await owner_with_number(server, client)
    simulator[0].state.templates[WABA_ID] = [
        {
            "id": str(5000 + index),
            "name": f"promo_{index:03d}",
            "language": "pt_BR" if index % 2 else "en_US",
            "status": "APPROVED" if index % 3 else "REJECTED",
            "category": "MARKETING",
            "components": [{"type": "BODY", "text": f"Offer {index} for {{{{1}}}} today"}],
        }
        for index in range(150)
    ]
    sync = "mutation($n: ID!) { whatsappTemplateSync(input: {numberId: $n}) { __typename } }"

    await client.data(sync, {"n": number_id}, token=token)
    del simulator[0].state.templates[WABA_ID][:10]
    await client.data(sync, {"n": number_id}, token=token)

    listed = (await client.data(TEMPLATES, token=token))["whatsappTemplates"]
    assert len(listed) == 140
    assert listed[0]["name"] == "promo_010"
    approved_pt = await client.data(
        TEMPLATES, {"filter": {"status": "APPROVED", "language": "pt_BR"}}, token=token
    )
    assert {t["name"] for t in approved_pt["whatsappTemplates"]} == {
        f"promo_{i:03d}" for i in range(10, 150) if i % 2 and i % 3
    }
    searched = await client.data(TEMPLATES, {"filter": {"search": "offer 42 "}}, token=token)
    assert [t["name"] for t in searched["whatsappTemplates"]] == ["promo_042"]


async def test_metas_rejection_webhook_records_the_reason(
    server: RunningServer, client: GraphQLClient, simulator: tuple[Simulator, str]
) -> None:
    token, number_id = await owner_with_number(server, client)
    simulator[0].config.auto_approve_templates = False
    await client.data(
        CREATE,
        {"input": template_input(number_id, name="abandoned_cart", language="en")},
        token=token,
    )
    rejected = copy.deepcopy(TEMPLATE_STATUS)
    body = meta_bytes(rejected)

    response = await client.http.post(
        "/api/v1/whatsapp/webhook",
        content=body,
        headers={"x-hub-signature-256": sign(WEBHOOK_APP_SECRET, body)},
    )

    assert response.status_code == 200

    async def rejected_with_reason() -> list[Any]:
        listed = (await client.data(TEMPLATES, token=token))["whatsappTemplates"]
        return [t for t in listed if t["status"] == "REJECTED"]

    [template] = await eventually(rejected_with_reason, what="the rejection to be applied")
    assert template["rejectionReason"] == (
        "INVALID_FORMAT: Your template has parameters placed next to each other ... "
        "Separate parameters ..."
    )
    [told] = await notified(client, token)
    assert (told["type"], told["category"], told["severity"]) == (
        "template_unusable",
        "SYSTEM",
        "WARNING",
    )
    assert told["subject"] == (
        f"O modelo abandoned_cart (en) foi rejeitado pela Meta: {template['rejectionReason']}"
    )


async def test_metas_refusal_is_reported_with_its_code(
    server: RunningServer, client: GraphQLClient
) -> None:
    token, number_id = await owner_with_number(server, client)

    data = await client.data(
        'mutation($n: ID!) { whatsappTemplateDelete(input: {numberId: $n, name: "nope"}) '
        "{ __typename ... on MetaRefusedError { metaCode message } } }",
        {"n": number_id},
        token=token,
    )

    refused = data["whatsappTemplateDelete"]
    assert refused["__typename"] == "MetaRefusedError"
    assert refused["metaCode"] == 100
    assert refused["message"].startswith("Meta refused the request: Meta refused a parameter")


async def test_a_template_send_is_checked_against_the_stored_template(
    database_url: str, database: Database
) -> None:
    async with whatsapp_channel(database_url) as channel:
        conversation_id = await conversation_with(channel, CUSTOMER)
        data = await channel.client.data(
            CREATE,
            {"input": template_input(str(channel.number.id), language="en")},
            token=channel.tenant.token,
        )
        assert data["whatsappTemplateCreate"]["__typename"] == "WhatsAppTemplateCreateSuccess"
        messaging = channel.server.runtime.messaging
        org = channel.tenant.organization_id

        async def approved() -> bool:
            listed = await channel.client.data(TEMPLATES, token=channel.tenant.token)
            return bool(listed["whatsappTemplates"][0]["status"] == "APPROVED")

        await eventually(approved, what="approval")
        with pytest.raises(InvalidInput) as wrong:
            await messaging.send(
                org, conversation_id, TemplateContent("order_ready", "en", ["Ana"])
            )
        message = await messaging.send(
            org, conversation_id, TemplateContent("order_ready", "en", ["Ana", "A-1001"])
        )

        assert "takes 2 positional body parameters; got 1" in wrong.value.message
        await reaches(database, message.id, MessageStatus.DELIVERED)
        [sent] = channel.simulator.state.sent
        assert sent.payload["template"]["components"] == [
            {
                "type": "body",
                "parameters": [{"type": "text", "text": "Ana"}, {"type": "text", "text": "A-1001"}],
            }
        ]
