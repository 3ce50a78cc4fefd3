"""The guided onboarding's state over GraphQL: each step recognised done however it was done,
what each still needs in a sentence, the connectivity test run on completion, skipping, and the
state pushed live as the organization moves through it."""

from __future__ import annotations

from typing import Any

from tests.api.test_audit_trail import create_queue
from tests.api.test_organization import HOURS
from tests.flows import create_and_publish
from tests.support import GraphQLClient, RunningServer, Tenant, create_tenant, subscribed
from web.whatsapp.simulator import Simulator

STATE = "{ onboarding { finished nextStep steps { step status missing } } }"
COMPLETE = """
mutation($step: OnboardingStepName!) {
  onboardingStepComplete(input: {step: $step}) {
    __typename
    ... on OnboardingSuccess { onboarding { steps { step status } } }
    ... on ValidationError { message }
  }
}
"""
SKIP = """
mutation($step: OnboardingStepName!) {
  onboardingSkip(input: {step: $step}) { __typename }
}
"""
NUMBER = """
mutation {
  whatsappNumberCreate(input: {phoneNumberId: "106540352242922", wabaId: "102290129340398",
    accessToken: "token"}) { __typename }
}
"""


def statuses(state: dict[str, Any]) -> dict[str, str]:
    return {step["step"]: step["status"] for step in state["onboarding"]["steps"]}


async def publish_the_segments_flow(client: GraphQLClient, tenant: Tenant) -> None:
    library = await client.data(
        "{ flowLibrary(segment: RETAIL) { key kind graph } }", token=tenant.token
    )
    retail = next(f for f in library["flowLibrary"] if f["key"] == "retail_welcome")
    numbers = await client.data("{ whatsappNumbers { id } }", token=tenant.token)
    await create_and_publish(
        client,
        tenant.token,
        {
            "name": "Welcome",
            "kind": retail["kind"],
            "graph": retail["graph"],
            "numberIds": [n["id"] for n in numbers["whatsappNumbers"]],
        },
    )


async def test_the_steps_are_recognised_done_however_they_were_done(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    fresh = await client.data(STATE, token=tenant.token)

    await client.data(
        'mutation($h: JSON!) { organizationUpdate(input: {timeZone: "America/Sao_Paulo", '
        "businessHours: $h}) { __typename } }",
        {"h": HOURS},
        token=tenant.token,
    )
    await client.data(NUMBER, token=tenant.token)
    connectivity = await client.data(COMPLETE, {"step": "CONNECTIVITY"}, token=tenant.token)
    await client.data(COMPLETE, {"step": "TEMPLATES"}, token=tenant.token)
    flow_too_early = await client.data(COMPLETE, {"step": "FLOW"}, token=tenant.token)
    await create_queue(client, tenant, "Vendas")
    await publish_the_segments_flow(client, tenant)
    before_invitation = await client.data(STATE, token=tenant.token)
    await client.data(
        'mutation { invitationCreate(input: {email: "ana@acme.example", role: AGENT}) '
        "{ __typename } }",
        token=tenant.token,
    )
    await client.data(SKIP, {"step": "TEST_CONVERSATION"}, token=tenant.token)
    final = await client.data(STATE, token=tenant.token)

    assert fresh["onboarding"]["nextStep"] == "PROFILE"
    assert fresh["onboarding"]["steps"][0] == {
        "step": "PROFILE",
        "status": "TODO",
        "missing": "Set the organization's time zone and business hours.",
    }
    assert set(statuses(fresh).values()) == {"TODO"}
    assert connectivity["onboardingStepComplete"]["__typename"] == "OnboardingSuccess"
    assert flow_too_early["onboardingStepComplete"] == {
        "__typename": "ValidationError",
        "message": "Publish a flow: start from the ready-made one for your kind of business.",
    }
    team = next(s for s in before_invitation["onboarding"]["steps"] if s["step"] == "TEAM")
    assert team == {"step": "TEAM", "status": "TODO", "missing": "Invite your team."}
    assert statuses(final) == {
        "PROFILE": "DONE",
        "NUMBER": "DONE",
        "CONNECTIVITY": "DONE",
        "TEMPLATES": "DONE",
        "FLOW": "DONE",
        "TEAM": "DONE",
        "TEST_CONVERSATION": "SKIPPED",
    }
    assert final["onboarding"]["finished"] is True
    assert final["onboarding"]["nextStep"] is None


async def test_a_failing_connectivity_test_keeps_the_step_to_do_and_says_why(
    server: RunningServer, client: GraphQLClient, simulator: tuple[Simulator, str]
) -> None:
    fake, _ = simulator
    tenant = await create_tenant(server, client, "Acme")
    without_number = await client.data(COMPLETE, {"step": "CONNECTIVITY"}, token=tenant.token)
    await client.data(NUMBER, token=tenant.token)
    fake.config.webhook_url = None
    refused = await client.data(COMPLETE, {"step": "CONNECTIVITY"}, token=tenant.token)
    state = await client.data(STATE, token=tenant.token)

    assert without_number["onboardingStepComplete"]["message"] == (
        "Connect a WhatsApp number first, then test it."
    )
    assert refused["onboardingStepComplete"]["__typename"] == "ValidationError"
    assert (
        "No app is subscribed to the webhooks of WhatsApp account 102290129340398"
        in (refused["onboardingStepComplete"]["message"])
    )
    assert statuses(state)["CONNECTIVITY"] == "TODO"


async def test_the_onboarding_moves_live_as_the_organization_works_through_it(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    query = (
        "subscription { onboardingUpdated { eventId "
        "onboarding { nextStep steps { step status missing } } } }"
    )
    async with subscribed(server.ws_url, tenant.token, query) as updates:
        await client.data(NUMBER, token=tenant.token)
        after_number = await updates.next_data()
        await create_queue(client, tenant, "Vendas")
        after_queue = await updates.next_data()

    number_state = statuses(after_number["data"]["onboardingUpdated"])
    queue_steps = after_queue["data"]["onboardingUpdated"]["onboarding"]["steps"]
    assert number_state["NUMBER"] == "DONE"
    assert after_number["data"]["onboardingUpdated"]["onboarding"]["nextStep"] == "PROFILE"
    assert next(s for s in queue_steps if s["step"] == "TEAM")["missing"] == "Invite your team."
