"""organization, user and organizationCreate."""

from __future__ import annotations

from domain.accounts.model import Role
from tests.support import PASSWORD, GraphQLClient, RunningServer, add_user, create_tenant

ORGANIZATION_CREATE = """
mutation Create($input: OrganizationCreateInput!) {
  organizationCreate(input: $input) {
    __typename
    ... on OrganizationCreateSuccess { organization { id name language } owner { email role } }
    ... on Error { message code }
  }
}
"""
USERS_PAGE = """
query Page($first: Int, $after: String, $all: Boolean!) {
  organization { name users(first: $first, after: $after, includeDeactivated: $all) {
    edges { cursor node { email isActive } } pageInfo { hasNextPage endCursor } } }
}
"""


def organization_input(email: str) -> dict[str, dict[str, object]]:
    return {
        "input": {
            "name": "Globex",
            "ownerEmail": email,
            "ownerName": "Hank",
            "ownerPassword": PASSWORD,
        }
    }


async def test_a_superuser_creates_an_organization_whose_owner_can_sign_in(
    server: RunningServer, client: GraphQLClient
) -> None:
    platform = await create_tenant(server, client, "Platform", superuser=True)

    data = await client.data(
        ORGANIZATION_CREATE, organization_input("hank@globex.example"), token=platform.token
    )

    created = data["organizationCreate"]
    assert created["organization"]["name"] == "Globex"
    assert created["owner"] == {"email": "hank@globex.example", "role": "OWNER"}
    owner_token = await client.sign_in("hank@globex.example")
    organization = await client.data("{ organization { id name language } }", token=owner_token)
    assert organization["organization"] == created["organization"]
    assert created["organization"]["language"] == "PT_BR"


async def test_an_organization_may_talk_to_its_customers_in_english(
    server: RunningServer, client: GraphQLClient
) -> None:
    platform = await create_tenant(server, client, "Platform", superuser=True)
    english = organization_input("ann@initech.example")
    english["input"]["language"] = "EN"

    data = await client.data(ORGANIZATION_CREATE, english, token=platform.token)

    assert data["organizationCreate"]["organization"]["language"] == "EN"


async def test_an_owner_who_is_not_a_superuser_cannot_create_organizations(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")

    data = await client.data(
        ORGANIZATION_CREATE, organization_input("x@globex.example"), token=tenant.token
    )

    assert data["organizationCreate"]["__typename"] == "PermissionDeniedError"


async def test_users_are_listed_in_keyset_pages(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    for _ in range(4):
        await add_user(server, client, tenant, Role.AGENT)

    first = (await client.data(USERS_PAGE, {"first": 3, "all": False}, token=tenant.token))[
        "organization"
    ]["users"]
    after = first["pageInfo"]["endCursor"]
    second = (
        await client.data(
            USERS_PAGE, {"first": 3, "after": after, "all": False}, token=tenant.token
        )
    )["organization"]["users"]

    emails = [e["node"]["email"] for e in first["edges"] + second["edges"]]
    assert len(emails) == len(set(emails)) == 5
    assert first["pageInfo"]["hasNextPage"] is True
    assert second["pageInfo"]["hasNextPage"] is False


async def test_page_sizes_are_capped(server: RunningServer, client: GraphQLClient) -> None:
    tenant = await create_tenant(server, client, "Acme")

    body = await client.execute(USERS_PAGE, {"first": 101, "all": False}, token=tenant.token)

    assert body["errors"][0]["extensions"] == {"code": "INVALID_INPUT", "field": "first"}


async def test_a_forged_cursor_is_invalid_input(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")

    body = await client.execute(USERS_PAGE, {"after": "garbage!", "all": False}, token=tenant.token)

    assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


async def test_user_by_id_is_null_when_absent(server: RunningServer, client: GraphQLClient) -> None:
    tenant = await create_tenant(server, client, "Acme")
    query = "query($id: ID!) { user(id: $id) { email } }"

    mine = await client.data(query, {"id": str(tenant.owner.id)}, token=tenant.token)
    absent = await client.data(
        query, {"id": "00000000-0000-0000-0000-000000000000"}, token=tenant.token
    )

    assert mine["user"]["email"] == tenant.owner.email
    assert absent["user"] is None


UPDATE = """
mutation($input: OrganizationUpdateInput!) {
  organizationUpdate(input: $input) {
    __typename
    ... on OrganizationUpdateSuccess {
      organization { name language timeZone businessHours segment }
    }
    ... on ValidationError { field message }
    ... on Error { code }
  }
}
"""
HOURS = {
    "timeZone": "America/Sao_Paulo",
    "weekly": {
        "monday": [["09:00", "12:00"], ["13:00", "18:00"]],
        "saturday": [["09:00", "13:00"]],
    },
    "holidays": ["2026-12-25"],
}


async def test_the_profile_holds_time_zone_hours_and_kind_of_business(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    _, agent = await add_user(server, client, tenant, Role.AGENT)

    updated = await client.data(
        UPDATE,
        {
            "input": {
                "name": "Acme Calçados",
                "timeZone": "America/Recife",
                "businessHours": HOURS,
                "segment": "RETAIL",
            }
        },
        token=tenant.token,
    )
    read = await client.data(
        "{ organization { name language timeZone businessHours segment } }", token=tenant.token
    )
    bad_zone = await client.data(
        UPDATE, {"input": {"timeZone": "Mars/Olympus"}}, token=tenant.token
    )
    bad_hours = await client.data(
        UPDATE,
        {"input": {"businessHours": {"weekly": {"monday": [["18:00", "09:00"]]}}}},
        token=tenant.token,
    )
    as_agent = await client.data(UPDATE, {"input": {"name": "Mine"}}, token=agent)

    expected = {
        "name": "Acme Calçados",
        "language": "PT_BR",
        "timeZone": "America/Recife",
        "businessHours": HOURS,
        "segment": "RETAIL",
    }
    assert updated["organizationUpdate"]["organization"] == expected
    assert read["organization"] == expected
    assert bad_zone["organizationUpdate"] == {
        "__typename": "ValidationError",
        "field": "timeZone",
        "message": "'Mars/Olympus' is not an IANA time zone (such as America/Sao_Paulo)",
        "code": "INVALID_INPUT",
    }
    assert bad_hours["organizationUpdate"]["field"] == "businessHours"
    assert "closes before it opens" in bad_hours["organizationUpdate"]["message"]
    assert as_agent["organizationUpdate"]["code"] == "FORBIDDEN"
