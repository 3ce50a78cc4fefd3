"""Published flows answering customers for real, on PostgreSQL and SQLite: messages arrive from
the Graph API simulator as signed webhooks, replies go through the outbox, timers are rows a
worker fires, HTTP nodes call a real HTTP server, and time is an injected clock."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from domain.accounts.model import Actor, Role
from domain.conversations.messaging import TemplateContent
from domain.flows.services import FlowChanges
from domain.whatsapp.numbers import NumberDetails
from persistence.database import Database
from persistence.models.conversations import (
    ContactRow,
    ConversationRow,
    MessageRow,
    OutboundMessageRow,
)
from tests.flow_world import LOOPBACK, Nodes, World, flow_world, store_templates
from tests.flows import SEEDS_UNIVERSAL, WELCOME_TEMPLATE, document, edge, node
from tests.meta_payloads import PHONE_NUMBER_ID, WABA_ID
from tests.support import (
    SIMULATOR_TOKEN,
    WEBHOOK_APP_SECRET,
    AdjustableClock,
    Channel,
    GraphQLClient,
    Tenant,
    add_user,
    create_tenant,
    eventually,
    make_settings,
    running_server,
    serving,
    subscribed,
    whatsapp_channel,
)
from web.whatsapp.simulator import Simulator, SimulatorConfig

UNIVERSAL: Nodes = (
    [node("t", "trigger_universal"), node("hi", "msg_text", text="U: welcome")],
    [edge("t", "hi")],
)
KEYWORD: Nodes = (
    [
        node("t", "trigger_keyword", keywords=["ajuda"], match="exact"),
        node("ask", "input_question", text="K: what do you need?", variable="topic"),
        node("noted", "msg_text", text="K: noted {{vars.topic}}"),
    ],
    [edge("t", "ask"), edge("ask", "noted")],
)
TEMPLATE_STARTED: Nodes = (
    [
        node("t", "trigger_template", template="order_update", payloads=["confirm"]),
        node("yes", "msg_text", text="T: confirmed"),
        node("other", "msg_text", text="T: thanks for your reply"),
    ],
    [edge("t", "yes", "confirm"), edge("t", "other")],
)


async def test_the_seeds_universal_flow_answers_with_text_in_the_window_and_a_template_outside(
    database_url: str,
    database: Database,
) -> None:
    clock = AdjustableClock()
    async with whatsapp_channel(database_url, clock=clock) as channel:
        await store_templates(channel)
        world = World(channel, clock)
        await world.publish("Seeds", "universal", SEEDS_UNIVERSAL)

        def sent_to(wa_id: str) -> Any:
            return next((m for m in channel.simulator.state.sent if m.to == wa_id), None)

        await channel.customer_says("5511987650001", text="oi", profile_name="Ana")
        inside = await eventually(lambda: _now(sent_to("5511987650001")), what="a text reply")
        # Bia wrote a day ago by Meta's timestamp: her webhook arrives late.
        clock.advance(hours=25)
        await channel.customer_says("5511987650002", text="oi", profile_name="Bia")
        outside = await eventually(lambda: _now(sent_to("5511987650002")), what="a template")

    assert inside.type == "text"
    assert inside.payload["text"]["body"] == "Hello Ana! How can we help?"
    assert outside.type == "template"
    assert outside.payload["template"] == {
        "name": WELCOME_TEMPLATE["name"],
        "language": {"code": "en_US"},
        "components": [{"type": "body", "parameters": [{"type": "text", "text": "Bia"}]}],
    }
    assert len(channel.simulator.state.sent) == 2
    assert channel.simulator.state.rejected == []


async def _now(value: Any) -> Any:
    return value


ROUTING_TABLE: list[tuple[list[str], dict[str, Any], list[str]]] = [
    # (what happened before, the customer's message, who answers)
    ([], {"text": "olá"}, ["U: welcome"]),
    ([], {"text": "Ajuda"}, ["K: what do you need?"]),
    (["template"], {"text": "olá"}, ["T: thanks for your reply"]),
    (["template"], {"text": "ajuda"}, ["T: thanks for your reply"]),
    (["template"], {"button": {"payload": "confirm", "text": "Confirm"}}, ["T: confirmed"]),
    (["keyword"], {"text": "a refund"}, ["K: noted a refund"]),
    (["keyword"], {"text": "AJUDA"}, ["K: what do you need?"]),
    (["universal"], {"text": "olá de novo"}, []),
    (["universal"], {"text": "ajuda"}, ["K: what do you need?"]),
    (["universal", "expiry"], {"text": "olá de novo"}, ["U: welcome"]),
    (["universal", "assigned"], {"text": "ajuda"}, []),
    (["keyword", "assigned"], {"text": "a refund"}, []),
]


async def test_each_message_is_answered_by_the_flow_the_priority_rules_choose(
    database_url: str,
    database: Database,
) -> None:
    async with flow_world(database_url) as world:
        await world.publish("Welcome", "universal", UNIVERSAL)
        await world.publish("Help", "keyword", KEYWORD)
        await world.publish("Order follow-up", "template", TEMPLATE_STARTED)
        messaging = world.runtime.messaging
        organization_id = world.channel.tenant.organization_id

        answered = []
        for index, (before, message, _) in enumerate(ROUTING_TABLE):
            wa_id = f"55119000{index:05d}"
            for step in before:
                if step == "universal":
                    await world.says(wa_id, text="oi")
                elif step == "keyword":
                    await world.says(wa_id, text="ajuda")
                elif step == "template":
                    await world.says(wa_id, text="oi")
                    await messaging.send(
                        organization_id,
                        await world.conversation_id(wa_id),
                        TemplateContent("order_update", "en_US", ["A-1"]),
                    )
                elif step == "expiry":
                    world.clock.advance(minutes=11)
                elif step == "assigned":
                    await world.runtime.services.conversation_actions.assign(
                        world.actor, await world.conversation_id(wa_id), world.actor.user_id
                    )
            replied_before = len(await world.replies(wa_id))
            await world.says(wa_id, **message)
            answered.append((await world.replies(wa_id))[replied_before:])

    assert answered == [expected for _, _, expected in ROUTING_TABLE]


async def test_a_session_expires_on_its_timer_and_a_question_times_out_by_its_own_way(
    database_url: str,
    database: Database,
) -> None:
    waiting: Nodes = (
        [
            node("t", "trigger_keyword", keywords=["pedido"], match="exact"),
            node(
                "ask",
                "input_question",
                text="Which order?",
                variable="order",
                timeoutMinutes=5,
            ),
            node("late", "msg_text", text="Still there? Write 'pedido' to start again."),
            node("thanks", "msg_text", text="Looking {{vars.order}} up."),
        ],
        [edge("t", "ask"), edge("ask", "thanks"), edge("ask", "late", "timeout")],
    )
    async with flow_world(database_url) as world:
        await world.publish("Help", "keyword", KEYWORD, expiry_minutes=10)
        await world.publish("Orders", "keyword", waiting, expiry_minutes=30)
        await world.says("5511900000101", text="ajuda")
        await world.says("5511900000102", text="pedido")

        world.clock.advance(minutes=6)
        await world.tick()
        help_after_6, orders_after_6 = (
            (await world.sessions("5511900000101"))[0]["status"],
            await world.replies("5511900000102"),
        )
        world.clock.advance(minutes=5)
        await world.tick()
        expired = (await world.sessions("5511900000101"))[0]
        await world.says("5511900000101", text="a refund")

        assert help_after_6 == "active"
        assert orders_after_6 == ["Which order?", "Still there? Write 'pedido' to start again."]
        assert (await world.sessions("5511900000102"))[0]["status"] == "completed"
        assert expired["status"] == "expired"
        assert expired["ended_at"] is not None
        assert expired["wakes_at"] is None
        # The expired session no longer takes the customer's words as its answer.
        assert await world.replies("5511900000101") == ["K: what do you need?"]


async def test_invalid_answers_are_asked_again_then_take_the_invalid_way(
    database_url: str,
    database: Database,
) -> None:
    quantity: Nodes = (
        [
            node("t", "trigger_keyword", keywords=["comprar"], match="exact"),
            node(
                "ask",
                "input_question",
                text="How many?",
                variable="count",
                answer="number",
                maxAttempts=2,
                invalidMessage="Please write a number, like 3.",
            ),
            node("ok", "msg_text", text="Reserved {{vars.count}}."),
            node("human", "msg_text", text="Let us get you a person."),
        ],
        [edge("t", "ask"), edge("ask", "ok"), edge("ask", "human", "invalid")],
    )
    async with flow_world(database_url) as world:
        await world.publish("Buy", "keyword", quantity)
        for text in ("comprar", "lots", "3"):
            await world.says("5511900000201", text=text)
        for text in ("comprar", "lots", "many"):
            await world.says("5511900000202", text=text)

        valid = (await world.sessions("5511900000201"))[0]
        steps = await world.steps(valid["id"])

        assert await world.replies("5511900000201") == [
            "How many?",
            "Please write a number, like 3.",
            "Reserved 3.",
        ]
        assert await world.replies("5511900000202") == [
            "How many?",
            "Please write a number, like 3.",
            "Let us get you a person.",
        ]
    assert valid["status"] == "completed"
    assert valid["state"]["variables"] == {"count": "3"}
    assert [(s["node_id"], s["input"], s["way"], s["error"]) for s in steps] == [
        ("t", "comprar", "out", None),
        ("ask", None, None, None),
        ("ask", "lots", None, "invalid answer"),
        ("ask", "3", "out", None),
        ("ok", None, "out", None),
    ]
    assert steps[3]["variables_changed"] == {"count": "3"}
    assert steps[4]["effects"][0]["kind"] == "send"


def shop_app() -> Starlette:
    async def order(request: Request) -> JSONResponse:
        if request.path_params["number"] != "42":
            return JSONResponse({"error": "no such order"}, status_code=404)
        return JSONResponse({"order": {"status": "shipped"}, "items": [{"name": "Blue mug"}]})

    async def slow(_: Request) -> JSONResponse:
        await asyncio.sleep(5)
        return JSONResponse({"order": {"status": "late"}})

    return Starlette(
        routes=[Route("/orders/{number}", order), Route("/slow/orders/{number}", slow)]
    )


def lookup(url: str, keyword: str, timeout_seconds: float = 5) -> Nodes:
    return (
        [
            node("t", "trigger_keyword", keywords=[keyword], match="contains"),
            node("ask", "input_question", text="Order number?", variable="order", answer="number"),
            node(
                "http",
                "action_http_request",
                method="GET",
                url=url + "/orders/{{vars.order}}",
                timeoutSeconds=timeout_seconds,
                responseVariables={"state": "order.status", "first": "items.0.name"},
            ),
            node("found", "msg_text", text="Order {{vars.order}}: {{vars.state}} ({{vars.first}})"),
            node("down", "msg_text", text="We could not look that order up."),
        ],
        [
            edge("t", "ask"),
            edge("ask", "http"),
            edge("http", "found", "success"),
            edge("http", "down", "failure"),
        ],
    )


async def test_http_nodes_map_the_response_and_take_the_failure_way_on_errors_and_timeouts(
    database_url: str,
    database: Database,
) -> None:
    async with (
        serving(shop_app()) as shop,
        flow_world(database_url, flow_http_allowed_networks=LOOPBACK) as world,
    ):
        await world.publish("Lookup", "keyword", lookup(shop, "status"))
        await world.publish("Slow lookup", "keyword", lookup(shop + "/slow", "late", 0.3))
        customers = {"5511900000301": "42", "5511900000302": "7"}
        for wa_id, order in customers.items():
            await world.says(wa_id, text="order status please")
            await world.says(wa_id, text=order)
        waiting = (await world.sessions("5511900000301"))[0]
        await world.says("5511900000303", text="is it late?")
        await world.says("5511900000303", text="42")

        await world.tick()

        found, missing, slow = [
            (await world.sessions(wa_id))[0] for wa_id in (*customers, "5511900000303")
        ]
        slow_steps = await world.steps(slow["id"])
        assert await world.replies("5511900000301") == [
            "Order number?",
            "Order 42: shipped (Blue mug)",
        ]
        assert await world.replies("5511900000302") == [
            "Order number?",
            "We could not look that order up.",
        ]
        assert await world.replies("5511900000303") == [
            "Order number?",
            "We could not look that order up.",
        ]
    assert waiting["pending_http"]["url"] == f"{shop}/orders/42"
    assert waiting["wakes_at"] is not None
    assert found["state"]["variables"] == {"order": "42", "state": "shipped", "first": "Blue mug"}
    assert found["pending_http"] is None
    assert missing["status"] == "completed"
    assert [(s["node_id"], s["input"], s["way"]) for s in slow_steps][-2:] == [
        ("http", "no response within 0.3 s", "failure"),
        ("down", None, "out"),
    ]


async def test_running_sessions_finish_on_their_version_when_the_flow_changes(
    database_url: str,
    database: Database,
) -> None:
    async with flow_world(database_url) as world:
        flow_id = await world.publish("Help", "keyword", KEYWORD)
        await world.says("5511900000401", text="ajuda")
        changed = (
            [*KEYWORD[0][:2], node("noted", "msg_text", text="K2: thanks, {{vars.topic}} it is")],
            KEYWORD[1],
        )
        flows = world.runtime.services.flows
        await flows.update(world.actor, flow_id, FlowChanges(document=document(*changed)))
        await flows.publish(world.actor, flow_id)
        await world.says("5511900000402", text="ajuda")

        await world.says("5511900000401", text="billing")
        await world.says("5511900000402", text="billing")

        assert await world.replies("5511900000401") == [
            "K: what do you need?",
            "K: noted billing",
        ]
        assert await world.replies("5511900000402") == [
            "K: what do you need?",
            "K2: thanks, billing it is",
        ]
        versions = [
            (await world.sessions(wa_id))[0]["flow_version"]
            for wa_id in ("5511900000401", "5511900000402")
        ]
    assert versions == [1, 2]


async def test_a_session_goes_on_after_the_server_restarts_and_its_timers_still_fire(
    database_url: str,
    database: Database,
) -> None:
    clock = AdjustableClock()
    config = SimulatorConfig(
        status_delays=(None, None, None),
        app_secret=WEBHOOK_APP_SECRET,
        access_token=SIMULATOR_TOKEN,
    )
    simulator = Simulator(config)
    async with serving(simulator.app()) as simulator_url, httpx.AsyncClient(timeout=30) as http:
        settings = make_settings(
            database_url, whatsapp_graph_url=simulator_url, run_workers_in_process=False
        )

        @asynccontextmanager
        async def process(tenant: Tenant | None, number: Any) -> AsyncIterator[World]:
            async with running_server(settings, clock) as server:
                config.webhook_url = f"{server.url}/api/v1/whatsapp/webhook"
                client = GraphQLClient(server.url)
                if tenant is None:
                    tenant = await create_tenant(server, client, "Restart Co")
                    number = await server.runtime.services.numbers.create(
                        Actor.of(tenant.owner, None),
                        PHONE_NUMBER_ID,
                        WABA_ID,
                        NumberDetails(access_token=SIMULATOR_TOKEN),
                    )
                yield World(
                    Channel(server, simulator, simulator_url, client, tenant, number, http), clock
                )
                await client.close()

        async with process(None, None) as world:
            await world.publish("Help", "keyword", KEYWORD)
            await world.says("5511900000501", text="ajuda")
            await world.says("5511900000502", text="ajuda")
            tenant, number = world.channel.tenant, world.channel.number
        # A new process on the same database: nothing of the first one is left in memory.
        async with process(tenant, number) as world:
            await world.says("5511900000501", text="billing")
            world.clock.advance(minutes=11)
            await world.tick()

            replies = await world.replies("5511900000501")
            statuses = [
                (await world.sessions(wa_id))[0]["status"]
                for wa_id in ("5511900000501", "5511900000502")
            ]
    assert replies == ["K: what do you need?", "K: noted billing"]
    assert statuses == ["completed", "expired"]


def text_webhook(wa_id: str, wamid: str, text: str) -> dict[str, Any]:
    message = {
        "from": wa_id,
        "id": wamid,
        "timestamp": str(int(time.time())),
        "type": "text",
        "text": {"body": text},
    }
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE_NUMBER_ID},
        "contacts": [{"profile": {"name": "Ana"}, "wa_id": wa_id}],
        "messages": [message],
    }
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": WABA_ID, "changes": [{"value": value, "field": "messages"}]}],
    }


async def test_a_redelivered_message_is_answered_once_and_a_failing_flow_keeps_the_message(
    database_url: str,
    database: Database,
) -> None:
    async with flow_world(database_url) as world:
        await world.publish("Seeds", "universal", SEEDS_UNIVERSAL)
        simulator = world.channel.simulator
        webhook = text_webhook("5511900000601", "wamid.FLOW-REDELIVERED", "oi")
        for _ in range(3):
            assert await simulator.post_webhook(webhook)
            while await world.runtime.deliveries.run_once():
                pass
        organization_id = world.channel.tenant.organization_id
        async with world.runtime.unit_of_work(organization_id) as uow:
            await uow.templates.delete(WABA_ID, "welcome_back")
            await uow.commit()
        world.clock.advance(hours=25)
        await world.says("5511900000602", text="oi")

        replies = await world.replies("5511900000601")
        failed = (await world.sessions("5511900000602"))[0]
        async with world.runtime.database.engine.connect() as connection:
            kept = await connection.scalar(
                select(MessageRow.content)
                .join(ConversationRow, ConversationRow.id == MessageRow.conversation_id)
                .where(ConversationRow.id == await world.conversation_id("5511900000602"))
            )

    assert replies == ["Hello Ana! How can we help?"]
    assert failed["status"] == "error"
    assert "could not send" in failed["error"]
    assert "welcome_back" in failed["error"]
    assert kept == {"body": "oi"}


async def owner_of(world: World, conversation_id: str) -> dict[str, Any]:
    data = await world.channel.client.data(
        "query($id: ID!) { conversation(id: $id) "
        "{ owner flowSession { status waitingAtNodeId } } }",
        {"id": conversation_id},
        token=world.channel.tenant.token,
    )
    conversation: dict[str, Any] = data["conversation"]
    return conversation


async def test_a_transfer_hands_the_conversation_to_people_and_the_bot_stays_quiet(
    database_url: str,
    database: Database,
) -> None:
    menu: Nodes = (
        [
            node("t", "trigger_universal"),
            node(
                "menu",
                "msg_interactive",
                body="Hi {{contact.name}}, what do you need?",
                choices=[{"id": "human", "title": "An agent"}],
            ),
            node("label", "action_add_label", label="wants-agent"),
            node(
                "human",
                "action_transfer_to_queue",
                queueId="support",
                priority=2,
                message="Connecting you to an agent.",
            ),
        ],
        [edge("t", "menu"), edge("menu", "label", "human"), edge("label", "human")],
    )
    async with flow_world(database_url) as world:
        await world.publish("Menu", "universal", menu, expiry_minutes=1)
        await world.says("5511900000701", text="oi")
        conversation_id = str(await world.conversation_id("5511900000701"))
        before = await owner_of(world, conversation_id)
        await world.says("5511900000701", button_reply={"id": "human", "title": "An agent"})
        after = await owner_of(world, conversation_id)
        world.clock.advance(minutes=2)
        await world.says("5511900000701", text="hello?")

        replies = await world.replies("5511900000701")
        session = (await world.sessions("5511900000701"))[0]
        async with world.runtime.database.engine.connect() as connection:
            conversation = (
                (
                    await connection.execute(
                        select(ConversationRow).where(
                            ConversationRow.id == await world.conversation_id("5511900000701")
                        )
                    )
                )
                .mappings()
                .one()
            )

    assert replies == ["Hi Ana, what do you need?", "Connecting you to an agent."]
    assert before == {
        "owner": "BOT",
        "flowSession": {"status": "ACTIVE", "waitingAtNodeId": "menu"},
    }
    assert after == {"owner": "PEOPLE", "flowSession": None}
    assert session["status"] == "transferred"
    assert conversation["status"] == "pending"
    assert conversation["handed_off_at"] is not None
    assert conversation["labels"] == ["wants-agent"]


SESSION_FIELDS = (
    "id status flowVersion waitingAtNodeId variables error endedAt stepCount "
    "steps { sequence nodeId input way effects variablesChanged at }"
)


async def test_sessions_their_logs_and_a_flows_statistics_are_read_over_graphql(
    database_url: str,
    database: Database,
) -> None:
    async with flow_world(database_url) as world:
        since = world.clock.now().isoformat()
        flow_id = await world.publish("Help", "keyword", KEYWORD)
        for wa_id, texts in {
            "5511900000801": ["ajuda", "billing"],
            "5511900000802": ["ajuda"],
            "5511900000803": ["ajuda"],
        }.items():
            for text in texts:
                await world.says(wa_id, text=text)
        world.clock.advance(minutes=5)
        await world.says("5511900000803", text="AJUDA")
        world.clock.advance(minutes=6)
        await world.tick()
        client, token = world.channel.client, world.channel.tenant.token
        listed = await client.data(
            "query($f: ID!) { expired: flowSessions(filter: {flowId: $f, status: EXPIRED}) "
            f"{{ edges {{ node {{ {SESSION_FIELDS} }} }} }} "
            "all: flowSessions(filter: {flowId: $f}) { edges { node { status } } } "
            'stats: flowStats(id: $f, since: "' + since + '") { started completed expired '
            "transferred replaced failed active dropOff { nodeId sessions } } }",
            {"f": str(flow_id)},
            token=token,
        )
        completed_id = str((await world.sessions("5511900000801"))[0]["id"])
        read = await client.data(
            f"query($id: ID!) {{ flowSession(id: $id) {{ {SESSION_FIELDS} }} }}",
            {"id": completed_id},
            token=token,
        )
        sent_ids = await _outbound_ids(world, "5511900000801")

    expired = listed["expired"]["edges"][0]["node"]
    assert len(listed["expired"]["edges"]) == 1
    assert expired["status"] == "EXPIRED"
    assert expired["waitingAtNodeId"] is None
    assert expired["endedAt"] is not None
    assert [step["nodeId"] for step in expired["steps"]] == ["t", "ask"]
    assert [edge["node"]["status"] for edge in listed["all"]["edges"]] == [
        "ACTIVE",
        "REPLACED",
        "EXPIRED",
        "COMPLETED",
    ]
    assert listed["stats"] == {
        "started": 4,
        "completed": 1,
        "expired": 1,
        "transferred": 0,
        "replaced": 1,
        "failed": 0,
        "active": 1,
        "dropOff": [{"nodeId": "ask", "sessions": 1}],
    }
    session = read["flowSession"]
    assert session["status"] == "COMPLETED"
    assert session["flowVersion"] == 1
    assert session["variables"] == {"topic": "billing"}
    assert session["stepCount"] == 4
    assert [(s["sequence"], s["nodeId"], s["input"], s["way"]) for s in session["steps"]] == [
        (1, "t", "ajuda", "out"),
        (2, "ask", None, None),
        (3, "ask", "billing", "out"),
        (4, "noted", None, "out"),
    ]
    assert session["steps"][2]["variablesChanged"] == {"topic": "billing"}
    sends = [effect for step in session["steps"] for effect in step["effects"]]
    assert [effect["messageId"] for effect in sends] == sent_ids
    assert all(step["at"] for step in session["steps"])


async def _outbound_ids(world: World, wa_id: str) -> list[str]:
    async with world.runtime.database.engine.connect() as connection:
        result = await connection.scalars(
            select(MessageRow.id)
            .join(OutboundMessageRow, OutboundMessageRow.message_id == MessageRow.id)
            .join(ConversationRow, ConversationRow.id == MessageRow.conversation_id)
            .join(ContactRow, ContactRow.id == ConversationRow.contact_id)
            .where(ContactRow.wa_id == wa_id)
            .order_by(OutboundMessageRow.id)
        )
        return [str(message_id) for message_id in result]


async def test_a_supervisor_watches_sessions_move_live_and_agents_may_not(
    database_url: str,
    database: Database,
) -> None:
    async with flow_world(database_url) as world:
        flow_id = await world.publish("Help", "keyword", KEYWORD)
        server, tenant = world.channel.server, world.channel.tenant
        _, agent_token = await add_user(server, world.channel.client, tenant, Role.AGENT)
        watch = (
            "subscription($f: ID) { flowSessionUpdated(flowId: $f) { status stepCount "
            "session { waitingAtNodeId steps { nodeId } } } }"
        )
        async with subscribed(server.ws_url, tenant.token, watch, {"f": str(flow_id)}) as live:
            await asyncio.sleep(0.1)
            await world.says("5511900000901", text="ajuda")
            started = await live.next_data()
            await world.says("5511900000901", text="billing")
            finished = await live.next_data()
        async with subscribed(server.ws_url, agent_token, watch, {"f": str(flow_id)}) as refused:
            answer = await refused.receive()
        as_agent = await world.channel.client.execute(
            "{ flowSessions { edges { node { id } } } }", token=agent_token
        )

    assert started["data"]["flowSessionUpdated"] == {
        "status": "ACTIVE",
        "stepCount": 2,
        "session": {"waitingAtNodeId": "ask", "steps": [{"nodeId": "t"}, {"nodeId": "ask"}]},
    }
    assert finished["data"]["flowSessionUpdated"]["status"] == "COMPLETED"
    assert finished["data"]["flowSessionUpdated"]["stepCount"] == 4
    errors = answer["payload"] if answer["type"] == "error" else answer["payload"]["errors"]
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"
    assert as_agent["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_catastrophic_keyword_regex_stalls_neither_its_number_nor_other_organizations(
    database_url: str, database: Database
) -> None:
    """With a backtracking engine, matching this pattern against the customer's message would
    hold the event loop for longer than the test can wait, and the other organization's query
    with it."""
    greedy: Nodes = (
        [
            node("t", "trigger_keyword", keywords=["^(a+)+$"], match="regex"),
            node("hi", "msg_text", text="matched"),
        ],
        [edge("t", "hi")],
    )
    async with flow_world(database_url) as world:
        await world.publish("Greedy", "keyword", greedy)
        channel = world.channel
        other = await create_tenant(channel.server, channel.client, "Globex")

        _, answered = await asyncio.gather(
            world.says("5511911112222", text="a" * 4_000 + "!"),
            channel.client.data("{ me { email } }", token=other.token),
        )
        await world.says("5511911113333", text="aaaa")
        almost = await world.replies("5511911112222")
        matching = await world.replies("5511911113333")

    assert answered["me"]["email"] == other.owner.email
    assert almost == []
    assert matching == ["matched"]
