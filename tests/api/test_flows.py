"""Designing flows over GraphQL: drafts, validation with node ids, versioned publishing, one
universal flow per number, dry runs with Graph API payloads, and who may do it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from domain.accounts.model import Role
from domain.whatsapp.templates import from_meta
from tests.flows import SEEDS_UNIVERSAL, document, edge, node
from tests.support import GraphQLClient, RunningServer, Tenant, add_user, create_tenant

WABA_ID = "102290129340398"
NUMBER_CREATE = (
    'mutation($p: String!) { whatsappNumberCreate(input: {phoneNumberId: $p, wabaId: "'
    + WABA_ID
    + '", accessToken: "t"}) { ... on WhatsAppNumberCreateSuccess { number { id } } } }'
)
FLOW_FIELDS = (
    "id name kind status numberIds expiryMinutes graph publishedVersion hasUnpublishedChanges"
)
CREATE = f"""
mutation($input: FlowCreateInput!) {{
  flowCreate(input: $input) {{
    __typename
    ... on FlowSaveSuccess {{ flow {{ {FLOW_FIELDS} }} }}
    ... on Error {{ code message }}
  }}
}}
"""
UPDATE = f"""
mutation($input: FlowUpdateInput!) {{
  flowUpdate(input: $input) {{
    __typename
    ... on FlowSaveSuccess {{ flow {{ {FLOW_FIELDS} }} }}
    ... on Error {{ code message }}
  }}
}}
"""
PUBLISH = f"""
mutation($id: ID!) {{
  flowPublish(input: {{id: $id}}) {{
    __typename
    ... on FlowPublishSuccess {{ flow {{ {FLOW_FIELDS} }} }}
    ... on FlowInvalidError {{ message problems {{ code nodeId message }} }}
    ... on Error {{ code message }}
  }}
}}
"""
TEST = """
query($id: ID!, $input: FlowTestInput!, $version: Int) {
  flowTest(id: $id, input: $input, version: $version) {
    transcript { sender text nodeId payload note }
    path
    steps { nodeId way variablesChanged }
    variables
    sessionStatus
    problems { code nodeId }
  }
}
"""
SEEDS = document(*SEEDS_UNIVERSAL)


async def tenant_with_number(
    server: RunningServer, client: GraphQLClient, phone_number_id: str = "106540352242922"
) -> tuple[Tenant, str]:
    tenant = await create_tenant(server, client, "Acme")
    data = await client.data(NUMBER_CREATE, {"p": phone_number_id}, token=tenant.token)
    number_id: str = data["whatsappNumberCreate"]["number"]["id"]
    async with server.runtime.unit_of_work(tenant.organization_id) as uow:
        await uow.templates.save(
            from_meta(
                tenant.organization_id,
                WABA_ID,
                {
                    "id": "900",
                    "name": "welcome_back",
                    "language": "en_US",
                    "status": "APPROVED",
                    "category": "UTILITY",
                    "components": [{"type": "BODY", "text": "Welcome back, {{1}}!"}],
                },
                datetime.now(UTC),
            )
        )
        await uow.commit()
    return tenant, number_id


async def create_queues(client: GraphQLClient, tenant: Tenant, *names: str) -> list[str]:
    ids = []
    for name in names:
        data = await client.data(
            "mutation($n: String!) { queueCreate(input: {name: $n}) "
            "{ ... on QueueSaveSuccess { queue { id } } } }",
            {"n": name},
            token=tenant.token,
        )
        ids.append(data["queueCreate"]["queue"]["id"])
    return ids


async def create_flow(client: GraphQLClient, tenant: Tenant, **fields: Any) -> dict[str, Any]:
    data = await client.data(CREATE, {"input": fields}, token=tenant.token)
    result: dict[str, Any] = data["flowCreate"]
    return result


async def test_a_flow_is_drafted_published_as_versions_and_edited_without_touching_them(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant, number_id = await tenant_with_number(server, client)
    created = await create_flow(
        client, tenant, name="Welcome", kind="UNIVERSAL", numberIds=[number_id], graph=SEEDS
    )
    flow = created["flow"]
    published = await client.data(PUBLISH, {"id": flow["id"]}, token=tenant.token)
    edited_graph = document(
        [node("start", "trigger_universal"), node("hi", "msg_text", text="New greeting")],
        [edge("start", "hi")],
    )
    edited = await client.data(
        UPDATE, {"input": {"id": flow["id"], "graph": edited_graph}}, token=tenant.token
    )
    run = {"messages": [{"text": "oi"}], "contact": {"name": "Ana"}}
    draft_run = await client.data(TEST, {"id": flow["id"], "input": run}, token=tenant.token)
    v1_run = await client.data(
        TEST, {"id": flow["id"], "input": run, "version": 1}, token=tenant.token
    )

    assert (flow["status"], flow["publishedVersion"], flow["expiryMinutes"]) == ("DRAFT", None, 10)
    assert flow["graph"] == SEEDS
    after_publish = published["flowPublish"]["flow"]
    assert after_publish["status"] == "PUBLISHED"
    assert after_publish["publishedVersion"] == 1
    assert after_publish["hasUnpublishedChanges"] is False
    after_edit = edited["flowUpdate"]["flow"]
    assert (after_edit["publishedVersion"], after_edit["hasUnpublishedChanges"]) == (1, True)
    assert [e["text"] for e in draft_run["flowTest"]["transcript"]] == ["oi", "New greeting"]
    assert [e["text"] for e in v1_run["flowTest"]["transcript"]] == [
        "oi",
        "Hello Ana! How can we help?",
    ]


ROLLBACK = f"""
mutation($id: ID!, $version: Int!) {{
  flowRollback(input: {{id: $id, version: $version}}) {{
    __typename
    ... on FlowPublishSuccess {{ flow {{ {FLOW_FIELDS} }} }}
    ... on FlowInvalidError {{ problems {{ code nodeId }} }}
    ... on Error {{ code message }}
  }}
}}
"""
VERSIONS = """
query($id: ID!) {
  flow(id: $id) { versions { version publishedAt publishedByUserId graph } }
}
"""


def greeting(text: str) -> dict[str, Any]:
    return document(
        [node("start", "trigger_universal"), node("hi", "msg_text", text=text)],
        [edge("start", "hi")],
    )


async def test_an_earlier_version_is_published_again_as_the_next_one(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant, number_id = await tenant_with_number(server, client)
    flow_id = (
        await create_flow(
            client,
            tenant,
            name="Welcome",
            kind="UNIVERSAL",
            numberIds=[number_id],
            graph=greeting("First greeting"),
        )
    )["flow"]["id"]
    await client.data(PUBLISH, {"id": flow_id}, token=tenant.token)
    for text in ("Second greeting", "Unpublished greeting"):
        await client.data(
            UPDATE, {"input": {"id": flow_id, "graph": greeting(text)}}, token=tenant.token
        )
        if text == "Second greeting":
            await client.data(PUBLISH, {"id": flow_id}, token=tenant.token)

    rolled_back = await client.data(ROLLBACK, {"id": flow_id, "version": 1}, token=tenant.token)
    versions = await client.data(VERSIONS, {"id": flow_id}, token=tenant.token)
    missing = await client.data(ROLLBACK, {"id": flow_id, "version": 9}, token=tenant.token)
    owner = await client.data("{ me { id } }", token=tenant.token)
    run = await client.data(
        TEST, {"id": flow_id, "input": {"messages": [{"text": "oi"}]}}, token=tenant.token
    )

    flow = rolled_back["flowRollback"]["flow"]
    assert (flow["publishedVersion"], flow["hasUnpublishedChanges"]) == (3, False)
    assert flow["graph"] == greeting("First greeting")
    history = versions["flow"]["versions"]
    assert [v["version"] for v in history] == [3, 2, 1]
    assert [v["graph"]["nodes"][1]["data"]["text"] for v in history] == [
        "First greeting",
        "Second greeting",
        "First greeting",
    ]
    assert {v["publishedByUserId"] for v in history} == {owner["me"]["id"]}
    assert history[0]["publishedAt"] >= history[1]["publishedAt"] >= history[2]["publishedAt"]
    assert missing["flowRollback"]["code"] == "NOT_FOUND"
    assert [e["text"] for e in run["flowTest"]["transcript"]] == ["oi", "First greeting"]


async def test_a_version_naming_a_deleted_queue_is_not_published_again(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant, number_id = await tenant_with_number(server, client)
    queues = await create_queues(client, tenant, "Support", "Sales")
    to_support = document(
        [
            node("start", "trigger_universal"),
            node("people", "action_transfer_to_queue", queueId=queues[0]),
        ],
        [edge("start", "people")],
    )
    flow_id = (
        await create_flow(
            client,
            tenant,
            name="To people",
            kind="UNIVERSAL",
            numberIds=[number_id],
            graph=to_support,
        )
    )["flow"]["id"]
    await client.data(PUBLISH, {"id": flow_id}, token=tenant.token)
    await client.data(
        UPDATE, {"input": {"id": flow_id, "graph": greeting("Hi")}}, token=tenant.token
    )
    await client.data(PUBLISH, {"id": flow_id}, token=tenant.token)
    await client.data(
        "mutation($q: ID!) { queueDelete(input: {id: $q}) { __typename } }",
        {"q": queues[0]},
        token=tenant.token,
    )

    refused = await client.data(ROLLBACK, {"id": flow_id, "version": 1}, token=tenant.token)
    after = await client.data(VERSIONS, {"id": flow_id}, token=tenant.token)

    assert refused["flowRollback"]["problems"] == [{"code": "UNKNOWN_QUEUE", "nodeId": "people"}]
    assert [v["version"] for v in after["flow"]["versions"]] == [2, 1]


async def test_publishing_refuses_an_invalid_draft_naming_each_node(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant, number_id = await tenant_with_number(server, client)
    broken = document(
        [
            node("start", "trigger_universal"),
            node("window", "logic_window_check"),
            node("hi", "msg_text", text="Hi {{vars.nickname}}"),
            node("promo", "msg_template", template={"name": "promo", "language": "en_US"}),
        ],
        [edge("start", "window"), edge("window", "hi", "open")],
    )
    flow = (
        await create_flow(
            client, tenant, name="Broken", kind="UNIVERSAL", numberIds=[number_id], graph=broken
        )
    )["flow"]

    validated = await client.data(
        "query($id: ID!) { flowValidate(id: $id) { code nodeId } }",
        {"id": flow["id"]},
        token=tenant.token,
    )
    refused = await client.data(PUBLISH, {"id": flow["id"]}, token=tenant.token)

    expected = [
        {"code": "MISSING_BRANCH", "nodeId": "window"},
        {"code": "UNREACHABLE", "nodeId": "promo"},
        {"code": "TEMPLATE_NOT_APPROVED", "nodeId": "promo"},
        {"code": "UNKNOWN_VARIABLE", "nodeId": "hi"},
    ]
    assert sorted(validated["flowValidate"], key=str) == sorted(expected, key=str)
    assert refused["flowPublish"]["message"] == (
        "The flow has 4 problems to fix before it can be published"
    )
    assert len(refused["flowPublish"]["problems"]) == 4
    still = await client.data(
        "query($id: ID!) { flow(id: $id) { status publishedVersion } }",
        {"id": flow["id"]},
        token=tenant.token,
    )
    assert still["flow"] == {"status": "DRAFT", "publishedVersion": None}


async def test_a_number_has_one_published_universal_flow(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant, number_id = await tenant_with_number(server, client)
    first = (
        await create_flow(
            client, tenant, name="One", kind="UNIVERSAL", numberIds=[number_id], graph=SEEDS
        )
    )["flow"]
    second = (
        await create_flow(
            client, tenant, name="Two", kind="UNIVERSAL", numberIds=[number_id], graph=SEEDS
        )
    )["flow"]
    await client.data(PUBLISH, {"id": first["id"]}, token=tenant.token)

    clash = await client.data(PUBLISH, {"id": second["id"]}, token=tenant.token)
    await client.data(
        "mutation($id: ID!) { flowArchive(input: {id: $id}) { __typename } }",
        {"id": first["id"]},
        token=tenant.token,
    )
    after_archive = await client.data(PUBLISH, {"id": second["id"]}, token=tenant.token)

    assert clash["flowPublish"]["code"] == "CONFLICT"
    assert "'One' is already the universal flow" in clash["flowPublish"]["message"]
    assert after_archive["flowPublish"]["flow"]["publishedVersion"] == 1


async def test_names_are_unique_archived_flows_are_read_only_and_duplicates_are_drafts(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant, number_id = await tenant_with_number(server, client)
    original = (
        await create_flow(
            client, tenant, name="Menu", kind="UNIVERSAL", numberIds=[number_id], graph=SEEDS
        )
    )["flow"]
    await client.data(PUBLISH, {"id": original["id"]}, token=tenant.token)

    same_name = await create_flow(client, tenant, name=" Menu ", kind="KEYWORD")
    copy = await client.data(
        "mutation($id: ID!) { flowDuplicate(input: {id: $id}) "
        "{ ... on FlowSaveSuccess { flow { name status graph numberIds } } } }",
        {"id": original["id"]},
        token=tenant.token,
    )
    await client.data(
        "mutation($id: ID!) { flowArchive(input: {id: $id}) { __typename } }",
        {"id": original["id"]},
        token=tenant.token,
    )
    edit_archived = await client.data(
        UPDATE, {"input": {"id": original["id"], "name": "Menu v2"}}, token=tenant.token
    )
    listed = await client.data(
        "{ flows(filter: {status: ARCHIVED}) { edges { node { name } } } }", token=tenant.token
    )
    searched = await client.data(
        '{ flows(filter: {search: "copy"}) { edges { node { name status } } } }',
        token=tenant.token,
    )

    assert same_name == {
        "__typename": "ConflictError",
        "code": "CONFLICT",
        "message": "there is already a flow named 'Menu'",
    }
    assert copy["flowDuplicate"]["flow"] == {
        "name": "Menu (copy)",
        "status": "DRAFT",
        "graph": SEEDS,
        "numberIds": [number_id],
    }
    assert edit_archived["flowUpdate"]["code"] == "CONFLICT"
    assert listed["flows"]["edges"] == [{"node": {"name": "Menu"}}]
    assert searched["flows"]["edges"] == [{"node": {"name": "Menu (copy)", "status": "DRAFT"}}]


async def test_a_dry_run_shows_the_template_payload_when_the_window_is_closed(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant, number_id = await tenant_with_number(server, client)
    flow = (
        await create_flow(
            client, tenant, name="Seeds", kind="UNIVERSAL", numberIds=[number_id], graph=SEEDS
        )
    )["flow"]

    run = await client.data(
        TEST,
        {
            "id": flow["id"],
            "input": {
                "messages": [{"text": "oi"}],
                "contact": {"name": "Bia", "phone": "5511987654321"},
                "windowOpen": False,
            },
        },
        token=tenant.token,
    )

    result = run["flowTest"]
    assert result["path"] == ["start", "window", "template"]
    assert result["steps"][1] == {"nodeId": "window", "way": "closed", "variablesChanged": {}}
    assert result["transcript"][1]["payload"] == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "+5511987654321",
        "type": "template",
        "template": {
            "name": "welcome_back",
            "language": {"code": "en_US"},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": "Bia"}]}],
        },
    }
    assert result["sessionStatus"] == "COMPLETED"
    assert result["problems"] == []


async def test_agents_cannot_design_flows_and_bad_input_is_named(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant, _ = await tenant_with_number(server, client)
    _, agent_token = await add_user(server, client, tenant, Role.AGENT)

    as_agent = await client.data(
        'mutation { flowCreate(input: {name: "Mine", kind: KEYWORD}) { __typename } }',
        token=agent_token,
    )
    listing = await client.execute("{ flows { edges { node { id } } } }", token=agent_token)
    not_a_graph = await create_flow(client, tenant, name="X", kind="KEYWORD", graph=[1, 2])
    bad_expiry = await create_flow(client, tenant, name="Y", kind="KEYWORD", expiryMinutes=0)
    unknown_number = await create_flow(
        client, tenant, name="Z", kind="KEYWORD", numberIds=["00000000-0000-4000-8000-000000000000"]
    )

    assert as_agent["flowCreate"]["__typename"] == "PermissionDeniedError"
    assert listing["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert not_a_graph["code"] == "INVALID_INPUT"
    assert "nodes" in not_a_graph["message"]
    assert bad_expiry["message"] == "the session expiry is 1 to 10080 minutes"
    assert unknown_number["__typename"] == "NotFoundError"


async def test_a_library_flow_is_copied_and_published(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant, number_id = await tenant_with_number(server, client)
    sales_id, support_id = await create_queues(client, tenant, "Vendas", "Suporte")
    library = await client.data("{ flowLibrary { key name kind graph } }", token=tenant.token)
    for_restaurants = await client.data(
        "{ flowLibrary(segment: RESTAURANTS) { key segments } }", token=tenant.token
    )
    english = await client.data(
        "query($q: ID!) { flowLibrary(language: EN, queueId: $q) { key name graph } }",
        {"q": sales_id},
        token=tenant.token,
    )
    triage = next(f for f in library["flowLibrary"] if f["key"] == "support_triage")

    copied = await create_flow(
        client,
        tenant,
        name=triage["name"],
        kind=triage["kind"],
        numberIds=[number_id],
        graph=triage["graph"],
    )
    published = await client.data(PUBLISH, {"id": copied["flow"]["id"]}, token=tenant.token)

    assert [f["key"] for f in library["flowLibrary"]] == [
        "welcome_menu",
        "opening_hours",
        "support_triage",
        "order_status",
        "retail_welcome",
        "services_welcome",
        "health_welcome",
        "education_welcome",
        "restaurants_welcome",
    ]
    assert [(f["key"], f["segments"]) for f in for_restaurants["flowLibrary"][-2:]] == [
        ("order_status", []),
        ("restaurants_welcome", ["RESTAURANTS"]),
    ]
    assert published["flowPublish"]["flow"]["status"] == "PUBLISHED"
    assert published["flowPublish"]["flow"]["kind"] == "KEYWORD"
    # In the organization's language (Portuguese unless set otherwise), to its first queue by
    # name; or as asked.
    assert triage["name"] == "Triagem de suporte"
    transfers = [n for n in triage["graph"]["nodes"] if n["type"] == "action_transfer_to_queue"]
    assert {n["data"]["queueId"] for n in transfers} == {support_id}
    english_triage = next(f for f in english["flowLibrary"] if f["key"] == "support_triage")
    assert english_triage["name"] == "Support triage"
    assert {
        n["data"]["queueId"]
        for n in english_triage["graph"]["nodes"]
        if n["type"] == "action_transfer_to_queue"
    } == {sales_id}
