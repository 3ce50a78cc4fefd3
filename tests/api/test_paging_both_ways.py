"""Every list pages both ways: walking it backwards with `last`/`before` from its end visits
the same items, in the same order, as walking it forwards with `first`/`after`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from domain.accounts.model import Actor, Role
from domain.whatsapp.numbers import NumberDetails
from tests.api.test_flows import create_flow
from tests.api.test_queues_api import ENQUEUE, customer_writes, save
from tests.support import GraphQLClient, RunningServer, Tenant, add_user, create_tenant

PAGE_INFO = "pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"
LISTS = {
    "users": f"""
        query($first: Int, $after: String, $last: Int, $before: String) {{
          organization {{ users(first: $first, after: $after, last: $last, before: $before) {{
            edges {{ node {{ id }} }} {PAGE_INFO} }} }} }}""",
    "conversations": f"""
        query($first: Int, $after: String, $last: Int, $before: String) {{
          conversations(first: $first, after: $after, last: $last, before: $before) {{
            edges {{ node {{ id }} }} {PAGE_INFO} }} }}""",
    "flows": f"""
        query($first: Int, $after: String, $last: Int, $before: String) {{
          flows(first: $first, after: $after, last: $last, before: $before) {{
            edges {{ node {{ id }} }} {PAGE_INFO} }} }}""",
    "queueItems": f"""
        query($queue: ID!, $first: Int, $after: String, $last: Int, $before: String) {{
          queueItems(queueId: $queue, first: $first, after: $after, last: $last,
                     before: $before) {{ edges {{ node {{ id }} }} {PAGE_INFO} }} }}""",
}
ITEMS = 5


async def five_users(server: RunningServer, client: GraphQLClient, tenant: Tenant) -> None:
    for _ in range(ITEMS - 1):
        await add_user(server, client, tenant, Role.AGENT)


async def five_flows(server: RunningServer, client: GraphQLClient, tenant: Tenant) -> None:
    for index in range(ITEMS):
        await create_flow(client, tenant, name=f"Flow {index}", kind="KEYWORD")


async def conversations_of(server: RunningServer, tenant: Tenant) -> list[str]:
    await server.runtime.services.numbers.create(
        Actor.of(tenant.owner, None), "106540352242922", "1", NumberDetails(access_token="t")
    )
    return [str(await customer_writes(server, f"551199999030{index}")) for index in range(ITEMS)]


async def five_conversations(server: RunningServer, client: GraphQLClient, tenant: Tenant) -> None:
    await conversations_of(server, tenant)


async def five_queue_items(
    server: RunningServer, client: GraphQLClient, tenant: Tenant
) -> dict[str, Any]:
    queue = (await save(client, tenant.token, name="Suporte"))["queue"]["id"]
    for conversation in await conversations_of(server, tenant):
        await client.data(ENQUEUE, {"c": conversation, "q": queue}, token=tenant.token)
    return {"queue": queue}


Seed = Callable[[RunningServer, GraphQLClient, Tenant], Awaitable[dict[str, Any] | None]]
SEEDS: dict[str, Seed] = {
    "users": five_users,
    "conversations": five_conversations,
    "flows": five_flows,
    "queueItems": five_queue_items,
}


def connection_of(name: str, data: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = data["organization"]["users"] if name == "users" else data[name]
    return found


async def walk(
    client: GraphQLClient, tenant: Tenant, name: str, extra: dict[str, Any], backwards: bool
) -> tuple[list[str], list[dict[str, Any]]]:
    ids: list[str] = []
    infos: list[dict[str, Any]] = []
    cursor = None
    while True:
        variables = {"last": 2, "before": cursor} if backwards else {"first": 2, "after": cursor}
        page = connection_of(
            name, await client.data(LISTS[name], {**extra, **variables}, token=tenant.token)
        )
        page_ids = [edge["node"]["id"] for edge in page["edges"]]
        ids = page_ids + ids if backwards else ids + page_ids
        info = page["pageInfo"]
        infos.append(info)
        more = info["hasPreviousPage"] if backwards else info["hasNextPage"]
        if not more:
            return ids, infos
        cursor = info["startCursor"] if backwards else info["endCursor"]


@pytest.mark.parametrize("name", sorted(LISTS))
async def test_a_list_walked_backwards_visits_what_forwards_visits(
    server: RunningServer, client: GraphQLClient, name: str
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    extra = await SEEDS[name](server, client, tenant) or {}

    forwards, _ = await walk(client, tenant, name, extra, backwards=False)
    backwards, pages = await walk(client, tenant, name, extra, backwards=True)

    assert len(forwards) == ITEMS
    assert backwards == forwards
    assert len(pages) == 3, "5 items in pages of 2"
    assert pages[0]["hasNextPage"] is False, "the last page backwards from the end is the end"
    assert all(page["hasNextPage"] for page in pages[1:])


async def test_both_directions_at_once_are_refused(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")

    body = await client.execute(LISTS["flows"], {"first": 2, "last": 2}, token=tenant.token)

    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "INVALID_INPUT", "field": "last"}
