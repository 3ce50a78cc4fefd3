"""Queues and agents over GraphQL: setting up, who may do what, the live assignment an agent
receives, the queue's stream, the monitor, the dashboard and finishing a conversation."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

from sqlalchemy import select

from domain.accounts.model import Actor, Role, User
from domain.ingestion.ingest import InboundService
from domain.whatsapp.numbers import NumberDetails
from persistence.database import Database
from persistence.models.conversations import ConversationRow
from tests.support import (
    GraphQLClient,
    RunningServer,
    Tenant,
    add_user,
    counting_statements,
    create_tenant,
    eventually,
    make_settings,
    running_server,
    subscribed,
)
from tests.web.test_webhook_ingestion import text_message

SAVE = """
mutation($input: QueueInput!, $update: Boolean!) {
  create: queueCreate(input: $input) @skip(if: $update) { ...Saved }
  update: queueUpdate(input: $input) @include(if: $update) { ...Saved }
}
fragment Saved on QueueSavePayload {
  __typename
  ... on QueueSaveSuccess { queue { id name strategy workingHours requiredSkills
    messages { welcome } } }
  ... on ValidationError { field message }
  ... on ConflictError { message }
  ... on PermissionDeniedError { code }
}
"""
AGENT_UPDATE = """
mutation($input: AgentUpdateInput!) { agentUpdate(input: $input) {
  __typename ... on AgentSuccess { agent { capacity skills queueIds load status } } } }
"""
STATUS = """
mutation($input: AgentStatusUpdateInput!) { agentStatusUpdate(input: $input) {
  __typename ... on AgentSuccess { agent { status statusHistory { status } } }
  ... on PermissionDeniedError { code } } }
"""


async def save(
    client: GraphQLClient, token: str, update: bool = False, **fields: Any
) -> dict[str, Any]:
    data = await client.data(SAVE, {"input": fields, "update": update}, token=token)
    result: dict[str, Any] = data["update" if update else "create"]
    return result


async def staffed_queue(
    server: RunningServer, client: GraphQLClient, tenant: Tenant, capacity: int
) -> tuple[dict[str, Any], User, str]:
    """A "Support" queue with one online agent; the queue, the agent and their token."""
    agent, agent_token = await add_user(server, client, tenant, Role.AGENT)
    queue: dict[str, Any] = (await save(client, tenant.token, name="Support"))["queue"]
    await client.data(
        AGENT_UPDATE,
        {"input": {"userId": str(agent.id), "capacity": capacity, "queueIds": [queue["id"]]}},
        token=tenant.token,
    )
    await client.data(STATUS, {"input": {"status": "ONLINE"}}, token=agent_token)
    return queue, agent, agent_token


async def customer_writes(server: RunningServer, wa_id: str, name: str | None = None) -> uuid.UUID:
    runtime = server.runtime
    inbound = InboundService(runtime.unit_of_work, runtime.clock, runtime.flow_runner)
    payload = text_message(f"wamid.{wa_id}", sender=wa_id, at=int(time.time()))
    if name is not None:
        payload["entry"][0]["changes"][0]["value"]["contacts"][0]["profile"]["name"] = name
    await inbound.apply(payload)
    async with runtime.database.engine.connect() as connection:
        found = await connection.scalar(
            select(ConversationRow.id).order_by(ConversationRow.created_at.desc()).limit(1)
        )
    return uuid.UUID(str(found))


async def test_supervisors_set_queues_and_agents_up_and_bad_input_is_named(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    agent, agent_token = await add_user(server, client, tenant, Role.AGENT)
    hours = {"timeZone": "America/Sao_Paulo", "weekly": {"monday": [["09:00", "18:00"]]}}

    created = await save(
        client,
        tenant.token,
        name="Suporte",
        strategy="ROUND_ROBIN",
        workingHours=hours,
        requiredSkills=["PT", "pt", " billing "],
        messages={"welcome": "Você está na fila."},
    )
    queue = created["queue"]
    renamed = await save(client, tenant.token, update=True, id=queue["id"], name="Support")
    duplicate = await save(client, tenant.token, name="support")
    bad_hours = await save(
        client, tenant.token, name="Night", workingHours={"timeZone": "Mars/Olympus"}
    )
    as_agent = await save(client, agent_token, name="Mine")
    updated = await client.data(
        AGENT_UPDATE,
        {
            "input": {
                "userId": str(agent.id),
                "capacity": 4,
                "skills": ["pt"],
                "queueIds": [queue["id"]],
            }
        },
        token=tenant.token,
    )
    own = await client.data(STATUS, {"input": {"status": "ONLINE"}}, token=agent_token)
    others = await client.data(
        STATUS,
        {"input": {"status": "OFFLINE", "userId": str(tenant.owner.id)}},
        token=agent_token,
    )

    assert queue["strategy"] == "ROUND_ROBIN"
    assert queue["workingHours"] == {**hours, "holidays": []}
    assert queue["requiredSkills"] == ["pt", "billing"]
    assert queue["messages"] == {"welcome": "Você está na fila."}
    assert renamed["queue"]["name"] == "Support"
    assert renamed["queue"]["strategy"] == "ROUND_ROBIN"
    assert duplicate == {
        "__typename": "ConflictError",
        "message": "there is already a queue named 'Support'",
    }
    assert bad_hours["__typename"] == "ValidationError"
    assert bad_hours["field"] == "workingHours"
    assert "'Mars/Olympus' is not an IANA time zone" in bad_hours["message"]
    assert as_agent == {"__typename": "PermissionDeniedError", "code": "FORBIDDEN"}
    assert updated["agentUpdate"]["agent"] == {
        "capacity": 4,
        "skills": ["pt"],
        "queueIds": [queue["id"]],
        "load": 0,
        "status": "OFFLINE",
    }
    assert own["agentStatusUpdate"]["agent"]["status"] == "ONLINE"
    assert own["agentStatusUpdate"]["agent"]["statusHistory"] == [{"status": "ONLINE"}]
    assert others["agentStatusUpdate"] == {
        "__typename": "PermissionDeniedError",
        "code": "FORBIDDEN",
    }


async def test_an_agent_receives_the_conversation_live_and_the_supervisor_watches_the_queue(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    await server.runtime.services.numbers.create(
        Actor.of(tenant.owner, None),
        "106540352242922",
        "102290129340398",
        NumberDetails(access_token="t"),
    )
    agent, agent_token = await add_user(server, client, tenant, Role.AGENT)
    queue = (await save(client, tenant.token, name="Support"))["queue"]
    await client.data(
        AGENT_UPDATE,
        {"input": {"userId": str(agent.id), "capacity": 1, "queueIds": [queue["id"]]}},
        token=tenant.token,
    )
    watch = (
        "subscription($q: ID!) { queueUpdated(queueId: $q) { change status priority "
        "item { position } } }"
    )
    inbox = "subscription { assignmentReceived { change conversation { id owner } } }"
    async with (
        subscribed(server.ws_url, tenant.token, watch, {"q": queue["id"]}) as supervisor,
        subscribed(server.ws_url, agent_token, inbox) as assignments,
    ):
        await asyncio.sleep(0.1)
        conversation_id = await customer_writes(server, "5511900002001")
        await server.runtime.services.queues.enqueue(
            Actor.of(tenant.owner, None), conversation_id, uuid.UUID(queue["id"]), 2
        )
        entered = await supervisor.next_data()
        await client.data(STATUS, {"input": {"status": "ONLINE"}}, token=agent_token)
        received = await assignments.next_data()
        assigned = await supervisor.next_data()
    item_id = await _only_item(client, tenant.token, queue["id"])
    detail = await client.data(
        "query($id: ID!) { queueItem(id: $id) { status agentId routingDecision "
        "history { kind agentId } } }",
        {"id": item_id},
        token=tenant.token,
    )
    monitor = await client.data(
        "query($q: ID!) { queueMonitor(queueId: $q) { waiting { id } serving { id } "
        "recent { kind } } }",
        {"q": queue["id"]},
        token=tenant.token,
    )
    dashboard = await client.data(
        "{ queueDashboard { queue { name } waiting today { entries assigned } "
        "agents { load status } } }",
        token=tenant.token,
    )
    completed = await client.data(
        "mutation($id: ID!) { queueItemComplete(input: {id: $id, rating: 4}) { __typename "
        "... on QueueItemSuccess { item { status rating } } } }",
        {"id": item_id},
        token=agent_token,
    )

    assert entered["data"]["queueUpdated"] == {
        "change": "entered",
        "status": "WAITING",
        "priority": 2,
        "item": {"position": 1},
    }
    assert received["data"]["assignmentReceived"] == {
        "change": "assigned",
        "conversation": {"id": str(conversation_id), "owner": "AGENT"},
    }
    assert assigned["data"]["queueUpdated"]["change"] == "assigned"
    item = detail["queueItem"]
    assert (item["status"], item["agentId"]) == ("ASSIGNED", str(agent.id))
    assert item["routingDecision"]["candidates"] == [str(agent.id)]
    assert [(h["kind"], h["agentId"]) for h in item["history"]] == [
        ("ENTERED", None),
        ("ASSIGNED", str(agent.id)),
    ]
    assert monitor["queueMonitor"] == {
        "waiting": [],
        "serving": [{"id": item_id}],
        "recent": [{"kind": "ASSIGNED"}, {"kind": "ENTERED"}],
    }
    assert dashboard["queueDashboard"] == [
        {
            "queue": {"name": "Support"},
            "waiting": 0,
            "today": {"entries": 1, "assigned": 1},
            "agents": [{"load": 1, "status": "ONLINE"}],
        }
    ]
    assert completed["queueItemComplete"] == {
        "__typename": "QueueItemSuccess",
        "item": {"status": "COMPLETED", "rating": 4},
    }


MONITOR = """
query($q: ID!) { queueMonitor(queueId: $q) {
  waiting { position conversation { contact { profileName } } }
  serving { agentId conversation { contact { profileName } assignee { name } } }
  recent { kind itemId item { status conversation { contact { profileName } } } } } }
"""


async def test_the_monitor_names_every_customer_in_a_fixed_number_of_statements(
    database: Database, database_url: str
) -> None:
    # No background workers, and the token's user read on every request: only the request's
    # own statements are counted, the same way each time.
    quiet = make_settings(database_url, run_workers_in_process=False, principal_cache_seconds=0)
    async with running_server(quiet) as server:
        client = GraphQLClient(server.url)
        tenant = await create_tenant(server, client, "Acme")
        owner = Actor.of(tenant.owner, None)
        await server.runtime.services.numbers.create(
            owner, "106540352242922", "102290129340398", NumberDetails(access_token="t")
        )
        queue, agent, _ = await staffed_queue(server, client, tenant, capacity=1)

        async def enqueue(names: list[str]) -> None:
            for name in names:
                conversation_id = await customer_writes(server, f"551190000{ord(name[0])}", name)
                await server.runtime.services.queues.enqueue(
                    owner, conversation_id, uuid.UUID(queue["id"]), 0
                )

        await enqueue(["Ana", "Bruno", "Carla"])
        await client.data(
            "mutation($id: ID!, $a: ID!) { queueItemAssign(input: {id: $id, agentId: $a}) "
            "{ __typename } }",
            {"id": await _first_waiting(client, tenant.token, queue["id"]), "a": str(agent.id)},
            token=tenant.token,
        )
        with counting_statements(server.runtime.database) as few_statements:
            few = await client.data(MONITOR, {"q": queue["id"]}, token=tenant.token)
        await enqueue(["Davi", "Elisa", "Fabio", "Gabi"])
        with counting_statements(server.runtime.database) as many_statements:
            many = await client.data(MONITOR, {"q": queue["id"]}, token=tenant.token)
        await client.close()

    assert few["queueMonitor"]["serving"] == [
        {
            "agentId": str(agent.id),
            "conversation": {"contact": {"profileName": "Ana"}, "assignee": {"name": agent.name}},
        }
    ]
    assert [
        (w["position"], w["conversation"]["contact"]["profileName"])
        for w in many["queueMonitor"]["waiting"]
    ] == [(1, "Bruno"), (2, "Carla"), (3, "Davi"), (4, "Elisa"), (5, "Fabio"), (6, "Gabi")]
    recent = [
        (r["kind"], r["item"]["conversation"]["contact"]["profileName"])
        for r in many["queueMonitor"]["recent"]
    ]
    assert recent[:2] == [("ENTERED", "Gabi"), ("ENTERED", "Fabio")]
    assert ("ASSIGNED", "Ana") in recent
    assert len({r["itemId"] for r in many["queueMonitor"]["recent"]}) == 7
    assert len(many_statements) == len(few_statements)


async def _first_waiting(client: GraphQLClient, token: str, queue_id: str) -> str:
    data = await client.data(
        "query($q: ID!) { queueMonitor(queueId: $q) { waiting { id } } }",
        {"q": queue_id},
        token=token,
    )
    first: str = data["queueMonitor"]["waiting"][0]["id"]
    return first


async def _only_item(client: GraphQLClient, token: str, queue_id: str) -> str:
    data = await client.data(
        "query($q: ID!) { queueItems(queueId: $q) { edges { node { id } } } }",
        {"q": queue_id},
        token=token,
    )
    edges = data["queueItems"]["edges"]
    assert len(edges) == 1
    item_id: str = edges[0]["node"]["id"]
    return item_id


ENQUEUE = """
mutation($c: ID!, $q: ID!) { queueItemCreate(input: {conversationId: $c, queueId: $q}) {
  __typename ... on QueueItemSuccess { kept item { id status } } } }
"""
WHERE_IT_STANDS = """
query($c: ID!, $a: ID!) {
  conversation(id: $c) { status assignee { id } queue { id } }
  agent(userId: $a) { load }
}
"""


async def test_queueing_a_conversation_again_changes_nothing_and_says_so(
    server: RunningServer, client: GraphQLClient
) -> None:
    """Twice at once, or again once an agent serves it: one item, the agent keeps it."""
    tenant = await create_tenant(server, client, "Acme")
    await server.runtime.services.numbers.create(
        Actor.of(tenant.owner, None), "106540352242922", "1", NumberDetails(access_token="t")
    )
    queue, agent, _ = await staffed_queue(server, client, tenant, capacity=2)
    conversation = str(await customer_writes(server, "5511999990101"))
    ids = {"c": conversation, "q": queue["id"]}

    together = await asyncio.gather(
        client.data(ENQUEUE, ids, token=tenant.token),
        client.data(ENQUEUE, ids, token=tenant.token),
    )
    answers = [answer["queueItemCreate"] for answer in together]
    item_id = answers[0]["item"]["id"]

    async def served() -> dict[str, Any] | None:
        stands = await client.data(
            WHERE_IT_STANDS, {"c": conversation, "a": str(agent.id)}, token=tenant.token
        )
        return stands if stands["conversation"]["assignee"] else None

    before = await eventually(served, what="distribution to the online agent")
    again = (await client.data(ENQUEUE, ids, token=tenant.token))["queueItemCreate"]
    after = await client.data(
        WHERE_IT_STANDS, {"c": conversation, "a": str(agent.id)}, token=tenant.token
    )

    assert [answer["__typename"] for answer in answers] == ["QueueItemSuccess"] * 2
    assert sorted(answer["kept"] for answer in answers) == [False, True]
    assert answers[1]["item"]["id"] == item_id
    assert before["conversation"]["assignee"] == {"id": str(agent.id)}
    assert before["conversation"]["queue"] == {"id": queue["id"]}
    assert again == {
        "__typename": "QueueItemSuccess",
        "kept": True,
        "item": {"id": item_id, "status": "ASSIGNED"},
    }
    assert after == before
    assert after["agent"] == {"load": 1}


async def test_two_supervisors_editing_different_settings_at_once_both_keep_their_change(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    queue_id = (await save(client, tenant.token, name="Support"))["queue"]["id"]
    read = "query($id: ID!) { queue(id: $id) { description department } }"

    kept = []
    for round_ in range(8):
        await asyncio.gather(
            save(client, tenant.token, update=True, id=queue_id, description=f"d{round_}"),
            save(client, tenant.token, update=True, id=queue_id, department=f"dep{round_}"),
        )
        kept.append((await client.data(read, {"id": queue_id}, token=tenant.token))["queue"])

    assert kept == [{"description": f"d{n}", "department": f"dep{n}"} for n in range(8)]
