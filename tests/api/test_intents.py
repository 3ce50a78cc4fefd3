"""Intents through the API, on PostgreSQL and SQLite: written by supervisors, trained in the
intents worker with its progress live, measured on held-out examples, versioned, and read in
each new customer text by the organization's own model only."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from domain.accounts.model import Actor, Role
from domain.flows.dry_run import DryRunInput
from domain.flows.engine import CustomerMessage
from domain.flows.model import FlowKind
from domain.flows.services import FlowDraft
from domain.signals.intents import KEPT_MODELS
from domain.whatsapp.numbers import NumberDetails
from persistence.models.signals import IntentModelRow
from tests.ai.alerts import customer_says, scored
from tests.ai.intents import finished, trained_starter_model
from tests.flows import WANTS, document, edge, node
from tests.support import GraphQLClient, RunningServer, add_user, create_tenant, subscribed

CREATE = """
mutation($input: IntentCreateInput!) {
  intentCreate(input: $input) {
    __typename
    ... on IntentSaveSuccess { intent { id name description examples } }
    ... on ValidationError { field message }
    ... on ConflictError { field message }
    ... on PermissionDeniedError { message }
  }
}
"""
TRAIN = """
mutation { intentModelTrain {
  __typename
  ... on IntentModelTrainSuccess { model { id version status stage progress } }
  ... on ValidationError { message }
} }
"""
MODEL = """
{ intentModel { id version status stage progress trainedAt trainingSeconds accuracy macroF1
  exampleCount heldOutCount confusionMatrix { labels counts } error } }
"""
INTENTS_READ = """
{ messages(conversationId: "%s", first: 20) {
  edges { node { content { ... on TextContent { body } } intent { name confidence modelVersion } } }
} }
"""
EXAMPLES = {
    "sim": ["sim", "quero sim", "pode ser", "claro", "ok, sim, pode mandar"],
    "nao": ["não", "nao quero", "agora não", "negativo", "nem pensar"],
}


async def connected(server: RunningServer, client: GraphQLClient) -> Any:
    tenant = await create_tenant(server, client, "Acme")
    await server.runtime.services.numbers.create(
        Actor.of(tenant.owner, None),
        "106540352242922",
        "102290129340398",
        NumberDetails(access_token="t"),
    )
    return tenant


async def create(client: GraphQLClient, token: str, **intent: Any) -> dict[str, Any]:
    data = await client.data(CREATE, {"input": intent}, token=token)
    return dict(data["intentCreate"])


async def read_intents(server: RunningServer, client: GraphQLClient, token: str) -> dict[str, Any]:
    """Each customer text's intent, by body."""
    conversations = await client.data(
        "{ conversations(first: 5) { edges { node { id } } } }", token=token
    )
    read: dict[str, Any] = {}
    for conversation in conversations["conversations"]["edges"]:
        data = await client.data(INTENTS_READ % conversation["node"]["id"], token=token)
        for message in data["messages"]["edges"]:
            read[message["node"]["content"]["body"]] = message["node"]["intent"]
    return read


async def test_supervisors_write_intents_that_are_checked_and_everyone_reads_them(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    _, agent_token = await add_user(server, client, tenant, Role.AGENT)

    created = await create(
        client,
        tenant.token,
        name=" Pix ",
        description="  Pagar   com Pix ",
        examples=["aceita pix?", "Aceita  PIX?", "qual a chave pix"],
    )
    taken = await create(client, tenant.token, name="pix", examples=["pix"])
    unsure = await create(client, tenant.token, name="unsure", examples=["hm"])
    spaced = await create(client, tenant.token, name="falar com gente", examples=["oi"])
    empty_example = await create(client, tenant.token, name="vazio", examples=[" "])
    by_agent = await create(client, agent_token, name="agente", examples=["oi"])
    seen_by_agent = await client.data("{ intents { name examples } }", token=agent_token)
    changed = await client.data(
        'mutation($id: ID!) { intentUpdate(input: {id: $id, name: "pagamento_pix", '
        'examples: ["manda o pix"]}) { ... on IntentSaveSuccess { intent { name examples '
        "description } } } }",
        {"id": created["intent"]["id"]},
        token=tenant.token,
    )
    deleted = await client.data(
        "mutation($id: ID!) { intentDelete(input: {id: $id}) { __typename } }",
        {"id": created["intent"]["id"]},
        token=tenant.token,
    )
    left = await client.data("{ intents { name } }", token=tenant.token)

    assert created["intent"] | {"id": None} == {
        "id": None,
        "name": "pix",
        "description": "Pagar com Pix",
        "examples": ["aceita pix?", "qual a chave pix"],
    }
    assert taken == {
        "__typename": "ConflictError",
        "field": "name",
        "message": "the intent pix exists",
    }
    assert unsure["__typename"] == "ValidationError"
    assert "'unsure' is the way taken" in unsure["message"]
    assert (spaced["__typename"], spaced["field"]) == ("ValidationError", "name")
    assert (empty_example["__typename"], empty_example["field"]) == (
        "ValidationError",
        "examples",
    )
    assert by_agent["__typename"] == "PermissionDeniedError"
    assert seen_by_agent["intents"] == [
        {"name": "pix", "examples": ["aceita pix?", "qual a chave pix"]}
    ]
    assert changed["intentUpdate"]["intent"] == {
        "name": "pagamento_pix",
        "examples": ["manda o pix"],
        "description": "",
    }
    assert deleted["intentDelete"]["__typename"] == "IntentDeleteSuccess"
    assert left["intents"] == []


async def test_training_runs_in_the_worker_with_its_progress_live_and_measures_the_model(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    too_few = await client.data(TRAIN, token=tenant.token)
    imported = await client.data(
        "mutation { intentStarterSetImport(input: {}) { ... on IntentStarterSetImportSuccess "
        "{ created { name examples } skipped } } }",
        token=tenant.token,
    )
    again = await client.data(
        "mutation { intentStarterSetImport(input: {}) { ... on IntentStarterSetImportSuccess "
        "{ created { name } skipped } } }",
        token=tenant.token,
    )
    before = await client.data(MODEL, token=tenant.token)
    queued = (await client.data(TRAIN, token=tenant.token))["intentModelTrain"]
    await finished(server, tenant.owner, queued["model"]["id"])
    model = (await client.data(MODEL, token=tenant.token))["intentModel"]
    progress: list[tuple[str, str, float]] = []
    async with subscribed(
        server.ws_url,
        tenant.token,
        "subscription($after: ID) { intentModelUpdated(after: $after) "
        "{ modelId version status stage progress } }",
        {"after": "0"},
    ) as live:
        while not progress or progress[-1][0] not in ("READY", "FAILED"):
            event = (await live.next_data())["data"]["intentModelUpdated"]
            assert (event["modelId"], event["version"]) == (queued["model"]["id"], 1)
            progress.append((event["status"], event["stage"], event["progress"]))
    second = (await client.data(TRAIN, token=tenant.token))["intentModelTrain"]["model"]
    while_queued = (await client.data(TRAIN, token=tenant.token))["intentModelTrain"]["model"]
    await finished(server, tenant.owner, second["id"])
    versions = await client.data(
        "{ intentModels(first: 5) { version status } }", token=tenant.token
    )

    assert too_few["intentModelTrain"] == {
        "__typename": "ValidationError",
        "message": "at least 2 intents with examples are needed",
    }
    created = imported["intentStarterSetImport"]["created"]
    assert len(created) == 13
    assert sum(len(intent["examples"]) for intent in created) == 315
    assert again["intentStarterSetImport"]["created"] == []
    assert len(again["intentStarterSetImport"]["skipped"]) == 13
    assert before["intentModel"] is None
    assert (queued["model"]["status"], queued["model"]["version"]) == ("QUEUED", 1)
    assert progress == [
        ("QUEUED", "queued", 0.0),
        ("TRAINING", "starting", 0.0),
        ("TRAINING", "splitting", 0.05),
        ("TRAINING", "evaluating", 0.1),
        ("TRAINING", "training", 0.55),
        ("READY", "ready", 1.0),
    ]
    assert model["status"] == "READY"
    assert model["trainedAt"] is not None
    assert model["trainingSeconds"] > 0
    assert (model["exampleCount"], model["heldOutCount"]) == (315, 63)
    assert model["accuracy"] >= 0.74
    matrix = model["confusionMatrix"]
    assert len(matrix["labels"]) == 13
    assert matrix["labels"] == sorted(matrix["labels"])
    assert sum(map(sum, matrix["counts"])) == 63
    right = sum(matrix["counts"][i][i] for i in range(13))
    assert model["accuracy"] == round(right / 63, 4)
    assert while_queued["id"] == second["id"]
    assert versions["intentModels"] == [
        {"version": 2, "status": "READY"},
        {"version": 1, "status": "READY"},
    ]


async def test_each_new_text_is_read_by_the_organizations_own_model(
    server: RunningServer, client: GraphQLClient
) -> None:
    acme = await create_tenant(server, client, "Acme")
    await trained_starter_model(server, acme.owner)
    globex = await connected(server, client)

    await customer_says(server, ("quero cancelar minha assinatura",), sender="5511900000001")
    await scored(server)
    without_a_model = await read_intents(server, client, globex.token)
    for name, examples in EXAMPLES.items():
        await create(client, globex.token, name=name, examples=examples)
    queued = (await client.data(TRAIN, token=globex.token))["intentModelTrain"]["model"]
    await finished(server, globex.owner, queued["id"])
    await customer_says(server, ("não quero mais, cancela",), sender="5511900000001")
    await scored(server)
    with_its_own = await read_intents(server, client, globex.token)

    assert without_a_model == {"quero cancelar minha assinatura": None}
    assert with_its_own["quero cancelar minha assinatura"] is None
    own = with_its_own["não quero mais, cancela"]
    assert own["name"] == "nao"
    assert own["modelVersion"] == 1
    assert 0.5 < own["confidence"] <= 1


async def test_a_dry_run_reads_each_test_message_with_the_organizations_model(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    actor = Actor.of(tenant.owner, None)
    flows = server.runtime.services.flows
    flow = await flows.create(
        actor, FlowDraft("Wants", FlowKind.UNIVERSAL, document=document(*WANTS))
    )
    cancel = DryRunInput([CustomerMessage("quero cancelar minha assinatura")])

    untrained = await flows.test(actor, flow.id, cancel, None)
    await trained_starter_model(server, tenant.owner)
    trained = await flows.test(actor, flow.id, cancel, None)

    assert untrained.path == ("t", "wants", "ask")
    assert trained.path == ("t", "wants", "cancel")


async def test_published_keyword_flows_become_intents_of_their_keywords(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    actor = Actor.of(tenant.owner, None)
    number = await server.runtime.services.numbers.create(
        actor, "106540352242922", "102290129340398", NumberDetails(access_token="t")
    )
    flows = server.runtime.services.flows
    keywords = document(
        [
            node("t", "trigger_keyword", keywords=["2ª via", "boleto"], match="contains"),
            node("send", "msg_text", text="Segue o boleto."),
        ],
        [edge("t", "send")],
    )
    published = await flows.create(
        actor, FlowDraft("Segunda via do Boleto", FlowKind.KEYWORD, (number.id,), 10, keywords)
    )
    await flows.publish(actor, published.id)
    await flows.create(actor, FlowDraft("Rascunho", FlowKind.KEYWORD, (number.id,), 10, keywords))

    imported = await server.runtime.services.intents.import_starter(actor, True)
    starter_only = await create_tenant(server, client, "Globex")
    without_flows = await server.runtime.services.intents.import_starter(
        Actor.of(starter_only.owner, None), False
    )

    flow_intents = [i for i in imported.created if i.name.startswith("flow_")]
    assert [(i.name, i.examples) for i in flow_intents] == [
        ("flow_segunda_via_do_boleto", ("2ª via", "boleto"))
    ]
    assert flow_intents[0].description == "Keywords of the flow Segunda via do Boleto"
    assert len(imported.created) == 14
    assert len(without_flows.created) == 13


async def test_only_the_latest_trained_models_are_kept_with_every_versions_figures(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    for name, examples in EXAMPLES.items():
        await create(client, tenant.token, name=name, examples=examples)
    for _ in range(KEPT_MODELS + 1):
        queued = (await client.data(TRAIN, token=tenant.token))["intentModelTrain"]["model"]
        await finished(server, tenant.owner, queued["id"])
    async with server.runtime.database.session() as session:
        stored = {
            version: artifact is not None
            for version, artifact in await session.execute(
                select(IntentModelRow.version, IntentModelRow.artifact)
            )
        }
    listed = await client.data(
        "{ intentModels(first: 20) { version accuracy } }", token=tenant.token
    )

    assert stored == {1: False, **{v: True for v in range(2, KEPT_MODELS + 2)}}
    assert [m["version"] for m in listed["intentModels"]] == list(range(KEPT_MODELS + 1, 0, -1))
    assert all(m["accuracy"] is not None for m in listed["intentModels"])
