"""Every mutation that changes data leaves an audit record: who, what, which, when, from where.

Each Mutation root field needs an entry below; a new mutation without one fails the first test.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from domain.accounts.model import Actor, Role
from domain.ingestion.ingest import InboundService
from domain.queues.routing import Entered
from domain.whatsapp.numbers import NumberDetails
from graphql_api.schema import build_schema
from persistence.models.audit import AuditLogRow
from persistence.models.conversations import ConversationRow
from tests.ai.alerts import angry_customer_alert
from tests.meta_payloads import PHONE_NUMBER_ID
from tests.notifications import notified
from tests.support import (
    PASSWORD,
    TOKEN_CREATE,
    GraphQLClient,
    RunningServer,
    Tenant,
    add_user,
    create_tenant,
)
from tests.web.test_webhook_ingestion import text_message as inbound_text
from tests.webpush import SUBSCRIBE, Browser


@dataclass
class Expected:
    action: str
    target_type: str
    changes: dict[str, Any]
    actor: str | None = None
    """The acting user's id when it is not the tenant's owner (someone joining, for one)."""


Act = Callable[[GraphQLClient, Tenant, RunningServer], Awaitable[tuple[str, Expected]]]


async def refresh_token_of(client: GraphQLClient, email: str) -> str:
    data = await client.data(TOKEN_CREATE, {"email": email, "password": PASSWORD})
    token: str = data["tokenCreate"]["tokens"]["refreshToken"]
    return token


async def act_token_create(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    await refresh_token_of(client, tenant.owner.email)
    return str(tenant.owner.id), Expected("token.create", "user", {})


async def act_token_refresh(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    refresh = await refresh_token_of(client, tenant.owner.email)
    await client.data(
        "mutation($t: String!) { tokenRefresh(input: {refreshToken: $t}) { __typename } }",
        {"t": refresh},
    )
    return str(tenant.owner.id), Expected("token.refresh", "user", {})


async def act_token_revoke(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    refresh = await refresh_token_of(client, tenant.owner.email)
    await client.data(
        "mutation($t: String!) { tokenRevoke(input: {refreshToken: $t}) { revoked } }",
        {"t": refresh},
    )
    return str(tenant.owner.id), Expected("token.revoke", "user", {})


async def act_user_create(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    data = await client.data(
        'mutation($p: String!) { userCreate(input: {email: "new@example.com", name: "New", '
        "role: SUPERVISOR, "
        "password: $p}) { ... on UserCreateSuccess { user { id } } } }",
        {"p": PASSWORD},
        token=tenant.token,
    )
    changes = {"email": "new@example.com", "name": "New", "role": "supervisor"}
    return data["userCreate"]["user"]["id"], Expected("user.create", "user", changes)


async def act_user_update(
    client: GraphQLClient, tenant: Tenant, server: RunningServer
) -> tuple[str, Expected]:
    agent, _ = await add_user(server, client, tenant, Role.AGENT)
    await client.data(
        'mutation($id: ID!) { userUpdate(input: {id: $id, name: "Renamed", role: SUPERVISOR}) '
        "{ __typename } }",
        {"id": str(agent.id)},
        token=tenant.token,
    )
    changes = {
        "name": {"from": "Agent", "to": "Renamed"},
        "role": {"from": "agent", "to": "supervisor"},
    }
    return str(agent.id), Expected("user.update", "user", changes)


async def act_user_deactivate(
    client: GraphQLClient, tenant: Tenant, server: RunningServer
) -> tuple[str, Expected]:
    agent, _ = await add_user(server, client, tenant, Role.AGENT)
    await client.data(
        "mutation($id: ID!) { userDeactivate(input: {id: $id}) { __typename } }",
        {"id": str(agent.id)},
        token=tenant.token,
    )
    return str(agent.id), Expected(
        "user.deactivate", "user", {"isActive": {"from": True, "to": False}}
    )


async def act_organization_update(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    await client.data(
        'mutation { organizationUpdate(input: {timeZone: "America/Recife", segment: HEALTH}) '
        "{ __typename } }",
        token=tenant.token,
    )
    changes = {"time_zone": "America/Recife", "segment": "health"}
    return str(tenant.organization_id), Expected("organization.update", "organization", changes)


async def act_organization_create(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    data = await client.data(
        'mutation($p: String!) { organizationCreate(input: {name: "Globex", '
        'ownerEmail: "hank@globex.example", ownerName: "Hank", ownerPassword: $p}) '
        "{ ... on OrganizationCreateSuccess { organization { id } } } }",
        {"p": PASSWORD},
        token=tenant.token,
    )
    changes = {"name": "Globex", "ownerEmail": "hank@globex.example"}
    return data["organizationCreate"]["organization"]["id"], Expected(
        "organization.create", "organization", changes
    )


NUMBER_CREATE = (
    'mutation { whatsappNumberCreate(input: {phoneNumberId: "1065", wabaId: "1022", '
    'accessToken: "secret-token"}) { ... on WhatsAppNumberCreateSuccess { number { id } } } }'
)


async def connect_number(client: GraphQLClient, tenant: Tenant) -> str:
    data = await client.data(NUMBER_CREATE, token=tenant.token)
    number_id: str = data["whatsappNumberCreate"]["number"]["id"]
    return number_id


async def act_whatsapp_number_create(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    number_id = await connect_number(client, tenant)
    changes = {"phoneNumberId": "1065", "wabaId": "1022", "displayPhoneNumber": "1065"}
    return number_id, Expected("whatsapp_number.create", "whatsapp_number", changes)


async def act_whatsapp_number_update(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    number_id = await connect_number(client, tenant)
    await client.data(
        "mutation($id: ID!) { whatsappNumberUpdate(input: {id: $id, messagesPerSecond: 20, "
        'accessToken: "new-secret"}) { __typename } }',
        {"id": number_id},
        token=tenant.token,
    )
    changes = {"messagesPerSecond": {"from": 80, "to": 20}, "accessToken": "changed"}
    return number_id, Expected("whatsapp_number.update", "whatsapp_number", changes)


async def act_whatsapp_number_delete(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    number_id = await connect_number(client, tenant)
    await client.data(
        "mutation($id: ID!) { whatsappNumberDelete(input: {id: $id}) { __typename } }",
        {"id": number_id},
        token=tenant.token,
    )
    changes = {"phoneNumberId": "1065"}
    return number_id, Expected("whatsapp_number.delete", "whatsapp_number", changes)


async def act_whatsapp_number_sync(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    number_id = await connect_number(client, tenant)
    data = await client.data(
        "mutation($id: ID!) { whatsappNumberSync(input: {id: $id}) { __typename } }",
        {"id": number_id},
        token=tenant.token,
    )
    assert data["whatsappNumberSync"]["__typename"] == "WhatsAppNumberSyncSuccess"
    synced = {
        "display_phone_number": {"from": "1065", "to": "15550001111"},
        "verified_name": {"from": None, "to": "PyTake Simulator"},
        "quality_rating": {"from": None, "to": "GREEN"},
        "status": {"from": None, "to": "CONNECTED"},
    }
    return number_id, Expected(
        "whatsapp_number.update", "whatsapp_number", {"syncedFromMeta": synced}
    )


TEMPLATE_CREATE = (
    'mutation($n: ID!) { whatsappTemplateCreate(input: {numberId: $n, name: "order_ready", '
    'category: "UTILITY", language: "en_US", body: "Hi {{1}}, your order is ready.", '
    'bodyExamples: ["Ana"]}) { __typename } }'
)


async def act_whatsapp_template_create(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    number_id = await connect_number(client, tenant)
    data = await client.data(TEMPLATE_CREATE, {"n": number_id}, token=tenant.token)
    assert data["whatsappTemplateCreate"]["__typename"] == "WhatsAppTemplateCreateSuccess"
    changes = {"wabaId": "1022", "name": "order_ready", "language": "en_US"}
    return number_id, Expected("whatsapp_template.create", "whatsapp_number", changes)


async def act_whatsapp_template_sync(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    number_id = await connect_number(client, tenant)
    await client.data(TEMPLATE_CREATE, {"n": number_id}, token=tenant.token)
    data = await client.data(
        "mutation($n: ID!) { whatsappTemplateSync(input: {numberId: $n}) { __typename } }",
        {"n": number_id},
        token=tenant.token,
    )
    assert data["whatsappTemplateSync"]["__typename"] == "WhatsAppTemplateSyncSuccess"
    changes = {"wabaId": "1022", "templates": 1}
    return number_id, Expected("whatsapp_template.sync", "whatsapp_number", changes)


async def act_whatsapp_template_delete(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    number_id = await connect_number(client, tenant)
    await client.data(TEMPLATE_CREATE, {"n": number_id}, token=tenant.token)
    data = await client.data(
        'mutation($n: ID!) { whatsappTemplateDelete(input: {numberId: $n, name: "order_ready"}) '
        "{ __typename } }",
        {"n": number_id},
        token=tenant.token,
    )
    assert data["whatsappTemplateDelete"]["__typename"] == "WhatsAppTemplateDeleteSuccess"
    changes = {"wabaId": "1022", "name": "order_ready"}
    return number_id, Expected("whatsapp_template.delete", "whatsapp_number", changes)


async def customer_conversation(
    client: GraphQLClient, tenant: Tenant, server: RunningServer
) -> str:
    await server.runtime.services.numbers.create(
        Actor.of(tenant.owner, None), PHONE_NUMBER_ID, "1022", NumberDetails(access_token="t")
    )
    await InboundService(server.runtime.unit_of_work, server.runtime.clock).apply(
        inbound_text("wamid.AUDIT", at=int(time.time()))
    )
    async with server.runtime.database.engine.connect() as connection:
        return str(await connection.scalar(select(ConversationRow.id)))


def conversation_act(mutation: str, fields: str, action: str, changes: dict[str, Any]) -> Act:
    async def act(
        client: GraphQLClient, tenant: Tenant, server: RunningServer
    ) -> tuple[str, Expected]:
        conversation_id = await customer_conversation(client, tenant, server)
        data = await client.data(
            f"mutation($id: ID!) {{ {mutation}(input: {{{fields}}}) {{ __typename }} }}",
            {"id": conversation_id},
            token=tenant.token,
        )
        assert not data[mutation]["__typename"].endswith("Error"), data
        return conversation_id, Expected(action, "conversation", changes)

    return act


async def act_conversation_assign(
    client: GraphQLClient, tenant: Tenant, server: RunningServer
) -> tuple[str, Expected]:
    conversation_id = await customer_conversation(client, tenant, server)
    await client.data(
        "mutation($id: ID!, $a: ID!) { conversationAssign(input: {id: $id, agentId: $a}) "
        "{ __typename } }",
        {"id": conversation_id, "a": str(tenant.owner.id)},
        token=tenant.token,
    )
    changes = {"assigneeId": str(tenant.owner.id)}
    return conversation_id, Expected("conversation.assign", "conversation", changes)


GREETING_FLOW = {
    "nodes": [
        {"id": "t", "type": "trigger_universal", "position": {"x": 0, "y": 0}, "data": {}},
        {"id": "m", "type": "msg_text", "position": {"x": 0, "y": 9}, "data": {"text": "Hi"}},
    ],
    "edges": [{"id": "e", "source": "t", "target": "m", "sourceHandle": None}],
}


async def create_flow(client: GraphQLClient, tenant: Tenant) -> str:
    number_id = await connect_number(client, tenant)
    data = await client.data(
        'mutation($n: ID!, $g: JSON!) { flowCreate(input: {name: "Greeting", kind: UNIVERSAL, '
        "numberIds: [$n], graph: $g}) { ... on FlowSaveSuccess { flow { id } } } }",
        {"n": number_id, "g": GREETING_FLOW},
        token=tenant.token,
    )
    flow_id: str = data["flowCreate"]["flow"]["id"]
    return flow_id


async def act_flow_create(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    flow_id = await create_flow(client, tenant)
    return flow_id, Expected("flow.create", "flow", {"name": "Greeting", "kind": "universal"})


ORIGINAL = "<the original flow's id>"


def flow_act(
    field: str,
    arguments: str,
    action: str,
    changes: dict[str, Any],
    success: str = "FlowSaveSuccess",
) -> Act:
    async def act(client: GraphQLClient, tenant: Tenant, _: RunningServer) -> tuple[str, Expected]:
        flow_id = await create_flow(client, tenant)
        data = await client.data(
            f"mutation($id: ID!) {{ {field}(input: {{id: $id{arguments}}}) "
            f"{{ __typename ... on {success} {{ flow {{ id }} }} }} }}",
            {"id": flow_id},
            token=tenant.token,
        )
        target = data[field].get("flow", {}).get("id", flow_id)
        assert data[field]["__typename"] == success, data
        expected = {k: flow_id if v == ORIGINAL else v for k, v in changes.items()}
        return target, Expected(action, "flow", expected)

    return act


async def act_flow_rollback(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    flow_id = await create_flow(client, tenant)
    await client.data(
        "mutation($id: ID!) { flowPublish(input: {id: $id}) { __typename } }",
        {"id": flow_id},
        token=tenant.token,
    )
    data = await client.data(
        "mutation($id: ID!) { flowRollback(input: {id: $id, version: 1}) { __typename } }",
        {"id": flow_id},
        token=tenant.token,
    )
    assert data["flowRollback"]["__typename"] == "FlowPublishSuccess", data
    return flow_id, Expected("flow.rollback", "flow", {"version": 2, "restored": 1})


async def create_invitation(client: GraphQLClient, tenant: Tenant) -> tuple[str, str]:
    """An invitation of an agent: its id and its link."""
    data = await client.data(
        'mutation { invitationCreate(input: {email: "new@example.com", role: AGENT}) '
        "{ ... on InvitationIssueSuccess { link invitation { id } } } }",
        token=tenant.token,
    )
    issued = data["invitationCreate"]
    return issued["invitation"]["id"], issued["link"]


async def act_invitation_create(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    invitation_id, _link = await create_invitation(client, tenant)
    changes = {"email": "new@example.com", "role": "agent", "queueIds": []}
    return invitation_id, Expected("invitation.create", "invitation", changes)


def invitation_act(field: str, action: str) -> Act:
    async def act(client: GraphQLClient, tenant: Tenant, _: RunningServer) -> tuple[str, Expected]:
        invitation_id, _link = await create_invitation(client, tenant)
        data = await client.data(
            f"mutation($id: ID!) {{ {field}(input: {{id: $id}}) {{ __typename }} }}",
            {"id": invitation_id},
            token=tenant.token,
        )
        assert data[field]["__typename"].endswith("Success"), data
        return invitation_id, Expected(action, "invitation", {})

    return act


async def act_invitation_accept(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    invitation_id, link = await create_invitation(client, tenant)
    data = await client.data(
        "mutation($t: String!, $p: String!) { invitationAccept(input: {token: $t, "
        'name: "New", password: $p}) { ... on InvitationAcceptSuccess { user { id } } } }',
        {"t": link.rsplit("/", 1)[1], "p": PASSWORD},
    )
    user_id = data["invitationAccept"]["user"]["id"]
    changes = {"userId": user_id, "role": "agent"}
    return invitation_id, Expected("invitation.accept", "invitation", changes, actor=user_id)


def onboarding_act(field: str, action: str) -> Act:
    async def act(client: GraphQLClient, tenant: Tenant, _: RunningServer) -> tuple[str, Expected]:
        data = await client.data(
            f"mutation {{ {field}(input: {{step: TEMPLATES}}) {{ __typename }} }}",
            token=tenant.token,
        )
        assert data[field]["__typename"] == "OnboardingSuccess", data
        return "templates", Expected(action, "onboarding_step", {})

    return act


async def start_trial(client: GraphQLClient, tenant: Tenant) -> dict[str, str]:
    data = await client.data(
        "mutation { whatsappTrialStart { ... on WhatsAppTrialStartSuccess "
        "{ number { id phoneNumberId wabaId displayPhoneNumber } } } }",
        token=tenant.token,
    )
    number: dict[str, str] = data["whatsappTrialStart"]["number"]
    return number


async def act_trial_start(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    number = await start_trial(client, tenant)
    changes = {k: number[k] for k in ("phoneNumberId", "wabaId", "displayPhoneNumber")}
    return number["id"], Expected("whatsapp_number.create", "whatsapp_number", changes)


async def act_trial_customer_say(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    number_id = (await start_trial(client, tenant))["id"]
    data = await client.data(
        'mutation { whatsappTrialCustomerSay(input: {text: "oi"}) '
        "{ ... on WhatsAppTrialCustomerSaySuccess { wamid } } }",
        token=tenant.token,
    )
    wamid = data["whatsappTrialCustomerSay"]["wamid"]
    return number_id, Expected(
        "whatsapp_number.trial_customer_say", "whatsapp_number", {"wamid": wamid}
    )


async def create_queue(client: GraphQLClient, tenant: Tenant, name: str = "Support") -> str:
    data = await client.data(
        "mutation($n: String!) { queueCreate(input: {name: $n}) "
        "{ ... on QueueSaveSuccess { queue { id } } } }",
        {"n": name},
        token=tenant.token,
    )
    queue_id: str = data["queueCreate"]["queue"]["id"]
    return queue_id


def queue_act(field: str, arguments: str, action: str, changes: dict[str, Any]) -> Act:
    async def act(client: GraphQLClient, tenant: Tenant, _: RunningServer) -> tuple[str, Expected]:
        queue_id = await create_queue(client, tenant)
        data = await client.data(
            f"mutation($id: ID!) {{ {field}(input: {{id: $id{arguments}}}) {{ __typename }} }}",
            {"id": queue_id},
            token=tenant.token,
        )
        assert not data[field]["__typename"].endswith("Error"), data
        return queue_id, Expected(action, "queue", changes)

    return act


async def act_queue_create(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    return await create_queue(client, tenant), Expected(
        "queue.create", "queue", {"name": "Support"}
    )


async def waiting_item(client: GraphQLClient, tenant: Tenant, server: RunningServer) -> str:
    """A customer waiting in a queue nobody serves."""
    queue_id = await create_queue(client, tenant)
    conversation_id = await customer_conversation(client, tenant, server)
    entered = await server.runtime.services.queues.enqueue(
        Actor.of(tenant.owner, None), uuid.UUID(conversation_id), uuid.UUID(queue_id), 0
    )
    assert isinstance(entered, Entered)
    return str(entered.item.id)


async def act_queue_item_create(
    client: GraphQLClient, tenant: Tenant, server: RunningServer
) -> tuple[str, Expected]:
    queue_id = await create_queue(client, tenant)
    conversation_id = await customer_conversation(client, tenant, server)
    data = await client.data(
        "mutation($c: ID!, $q: ID!) { queueItemCreate(input: {conversationId: $c, queueId: $q, "
        "priority: 2}) { __typename } }",
        {"c": conversation_id, "q": queue_id},
        token=tenant.token,
    )
    assert data["queueItemCreate"]["__typename"] == "QueueItemSuccess", data
    return conversation_id, Expected(
        "queue_item.create", "conversation", {"queueId": queue_id, "priority": 2}
    )


async def owner_online(client: GraphQLClient, tenant: Tenant) -> None:
    data = await client.data(
        "mutation { agentStatusUpdate(input: {status: ONLINE}) { __typename } }",
        token=tenant.token,
    )
    assert data["agentStatusUpdate"]["__typename"] == "AgentSuccess"


def item_act(
    field: str, arguments: str, action: str, changes: dict[str, Any], assigned: bool = False
) -> Act:
    async def act(
        client: GraphQLClient, tenant: Tenant, server: RunningServer
    ) -> tuple[str, Expected]:
        item_id = await waiting_item(client, tenant, server)
        other_queue = await create_queue(client, tenant, "Billing")
        owner = str(tenant.owner.id)
        await owner_online(client, tenant)
        if assigned:
            await server.runtime.services.queues.assign(
                Actor.of(tenant.owner, None), uuid.UUID(item_id), tenant.owner.id
            )
        variables = {"id": item_id, "queue": other_queue, "agent": owner}
        used = {k: v for k, v in variables.items() if f"${k}" in arguments or k == "id"}
        declared = ", ".join(f"${k}: ID!" for k in used)
        data = await client.data(
            f"mutation({declared}) {{ {field}(input: {{id: $id{arguments}}}) {{ __typename }} }}",
            used,
            token=tenant.token,
        )
        assert data[field]["__typename"] == "QueueItemSuccess", data
        expected = {
            k: {"$queue": other_queue, "$agent": owner}.get(v, v) if isinstance(v, str) else v
            for k, v in changes.items()
        }
        return item_id, Expected(action, "queue_item", expected)

    return act


async def act_agent_update(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    await client.data(
        'mutation($u: ID!) { agentUpdate(input: {userId: $u, capacity: 4, skills: ["PT"]}) '
        "{ __typename } }",
        {"u": str(tenant.owner.id)},
        token=tenant.token,
    )
    changes = {"capacity": 4, "skills": ["pt"]}
    return str(tenant.owner.id), Expected("agent.update", "user", changes)


async def act_agent_status_update(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    await client.data(
        "mutation { agentStatusUpdate(input: {status: BREAK}) { __typename } }",
        token=tenant.token,
    )
    return str(tenant.owner.id), Expected("agent.status_update", "user", {"status": "break"})


async def act_ai_settings_update(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    await client.data(
        "mutation { aiSettingsUpdate(input: {negativeThreshold: -0.2, "
        'lexicon: [{term: "Fila Infinita", valence: -2.5}]}) { __typename } }',
        token=tenant.token,
    )
    changes = {
        "negativeThreshold": {"before": -0.05, "after": -0.2},
        "lexicon": {"before": {}, "after": {"fila infinita": -2.5}},
    }
    return str(tenant.organization_id), Expected("ai_settings.update", "ai_settings", changes)


async def act_ai_alert_resolve(
    client: GraphQLClient, tenant: Tenant, server: RunningServer
) -> tuple[str, Expected]:
    await server.runtime.services.numbers.create(
        Actor.of(tenant.owner, None),
        "106540352242922",
        "102290129340398",
        NumberDetails(access_token="t"),
    )
    alert_id = await angry_customer_alert(server, tenant.owner)
    await client.data(
        "mutation($id: ID!) { aiAlertResolve(input: {id: $id}) { __typename } }",
        {"id": alert_id},
        token=tenant.token,
    )
    return alert_id, Expected("ai_alert.resolve", "ai_alert", {"rule": "negative_streak"})


async def canned(client: GraphQLClient, tenant: Tenant) -> str:
    data = await client.data(
        'mutation { cannedResponseCreate(input: {shortcut: "pix", title: "Pix", '
        'body: "Aceitamos Pix."}) { ... on CannedResponseSaveSuccess { cannedResponse { id } } } }',
        token=tenant.token,
    )
    return str(data["cannedResponseCreate"]["cannedResponse"]["id"])


async def act_canned_response_create(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    canned_id = await canned(client, tenant)
    changes = {"shortcut": "pix", "title": "Pix", "body": "Aceitamos Pix."}
    return canned_id, Expected("canned_response.create", "canned_response", changes)


async def act_canned_response_update(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    canned_id = await canned(client, tenant)
    await client.data(
        'mutation($id: ID!) { cannedResponseUpdate(input: {id: $id, shortcut: "pix", '
        'title: "Pix", body: "Aceitamos Pix e cartão."}) { __typename } }',
        {"id": canned_id},
        token=tenant.token,
    )
    changes = {"body": "Aceitamos Pix e cartão."}
    return canned_id, Expected("canned_response.update", "canned_response", changes)


async def act_canned_response_delete(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    canned_id = await canned(client, tenant)
    await client.data(
        "mutation($id: ID!) { cannedResponseDelete(input: {id: $id}) { __typename } }",
        {"id": canned_id},
        token=tenant.token,
    )
    return canned_id, Expected("canned_response.delete", "canned_response", {"shortcut": "pix"})


async def intent(client: GraphQLClient, tenant: Tenant) -> str:
    data = await client.data(
        'mutation { intentCreate(input: {name: "pix", description: "Pagar com Pix", '
        'examples: ["aceita pix?", "qual a chave pix"]}) '
        "{ ... on IntentSaveSuccess { intent { id } } } }",
        token=tenant.token,
    )
    return str(data["intentCreate"]["intent"]["id"])


async def act_intent_create(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    intent_id = await intent(client, tenant)
    changes = {"name": "pix", "description": "Pagar com Pix", "examples": 2}
    return intent_id, Expected("intent.create", "intent", changes)


async def act_intent_update(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    intent_id = await intent(client, tenant)
    await client.data(
        'mutation($id: ID!) { intentUpdate(input: {id: $id, name: "pagamento_pix", '
        'description: "Pagar com Pix", examples: ["aceita pix?", "qual a chave pix", '
        '"manda o pix"]}) { __typename } }',
        {"id": intent_id},
        token=tenant.token,
    )
    changes = {"name": "pagamento_pix", "examples": 3}
    return intent_id, Expected("intent.update", "intent", changes)


async def act_intent_delete(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    intent_id = await intent(client, tenant)
    await client.data(
        "mutation($id: ID!) { intentDelete(input: {id: $id}) { __typename } }",
        {"id": intent_id},
        token=tenant.token,
    )
    return intent_id, Expected("intent.delete", "intent", {"name": "pix"})


async def act_intent_starter_set_import(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    data = await client.data(
        "mutation { intentStarterSetImport(input: {}) "
        "{ ... on IntentStarterSetImportSuccess { created { name } } } }",
        token=tenant.token,
    )
    names = [intent["name"] for intent in data["intentStarterSetImport"]["created"]]
    assert "cancelamento" in names
    return (
        str(tenant.organization_id),
        Expected("intent.import_starter", "intent", {"created": names}),
    )


async def act_intent_model_train(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    await client.data(
        "mutation { intentStarterSetImport(input: {}) { __typename } }", token=tenant.token
    )
    data = await client.data(
        "mutation { intentModelTrain { ... on IntentModelTrainSuccess { model { id } } } }",
        token=tenant.token,
    )
    model_id = str(data["intentModelTrain"]["model"]["id"])
    return model_id, Expected("intent_model.train", "intent_model", {"version": 1, "intents": 13})


async def owner_notified(client: GraphQLClient, tenant: Tenant, server: RunningServer) -> str:
    """A new administrator: the owner is told; returns the notification's id."""
    await add_user(server, client, tenant, Role.ADMIN)
    [notification] = await notified(client, tenant.token)
    notification_id: str = notification["id"]
    return notification_id


def notification_act(document: str, action: str) -> Act:
    async def act(
        client: GraphQLClient, tenant: Tenant, server: RunningServer
    ) -> tuple[str, Expected]:
        notification_id = await owner_notified(client, tenant, server)
        await client.data(document, {"ids": [notification_id]}, token=tenant.token)
        return str(tenant.owner.id), Expected(action, "user", {"count": 1})

    return act


async def act_notification_preferences_update(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    await client.data(
        "mutation { notificationPreferencesUpdate(input: {maxAnnouncedPerMinute: 4, "
        'types: [{type: "ai_alert", inApp: true, sound: false}]}) { __typename } }',
        token=tenant.token,
    )
    changes = {
        "types": {
            "before": {},
            "after": {"ai_alert": {"inApp": True, "sound": False, "push": True, "email": False}},
        },
        "maxAnnouncedPerMinute": {"before": 10, "after": 4},
    }
    return str(tenant.owner.id), Expected("notification_preferences.update", "user", changes)


async def act_push_subscription_add(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    browser = Browser("https://fcm.googleapis.com/fcm/send/owner-laptop")
    await client.data(SUBSCRIBE, {"input": browser.subscription()}, token=tenant.token)
    changes = {"pushService": "fcm.googleapis.com", "userAgent": "Chromium test"}
    return str(tenant.owner.id), Expected("push_subscription.add", "user", changes)


async def act_push_subscription_remove(
    client: GraphQLClient, tenant: Tenant, _: RunningServer
) -> tuple[str, Expected]:
    browser = Browser("https://fcm.googleapis.com/fcm/send/owner-laptop")
    await client.data(SUBSCRIBE, {"input": browser.subscription()}, token=tenant.token)
    await client.data(
        "mutation($e: String!) { pushSubscriptionRemove(input: {endpoint: $e}) { __typename } }",
        {"e": browser.endpoint},
        token=tenant.token,
    )
    changes = {"pushService": "fcm.googleapis.com"}
    return str(tenant.owner.id), Expected("push_subscription.remove", "user", changes)


ACTS: dict[str, Act] = {
    "tokenCreate": act_token_create,
    "tokenRefresh": act_token_refresh,
    "tokenRevoke": act_token_revoke,
    "userCreate": act_user_create,
    "userUpdate": act_user_update,
    "userDeactivate": act_user_deactivate,
    "organizationCreate": act_organization_create,
    "organizationUpdate": act_organization_update,
    "whatsappNumberCreate": act_whatsapp_number_create,
    "whatsappNumberUpdate": act_whatsapp_number_update,
    "whatsappNumberDelete": act_whatsapp_number_delete,
    "whatsappNumberSync": act_whatsapp_number_sync,
    "whatsappTemplateCreate": act_whatsapp_template_create,
    "whatsappTemplateSync": act_whatsapp_template_sync,
    "whatsappTemplateDelete": act_whatsapp_template_delete,
    "messageSend": conversation_act(
        "messageSend",
        'conversationId: $id, text: {body: "Hello"}',
        "message.send",
        {},
    ),
    "conversationMarkRead": conversation_act(
        "conversationMarkRead", "id: $id", "conversation.mark_read", {}
    ),
    "conversationStatusUpdate": conversation_act(
        "conversationStatusUpdate",
        "id: $id, status: RESOLVED",
        "conversation.status_update",
        {"status": "resolved", "snoozedUntil": None},
    ),
    "conversationAssign": act_conversation_assign,
    "conversationLabelsSet": conversation_act(
        "conversationLabelsSet",
        'id: $id, labels: ["vip", " vip ", "refund"]',
        "conversation.labels_set",
        {"labels": ["vip", "refund"]},
    ),
    "typingIndicatorSend": conversation_act(
        "typingIndicatorSend",
        "conversationId: $id",
        "conversation.typing",
        {"typing": True},
    ),
    "conversationNoteAdd": conversation_act(
        "conversationNoteAdd", 'id: $id, body: "Called the customer"', "conversation.note_add", {}
    ),
    "flowCreate": act_flow_create,
    "flowUpdate": flow_act(
        "flowUpdate",
        ', name: "Greeting 2", expiryMinutes: 30',
        "flow.update",
        {"name": "Greeting 2", "expiryMinutes": 30},
    ),
    "flowDuplicate": flow_act("flowDuplicate", "", "flow.duplicate", {"from": ORIGINAL}),
    "flowArchive": flow_act("flowArchive", "", "flow.archive", {}),
    "flowPublish": flow_act(
        "flowPublish", "", "flow.publish", {"version": 1}, "FlowPublishSuccess"
    ),
    "flowRollback": act_flow_rollback,
    "queueCreate": act_queue_create,
    "queueUpdate": queue_act("queueUpdate", ', name: "Help"', "queue.update", {"name": "Help"}),
    "queueDelete": queue_act("queueDelete", "", "queue.delete", {"name": "Support"}),
    "queueItemCreate": act_queue_item_create,
    "queueItemAssign": item_act(
        "queueItemAssign", ", agentId: $agent", "queue_item.assign", {"agentId": "$agent"}
    ),
    "queueItemTransfer": item_act(
        "queueItemTransfer",
        ", queueId: $queue",
        "queue_item.transfer",
        {"queueId": "$queue", "agentId": None},
    ),
    "queueItemComplete": item_act(
        "queueItemComplete", ", rating: 5", "queue_item.complete", {"rating": 5}, assigned=True
    ),
    "queueItemAbandon": item_act("queueItemAbandon", "", "queue_item.abandon", {}),
    "agentUpdate": act_agent_update,
    "invitationCreate": act_invitation_create,
    "onboardingStepComplete": onboarding_act("onboardingStepComplete", "onboarding.complete"),
    "onboardingSkip": onboarding_act("onboardingSkip", "onboarding.skip"),
    "whatsappTrialStart": act_trial_start,
    "whatsappTrialCustomerSay": act_trial_customer_say,
    "invitationResend": invitation_act("invitationResend", "invitation.resend"),
    "invitationRevoke": invitation_act("invitationRevoke", "invitation.revoke"),
    "invitationAccept": act_invitation_accept,
    "agentStatusUpdate": act_agent_status_update,
    "aiSettingsUpdate": act_ai_settings_update,
    "aiAlertResolve": act_ai_alert_resolve,
    "cannedResponseCreate": act_canned_response_create,
    "cannedResponseUpdate": act_canned_response_update,
    "cannedResponseDelete": act_canned_response_delete,
    "intentCreate": act_intent_create,
    "intentUpdate": act_intent_update,
    "intentDelete": act_intent_delete,
    "intentStarterSetImport": act_intent_starter_set_import,
    "intentModelTrain": act_intent_model_train,
    "notificationMarkRead": notification_act(
        "mutation($ids: [ID!]) { notificationMarkRead(input: {ids: $ids}) { __typename } }",
        "notification.read",
    ),
    "notificationArchive": notification_act(
        "mutation($ids: [ID!]!) { notificationArchive(input: {ids: $ids}) { __typename } }",
        "notification.archive",
    ),
    "notificationPreferencesUpdate": act_notification_preferences_update,
    "pushSubscriptionAdd": act_push_subscription_add,
    "pushSubscriptionRemove": act_push_subscription_remove,
}


def test_every_mutation_has_an_audit_expectation() -> None:
    mutation_type = build_schema()._schema.mutation_type
    assert mutation_type is not None

    assert set(mutation_type.fields) == set(ACTS)


@pytest.mark.parametrize("mutation", sorted(ACTS))
async def test_the_mutation_is_audited(
    mutation: str, server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme", superuser=True)

    target_id, expected = await ACTS[mutation](client, tenant, server)

    async with server.runtime.database.session() as session:
        rows = list(
            await session.scalars(
                select(AuditLogRow).where(
                    AuditLogRow.action == expected.action, AuditLogRow.target_id == target_id
                )
            )
        )
    assert rows, f"no {expected.action} audit record for {target_id}"
    record = rows[-1]
    assert record.target_type == expected.target_type
    assert str(record.actor_user_id) == (expected.actor or str(tenant.owner.id))
    assert record.client_ip == "127.0.0.1"
    assert record.changes == expected.changes
    assert record.occurred_at.tzinfo is not None
