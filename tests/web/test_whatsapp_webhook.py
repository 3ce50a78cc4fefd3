"""The webhook endpoint: Meta's handshake, signatures on raw bytes, and what is stored."""

from __future__ import annotations

import copy
import json
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from domain.accounts.model import Actor
from domain.whatsapp.numbers import NumberDetails
from persistence.database import Database
from persistence.models.conversations import MessageRow
from persistence.models.ingestion import WebhookDeliveryRow
from tests.meta_payloads import INBOUND_TEXT, PHONE_NUMBER_ID, WABA_ID, meta_bytes
from tests.support import (
    WEBHOOK_APP_SECRET,
    WEBHOOK_VERIFY_TOKEN,
    GraphQLClient,
    RunningServer,
    create_tenant,
    eventually,
    make_settings,
    running_server,
)
from web.whatsapp.signature import sign

WEBHOOK = "/api/v1/whatsapp/webhook"


async def post(server: RunningServer, body: bytes, signature: str | None) -> httpx.Response:
    headers = {"content-type": "application/json"}
    if signature is not None:
        headers["x-hub-signature-256"] = signature
    async with httpx.AsyncClient(base_url=server.url) as http:
        return await http.post(WEBHOOK, content=body, headers=headers)


async def stored(database: Database) -> list[str]:
    async with database.session() as session:
        return list(
            await session.scalars(select(WebhookDeliveryRow.body).order_by(WebhookDeliveryRow.id))
        )


async def test_the_handshake_echoes_the_challenge_for_the_configured_token(
    server: RunningServer,
) -> None:
    params = {
        "hub.mode": "subscribe",
        "hub.challenge": "1158201444",
        "hub.verify_token": WEBHOOK_VERIFY_TOKEN,
    }
    async with httpx.AsyncClient(base_url=server.url) as http:
        accepted = await http.get(WEBHOOK, params=params)
        wrong_token = await http.get(WEBHOOK, params={**params, "hub.verify_token": "guess"})
        wrong_mode = await http.get(WEBHOOK, params={**params, "hub.mode": "unsubscribe"})

    assert accepted.status_code == 200
    assert accepted.text == "1158201444"
    assert accepted.headers["content-type"].startswith("text/plain")
    assert wrong_token.status_code == 403
    assert wrong_mode.status_code == 403


async def test_a_numbers_own_verify_token_also_answers_the_handshake(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    await server.runtime.services.numbers.create(
        Actor.of(tenant.owner, None),
        PHONE_NUMBER_ID,
        WABA_ID,
        NumberDetails(access_token="t", verify_token="number-own-token"),
    )
    params = {
        "hub.mode": "subscribe",
        "hub.challenge": "42",
        "hub.verify_token": "number-own-token",
    }

    async with httpx.AsyncClient(base_url=server.url) as http:
        response = await http.get(WEBHOOK, params=params)

    assert response.status_code == 200
    assert response.text == "42"


async def test_a_signed_delivery_is_stored_byte_for_byte(
    server: RunningServer, database: Database
) -> None:
    body = meta_bytes(INBOUND_TEXT)

    response = await post(server, body, sign(WEBHOOK_APP_SECRET, body))

    assert response.status_code == 200
    assert await stored(database) == [body.decode()]


@pytest.mark.parametrize(
    ("case", "signature"),
    [
        ("missing", None),
        ("empty", "sha256="),
        ("forged", "sha256=" + "0" * 64),
        ("another secret", sign("not our app secret", meta_bytes(INBOUND_TEXT))),
        ("no prefix", sign(WEBHOOK_APP_SECRET, meta_bytes(INBOUND_TEXT)).removeprefix("sha256=")),
    ],
)
async def test_an_unsigned_or_forged_delivery_is_401_and_stores_nothing(
    server: RunningServer, database: Database, case: str, signature: str | None
) -> None:
    response = await post(server, meta_bytes(INBOUND_TEXT), signature)

    assert response.status_code == 401, case
    assert "signature" in response.json()["error"].lower() or "signed" in response.json()["error"]
    assert await stored(database) == []


async def test_a_deeply_nested_body_is_refused_by_its_signature_before_it_is_read(
    server: RunningServer, database: Database
) -> None:
    body = b"[" * 100_000 + b"]" * 100_000

    response = await post(server, body, sign("not our app secret", body))

    assert response.status_code == 401
    assert await stored(database) == []


async def test_a_re_serialised_body_fails_the_signature_of_the_original(
    server: RunningServer, database: Database
) -> None:
    payload = copy.deepcopy(INBOUND_TEXT)
    payload["entry"][0]["changes"][0]["value"]["contacts"][0]["profile"]["name"] = "José Ñuñez"
    original = meta_bytes(payload)
    re_serialised = json.dumps(json.loads(original), ensure_ascii=False).encode()

    response = await post(server, re_serialised, sign(WEBHOOK_APP_SECRET, original))

    assert original != re_serialised
    assert response.status_code == 401
    assert await stored(database) == []


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "not valid JSON"),
        (json.dumps({"object": "page", "entry": []}).encode(), "whatsapp_business_account"),
        (json.dumps({"object": "whatsapp_business_account"}).encode(), "'entry'"),
        (b'{"object": "whatsapp_business_account", "entry": ["\xff"]}', "UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'"a bare string"', "whatsapp_business_account"),
    ],
)
async def test_a_signed_but_malformed_delivery_is_400_with_the_reason(
    server: RunningServer, database: Database, body: bytes, reason: str
) -> None:
    response = await post(server, body, sign(WEBHOOK_APP_SECRET, body))

    assert response.status_code == 400
    assert reason in response.json()["error"]
    assert await stored(database) == []


async def test_a_number_of_another_meta_app_is_verified_with_its_own_secret(
    database_url: str, database: Database
) -> None:
    settings = make_settings(database_url, whatsapp_app_secret=None)
    async with running_server(settings) as server:
        client = GraphQLClient(server.url)
        tenant = await create_tenant(server, client, "Acme")
        await server.runtime.services.numbers.create(
            Actor.of(tenant.owner, None),
            PHONE_NUMBER_ID,
            WABA_ID,
            NumberDetails(access_token="t", app_secret="the number's app secret"),
        )
        body = meta_bytes(INBOUND_TEXT)
        own = await post(server, body, sign("the number's app secret", body))
        installation = await post(server, body, sign(WEBHOOK_APP_SECRET, body))
        await client.close()

    assert own.status_code == 200
    assert installation.status_code == 401
    assert len(await stored(database)) == 1


async def test_an_oversized_delivery_is_413(server: RunningServer, database: Database) -> None:
    body = (
        b'{"object":"whatsapp_business_account","entry":[],"pad":"'
        + b"x" * (4 * 1024 * 1024)
        + b'"}'
    )

    response = await post(server, body, sign(WEBHOOK_APP_SECRET, body))

    assert response.status_code == 413
    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(WebhookDeliveryRow)) == 0


async def test_a_delivery_is_503_when_the_database_is_down_so_meta_retries() -> None:
    settings = make_settings("postgresql+asyncpg://postgres@127.0.0.1:1/pytake")
    async with running_server(settings) as server:
        body = meta_bytes(INBOUND_TEXT)
        response = await post(server, body, sign(WEBHOOK_APP_SECRET, body))

    assert response.status_code == 503
    assert "database is unavailable" in response.json()["error"]


def changes_for(*phone_number_ids: str) -> dict[str, object]:
    """One body with a text message for each number, as a hostile tenant would batch them."""
    body = copy.deepcopy(INBOUND_TEXT)
    template = body["entry"][0]["changes"][0]
    body["entry"][0]["changes"] = []
    for index, phone_number_id in enumerate(phone_number_ids):
        change = copy.deepcopy(template)
        change["value"]["metadata"]["phone_number_id"] = phone_number_id
        change["value"]["messages"][0]["id"] = f"wamid.forged-{index}"
        body["entry"][0]["changes"].append(change)
    return body


async def test_a_tenant_cannot_sign_customer_messages_into_another_tenants_inbox(
    database_url: str, database: Database
) -> None:
    """Acme sets its own number's secret and signs one body holding a change for Globex's
    number beside one for its own: only Acme's change is applied."""
    settings = make_settings(database_url, whatsapp_app_secret=None)
    async with running_server(settings) as server:
        client = GraphQLClient(server.url)
        numbers = server.runtime.services.numbers
        acme = await create_tenant(server, client, "Acme")
        globex = await create_tenant(server, client, "Globex")
        await numbers.create(
            Actor.of(acme.owner, None),
            "1001",
            WABA_ID,
            NumberDetails(access_token="t", app_secret="acme's"),
        )
        await numbers.create(
            Actor.of(globex.owner, None),
            "2002",
            "2",
            NumberDetails(access_token="t", app_secret="globex's"),
        )
        body = meta_bytes(changes_for("2002", "1001"))

        forged = await post(server, body, sign("acme's", body))
        await eventually(lambda: processed(database), what="the delivery processed")
        await client.close()

    assert forged.status_code == 200
    notes = await processed(database)
    assert notes is not None
    assert notes["unsignedNumbers"] == ["2002"]
    assert notes["messagesStored"] == 1
    async with database.session() as session:
        stored_for = await session.scalars(
            select(MessageRow.organization_id).where(MessageRow.wamid.like("wamid.forged-%"))
        )
        assert list(stored_for) == [acme.organization_id]


async def processed(database: Database) -> dict[str, Any] | None:
    async with database.session() as session:
        row = await session.scalar(select(WebhookDeliveryRow))
    return row.notes if row is not None and row.status == "processed" else None
