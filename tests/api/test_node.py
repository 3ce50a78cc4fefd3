"""`node(id:)`: any object refetched by its id alone, as the caller may see it."""

from __future__ import annotations

import uuid

from domain.accounts.model import Actor, Role
from domain.whatsapp.numbers import NumberDetails
from tests.api.test_flows import create_flow
from tests.api.test_queues_api import customer_writes, save
from tests.support import GraphQLClient, RunningServer, add_user, create_tenant

NODE = "query($id: ID!) { node(id: $id) { __typename id } }"


async def test_each_kind_of_object_is_refetched_by_its_id_alone(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    await server.runtime.services.numbers.create(
        Actor.of(tenant.owner, None), "106540352242922", "1", NumberDetails(access_token="t")
    )
    conversation = str(await customer_writes(server, "5511999990202"))
    queue = (await save(client, tenant.token, name="Suporte"))["queue"]["id"]
    flow = (await create_flow(client, tenant, name="Welcome", kind="UNIVERSAL"))["flow"]["id"]
    objects = {
        "Conversation": conversation,
        "Queue": queue,
        "Flow": flow,
        "User": str(tenant.owner.id),
    }

    found = {
        kind: (await client.data(NODE, {"id": object_id}, token=tenant.token))["node"]
        for kind, object_id in objects.items()
    }

    assert found == {
        kind: {"__typename": kind, "id": object_id} for kind, object_id in objects.items()
    }


async def test_an_unknown_id_or_one_the_caller_may_not_read_is_null(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    _, agent_token = await add_user(server, client, tenant, Role.AGENT)
    flow = (await create_flow(client, tenant, name="Welcome", kind="UNIVERSAL"))["flow"]["id"]

    unknown = await client.data(NODE, {"id": str(uuid.uuid4())}, token=tenant.token)
    flow_for_an_agent = await client.data(NODE, {"id": flow}, token=agent_token)

    assert unknown == {"node": None}
    assert flow_for_an_agent == {"node": None}, "flows are for supervisors and up"
