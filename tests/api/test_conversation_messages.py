"""Meta's example payloads, and every other inbound type, ingested and read back over GraphQL
with typed content; messages paged both ways; outbound messages with their status history."""

from __future__ import annotations

import asyncio
import copy
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from domain.accounts.model import Actor
from domain.conversations.messaging import TextContent
from domain.whatsapp.numbers import NumberDetails
from persistence.database import Database
from persistence.models.conversations import ConversationRow, MessageRow
from tests.meta_payloads import BUTTON_REPLY, INBOUND_TEXT, PHONE_NUMBER_ID, WABA_ID
from tests.support import (
    GraphQLClient,
    RunningServer,
    conversation_with,
    create_tenant,
    eventually,
    subscribed,
    whatsapp_channel,
)
from tests.web.test_webhook_ingestion import all_processed, deliver

CUSTOMER = "16505551234"
TEXT_WAMID = INBOUND_TEXT["entry"][0]["changes"][0]["value"]["messages"][0]["id"]
BUTTON_WAMID = BUTTON_REPLY["entry"][0]["changes"][0]["value"]["messages"][0]["id"]
MESSAGES = """
query($c: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  messages(conversationId: $c, first: $first, after: $after, last: $last, before: $before) {
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { node {
      wamid direction type status replyToWamid replyToId sender { kind }
      reactions { emoji direction }
      statusHistory {
        status
        pricing { type category model billable }
        conversation { id originType expiresAt }
      }
      error { code message }
      content {
        __typename
        ... on TextContent { body previewUrl }
        ... on InteractiveReplyContent { replyType id title description }
        ... on QuickReplyContent { text payload }
        ... on MediaContent { mediaType mediaId mimeType sha256 caption voice }
        ... on LocationContent { latitude longitude name address }
        ... on ContactsContent { contacts }
        ... on SystemContent { text systemType newWaId }
        ... on FlowReplyContent { flowName text response }
        ... on CallPermissionReplyContent { accepted permanent expiresAt responseSource }
        ... on OrderContent {
          catalogId text items { productRetailerId quantity itemPrice currency }
        }
        ... on UnsupportedContent { unsupportedType errors }
      }
      referredProduct { catalogId productRetailerId }
    } }
  }
}
"""
CONVERSATION = """
query($id: ID!) { conversation(id: $id) {
  id status unreadCount windowOpen windowExpiresAt
  contact { waId profileName } number { phoneNumberId }
} }
"""


async def the_conversation(server: RunningServer) -> str:
    async with server.runtime.database.engine.connect() as connection:
        return str(await connection.scalar(select(ConversationRow.id)))


def inbound(wamid: str, at: int, kind: str, body: dict[str, Any], **extra: Any) -> dict[str, Any]:
    payload = copy.deepcopy(INBOUND_TEXT)
    message = {"from": CUSTOMER, "id": wamid, "timestamp": str(at), "type": kind, **extra}
    if body:
        message[kind] = body
    payload["entry"][0]["changes"][0]["value"]["messages"] = [message]
    return payload


def every_inbound_type() -> list[dict[str, Any]]:
    return [
        copy.deepcopy(BUTTON_REPLY),
        inbound(
            "wamid.LIST",
            1749416390,
            "interactive",
            {
                "type": "list_reply",
                "list_reply": {
                    "id": "priority_express",
                    "title": "Priority Mail Express",
                    "description": "Next Day to 2 Days",
                },
            },
        ),
        inbound(
            "wamid.QUICK",
            1749416391,
            "button",
            {"payload": "Unsubscribe", "text": "Unsubscribe"},
            context={"from": "15550783881", "id": "wamid.TEMPLATE"},
        ),
        inbound(
            "wamid.VOICE",
            1749416392,
            "audio",
            {"id": "1003", "mime_type": "audio/ogg; codecs=opus", "sha256": "abc=", "voice": True},
        ),
        inbound(
            "wamid.PHOTO",
            1749416393,
            "image",
            {"id": "1004", "mime_type": "image/jpeg", "sha256": "def=", "caption": "this one"},
        ),
        inbound(
            "wamid.PLACE",
            1749416394,
            "location",
            {"latitude": -23.55, "longitude": -46.63, "name": "Paulista", "address": "Av."},
        ),
        inbound(
            "wamid.CARD",
            1749416395,
            "contacts",
            {},
            contacts=[{"name": {"formatted_name": "Ana"}, "phones": [{"phone": "+5511"}]}],
        ),
        copy.deepcopy(INBOUND_TEXT),
        inbound("wamid.REACT", 1749416400, "reaction", {"message_id": TEXT_WAMID, "emoji": "👍"}),
        inbound(
            "wamid.ODD",
            1749416401,
            "unsupported",
            {"type": "poll"},
            errors=[{"code": 131051, "title": "Message type unknown"}],
        ),
        inbound(
            "wamid.FORM",
            1749416403,
            "interactive",
            {
                "type": "nfm_reply",
                "nfm_reply": {
                    "name": "flow",
                    "body": "Sent",
                    "response_json": '{"flow_token": "t-1", "size": "M"}',
                },
            },
        ),
        inbound(
            "wamid.CALL-OK",
            1749416405,
            "interactive",
            {
                "type": "call_permission_reply",
                "call_permission_reply": {
                    "response": "accept",
                    "is_permanent": False,
                    "expiration_timestamp": 1750021205,
                    "response_source": "user_action",
                },
            },
        ),
        inbound(
            "wamid.CART",
            1749416404,
            "order",
            {
                "catalog_id": "cat-1",
                "text": "for Friday",
                "product_items": [
                    {
                        "product_retailer_id": "sku-9",
                        "quantity": 2,
                        "item_price": 9.9,
                        "currency": "BRL",
                    }
                ],
            },
            context={
                "from": "15550",
                "id": "wamid.CATALOG",
                "referred_product": {"catalog_id": "cat-1", "product_retailer_id": "sku-9"},
            },
        ),
        inbound(
            "wamid.SYS",
            1749416402,
            "system",
            {
                "body": "Customer changed number",
                "type": "user_changed_number",
                "wa_id": "16505559999",
            },
        ),
    ]


async def test_every_inbound_type_is_readable_with_its_typed_content(
    server: RunningServer, client: GraphQLClient, database: Database
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    await server.runtime.services.numbers.create(
        Actor.of(tenant.owner, None), PHONE_NUMBER_ID, WABA_ID, NumberDetails(access_token="t")
    )
    payloads = every_inbound_type()
    async with httpx.AsyncClient(base_url=server.url) as http:
        for payload in payloads:
            await deliver(http, payload)
    await all_processed(database, len(payloads))
    conversation_id = await the_conversation(server)

    conversation = (await client.data(CONVERSATION, {"id": conversation_id}, token=tenant.token))[
        "conversation"
    ]
    page = (await client.data(MESSAGES, {"c": conversation_id, "first": 50}, token=tenant.token))[
        "messages"
    ]

    # The customer's user_changed_number moved the contact to its new number.
    assert conversation["contact"] == {"waId": "16505559999", "profileName": "Sheena Nelson"}
    assert conversation["number"] == {"phoneNumberId": PHONE_NUMBER_ID}
    assert conversation["unreadCount"] == len(payloads)
    nodes = {edge["node"]["wamid"]: edge["node"] for edge in page["edges"]}
    assert "wamid.REACT" not in nodes, "a reaction is attached, not listed"
    assert len(nodes) == len(payloads) - 1
    assert nodes[BUTTON_WAMID]["content"] == {
        "__typename": "InteractiveReplyContent",
        "replyType": "button_reply",
        "id": "change-button",
        "title": "Change",
        "description": None,
    }
    assert nodes[BUTTON_WAMID]["replyToWamid"] == (
        "wamid.HBgLMTY0NjcwNDM1OTUVAgARGBJBM0Y4RUU0RUNFQkFDMjYzQUMA"
    )
    assert nodes["wamid.LIST"]["content"]["description"] == "Next Day to 2 Days"
    assert nodes["wamid.QUICK"]["content"] == {
        "__typename": "QuickReplyContent",
        "text": "Unsubscribe",
        "payload": "Unsubscribe",
    }
    assert nodes["wamid.VOICE"]["content"]["voice"] is True
    assert nodes["wamid.PHOTO"]["content"]["caption"] == "this one"
    assert nodes["wamid.PLACE"]["content"]["name"] == "Paulista"
    assert nodes["wamid.CARD"]["content"]["contacts"][0]["name"]["formatted_name"] == "Ana"
    assert nodes[TEXT_WAMID]["content"] == {
        "__typename": "TextContent",
        "body": "Does it come in another color?",
        "previewUrl": False,
    }
    assert nodes[TEXT_WAMID]["reactions"] == [{"emoji": "👍", "direction": "INBOUND"}]
    assert nodes["wamid.ODD"]["content"]["unsupportedType"] == "poll"
    assert nodes["wamid.ODD"]["content"]["errors"][0]["code"] == 131051
    assert nodes["wamid.SYS"]["content"]["newWaId"] == "16505559999"
    assert nodes["wamid.FORM"]["content"] == {
        "__typename": "FlowReplyContent",
        "flowName": "flow",
        "text": "Sent",
        "response": {"flow_token": "t-1", "size": "M"},
    }
    assert nodes["wamid.CALL-OK"]["content"] == {
        "__typename": "CallPermissionReplyContent",
        "accepted": True,
        "permanent": False,
        "expiresAt": "2025-06-15T21:00:05+00:00",
        "responseSource": "user_action",
    }
    assert nodes["wamid.CART"]["content"] == {
        "__typename": "OrderContent",
        "catalogId": "cat-1",
        "text": "for Friday",
        "items": [
            {"productRetailerId": "sku-9", "quantity": 2.0, "itemPrice": 9.9, "currency": "BRL"}
        ],
    }
    assert nodes["wamid.CART"]["referredProduct"] == {
        "catalogId": "cat-1",
        "productRetailerId": "sku-9",
    }
    assert all(node["direction"] == "INBOUND" for node in nodes.values())
    assert all(node["sender"] == {"kind": "CONTACT"} for node in nodes.values())


async def test_messages_page_forwards_and_backwards_without_gaps(
    server: RunningServer, client: GraphQLClient, database: Database
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    await server.runtime.services.numbers.create(
        Actor.of(tenant.owner, None), PHONE_NUMBER_ID, WABA_ID, NumberDetails(access_token="t")
    )
    async with httpx.AsyncClient(base_url=server.url) as http:
        for n in range(25):
            await deliver(
                http, inbound(f"wamid.N{n:02d}", 1749416000 + n, "text", {"body": str(n)})
            )
    await all_processed(database, 25)
    conversation_id = await the_conversation(server)

    async def page(**arguments: Any) -> dict[str, Any]:
        data = await client.data(MESSAGES, {"c": conversation_id, **arguments}, token=tenant.token)
        result: dict[str, Any] = data["messages"]
        return result

    def bodies(result: dict[str, Any]) -> list[str]:
        return [edge["node"]["content"]["body"] for edge in result["edges"]]

    first = await page(first=10)
    second = await page(first=10, after=first["pageInfo"]["endCursor"])
    third = await page(first=10, after=second["pageInfo"]["endCursor"])
    newest = await page(last=10)
    older = await page(last=10, before=newest["pageInfo"]["startCursor"])

    assert bodies(first) + bodies(second) + bodies(third) == [str(n) for n in range(25)]
    assert (first["pageInfo"]["hasNextPage"], first["pageInfo"]["hasPreviousPage"]) == (True, False)
    assert third["pageInfo"]["hasNextPage"] is False
    assert bodies(newest) == [str(n) for n in range(15, 25)]
    assert newest["pageInfo"]["hasPreviousPage"] is True
    assert bodies(older) == [str(n) for n in range(5, 15)]
    refused = await client.execute(
        MESSAGES, {"c": conversation_id, "first": 101}, token=tenant.token
    )
    assert refused["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


async def test_an_outbound_message_shows_its_content_status_history_and_reply(
    database: Database, database_url: str
) -> None:
    async with whatsapp_channel(database_url) as channel:
        conversation_id = await conversation_with(channel, CUSTOMER)
        runtime = channel.server.runtime
        org = channel.tenant.organization_id
        first = await channel.client.data(
            MESSAGES, {"c": str(conversation_id), "first": 5}, token=channel.tenant.token
        )
        customer_message_id = first["messages"]["edges"][0]["node"]["wamid"]
        async with runtime.database.engine.connect() as connection:
            replied_id = await connection.scalar(
                select(MessageRow.id).where(MessageRow.wamid == customer_message_id)
            )

        await runtime.messaging.send(
            org, conversation_id, TextContent("Yes, in blue too"), reply_to=replied_id
        )

        async def delivered() -> dict[str, Any] | None:
            data = await channel.client.data(
                MESSAGES, {"c": str(conversation_id), "last": 1}, token=channel.tenant.token
            )
            node: dict[str, Any] = data["messages"]["edges"][0]["node"]
            return node if node["status"] == "DELIVERED" else None

        node = await eventually(delivered, what="the reply to be delivered")
        assert node["direction"] == "OUTBOUND"
        assert node["sender"] == {"kind": "AUTOMATION"}
        assert node["content"] == {
            "__typename": "TextContent",
            "body": "Yes, in blue too",
            "previewUrl": False,
        }
        assert [s["status"] for s in node["statusHistory"]] == ["SENT", "DELIVERED"]
        sent, then = node["statusHistory"]
        assert (
            sent["pricing"]
            == then["pricing"]
            == {
                "type": "free_customer_service",
                "category": "service",
                "model": "PMP",
                "billable": False,
            }
        )
        assert sent["conversation"]["originType"] == "service"
        assert sent["conversation"]["expiresAt"] is not None
        assert then["conversation"]["expiresAt"] is None
        assert node["replyToWamid"] == customer_message_id
        assert node["replyToId"] == str(replied_id)
        assert channel.simulator.state.sent[0].payload["context"] == {
            "message_id": customer_message_id
        }


CHANGED = "subscription($c: ID) { messageChanged(conversationId: $c) { messageId change } }"
AS_NOW = """
query($c: ID!) { messages(conversationId: $c, first: 10) { edges { node {
  wamid editedAt
  content { __typename ... on TextContent { body } ... on DeletedContent { deletedAt } }
} } } }
"""


async def test_a_customers_edit_and_deletion_change_the_message_and_are_announced(
    server: RunningServer, client: GraphQLClient, database: Database
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    await server.runtime.services.numbers.create(
        Actor.of(tenant.owner, None), PHONE_NUMBER_ID, WABA_ID, NumberDetails(access_token="t")
    )
    first = inbound("wamid.FIRST", 1749416390, "text", {"body": "I want it in blu"})
    second = inbound("wamid.SECOND", 1749416391, "text", {"body": "my card is 4111..."})
    edited = inbound(
        "wamid.EDIT",
        1749416392,
        "edit",
        {
            "original_message_id": "wamid.FIRST",
            "message": {"type": "text", "text": {"body": "I want it in blue"}},
        },
    )
    revoked = inbound("wamid.REVOKE", 1749416393, "revoke", {"original_message_id": "wamid.SECOND"})
    async with httpx.AsyncClient(base_url=server.url) as http:
        for payload in (first, second):
            await deliver(http, payload)
        await all_processed(database, 2)
        conversation_id = await the_conversation(server)
        async with subscribed(
            server.ws_url, tenant.token, CHANGED, {"c": conversation_id}
        ) as changes:
            await asyncio.sleep(0.1)
            for payload in (edited, revoked, revoked):
                await deliver(http, payload)
            announced = [(await changes.next_data())["data"]["messageChanged"] for _ in range(2)]
            await all_processed(database, 5)
            # Meta's retry of the deletion changes nothing and is not announced again.
            with pytest.raises(TimeoutError):
                await changes.receive(timeout=0.5)

    page = await client.data(AS_NOW, {"c": conversation_id}, token=tenant.token)
    nodes = {edge["node"]["wamid"]: edge["node"] for edge in page["messages"]["edges"]}
    assert set(nodes) == {"wamid.FIRST", "wamid.SECOND"}
    assert nodes["wamid.FIRST"]["content"] == {
        "__typename": "TextContent",
        "body": "I want it in blue",
    }
    assert nodes["wamid.FIRST"]["editedAt"] is not None
    assert nodes["wamid.SECOND"]["content"]["__typename"] == "DeletedContent"
    assert [change["change"] for change in announced] == ["EDITED", "DELETED"]
