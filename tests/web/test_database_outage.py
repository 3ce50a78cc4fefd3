"""A PostgreSQL outage during ingestion loses nothing: Meta is told 503, retries, and every
message is applied once the database is back. The outage is real: the connection to the
database is cut, not mocked."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from domain.accounts.model import Actor
from domain.whatsapp.numbers import NumberDetails
from persistence.database import Database
from persistence.models.conversations import MessageRow
from tests.conftest import fresh_postgres_database
from tests.meta_payloads import INBOUND_TEXT, PHONE_NUMBER_ID, WABA_ID, meta_bytes
from tests.support import (
    WEBHOOK_APP_SECRET,
    GraphQLClient,
    RunningServer,
    create_tenant,
    make_settings,
    own_postgres_url,
    running_server,
)
from tests.tcp_proxy import CuttableProxy
from web.whatsapp.signature import sign

DATABASE_URL = own_postgres_url("outage")


@pytest.fixture
async def proxy() -> AsyncIterator[CuttableProxy]:
    url = make_url(await fresh_postgres_database(DATABASE_URL))
    proxy = CuttableProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    yield proxy
    await proxy.cut()


def signed(wamid: str) -> tuple[bytes, str]:
    payload = copy.deepcopy(INBOUND_TEXT)
    payload["entry"][0]["changes"][0]["value"]["messages"][0]["id"] = wamid
    body = meta_bytes(payload)
    return body, sign(WEBHOOK_APP_SECRET, body)


async def post(http: httpx.AsyncClient, wamid: str) -> int:
    body, signature = signed(wamid)
    response = await http.post(
        "/api/v1/whatsapp/webhook", content=body, headers={"x-hub-signature-256": signature}
    )
    return response.status_code


async def stored_messages(url: str) -> int:
    database = Database(url)
    try:
        async with database.session() as session:
            return int(await session.scalar(select(func.count()).select_from(MessageRow)) or 0)
    finally:
        await database.dispose()


async def test_an_outage_is_answered_503_and_every_retried_message_arrives(
    proxy: CuttableProxy,
) -> None:
    through_proxy = make_url(DATABASE_URL).set(port=proxy.port).render_as_string(False)
    async with running_server(make_settings(through_proxy)) as server:
        await connect_number(server)
        async with httpx.AsyncClient(base_url=server.url) as http:
            before = [await post(http, f"wamid.BEFORE.{n}") for n in range(5)]
            await proxy.cut()
            during = {f"wamid.DURING.{n}": await post(http, f"wamid.DURING.{n}") for n in range(5)}
            await proxy.start()
            retried = [await post(http, wamid) for wamid, code in during.items() if code != 200]
            for _ in range(200):
                if await stored_messages(DATABASE_URL) >= 10:
                    break
                await asyncio.sleep(0.05)

    assert before == [200] * 5
    assert set(during.values()) == {503}
    assert retried == [200] * 5
    assert await stored_messages(DATABASE_URL) == 10


async def connect_number(server: RunningServer) -> str:
    client = GraphQLClient(server.url)
    tenant = await create_tenant(server, client, "Acme")
    await server.runtime.services.numbers.create(
        Actor.of(tenant.owner, None), PHONE_NUMBER_ID, WABA_ID, NumberDetails(access_token="t")
    )
    await client.close()
    return tenant.token


async def test_a_stalled_database_link_is_answered_503_within_the_statement_timeout(
    proxy: CuttableProxy,
) -> None:
    """The link stays open but carries nothing: requests do not wait for it for ever."""
    through_proxy = make_url(DATABASE_URL).set(port=proxy.port).render_as_string(False)
    settings = make_settings(through_proxy, database_statement_timeout_seconds=1.0)
    async with running_server(settings) as server:
        token = await connect_number(server)
        # Without a statement timeout these requests wait for as long as the link stalls.
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
            # The webhook's pool then holds a connection that the stall catches mid-statement.
            before = await post(http, "wamid.BEFORE")
            proxy.stall()
            me = await http.post(
                "/graphql",
                json={"query": "{ me { id } }"},
                headers={"authorization": f"Bearer {token}"},
            )
            webhook = await post(http, "wamid.STALLED")
            proxy.resume()
            after = await post(http, "wamid.AFTER")

    assert before == 200
    assert me.status_code == 503
    assert me.headers["retry-after"]
    assert me.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert webhook == 503
    assert after == 200
