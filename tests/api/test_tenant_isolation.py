"""Organization A's users cannot read or change organization B's data through any root field.

Every root field of the schema (queries, mutations, subscriptions) must have a probe below:
a new root field without one fails `test_every_root_field_has_an_isolation_probe`.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from domain.accounts.model import Actor, Role, User
from domain.ingestion.ingest import InboundService
from domain.queues.model import AgentStatus
from domain.queues.routing import Entered
from domain.queues.services import AgentChanges
from domain.whatsapp.model import WhatsAppNumber
from domain.whatsapp.numbers import NumberDetails
from domain.whatsapp.templates import from_meta
from graphql_api.schema import build_schema
from persistence.models.conversations import ConversationRow, MessageRow, MessageSignalRow
from tests.ai.alerts import angry_customer_alert, scored
from tests.ai.intents import trained_starter_model
from tests.notifications import assign, notifications_of, notified
from tests.support import (
    PASSWORD,
    GraphQLClient,
    RunningServer,
    Tenant,
    add_user,
    create_tenant,
    subscribed,
)
from tests.web.test_webhook_ingestion import text_message
from tests.webpush import SUBSCRIBE, Browser


@dataclass
class World:
    server: RunningServer
    client: GraphQLClient
    a: Tenant
    b: Tenant
    b_agent: User
    b_agent_token: str
    b_number: WhatsAppNumber

    def b_secrets(self) -> list[str]:
        return [
            str(self.b.organization_id),
            self.b.owner.email,
            str(self.b_agent.id),
            self.b_agent.email,
            str(self.b_number.id),
            self.b_number.waba_id,
        ]

    async def b_numbers_as_b_sees_them(self) -> list[dict[str, object]]:
        data = await self.client.data(
            "{ whatsappNumbers { id messagesPerSecond } }", token=self.b.token
        )
        numbers: list[dict[str, object]] = data["whatsappNumbers"]
        return numbers

    def assert_nothing_of_b_in(self, body: object) -> None:
        text = json.dumps(body)
        for secret in self.b_secrets():
            assert secret not in text, f"organization B's {secret} leaked: {text}"

    async def b_agent_as_b_sees_it(self) -> dict[str, object]:
        data = await self.client.data(
            "query($id: ID!) { user(id: $id) { name role isActive } }",
            {"id": str(self.b_agent.id)},
            token=self.b.token,
        )
        user: dict[str, object] = data["user"]
        return user


Probe = Callable[[World], Awaitable[None]]

RENAME = "mutation($id: ID!, $n: String!) { userUpdate(input: {id: $id, name: $n}) { __typename } }"


async def probe_me(world: World) -> None:
    body = await world.client.execute("{ me { id email } }", token=world.a.token)
    assert body["data"]["me"]["id"] == str(world.a.owner.id)
    world.assert_nothing_of_b_in(body)


async def probe_organization(world: World) -> None:
    body = await world.client.execute(
        "{ organization { id name users(first: 100, includeDeactivated: true) "
        "{ edges { node { id email } } } } }",
        token=world.a.token,
    )
    assert body["data"]["organization"]["id"] == str(world.a.organization_id)
    world.assert_nothing_of_b_in(body)


async def probe_user(world: World) -> None:
    body = await world.client.execute(
        "query($id: ID!) { user(id: $id) { id email } }",
        {"id": str(world.b_agent.id)},
        token=world.a.token,
    )
    assert body["data"]["user"] is None
    world.assert_nothing_of_b_in(body)


async def probe_node(world: World) -> None:
    """B's conversation, flow and agent, asked for by id alone, are nobody A can see."""
    ids = [await b_conversation(world), await b_flow(world), str(world.b_agent.id)]
    for object_id in ids:
        body = await world.client.execute(
            "query($id: ID!) { node(id: $id) { __typename id } }",
            {"id": object_id},
            token=world.a.token,
        )
        assert body["data"]["node"] is None
        world.assert_nothing_of_b_in(body)


async def probe_token_create(world: World) -> None:
    """Sign-in names no organization: a wrong password for B's user reveals nothing of B."""
    body = await world.client.execute(
        'mutation($e: String!) { tokenCreate(input: {email: $e, password: "wrong password!"}) '
        "{ __typename ... on Error { message } } }",
        {"e": world.b_agent.email},
        token=world.a.token,
    )
    assert body["data"]["tokenCreate"]["__typename"] == "InvalidCredentialsError"
    world.assert_nothing_of_b_in(body)


async def probe_token_refresh(world: World) -> None:
    """A refresh token is a bearer secret of its own user; A's header never changes whose it is."""
    signed_in = await world.client.data(
        "mutation($e: String!, $p: String!) { tokenCreate(input: {email: $e, password: $p}) "
        "{ ... on TokenCreateSuccess { tokens { refreshToken } } } }",
        {"e": world.a.owner.email, "p": PASSWORD},
    )
    refresh = signed_in["tokenCreate"]["tokens"]["refreshToken"]
    body = await world.client.execute(
        "mutation($t: String!) { tokenRefresh(input: {refreshToken: $t}) "
        "{ ... on TokenRefreshSuccess { user { id } } } }",
        {"t": refresh},
        token=world.b_agent_token,
    )
    assert body["data"]["tokenRefresh"]["user"]["id"] == str(world.a.owner.id)


async def probe_token_revoke(world: World) -> None:
    body = await world.client.execute(
        'mutation { tokenRevoke(input: {refreshToken: "guess"}) { revoked } }', token=world.a.token
    )
    assert body["data"]["tokenRevoke"]["revoked"] is False


async def probe_user_create(world: World) -> None:
    await world.client.data(
        'mutation($p: String!) { userCreate(input: {email: "a-new@example.com", name: "N", '
        "role: AGENT, password: $p}) { __typename } }",
        {"p": PASSWORD},
        token=world.a.token,
    )
    b_users = await world.client.data(
        "{ organization { users(first: 100) { edges { node { email } } } } }", token=world.b.token
    )
    emails = [e["node"]["email"] for e in b_users["organization"]["users"]["edges"]]
    assert "a-new@example.com" not in emails


async def probe_user_update(world: World) -> None:
    body = await world.client.execute(
        'mutation($id: ID!) { userUpdate(input: {id: $id, name: "Hijacked", role: OWNER}) '
        "{ __typename } }",
        {"id": str(world.b_agent.id)},
        token=world.a.token,
    )
    assert body["data"]["userUpdate"]["__typename"] == "NotFoundError"
    assert await world.b_agent_as_b_sees_it() == {
        "name": "Agent",
        "role": "AGENT",
        "isActive": True,
    }


async def probe_user_deactivate(world: World) -> None:
    body = await world.client.execute(
        "mutation($id: ID!) { userDeactivate(input: {id: $id}) { __typename } }",
        {"id": str(world.b_agent.id)},
        token=world.a.token,
    )
    assert body["data"]["userDeactivate"]["__typename"] == "NotFoundError"
    assert (await world.b_agent_as_b_sees_it())["isActive"] is True


async def probe_organization_update(world: World) -> None:
    """A's profile changes are A's: B's organization keeps its name and has no profile."""
    body = await world.client.execute(
        'mutation { organizationUpdate(input: {name: "Renamed", timeZone: "Europe/Lisbon"}) '
        "{ __typename } }",
        token=world.a.token,
    )
    b_sees = await world.client.data("{ organization { name timeZone } }", token=world.b.token)
    assert body["data"]["organizationUpdate"]["__typename"] == "OrganizationUpdateSuccess"
    assert b_sees["organization"] == {"name": "Globex", "timeZone": None}


async def probe_organization_create(world: World) -> None:
    body = await world.client.execute(
        'mutation($p: String!) { organizationCreate(input: {name: "X", ownerEmail: "x@x.example", '
        'ownerName: "X", ownerPassword: $p}) { __typename } }',
        {"p": PASSWORD},
        token=world.a.token,
    )
    assert body["data"]["organizationCreate"]["__typename"] == "PermissionDeniedError"


async def probe_organization_events(world: World) -> None:
    query = "subscription { organizationEvents { type payload } }"
    async with subscribed(world.server.ws_url, world.a.token, query) as subscription:
        await asyncio.sleep(0.1)
        await world.client.data(
            RENAME, {"id": str(world.b_agent.id), "n": "In B"}, token=world.b.token
        )
        await world.client.data(
            RENAME, {"id": str(world.a.owner.id), "n": "In A"}, token=world.a.token
        )
        first = await subscription.next_data()
    assert first["data"]["organizationEvents"]["payload"]["userId"] == str(world.a.owner.id)
    world.assert_nothing_of_b_in(first)


async def probe_whatsapp_numbers(world: World) -> None:
    body = await world.client.execute("{ whatsappNumbers { id wabaId } }", token=world.a.token)
    assert body["data"]["whatsappNumbers"] == []
    world.assert_nothing_of_b_in(body)


async def probe_whatsapp_number_check(world: World) -> None:
    """B's number is nobody A can test (which would ask Meta with B's token)."""
    body = await world.client.execute(
        "query($id: ID!) { whatsappNumberCheck(id: $id) { ok checks { message } } }",
        {"id": str(world.b_number.id)},
        token=world.a.token,
    )
    assert body["data"]["whatsappNumberCheck"] is None
    world.assert_nothing_of_b_in(body)


async def probe_whatsapp_trial_start(world: World) -> None:
    """A's trial number is A's: B's trial number is another, and B's numbers stay B's."""
    b_trial = await world.client.data(
        "mutation { whatsappTrialStart { ... on WhatsAppTrialStartSuccess { number { id } } } }",
        token=world.b.token,
    )
    a_trial = await world.client.data(
        "mutation { whatsappTrialStart { ... on WhatsAppTrialStartSuccess { number { id } } } }",
        token=world.a.token,
    )
    a_numbers = await world.client.data("{ whatsappNumbers { id } }", token=world.a.token)
    b_id = b_trial["whatsappTrialStart"]["number"]["id"]
    assert a_trial["whatsappTrialStart"]["number"]["id"] != b_id
    assert a_numbers["whatsappNumbers"] == [a_trial["whatsappTrialStart"]["number"]]


async def probe_whatsapp_trial_customer_say(world: World) -> None:
    """A's test customer cannot write to B's trial number: A has none, so nothing is sent."""
    await world.client.data("mutation { whatsappTrialStart { __typename } }", token=world.b.token)
    body = await world.client.execute(
        'mutation { whatsappTrialCustomerSay(input: {text: "hi"}) { __typename } }',
        token=world.a.token,
    )
    b_conversations = await world.client.data(
        "{ conversations { edges { node { id } } } }", token=world.b.token
    )
    assert body["data"]["whatsappTrialCustomerSay"]["__typename"] == "NotFoundError"
    assert b_conversations["conversations"]["edges"] == []


async def probe_whatsapp_number_create(world: World) -> None:
    """Claiming B's phone number id is refused without saying who holds it."""
    body = await world.client.execute(
        'mutation($p: String!) { whatsappNumberCreate(input: {phoneNumberId: $p, wabaId: "1", '
        'accessToken: "t"}) { __typename ... on Error { message } } }',
        {"p": world.b_number.phone_number_id},
        token=world.a.token,
    )
    assert body["data"]["whatsappNumberCreate"]["__typename"] == "ConflictError"
    world.assert_nothing_of_b_in(body)
    assert "Globex" not in json.dumps(body)


async def probe_whatsapp_number_update(world: World) -> None:
    body = await world.client.execute(
        "mutation($id: ID!) { whatsappNumberUpdate(input: {id: $id, messagesPerSecond: 1}) "
        "{ __typename } }",
        {"id": str(world.b_number.id)},
        token=world.a.token,
    )
    assert body["data"]["whatsappNumberUpdate"]["__typename"] == "NotFoundError"
    assert await world.b_numbers_as_b_sees_them() == [
        {"id": str(world.b_number.id), "messagesPerSecond": 80}
    ]


async def probe_whatsapp_number_delete(world: World) -> None:
    body = await world.client.execute(
        "mutation($id: ID!) { whatsappNumberDelete(input: {id: $id}) { __typename } }",
        {"id": str(world.b_number.id)},
        token=world.a.token,
    )
    assert body["data"]["whatsappNumberDelete"]["__typename"] == "NotFoundError"
    assert len(await world.b_numbers_as_b_sees_them()) == 1


async def b_has_a_template(world: World) -> None:
    async with world.server.runtime.unit_of_work(world.b.organization_id) as uow:
        await uow.templates.save(
            from_meta(
                world.b.organization_id,
                world.b_number.waba_id,
                {
                    "id": "777",
                    "name": "globex_secret_offer",
                    "language": "en_US",
                    "status": "APPROVED",
                    "category": "MARKETING",
                    "components": [{"type": "BODY", "text": "Globex deal"}],
                },
                datetime.now(UTC),
            )
        )
        await uow.commit()


async def b_template_names(world: World) -> list[str]:
    data = await world.client.data("{ whatsappTemplates { name } }", token=world.b.token)
    return [template["name"] for template in data["whatsappTemplates"]]


async def probe_whatsapp_templates(world: World) -> None:
    await b_has_a_template(world)
    body = await world.client.execute(
        "{ whatsappTemplates { id name wabaId body } }", token=world.a.token
    )
    assert body["data"]["whatsappTemplates"] == []
    world.assert_nothing_of_b_in(body)
    assert "globex_secret_offer" not in json.dumps(body)


async def probe_whatsapp_number_sync(world: World) -> None:
    body = await world.client.execute(
        "mutation($id: ID!) { whatsappNumberSync(input: {id: $id}) { __typename } }",
        {"id": str(world.b_number.id)},
        token=world.a.token,
    )
    assert body["data"]["whatsappNumberSync"]["__typename"] == "NotFoundError"
    assert await world.b_numbers_as_b_sees_them() == [
        {"id": str(world.b_number.id), "messagesPerSecond": 80}
    ]


async def probe_whatsapp_template_sync(world: World) -> None:
    await b_has_a_template(world)
    body = await world.client.execute(
        "mutation($n: ID!) { whatsappTemplateSync(input: {numberId: $n}) { __typename } }",
        {"n": str(world.b_number.id)},
        token=world.a.token,
    )
    assert body["data"]["whatsappTemplateSync"]["__typename"] == "NotFoundError"
    assert await b_template_names(world) == ["globex_secret_offer"]


async def probe_whatsapp_template_create(world: World) -> None:
    body = await world.client.execute(
        'mutation($n: ID!) { whatsappTemplateCreate(input: {numberId: $n, name: "x", '
        'category: "UTILITY", language: "en", body: "Hello"}) { __typename } }',
        {"n": str(world.b_number.id)},
        token=world.a.token,
    )
    assert body["data"]["whatsappTemplateCreate"]["__typename"] == "NotFoundError"
    assert await b_template_names(world) == []


async def probe_whatsapp_template_delete(world: World) -> None:
    await b_has_a_template(world)
    body = await world.client.execute(
        "mutation($n: ID!) { whatsappTemplateDelete(input: {numberId: $n, "
        'name: "globex_secret_offer"}) { __typename } }',
        {"n": str(world.b_number.id)},
        token=world.a.token,
    )
    assert body["data"]["whatsappTemplateDelete"]["__typename"] == "NotFoundError"
    assert await b_template_names(world) == ["globex_secret_offer"]


async def b_conversation(world: World) -> str:
    """B's customer writes; returns the conversation's id."""
    inbound = InboundService(world.server.runtime.unit_of_work, world.server.runtime.clock)
    payload = text_message("wamid.GLOBEX", sender="5511999990000", at=int(time.time()))
    await inbound.apply(payload)
    async with world.server.runtime.database.engine.connect() as connection:
        return str(await connection.scalar(select(ConversationRow.id)))


async def probe_conversation(world: World) -> None:
    conversation_id = await b_conversation(world)
    body = await world.client.execute(
        "query($id: ID!) { conversation(id: $id) { id contact { waId } } }",
        {"id": conversation_id},
        token=world.a.token,
    )
    assert body["data"]["conversation"] is None
    assert "5511999990000" not in json.dumps(body)


async def probe_messages(world: World) -> None:
    conversation_id = await b_conversation(world)
    body = await world.client.execute(
        "query($id: ID!) { messages(conversationId: $id) { edges { node { wamid } } } }",
        {"id": conversation_id},
        token=world.a.token,
    )
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert "wamid.GLOBEX" not in json.dumps(body)
    mine = await world.client.data(
        "query($id: ID!) { messages(conversationId: $id) { edges { node { wamid } } } }",
        {"id": conversation_id},
        token=world.b.token,
    )
    assert mine["messages"]["edges"] == [{"node": {"wamid": "wamid.GLOBEX"}}]


async def probe_conversations(world: World) -> None:
    await b_conversation(world)
    body = await world.client.execute(
        "{ conversations { edges { node { id contact { waId } } } } }", token=world.a.token
    )
    assert body["data"]["conversations"]["edges"] == []
    assert "5511999990000" not in json.dumps(body)


async def probe_conversation_notes(world: World) -> None:
    conversation_id = await b_conversation(world)
    await world.client.data(
        'mutation($id: ID!) { conversationNoteAdd(input: {id: $id, body: "Globex secret"}) '
        "{ __typename } }",
        {"id": conversation_id},
        token=world.b.token,
    )
    body = await world.client.execute(
        "query($id: ID!) { conversationNotes(conversationId: $id) { body } }",
        {"id": conversation_id},
        token=world.a.token,
    )
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert "Globex secret" not in json.dumps(body)


async def conversation_change_is_refused(world: World, mutation: str, extra: str = "") -> None:
    conversation_id = await b_conversation(world)
    body = await world.client.execute(
        f"mutation($id: ID!) {{ {mutation}(input: {{id: $id{extra}}}) {{ __typename }} }}",
        {"id": conversation_id},
        token=world.a.token,
    )
    assert body["data"][mutation]["__typename"] == "NotFoundError"
    mine = await world.client.data(
        "query($id: ID!) { conversation(id: $id) { status unreadCount labels assignee { id } } }",
        {"id": conversation_id},
        token=world.b.token,
    )
    assert mine["conversation"] == {
        "status": "OPEN",
        "unreadCount": 1,
        "labels": [],
        "assignee": None,
    }


async def probe_conversation_mark_read(world: World) -> None:
    await conversation_change_is_refused(world, "conversationMarkRead")


async def probe_conversation_status_update(world: World) -> None:
    await conversation_change_is_refused(world, "conversationStatusUpdate", ", status: RESOLVED")


async def probe_conversation_labels_set(world: World) -> None:
    await conversation_change_is_refused(world, "conversationLabelsSet", ', labels: ["x"]')


async def probe_conversation_assign(world: World) -> None:
    await conversation_change_is_refused(world, "conversationAssign")


async def probe_conversation_note_add(world: World) -> None:
    conversation_id = await b_conversation(world)
    body = await world.client.execute(
        'mutation($id: ID!) { conversationNoteAdd(input: {id: $id, body: "from A"}) '
        "{ __typename } }",
        {"id": conversation_id},
        token=world.a.token,
    )
    assert body["data"]["conversationNoteAdd"]["__typename"] == "NotFoundError"
    notes = await world.client.data(
        "query($id: ID!) { conversationNotes(conversationId: $id) { body } }",
        {"id": conversation_id},
        token=world.b.token,
    )
    assert notes["conversationNotes"] == []


async def probe_message_send(world: World) -> None:
    conversation_id = await b_conversation(world)
    body = await world.client.execute(
        'mutation($id: ID!) { messageSend(input: {conversationId: $id, text: {body: "hi"}}) '
        "{ __typename } }",
        {"id": conversation_id},
        token=world.a.token,
    )
    assert body["data"]["messageSend"]["__typename"] == "NotFoundError"
    mine = await world.client.data(
        "query($id: ID!) { messages(conversationId: $id) { edges { node { direction } } } }",
        {"id": conversation_id},
        token=world.b.token,
    )
    assert mine["messages"]["edges"] == [{"node": {"direction": "INBOUND"}}]


async def probe_typing_indicator_send(world: World) -> None:
    conversation_id = await b_conversation(world)
    body = await world.client.execute(
        "mutation($id: ID!) { typingIndicatorSend(input: {conversationId: $id}) { __typename } }",
        {"id": conversation_id},
        token=world.a.token,
    )
    assert body["data"]["typingIndicatorSend"]["__typename"] == "NotFoundError"
    mine = await world.client.data(
        "query($id: ID!) { conversation(id: $id) { unreadCount } }",
        {"id": conversation_id},
        token=world.b.token,
    )
    assert mine["conversation"] == {"unreadCount": 1}


def inbox_subscription_probe(field: str) -> Probe:
    """A's subscription to one of B's conversations is refused; A's inbox shows nothing of
    B's traffic."""

    async def probe(world: World) -> None:
        conversation_id = await b_conversation(world)
        by_id = f"subscription($c: ID) {{ {field}(conversationId: $c) {{ eventId }} }}"
        async with subscribed(
            world.server.ws_url, world.a.token, by_id, {"c": conversation_id}
        ) as refused:
            answer = await refused.receive()
        errors = answer["payload"] if answer["type"] == "error" else answer["payload"]["errors"]
        assert errors[0]["extensions"]["code"] == "NOT_FOUND"
        everything = f"subscription {{ {field} {{ eventId conversationId }} }}"
        async with subscribed(world.server.ws_url, world.a.token, everything) as inbox:
            await asyncio.sleep(0.1)
            await InboundService(
                world.server.runtime.unit_of_work, world.server.runtime.clock
            ).apply(text_message("wamid.GLOBEX2", sender="5511999990000", at=int(time.time())))
            await world.client.data(
                "mutation($id: ID!) { conversationMarkRead(input: {id: $id}) { __typename } }",
                {"id": conversation_id},
                token=world.b.token,
            )
            await world.client.data(
                'mutation($id: ID!) { messageSend(input: {conversationId: $id, text: {body: "x"}})'
                " { __typename } }",
                {"id": conversation_id},
                token=world.b.token,
            )
            await world.client.data(
                "mutation($id: ID!) { typingIndicatorSend(input: {conversationId: $id}) "
                "{ __typename } }",
                {"id": conversation_id},
                token=world.b.token,
            )
            with pytest.raises(TimeoutError):
                await inbox.receive(timeout=0.5)

    return probe


async def probe_conversation_stats(world: World) -> None:
    await b_conversation(world)
    body = await world.client.execute(
        'query { conversationStats(since: "2020-01-01T00:00:00Z") '
        "{ byStatus { count } unreadTotal } }",
        token=world.a.token,
    )
    assert body["data"]["conversationStats"] == {"byStatus": [], "unreadTotal": 0}


GLOBEX_FLOW = {
    "nodes": [
        {"id": "t", "type": "trigger_universal", "position": {"x": 0, "y": 0}, "data": {}},
        {
            "id": "m",
            "type": "msg_text",
            "position": {"x": 0, "y": 100},
            "data": {"text": "Globex secret greeting"},
        },
    ],
    "edges": [{"id": "e", "source": "t", "target": "m", "sourceHandle": None}],
}


async def b_flow(world: World) -> str:
    data = await world.client.data(
        'mutation($n: ID!, $g: JSON!) { flowCreate(input: {name: "Globex welcome", '
        "kind: UNIVERSAL, numberIds: [$n], graph: $g}) "
        "{ ... on FlowSaveSuccess { flow { id } } } }",
        {"n": str(world.b_number.id), "g": GLOBEX_FLOW},
        token=world.b.token,
    )
    flow_id: str = data["flowCreate"]["flow"]["id"]
    return flow_id


async def b_flow_as_b_sees_it(world: World, flow_id: str) -> dict[str, object]:
    data = await world.client.data(
        "query($id: ID!) { flow(id: $id) { name status archivedAt graph "
        "publishedVersion versions { version } } }",
        {"id": flow_id},
        token=world.b.token,
    )
    flow: dict[str, object] = data["flow"]
    return flow


async def probe_flows(world: World) -> None:
    await b_flow(world)
    body = await world.client.execute(
        "{ flows { edges { node { id name graph } } } }", token=world.a.token
    )
    assert body["data"]["flows"]["edges"] == []
    assert "Globex" not in json.dumps(body)


async def probe_flow(world: World) -> None:
    flow_id = await b_flow(world)
    body = await world.client.execute(
        "query($id: ID!) { flow(id: $id) { name } }", {"id": flow_id}, token=world.a.token
    )
    assert body["data"]["flow"] is None


def flow_query_probe(document: str) -> Probe:
    async def probe(world: World) -> None:
        flow_id = await b_flow(world)
        body = await world.client.execute(document, {"id": flow_id}, token=world.a.token)
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        assert "Globex" not in json.dumps(body)

    return probe


async def probe_flow_library(world: World) -> None:
    await b_flow(world)
    query = "{ flowLibrary { key name graph } }"
    as_a = await world.client.execute(query, token=world.a.token)
    as_b = await world.client.data(query, token=world.b.token)

    assert as_a["data"] == as_b
    assert "Globex" not in json.dumps(as_a)


async def probe_flow_create(world: World) -> None:
    body = await world.client.execute(
        'mutation($n: ID!) { flowCreate(input: {name: "Steal", kind: UNIVERSAL, '
        "numberIds: [$n]}) { __typename } }",
        {"n": str(world.b_number.id)},
        token=world.a.token,
    )
    assert body["data"]["flowCreate"]["__typename"] == "NotFoundError"


def flow_mutation_probe(field: str, arguments: str) -> Probe:
    async def probe(world: World) -> None:
        flow_id = await b_flow(world)
        before = await b_flow_as_b_sees_it(world, flow_id)
        body = await world.client.execute(
            f"mutation($id: ID!) {{ {field}(input: {{id: $id{arguments}}}) {{ __typename }} }}",
            {"id": flow_id},
            token=world.a.token,
        )
        assert body["data"][field]["__typename"] == "NotFoundError"
        assert await b_flow_as_b_sees_it(world, flow_id) == before
        listed = await world.client.data("{ flows { edges { node { id } } } }", token=world.a.token)
        assert listed["flows"]["edges"] == []

    return probe


async def probe_flow_rollback(world: World) -> None:
    """B's published flow cannot be rolled back by A to the version B published."""
    flow_id = await b_flow(world)
    await world.client.data(
        "mutation($id: ID!) { flowPublish(input: {id: $id}) { __typename } }",
        {"id": flow_id},
        token=world.b.token,
    )
    before = await b_flow_as_b_sees_it(world, flow_id)
    body = await world.client.execute(
        "mutation($id: ID!) { flowRollback(input: {id: $id, version: 1}) { __typename } }",
        {"id": flow_id},
        token=world.a.token,
    )
    assert body["data"]["flowRollback"]["__typename"] == "NotFoundError"
    assert before["versions"] == [{"version": 1}]
    assert await b_flow_as_b_sees_it(world, flow_id) == before


async def b_session(world: World, flow_id: str | None = None) -> tuple[str, str]:
    """B publishes its flow and its customer writes: returns the flow's and session's ids."""
    flow_id = flow_id or await b_flow(world)
    await world.client.data(
        "mutation($id: ID!) { flowPublish(input: {id: $id}) { __typename } }",
        {"id": flow_id},
        token=world.b.token,
    )
    runtime = world.server.runtime
    await InboundService(runtime.unit_of_work, runtime.clock, runtime.flow_runner).apply(
        text_message("wamid.GLOBEX", sender="5511999990000", at=int(time.time()))
    )
    data = await world.client.data(
        "{ flowSessions { edges { node { id } } } }", token=world.b.token
    )
    session_id: str = data["flowSessions"]["edges"][0]["node"]["id"]
    return flow_id, session_id


async def probe_flow_sessions(world: World) -> None:
    flow_id, _ = await b_session(world)
    body = await world.client.execute(
        "query($f: ID) { all: flowSessions { edges { node { id variables } } } "
        "filtered: flowSessions(filter: {flowId: $f}) { edges { node { id } } } }",
        {"f": flow_id},
        token=world.a.token,
    )
    assert body["data"] == {"all": {"edges": []}, "filtered": {"edges": []}}


async def probe_flow_session(world: World) -> None:
    _, session_id = await b_session(world)
    body = await world.client.execute(
        "query($id: ID!) { flowSession(id: $id) { id steps { nodeId } } }",
        {"id": session_id},
        token=world.a.token,
    )
    assert body["data"]["flowSession"] is None


async def probe_flow_stats(world: World) -> None:
    flow_id, _ = await b_session(world)
    body = await world.client.execute(
        'query($id: ID!) { flowStats(id: $id, since: "2020-01-01T00:00:00Z") { started } }',
        {"id": flow_id},
        token=world.a.token,
    )
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert body["data"] is None


async def probe_flow_session_updated(world: World) -> None:
    flow_id = await b_flow(world)
    by_flow = "subscription($f: ID) { flowSessionUpdated(flowId: $f) { eventId } }"
    async with subscribed(world.server.ws_url, world.a.token, by_flow, {"f": flow_id}) as refused:
        answer = await refused.receive()
    errors = answer["payload"] if answer["type"] == "error" else answer["payload"]["errors"]
    assert errors[0]["extensions"]["code"] == "NOT_FOUND"
    everything = "subscription { flowSessionUpdated { eventId sessionId } }"
    async with subscribed(world.server.ws_url, world.a.token, everything) as stream:
        await asyncio.sleep(0.1)
        await b_session(world, flow_id)
        with pytest.raises(TimeoutError):
            await stream.receive(timeout=0.5)


async def b_queue_item(world: World) -> tuple[str, str]:
    """B has a queue its agent serves, and a customer waiting in it: (queue id, item id)."""
    data = await world.client.data(
        'mutation { queueCreate(input: {name: "Globex line"}) '
        "{ ... on QueueSaveSuccess { queue { id } } } }",
        token=world.b.token,
    )
    queue_id: str = data["queueCreate"]["queue"]["id"]
    queues = world.server.runtime.services.queues
    owner = Actor.of(world.b.owner, None)
    await queues.update_agent(
        owner, world.b_agent.id, AgentChanges(queue_ids=(uuid.UUID(queue_id),))
    )
    entered = await queues.enqueue(
        owner, uuid.UUID(await b_conversation(world)), uuid.UUID(queue_id), 1
    )
    assert isinstance(entered, Entered)
    return queue_id, str(entered.item.id)


def queue_query_probe(document: str, field: str, refusal: str | None) -> Probe:
    """A asks about B's queue or item by id: null, or refused as not found."""

    async def probe(world: World) -> None:
        queue_id, item_id = await b_queue_item(world)
        body = await world.client.execute(
            document, {"q": queue_id, "i": item_id, "u": str(world.b_agent.id)}, token=world.a.token
        )
        if refusal is None:
            assert body["data"][field] is None
        else:
            assert body["errors"][0]["extensions"]["code"] == refusal
        assert "Globex" not in json.dumps(body)

    return probe


def queue_list_probe(document: str) -> Probe:
    async def probe(world: World) -> None:
        await b_queue_item(world)
        body = await world.client.execute(document, token=world.a.token)
        assert "errors" not in body
        assert "Globex" not in json.dumps(body)
        assert str(world.b_agent.id) not in json.dumps(body)

    return probe


def queue_mutation_probe(field: str, arguments: str) -> Probe:
    """A's mutation names B's queue, item or agent: not found, and B's queue is as it was."""

    async def probe(world: World) -> None:
        queue_id, item_id = await b_queue_item(world)
        a_queue = await world.client.data(
            'mutation { queueCreate(input: {name: "Acme line"}) '
            "{ ... on QueueSaveSuccess { queue { id } } } }",
            token=world.a.token,
        )
        variables = {
            "q": queue_id,
            "i": item_id,
            "u": str(world.b_agent.id),
            "mine": a_queue["queueCreate"]["queue"]["id"],
        }
        monitor = "query($q: ID!) { queueMonitor(queueId: $q) { waiting { id status } } }"
        before = await world.client.data(monitor, {"q": queue_id}, token=world.b.token)
        used = {name: value for name, value in variables.items() if f"${name}" in arguments}
        declared = ", ".join(f"${name}: ID!" for name in used)
        body = await world.client.execute(
            f"mutation({declared}) {{ {field}(input: {{{arguments}}}) {{ __typename }} }}",
            used,
            token=world.a.token,
        )
        assert body["data"][field]["__typename"] == "NotFoundError", body
        assert await world.client.data(monitor, {"q": queue_id}, token=world.b.token) == before

    return probe


async def probe_queue_item_create(world: World) -> None:
    """A puts B's conversation in A's own queue: not found, and it stays out of any queue."""
    conversation_id = await b_conversation(world)
    a_queue = await world.client.data(
        'mutation { queueCreate(input: {name: "Acme line"}) '
        "{ ... on QueueSaveSuccess { queue { id } } } }",
        token=world.a.token,
    )
    body = await world.client.execute(
        "mutation($c: ID!, $q: ID!) { queueItemCreate(input: {conversationId: $c, queueId: $q}) "
        "{ __typename } }",
        {"c": conversation_id, "q": a_queue["queueCreate"]["queue"]["id"]},
        token=world.a.token,
    )
    seen_by_b = await world.client.data(
        "query($id: ID!) { conversation(id: $id) { queue { id } } }",
        {"id": conversation_id},
        token=world.b.token,
    )
    assert body["data"]["queueItemCreate"]["__typename"] == "NotFoundError", body
    assert seen_by_b["conversation"] == {"queue": None}


def queue_subscription_probe(document: str, happen: Callable[[World], Awaitable[None]]) -> Probe:
    async def probe(world: World) -> None:
        async with subscribed(world.server.ws_url, world.a.token, document) as stream:
            await asyncio.sleep(0.1)
            await happen(world)
            with pytest.raises(TimeoutError):
                await stream.receive(timeout=0.5)

    return probe


async def probe_onboarding(world: World) -> None:
    """A's onboarding counts A's things only: B's number, queue and flows move nothing of A's."""
    await world.client.data(
        'mutation { queueCreate(input: {name: "Globex queue"}) { __typename } }',
        token=world.b.token,
    )
    body = await world.client.execute(
        "{ onboarding { steps { step status } } }", token=world.a.token
    )
    statuses = {s["step"]: s["status"] for s in body["data"]["onboarding"]["steps"]}
    assert statuses["NUMBER"] == "TODO"
    assert statuses["TEAM"] == "TODO"
    b_state = await world.client.data(
        "{ onboarding { steps { step status } } }", token=world.b.token
    )
    assert {s["step"]: s["status"] for s in b_state["onboarding"]["steps"]}["NUMBER"] == "DONE"


def onboarding_mutation_probe(field: str) -> Probe:
    async def probe(world: World) -> None:
        await world.client.data(
            f"mutation {{ {field}(input: {{step: TEMPLATES}}) {{ __typename }} }}",
            token=world.a.token,
        )
        b_state = await world.client.data(
            "{ onboarding { steps { step status } } }", token=world.b.token
        )
        assert {s["step"]: s["status"] for s in b_state["onboarding"]["steps"]}[
            "TEMPLATES"
        ] == "TODO"

    return probe


async def b_creates_a_queue(world: World) -> None:
    await world.client.data(
        'mutation { queueCreate(input: {name: "Globex queue"}) { __typename } }',
        token=world.b.token,
    )


async def b_agent_goes_online(world: World) -> None:
    await world.server.runtime.services.queues.set_status(
        Actor.of(world.b.owner, None), world.b_agent.id, AgentStatus.ONLINE
    )


async def b_item_is_assigned(world: World) -> None:
    _, item_id = await b_queue_item(world)
    await b_agent_goes_online(world)
    await world.server.runtime.distribution.run_once()
    found = await world.server.runtime.services.queues.item(
        Actor.of(world.b.owner, None), uuid.UUID(item_id)
    )
    assert found is not None
    assert found[0].agent_id == world.b_agent.id


async def probe_queue_updated(world: World) -> None:
    queue_id, _ = await b_queue_item(world)
    document = "subscription($q: ID!) { queueUpdated(queueId: $q) { eventId } }"
    async with subscribed(world.server.ws_url, world.a.token, document, {"q": queue_id}) as stream:
        answer = await stream.receive()
    errors = answer["payload"] if answer["type"] == "error" else answer["payload"]["errors"]
    assert errors[0]["extensions"]["code"] == "NOT_FOUND"


async def b_invitation(world: World) -> tuple[str, str]:
    """B invites someone: the invitation's id and its link's token."""
    data = await world.client.data(
        'mutation { invitationCreate(input: {email: "new@globex.example", role: AGENT}) '
        "{ ... on InvitationIssueSuccess { link invitation { id } } } }",
        token=world.b.token,
    )
    issued = data["invitationCreate"]
    return issued["invitation"]["id"], issued["link"].rsplit("/", 1)[1]


async def b_invitations_as_b_sees_them(world: World) -> list[dict[str, object]]:
    data = await world.client.data(
        "{ invitations { id email status expiresAt revokedAt } }", token=world.b.token
    )
    invitations: list[dict[str, object]] = data["invitations"]
    return invitations


async def probe_invitations(world: World) -> None:
    await b_invitation(world)
    body = await world.client.execute("{ invitations { id email } }", token=world.a.token)
    assert body["data"]["invitations"] == []


async def probe_invitation_preview(world: World) -> None:
    """The link is the capability: without it, nothing of B's invitations can be read."""
    invitation_id, _ = await b_invitation(world)
    for guess in (invitation_id, str(uuid.uuid4())):
        body = await world.client.execute(
            "query($t: String!) { invitationPreview(token: $t) { __typename "
            "... on InvitationPreview { email } } }",
            {"t": guess},
            token=world.a.token,
        )
        assert body["data"]["invitationPreview"] == {"__typename": "NotFoundError"}


async def probe_invitation_create(world: World) -> None:
    queue = await world.client.data(
        'mutation { queueCreate(input: {name: "Globex support"}) '
        "{ ... on QueueSaveSuccess { queue { id } } } }",
        token=world.b.token,
    )
    body = await world.client.execute(
        'mutation($q: ID!) { invitationCreate(input: {email: "spy@acme.example", role: AGENT, '
        "queueIds: [$q]}) { __typename } }",
        {"q": queue["queueCreate"]["queue"]["id"]},
        token=world.a.token,
    )
    assert body["data"]["invitationCreate"]["__typename"] == "NotFoundError"
    assert await b_invitations_as_b_sees_them(world) == []


def invitation_mutation_probe(field: str) -> Probe:
    async def probe(world: World) -> None:
        invitation_id, _ = await b_invitation(world)
        before = await b_invitations_as_b_sees_them(world)
        body = await world.client.execute(
            f"mutation($id: ID!) {{ {field}(input: {{id: $id}}) {{ __typename }} }}",
            {"id": invitation_id},
            token=world.a.token,
        )
        assert body["data"][field]["__typename"] == "NotFoundError"
        assert await b_invitations_as_b_sees_them(world) == before

    return probe


async def probe_invitation_accept(world: World) -> None:
    """Accepting uses the invitation's organization, never the caller's: A's session joins B
    only through B's own link, and a guessed token joins nobody."""
    _, token = await b_invitation(world)
    guessed = await world.client.execute(
        'mutation { invitationAccept(input: {token: "guess", name: "Spy", '
        'password: "correct horse battery staple"}) { __typename } }',
        token=world.a.token,
    )
    joined = await world.client.data(
        'mutation($t: String!) { invitationAccept(input: {token: $t, name: "New", '
        'password: "correct horse battery staple"}) '
        "{ ... on InvitationAcceptSuccess { tokens { accessToken } } } }",
        {"t": token},
        token=world.a.token,
    )
    members_of_a = await world.client.data(
        "{ organization { users { edges { node { email } } } } }", token=world.a.token
    )
    new_member = await world.client.data(
        "{ organization { id } }",
        token=joined["invitationAccept"]["tokens"]["accessToken"],
    )

    assert guessed["data"]["invitationAccept"]["__typename"] == "NotFoundError"
    assert "new@globex.example" not in str(members_of_a)
    assert new_member["organization"]["id"] != str(world.a.organization_id)


async def b_alert_raised(world: World) -> None:
    await angry_customer_alert(world.server, world.b.owner)


async def b_sets_its_own_word(world: World) -> None:
    changed = await world.client.data(
        'mutation { aiSettingsUpdate(input: {lexicon: [{term: "xablau", valence: -3}], '
        'vipLabels: ["Globex VIP"]}) { __typename } }',
        token=world.b.token,
    )
    assert changed["aiSettingsUpdate"]["__typename"] == "AiSettingsUpdateSuccess"


async def probe_ai_settings(world: World) -> None:
    """A's settings hold nothing of B's, and B's own words never colour A's customers."""
    await b_sets_its_own_word(world)
    body = await world.client.data(
        "{ aiSettings { lexicon { term } alerts { vipLabels } } }", token=world.a.token
    )
    assert body["aiSettings"] == {"lexicon": [], "alerts": {"vipLabels": ["VIP"]}}
    a_number = await world.server.runtime.services.numbers.create(
        Actor.of(world.a.owner, None),
        "999000111222",
        "999000111333",
        NumberDetails(access_token="a-token"),
    )
    inbound = InboundService(world.server.runtime.unit_of_work, world.server.runtime.clock)
    for phone_number_id, wamid in ((a_number.phone_number_id, "A"), ("106540352242922", "B")):
        payload = text_message(f"wamid.X{wamid}", sender="5511988887777", at=int(time.time()))
        value = payload["entry"][0]["changes"][0]["value"]
        value["metadata"]["phone_number_id"] = phone_number_id
        value["messages"][0]["text"] = {"body": "xablau"}
        await inbound.apply(payload)
    await scored(world.server)
    async with world.server.runtime.database.engine.connect() as connection:
        result = await connection.execute(
            select(MessageRow.wamid, MessageSignalRow.sentiment_label).join(
                MessageSignalRow, MessageSignalRow.message_id == MessageRow.id
            )
        )
        labels = {wamid: label for wamid, label in result.all()}
    assert labels == {"wamid.XA": "neutral", "wamid.XB": "negative"}


async def probe_ai_settings_update(world: World) -> None:
    await b_sets_its_own_word(world)
    await world.client.data(
        "mutation { aiSettingsUpdate(input: {lexicon: [], clearNegativeStreak: true}) "
        "{ __typename } }",
        token=world.a.token,
    )
    b_state = await world.client.data(
        "{ aiSettings { lexicon { term } alerts { negativeStreak } } }", token=world.b.token
    )
    assert b_state["aiSettings"] == {
        "lexicon": [{"term": "xablau"}],
        "alerts": {"negativeStreak": 2},
    }


async def probe_ai_alerts(world: World) -> None:
    alert_id = await angry_customer_alert(world.server, world.b.owner)
    body = await world.client.data(
        "{ aiAlerts { edges { node { id conversationId } } } }", token=world.a.token
    )
    assert body["aiAlerts"]["edges"] == []
    assert alert_id not in json.dumps(body)


async def probe_ai_alert_resolve(world: World) -> None:
    alert_id = await angry_customer_alert(world.server, world.b.owner)
    body = await world.client.data(
        "mutation($id: ID!) { aiAlertResolve(input: {id: $id}) { __typename } }",
        {"id": alert_id},
        token=world.a.token,
    )
    assert body["aiAlertResolve"]["__typename"] == "NotFoundError"
    b_state = await world.client.data(
        "{ aiAlerts(unresolvedOnly: true) { edges { node { id } } } }", token=world.b.token
    )
    assert [edge["node"]["id"] for edge in b_state["aiAlerts"]["edges"]] == [alert_id]


async def b_canned(world: World) -> str:
    data = await world.client.data(
        'mutation { cannedResponseCreate(input: {shortcut: "globex", title: "Globex", '
        'body: "Globex secret answer"}) { ... on CannedResponseSaveSuccess '
        "{ cannedResponse { id } } } }",
        token=world.b.token,
    )
    return str(data["cannedResponseCreate"]["cannedResponse"]["id"])


async def probe_canned_responses(world: World) -> None:
    await b_canned(world)
    body = await world.client.data("{ cannedResponses { id body } }", token=world.a.token)
    assert body["cannedResponses"] == []


def canned_mutation_probe(field: str, extra: str) -> Probe:
    async def probe(world: World) -> None:
        canned_id = await b_canned(world)
        body = await world.client.data(
            f"mutation($id: ID!) {{ {field}(input: {{id: $id{extra}}}) {{ __typename }} }}",
            {"id": canned_id},
            token=world.a.token,
        )
        assert body[field]["__typename"] == "NotFoundError"
        b_state = await world.client.data("{ cannedResponses { body } }", token=world.b.token)
        assert b_state["cannedResponses"] == [{"body": "Globex secret answer"}]

    return probe


async def probe_canned_response_create(world: World) -> None:
    await b_canned(world)
    body = await world.client.data(
        'mutation { cannedResponseCreate(input: {shortcut: "globex", title: "Mine", '
        'body: "Acme answer"}) { __typename } }',
        token=world.a.token,
    )
    assert body["cannedResponseCreate"]["__typename"] == "CannedResponseSaveSuccess"
    b_state = await world.client.data("{ cannedResponses { body } }", token=world.b.token)
    assert b_state["cannedResponses"] == [{"body": "Globex secret answer"}]


async def probe_reply_suggestions(world: World) -> None:
    await b_canned(world)
    conversation_id = await b_conversation(world)
    body = await world.client.execute(
        "query($c: ID!) { replySuggestions(conversationId: $c) { text } }",
        {"c": conversation_id},
        token=world.a.token,
    )
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert "Globex secret answer" not in json.dumps(body)


async def b_intent(world: World) -> str:
    data = await world.client.data(
        'mutation { intentCreate(input: {name: "globex_secret", description: "Globex only", '
        'examples: ["globex secret example"]}) { ... on IntentSaveSuccess { intent { id } } } }',
        token=world.b.token,
    )
    return str(data["intentCreate"]["intent"]["id"])


async def b_state_of_intents(world: World) -> list[dict[str, object]]:
    data = await world.client.data("{ intents { name examples } }", token=world.b.token)
    return list(data["intents"])


async def probe_intents(world: World) -> None:
    await b_intent(world)
    body = await world.client.data("{ intents { id name } }", token=world.a.token)
    assert body["intents"] == []


async def probe_intent_create(world: World) -> None:
    """Names are each organization's own: A may use B's."""
    await b_intent(world)
    body = await world.client.data(
        'mutation { intentCreate(input: {name: "globex_secret", examples: ["acme"]}) '
        "{ __typename } }",
        token=world.a.token,
    )
    assert body["intentCreate"]["__typename"] == "IntentSaveSuccess"
    assert await b_state_of_intents(world) == [
        {"name": "globex_secret", "examples": ["globex secret example"]}
    ]


def intent_mutation_probe(field: str, extra: str) -> Probe:
    async def probe(world: World) -> None:
        intent_id = await b_intent(world)
        body = await world.client.data(
            f"mutation($id: ID!) {{ {field}(input: {{id: $id{extra}}}) {{ __typename }} }}",
            {"id": intent_id},
            token=world.a.token,
        )
        assert body[field]["__typename"] == "NotFoundError"
        assert await b_state_of_intents(world) == [
            {"name": "globex_secret", "examples": ["globex secret example"]}
        ]

    return probe


async def probe_intent_starter_set_import(world: World) -> None:
    """B's intents neither block nor join A's import."""
    await world.client.data(
        "mutation { intentStarterSetImport(input: {}) { __typename } }", token=world.b.token
    )
    body = await world.client.data(
        "mutation { intentStarterSetImport(input: {}) { ... on "
        "IntentStarterSetImportSuccess { created { name } skipped } } }",
        token=world.a.token,
    )
    imported = body["intentStarterSetImport"]
    assert imported["skipped"] == []
    assert len(imported["created"]) == 13
    assert len(await b_state_of_intents(world)) == 13


async def b_trains(world: World) -> None:
    await trained_starter_model(world.server, world.b.owner)


async def probe_intent_model_train(world: World) -> None:
    """B's examples never count for A: with none of its own, A cannot train."""
    await b_trains(world)
    body = await world.client.data(
        "mutation { intentModelTrain { __typename ... on ValidationError { message } } }",
        token=world.a.token,
    )
    assert body["intentModelTrain"] == {
        "__typename": "ValidationError",
        "message": "at least 2 intents with examples are needed",
    }


async def probe_intent_model(world: World) -> None:
    await b_trains(world)
    body = await world.client.data(
        "{ intentModel { id } intentModels(first: 20) { id } }", token=world.a.token
    )
    assert body == {"intentModel": None, "intentModels": []}


async def probe_ai_insights(world: World) -> None:
    """B's angry customer and B's suggestions count in B's insights only."""
    await angry_customer_alert(world.server, world.b.owner)
    now = datetime.now(UTC)
    document = (
        "query($s: DateTime!, $u: DateTime!) { aiInsights(since: $s, until: $u) { "
        "sentiment { read turnedNegative } topIntents { name } "
        "suggestions { offered } negativeConversationIds negativeConversations { id } } }"
    )
    period = {
        "s": (now - timedelta(days=1)).isoformat(),
        "u": (now + timedelta(hours=1)).isoformat(),
    }
    body = await world.client.data(document, period, token=world.a.token)
    b_state = await world.client.data(document, period, token=world.b.token)

    assert body["aiInsights"] == {
        "sentiment": {"read": 0, "turnedNegative": 0},
        "topIntents": [],
        "suggestions": {"offered": 0},
        "negativeConversationIds": [],
        "negativeConversations": [],
    }
    assert b_state["aiInsights"]["sentiment"]["read"] == 2


async def b_notified(world: World) -> str:
    """B's owner hands B's agent a conversation; returns the agent's notification's id."""
    await assign(world.client, world.b.token, await b_conversation(world), str(world.b_agent.id))
    [notification] = await notified(world.client, world.b_agent_token)
    notification_id: str = notification["id"]
    return notification_id


async def probe_notifications(world: World) -> None:
    await b_notified(world)
    body = await world.client.execute(
        "{ notifications(filter: {includeArchived: true}) { edges { node { id subject } } } "
        "notificationUnreadCount }",
        token=world.a.token,
    )
    assert body["data"] == {"notifications": {"edges": []}, "notificationUnreadCount": 0}
    world.assert_nothing_of_b_in(body)


async def probe_notification_types(world: World) -> None:
    body = await world.client.execute("{ notificationTypes { name } }", token=world.a.token)
    assert {"name": "conversation_assigned"} in body["data"]["notificationTypes"]
    world.assert_nothing_of_b_in(body)


def notification_mutation_probe(document: str) -> Probe:
    """A names B's agent's notification: it stays unread, and in B's agent's list."""

    async def probe(world: World) -> None:
        notification_id = await b_notified(world)
        await world.client.data(document, {"ids": [notification_id]}, token=world.a.token)
        found, unread = await notifications_of(world.client, world.b_agent_token)
        assert [n["id"] for n in found] == [notification_id]
        assert unread == 1

    return probe


async def probe_notification_preferences(world: World) -> None:
    """B's agent's choices are theirs: A's owner reads and changes only A's own."""
    await world.client.data(
        "mutation { notificationPreferencesUpdate(input: {maxAnnouncedPerMinute: 3, "
        'timeZone: "Asia/Tokyo"}) { __typename } }',
        token=world.b_agent_token,
    )
    body = await world.client.execute(
        "{ notificationPreferences { timeZone maxAnnouncedPerMinute } }", token=world.a.token
    )
    assert body["data"]["notificationPreferences"] == {
        "timeZone": None,
        "maxAnnouncedPerMinute": 10,
    }


async def probe_notification_preferences_update(world: World) -> None:
    await world.client.data(
        "mutation { notificationPreferencesUpdate(input: {maxAnnouncedPerMinute: 2}) "
        "{ __typename } }",
        token=world.a.token,
    )
    body = await world.client.data(
        "{ notificationPreferences { maxAnnouncedPerMinute } }", token=world.b_agent_token
    )
    assert body["notificationPreferences"]["maxAnnouncedPerMinute"] == 10


PUSH_SUBSCRIPTIONS = "{ pushSubscriptions { endpoint } }"


async def b_agent_subscribes_a_browser(world: World) -> Browser:
    browser = Browser("https://push.example.com/send/b-agent")
    data = await world.client.data(
        SUBSCRIBE, {"input": browser.subscription()}, token=world.b_agent_token
    )
    assert data["pushSubscriptionAdd"]["__typename"] == "PushSubscriptionAddSuccess"
    return browser


async def probe_push_subscriptions(world: World) -> None:
    """B's agent's browsers are theirs alone."""
    await b_agent_subscribes_a_browser(world)
    body = await world.client.execute(PUSH_SUBSCRIPTIONS, token=world.a.token)
    assert body["data"]["pushSubscriptions"] == []
    world.assert_nothing_of_b_in(body)


async def probe_push_subscription_remove(world: World) -> None:
    browser = await b_agent_subscribes_a_browser(world)
    body = await world.client.data(
        "mutation($e: String!) { pushSubscriptionRemove(input: {endpoint: $e}) "
        "{ ... on PushSubscriptionRemoveSuccess { removed } } }",
        {"e": browser.endpoint},
        token=world.a.token,
    )
    assert body["pushSubscriptionRemove"] == {"removed": False}
    kept = await world.client.data(PUSH_SUBSCRIPTIONS, token=world.b_agent_token)
    assert kept["pushSubscriptions"] == [{"endpoint": browser.endpoint}]


async def probe_push_subscription_add(world: World) -> None:
    """A's owner taking a browser makes it A's owner's (a browser has one person), and B's
    agent's list no longer has it; nothing of B's shows in A's answer."""
    browser = await b_agent_subscribes_a_browser(world)
    other = Browser("https://push.example.com/send/a-owner")
    body = await world.client.execute(
        SUBSCRIBE, {"input": other.subscription()}, token=world.a.token
    )
    world.assert_nothing_of_b_in(body)
    kept = await world.client.data(PUSH_SUBSCRIPTIONS, token=world.b_agent_token)
    assert kept["pushSubscriptions"] == [{"endpoint": browser.endpoint}]


async def probe_notification_channels(world: World) -> None:
    body = await world.client.execute(
        "{ notificationChannels { email webPushPublicKey } }", token=world.a.token
    )
    assert len(body["data"]["notificationChannels"]["webPushPublicKey"]) == 87
    world.assert_nothing_of_b_in(body)


async def b_agent_is_notified(world: World) -> None:
    await b_notified(world)


PROBES: dict[str, Probe] = {
    "Query.me": probe_me,
    "Query.organization": probe_organization,
    "Query.user": probe_user,
    "Mutation.tokenCreate": probe_token_create,
    "Mutation.tokenRefresh": probe_token_refresh,
    "Mutation.tokenRevoke": probe_token_revoke,
    "Mutation.userCreate": probe_user_create,
    "Mutation.userUpdate": probe_user_update,
    "Mutation.userDeactivate": probe_user_deactivate,
    "Mutation.organizationCreate": probe_organization_create,
    "Mutation.organizationUpdate": probe_organization_update,
    "Subscription.organizationEvents": probe_organization_events,
    "Query.whatsappNumbers": probe_whatsapp_numbers,
    "Query.whatsappNumberCheck": probe_whatsapp_number_check,
    "Mutation.whatsappTrialStart": probe_whatsapp_trial_start,
    "Mutation.whatsappTrialCustomerSay": probe_whatsapp_trial_customer_say,
    "Mutation.whatsappNumberCreate": probe_whatsapp_number_create,
    "Mutation.whatsappNumberUpdate": probe_whatsapp_number_update,
    "Mutation.whatsappNumberDelete": probe_whatsapp_number_delete,
    "Query.whatsappTemplates": probe_whatsapp_templates,
    "Query.conversation": probe_conversation,
    "Query.node": probe_node,
    "Query.messages": probe_messages,
    "Query.conversations": probe_conversations,
    "Query.conversationStats": probe_conversation_stats,
    "Query.conversationNotes": probe_conversation_notes,
    "Mutation.messageSend": probe_message_send,
    "Mutation.conversationMarkRead": probe_conversation_mark_read,
    "Mutation.conversationStatusUpdate": probe_conversation_status_update,
    "Mutation.conversationAssign": probe_conversation_assign,
    "Mutation.conversationLabelsSet": probe_conversation_labels_set,
    "Mutation.conversationNoteAdd": probe_conversation_note_add,
    "Subscription.messageReceived": inbox_subscription_probe("messageReceived"),
    "Subscription.messageSent": inbox_subscription_probe("messageSent"),
    "Subscription.messageStatusUpdated": inbox_subscription_probe("messageStatusUpdated"),
    "Subscription.messageChanged": inbox_subscription_probe("messageChanged"),
    "Subscription.conversationUpdated": inbox_subscription_probe("conversationUpdated"),
    "Subscription.typing": inbox_subscription_probe("typing"),
    "Subscription.unreadCountsChanged": inbox_subscription_probe("unreadCountsChanged"),
    "Mutation.typingIndicatorSend": probe_typing_indicator_send,
    "Mutation.whatsappNumberSync": probe_whatsapp_number_sync,
    "Mutation.whatsappTemplateSync": probe_whatsapp_template_sync,
    "Mutation.whatsappTemplateCreate": probe_whatsapp_template_create,
    "Mutation.whatsappTemplateDelete": probe_whatsapp_template_delete,
    "Query.flows": probe_flows,
    "Query.flow": probe_flow,
    "Query.flowLibrary": probe_flow_library,
    "Query.flowValidate": flow_query_probe(
        "query($id: ID!) { flowValidate(id: $id) { code message nodeId } }"
    ),
    "Query.flowTest": flow_query_probe(
        'query($id: ID!) { flowTest(id: $id, input: {messages: [{text: "hi"}]}) '
        "{ transcript { text } } }"
    ),
    "Mutation.flowCreate": probe_flow_create,
    "Mutation.flowUpdate": flow_mutation_probe("flowUpdate", ', name: "Mine now"'),
    "Mutation.flowDuplicate": flow_mutation_probe("flowDuplicate", ""),
    "Mutation.flowArchive": flow_mutation_probe("flowArchive", ""),
    "Mutation.flowPublish": flow_mutation_probe("flowPublish", ""),
    "Mutation.flowRollback": probe_flow_rollback,
    "Query.flowSessions": probe_flow_sessions,
    "Query.flowSession": probe_flow_session,
    "Query.flowStats": probe_flow_stats,
    "Subscription.flowSessionUpdated": probe_flow_session_updated,
    "Query.queues": queue_list_probe("{ queues { id name } }"),
    "Query.queue": queue_query_probe("query($q: ID!) { queue(id: $q) { name } }", "queue", None),
    "Query.queueItems": queue_query_probe(
        "query($q: ID!) { queueItems(queueId: $q) { edges { node { id } } } }",
        "queueItems",
        "NOT_FOUND",
    ),
    "Query.queueItem": queue_query_probe(
        "query($i: ID!) { queueItem(id: $i) { id conversationId } }", "queueItem", None
    ),
    "Query.agents": queue_list_probe("{ agents { user { id name } queueIds } }"),
    "Query.agent": queue_query_probe(
        "query($u: ID!) { agent(userId: $u) { user { name } } }", "agent", None
    ),
    "Query.queueDashboard": queue_list_probe(
        "{ queueDashboard { queue { name } waiting agents { user { id } } } }"
    ),
    "Query.queueMonitor": queue_query_probe(
        "query($q: ID!) { queueMonitor(queueId: $q) { waiting { id } } }",
        "queueMonitor",
        "NOT_FOUND",
    ),
    "Query.queueMetrics": queue_query_probe(
        'query($q: ID!) { queueMetrics(queueId: $q, since: "2020-01-01T00:00:00Z") '
        "{ total { entries } } }",
        "queueMetrics",
        "NOT_FOUND",
    ),
    "Mutation.queueCreate": queue_mutation_probe(
        "queueCreate", 'name: "Spill", overflowQueueId: $q'
    ),
    "Mutation.queueUpdate": queue_mutation_probe("queueUpdate", 'id: $q, name: "Mine now"'),
    "Mutation.queueDelete": queue_mutation_probe("queueDelete", "id: $q"),
    "Mutation.queueItemCreate": probe_queue_item_create,
    "Mutation.queueItemAssign": queue_mutation_probe("queueItemAssign", "id: $i, agentId: $u"),
    "Mutation.queueItemTransfer": queue_mutation_probe(
        "queueItemTransfer", "id: $i, queueId: $mine"
    ),
    "Mutation.queueItemComplete": queue_mutation_probe("queueItemComplete", "id: $i"),
    "Mutation.queueItemAbandon": queue_mutation_probe("queueItemAbandon", "id: $i"),
    "Mutation.agentStatusUpdate": queue_mutation_probe(
        "agentStatusUpdate", "userId: $u, status: OFFLINE"
    ),
    "Mutation.agentUpdate": queue_mutation_probe("agentUpdate", "userId: $u, capacity: 9"),
    "Subscription.queueUpdated": probe_queue_updated,
    "Subscription.agentStatusChanged": queue_subscription_probe(
        "subscription { agentStatusChanged { eventId userId } }", b_agent_goes_online
    ),
    "Query.invitations": probe_invitations,
    "Query.invitationPreview": probe_invitation_preview,
    "Mutation.invitationCreate": probe_invitation_create,
    "Mutation.invitationResend": invitation_mutation_probe("invitationResend"),
    "Mutation.invitationRevoke": invitation_mutation_probe("invitationRevoke"),
    "Mutation.invitationAccept": probe_invitation_accept,
    "Query.onboarding": probe_onboarding,
    "Mutation.onboardingStepComplete": onboarding_mutation_probe("onboardingStepComplete"),
    "Mutation.onboardingSkip": onboarding_mutation_probe("onboardingSkip"),
    "Subscription.onboardingUpdated": queue_subscription_probe(
        "subscription { onboardingUpdated { eventId } }", b_creates_a_queue
    ),
    "Subscription.assignmentReceived": queue_subscription_probe(
        "subscription { assignmentReceived { eventId itemId } }", b_item_is_assigned
    ),
    "Query.cannedResponses": probe_canned_responses,
    "Query.replySuggestions": probe_reply_suggestions,
    "Mutation.cannedResponseCreate": probe_canned_response_create,
    "Mutation.cannedResponseUpdate": canned_mutation_probe(
        "cannedResponseUpdate", ', shortcut: "x", title: "x", body: "x"'
    ),
    "Mutation.cannedResponseDelete": canned_mutation_probe("cannedResponseDelete", ""),
    "Query.aiSettings": probe_ai_settings,
    "Mutation.aiSettingsUpdate": probe_ai_settings_update,
    "Query.aiAlerts": probe_ai_alerts,
    "Mutation.aiAlertResolve": probe_ai_alert_resolve,
    "Subscription.aiAlertRaised": queue_subscription_probe(
        "subscription { aiAlertRaised { eventId alertId } }", b_alert_raised
    ),
    "Query.aiInsights": probe_ai_insights,
    "Query.intents": probe_intents,
    "Query.intentModel": probe_intent_model,
    "Query.intentModels": probe_intent_model,
    "Mutation.intentCreate": probe_intent_create,
    "Mutation.intentUpdate": intent_mutation_probe("intentUpdate", ', name: "x", examples: ["x"]'),
    "Mutation.intentDelete": intent_mutation_probe("intentDelete", ""),
    "Mutation.intentStarterSetImport": probe_intent_starter_set_import,
    "Mutation.intentModelTrain": probe_intent_model_train,
    "Subscription.intentModelUpdated": queue_subscription_probe(
        "subscription { intentModelUpdated { eventId modelId } }", b_trains
    ),
    "Query.notifications": probe_notifications,
    "Query.notificationUnreadCount": probe_notifications,
    "Query.notificationTypes": probe_notification_types,
    "Query.notificationPreferences": probe_notification_preferences,
    "Mutation.notificationMarkRead": notification_mutation_probe(
        "mutation($ids: [ID!]) { notificationMarkRead(input: {ids: $ids}) { __typename } }"
    ),
    "Mutation.notificationArchive": notification_mutation_probe(
        "mutation($ids: [ID!]!) { notificationArchive(input: {ids: $ids}) { __typename } }"
    ),
    "Mutation.notificationPreferencesUpdate": probe_notification_preferences_update,
    "Query.notificationChannels": probe_notification_channels,
    "Query.pushSubscriptions": probe_push_subscriptions,
    "Mutation.pushSubscriptionAdd": probe_push_subscription_add,
    "Mutation.pushSubscriptionRemove": probe_push_subscription_remove,
    "Subscription.notificationReceived": queue_subscription_probe(
        "subscription { notificationReceived { eventId } }", b_agent_is_notified
    ),
}


def root_fields() -> set[str]:
    schema = build_schema()._schema
    roots = [schema.query_type, schema.mutation_type, schema.subscription_type]
    return {f"{root.name}.{name}" for root in roots if root is not None for name in root.fields}


def test_every_root_field_has_an_isolation_probe() -> None:
    missing = root_fields() - PROBES.keys()
    stale = PROBES.keys() - root_fields()

    assert not missing, f"root fields without a tenant-isolation probe: {sorted(missing)}"
    assert not stale, f"probes for fields that no longer exist: {sorted(stale)}"


@pytest.mark.parametrize("field", sorted(PROBES))
async def test_organization_a_cannot_reach_organization_b(
    field: str, server: RunningServer, client: GraphQLClient
) -> None:
    a = await create_tenant(server, client, "Acme")
    b = await create_tenant(server, client, "Globex")
    b_agent, b_agent_token = await add_user(server, client, b, Role.AGENT)
    b_number = await server.runtime.services.numbers.create(
        Actor.of(b.owner, None),
        "106540352242922",
        "102290129340398",
        NumberDetails(access_token="b-token"),
    )

    await PROBES[field](World(server, client, a, b, b_agent, b_agent_token, b_number))
