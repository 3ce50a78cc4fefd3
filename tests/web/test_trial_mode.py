"""Trial mode: an organization with no Meta account starts a trial number, plays its customer
from the API, and a real flow answers through the simulator built into PyTake (no port, no
network): the answer is sent, its ticks move, the hand-off reaches a queue, and the onboarding
counts the trial number like any other."""

from __future__ import annotations

from typing import Any

from persistence.database import Database
from tests.api.test_audit_trail import create_queue
from tests.flows import create_and_publish, document, edge, node
from tests.support import (
    GraphQLClient,
    RunningServer,
    Tenant,
    create_tenant,
    eventually,
    make_settings,
    running_server,
)

START = """
mutation { whatsappTrialStart { __typename
  ... on WhatsAppTrialStartSuccess { number { id trial phoneNumberId displayPhoneNumber } }
  ... on Error { code message } } }
"""
SAY = """
mutation($text: String!, $reply: String) {
  whatsappTrialCustomerSay(input: {text: $text, replyId: $reply}) {
    __typename ... on WhatsAppTrialCustomerSaySuccess { wamid } ... on Error { code message }
  }
}
"""
CONVERSATION = """
{ conversations { edges { node { id queue { name } contact { waId profileName } } } } }
"""
MESSAGES = """
query($id: ID!) {
  messages(conversationId: $id) { edges { node { direction status
    content { __typename ... on TextContent { body }
      ... on InteractiveContent { body } ... on InteractiveReplyContent { title } } } } }
}
"""


async def publish(client: GraphQLClient, tenant: Tenant, number_id: str, queue_id: str) -> None:
    graph = document(
        [
            node("start", "trigger_universal"),
            node(
                "menu",
                "msg_interactive",
                body="Olá {{contact.name}}! Quer falar com alguém?",
                choices=[{"id": "people", "title": "Sim"}],
            ),
            node("people", "action_transfer_to_queue", queueId=queue_id, message="Chamando."),
        ],
        [edge("start", "menu"), edge("menu", "people", "people")],
    )
    await create_and_publish(
        client,
        tenant.token,
        {"name": "Boas-vindas", "kind": "UNIVERSAL", "graph": graph, "numberIds": [number_id]},
    )


async def test_a_trial_number_answers_its_test_customer_through_the_built_in_simulator(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Padaria Sol")
    started = (await client.data(START, token=tenant.token))["whatsappTrialStart"]
    again = (await client.data(START, token=tenant.token))["whatsappTrialStart"]
    number = started["number"]
    queue_id = await create_queue(client, tenant, "Atendimento")
    await publish(client, tenant, number["id"], queue_id)

    said = await client.data(SAY, {"text": "oi", "reply": None}, token=tenant.token)

    async def conversation() -> dict[str, Any] | None:
        data = await client.data(CONVERSATION, token=tenant.token)
        edges = data["conversations"]["edges"]
        return edges[0]["node"] if edges else None

    opened = await eventually(conversation, what="the trial conversation")

    async def menu_read() -> list[dict[str, Any]] | None:
        data = await client.data(MESSAGES, {"id": opened["id"]}, token=tenant.token)
        found = [edge["node"] for edge in data["messages"]["edges"]]
        outbound = [m for m in found if m["direction"] == "OUTBOUND"]
        return found if outbound and outbound[-1]["status"] == "READ" else None

    messages = await eventually(menu_read, what="the flow's answer, read")
    await client.data(SAY, {"text": "Sim", "reply": "people"}, token=tenant.token)

    async def handed_off() -> dict[str, Any] | None:
        found = await conversation()
        return found if found and found["queue"] else None

    queued = await eventually(handed_off, what="the hand-off to the queue")
    onboarding = await client.data("{ onboarding { steps { step status } } }", token=tenant.token)
    connectivity = await client.data(
        "mutation { onboardingStepComplete(input: {step: CONNECTIVITY}) { __typename } }",
        token=tenant.token,
    )

    assert number["trial"] is True
    assert number["phoneNumberId"].startswith("99990")
    assert again["number"]["id"] == number["id"]
    assert said["whatsappTrialCustomerSay"]["__typename"] == "WhatsAppTrialCustomerSaySuccess"
    assert opened["contact"] == {"waId": "5511900000000", "profileName": "Cliente de teste"}
    assert [m["content"].get("body") for m in messages] == [
        "oi",
        "Olá Cliente de teste! Quer falar com alguém?",
    ]
    assert queued["queue"] == {"name": "Atendimento"}
    steps = {s["step"]: s["status"] for s in onboarding["onboarding"]["steps"]}
    assert steps["NUMBER"] == steps["TEST_CONVERSATION"] == "DONE"
    assert connectivity["onboardingStepComplete"]["__typename"] == "OnboardingSuccess"


async def test_where_trial_mode_is_off_it_says_so(database: Database) -> None:
    settings = make_settings(
        str(database.url.render_as_string(hide_password=False)), trial_mode=False
    )
    async with running_server(settings) as server:
        client = GraphQLClient(server.url)
        tenant = await create_tenant(server, client, "Acme")
        refused = await client.data(START, token=tenant.token)
        said = await client.data(SAY, {"text": "oi", "reply": None}, token=tenant.token)
        await client.close()

    assert refused["whatsappTrialStart"] == {
        "__typename": "ConflictError",
        "code": "CONFLICT",
        "message": "Trial mode is off on this installation (PYTAKE_TRIAL_MODE)",
    }
    assert said["whatsappTrialCustomerSay"]["code"] == "CONFLICT"
