"""whatsappNumbers and whatsappNumberCreate/Update/Delete."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from domain.accounts.model import Role
from domain.secrets import SecretBox
from persistence.database import Database
from persistence.models.whatsapp import WhatsAppNumberRow
from tests.support import (
    TEST_SECRET,
    GraphQLClient,
    RunningServer,
    add_user,
    create_tenant,
    make_settings,
    running_server,
)
from web.whatsapp.simulator import Simulator

NUMBER_FIELDS = """
fragment NumberFields on WhatsAppNumber {
  id phoneNumberId wabaId displayPhoneNumber messagesPerSecond healthy hasAppSecret
}
"""
CREATE = (
    """
mutation($input: WhatsAppNumberCreateInput!) {
  whatsappNumberCreate(input: $input) {
    __typename
    ... on WhatsAppNumberCreateSuccess { number { ...NumberFields } }
    ... on Error { message code }
    ... on ValidationError { field }
  }
}
"""
    + NUMBER_FIELDS
)
UPDATE = (
    """
mutation($input: WhatsAppNumberUpdateInput!) {
  whatsappNumberUpdate(input: $input) {
    __typename
    ... on WhatsAppNumberUpdateSuccess { number { ...NumberFields } }
    ... on Error { code }
  }
}
"""
    + NUMBER_FIELDS
)
DELETE = """
mutation($id: ID!) {
  whatsappNumberDelete(input: {id: $id}) {
    __typename ... on WhatsAppNumberDeleteSuccess { deletedId } ... on Error { code }
  }
}
"""
LIST = "{ whatsappNumbers { ...NumberFields } }" + NUMBER_FIELDS


def number_input(**overrides: Any) -> dict[str, Any]:
    values = {
        "phoneNumberId": "106540352242922",
        "wabaId": "102290129340398",
        "displayPhoneNumber": "+1 555-078-3881",
        "accessToken": "EAAG-secret-access-token",
        "appSecret": "app-secret-value",
    }
    values.update(overrides)
    return {"input": values}


async def test_a_connected_number_is_listed_without_its_credentials(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")

    created = await client.data(CREATE, number_input(), token=tenant.token)
    listed = await client.data(LIST, token=tenant.token)

    number = created["whatsappNumberCreate"]["number"]
    assert listed["whatsappNumbers"] == [number]
    assert number["messagesPerSecond"] == 80
    assert number["hasAppSecret"] is True
    introspected = await client.data(
        '{ __type(name: "WhatsAppNumber") { fields { name } } }', token=tenant.token
    )
    names = {field["name"] for field in introspected["__type"]["fields"]}
    assert not names & {"accessToken", "appSecret", "verifyToken"}


async def test_credentials_are_stored_encrypted(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    await client.data(CREATE, number_input(), token=tenant.token)

    async with server.runtime.database.session() as session:
        row = (await session.scalars(select(WhatsAppNumberRow))).one()

    assert "EAAG" not in row.access_token_sealed
    assert SecretBox(TEST_SECRET).open(row.access_token_sealed) == "EAAG-secret-access-token"
    assert row.app_secret_sealed is not None
    assert SecretBox(TEST_SECRET).open(row.app_secret_sealed) == "app-secret-value"


async def test_a_phone_number_id_is_connected_once_across_organizations(
    server: RunningServer, client: GraphQLClient
) -> None:
    acme = await create_tenant(server, client, "Acme")
    globex = await create_tenant(server, client, "Globex")
    await client.data(CREATE, number_input(), token=acme.token)

    taken = await client.data(CREATE, number_input(), token=globex.token)

    assert taken["whatsappNumberCreate"]["__typename"] == "ConflictError"
    assert "Acme" not in str(taken)


async def test_a_disconnected_number_can_be_connected_again(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    first = await client.data(CREATE, number_input(), token=tenant.token)
    number_id = first["whatsappNumberCreate"]["number"]["id"]

    deleted = await client.data(DELETE, {"id": number_id}, token=tenant.token)
    again = await client.data(CREATE, number_input(), token=tenant.token)

    assert deleted["whatsappNumberDelete"]["deletedId"] == number_id
    assert again["whatsappNumberCreate"]["__typename"] == "WhatsAppNumberCreateSuccess"
    listed = await client.data(LIST, token=tenant.token)
    assert [n["id"] for n in listed["whatsappNumbers"]] == [
        again["whatsappNumberCreate"]["number"]["id"]
    ]


async def test_update_changes_limits_and_removes_an_app_secret(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    created = await client.data(CREATE, number_input(), token=tenant.token)
    number_id = created["whatsappNumberCreate"]["number"]["id"]

    updated = await client.data(
        UPDATE,
        {"input": {"id": number_id, "messagesPerSecond": 20, "appSecret": ""}},
        token=tenant.token,
    )

    number = updated["whatsappNumberUpdate"]["number"]
    assert number["messagesPerSecond"] == 20
    assert number["hasAppSecret"] is False


async def test_invalid_numbers_are_refused_field_by_field(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")

    cases = {
        "phoneNumberId": number_input(phoneNumberId="+1 555"),
        "wabaId": number_input(wabaId="abc"),
        "accessToken": number_input(accessToken="   "),
        "messagesPerSecond": number_input(messagesPerSecond=5000),
    }
    for field, variables in cases.items():
        data = await client.data(CREATE, variables, token=tenant.token)
        assert data["whatsappNumberCreate"]["__typename"] == "ValidationError", field
        assert data["whatsappNumberCreate"]["field"] == field


async def test_agents_see_numbers_but_cannot_connect_them(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    _, agent_token = await add_user(server, client, tenant, Role.AGENT)
    await client.data(CREATE, number_input(), token=tenant.token)

    listed = await client.data(LIST, token=agent_token)
    refused = await client.data(CREATE, number_input(phoneNumberId="999"), token=agent_token)

    assert len(listed["whatsappNumbers"]) == 1
    assert refused["whatsappNumberCreate"]["__typename"] == "PermissionDeniedError"


CHECK = """
query($id: ID!) {
  whatsappNumberCheck(id: $id) { ok checks { name ok message } }
}
"""


async def test_a_connectivity_test_says_what_works_and_what_to_fix(
    server: RunningServer, client: GraphQLClient, simulator: tuple[Simulator, str]
) -> None:
    fake, _ = simulator
    tenant = await create_tenant(server, client, "Acme")
    created = await client.data(
        CREATE, number_input(appSecret=None, verifyToken=None), token=tenant.token
    )
    number_id = created["whatsappNumberCreate"]["number"]["id"]

    working = await client.data(CHECK, {"id": number_id}, token=tenant.token)
    webhook_url = fake.config.webhook_url
    fake.config.webhook_url = None
    unsubscribed = await client.data(CHECK, {"id": number_id}, token=tenant.token)
    fake.config.webhook_url = webhook_url
    fake.config.access_token = "another-token"
    refused = await client.data(CHECK, {"id": number_id}, token=tenant.token)
    missing = await client.data(
        CHECK, {"id": "00000000-0000-0000-0000-000000000000"}, token=tenant.token
    )

    checks = {c["name"]: c for c in working["whatsappNumberCheck"]["checks"]}
    assert working["whatsappNumberCheck"]["ok"] is True
    assert list(checks) == ["ACCESS_TOKEN", "WEBHOOK_SUBSCRIPTION", "APP_SECRET", "VERIFY_TOKEN"]
    assert checks["ACCESS_TOKEN"]["message"] == (
        "The access token works: Meta answered for 15550001111 (PyTake Simulator)."
    )
    assert checks["WEBHOOK_SUBSCRIPTION"]["message"] == (
        "WhatsApp account 102290129340398 sends its webhooks to: PyTake Simulator app."
    )
    assert (
        "installation's app secret (PYTAKE_WHATSAPP_APP_SECRET)" in checks["APP_SECRET"]["message"]
    )
    assert f"callback URL {server.url}/api/v1/whatsapp/webhook" in checks["VERIFY_TOKEN"]["message"]
    assert unsubscribed["whatsappNumberCheck"]["ok"] is False
    assert unsubscribed["whatsappNumberCheck"]["checks"][1]["message"].startswith(
        "No app is subscribed to the webhooks of WhatsApp account 102290129340398"
    )
    token_check, subscription_check = refused["whatsappNumberCheck"]["checks"][:2]
    assert token_check["ok"] is False
    assert token_check["message"].startswith("Meta refused the access token")
    assert "create a new one" in token_check["message"]
    assert subscription_check == {
        "name": "WEBHOOK_SUBSCRIPTION",
        "ok": False,
        "message": "Not checked: the access token must work first.",
    }
    assert missing["whatsappNumberCheck"] is None


async def test_without_app_secret_or_verify_token_the_test_says_where_to_set_them(
    database: Database, simulator: tuple[Simulator, str]
) -> None:
    _, simulator_url = simulator
    settings = make_settings(
        str(database.url.render_as_string(hide_password=False)),
        whatsapp_graph_url=simulator_url,
        whatsapp_app_secret=None,
        whatsapp_verify_token=None,
        public_url="https://pytake.acme.example",
    )
    async with running_server(settings) as server:
        client = GraphQLClient(server.url)
        tenant = await create_tenant(server, client, "Acme")
        created = await client.data(
            CREATE, number_input(appSecret=None, verifyToken=None), token=tenant.token
        )
        number_id = created["whatsappNumberCreate"]["number"]["id"]
        _, agent = await add_user(server, client, tenant, Role.AGENT)
        checked = await client.data(CHECK, {"id": number_id}, token=tenant.token)
        as_agent = await client.execute(CHECK, {"id": number_id}, token=agent)
        await client.close()

    checks = {c["name"]: c for c in checked["whatsappNumberCheck"]["checks"]}
    assert checks["APP_SECRET"] == {
        "name": "APP_SECRET",
        "ok": False,
        "message": "No app secret is set: PyTake refuses this number's webhooks until one is "
        "saved on the number (or PYTAKE_WHATSAPP_APP_SECRET is set).",
    }
    assert checks["VERIFY_TOKEN"]["ok"] is False
    assert (
        "https://pytake.acme.example/api/v1/whatsapp/webhook" in checks["VERIFY_TOKEN"]["message"]
    )
    assert as_agent["errors"][0]["extensions"]["code"] == "FORBIDDEN"
