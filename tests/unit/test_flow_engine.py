"""The flow engine as a pure function: given a graph, a session, what happened and the time,
the next state, what to send or call, and a record of each node gone through."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from domain.conversations.messaging import ButtonsContent, ListContent, TemplateContent, TextContent
from domain.conversations.model import Conversation, ConversationStatus
from domain.flows.engine import (
    CallHttp,
    CustomerMessage,
    FlowEngine,
    HttpOutcome,
    LabelConversation,
    Outcome,
    RunContext,
    Send,
    SessionStatus,
    SignalsRead,
    Tick,
    TransferToQueue,
)
from domain.flows.model import parse_flow
from tests.flows import MENU, MOOD, ORDER_LOOKUP, SEEDS_UNIVERSAL, WANTS, edge, graph, node

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
PHONE = "5511987654321"


def context(now: datetime = NOW, window_open: bool = True) -> RunContext:
    return RunContext(now, PHONE, "Ana", window_open, timedelta(minutes=10))


def says(text: str, reply_id: str | None = None) -> CustomerMessage:
    return CustomerMessage(text, reply_id)


def sent(outcome: Outcome) -> list[object]:
    return [effect.content for effect in outcome.effects if isinstance(effect, Send)]


def conversation_last_written(at: datetime) -> Conversation:
    return Conversation(
        id=uuid.uuid4(),
        organization_id=uuid.uuid4(),
        number_id=uuid.uuid4(),
        contact_id=uuid.uuid4(),
        status=ConversationStatus.OPEN,
        unread_count=1,
        last_message_at=at,
        last_inbound_at=at,
        created_at=at,
        updated_at=at,
    )


def test_the_seeds_universal_flow_answers_with_text_inside_the_window() -> None:
    engine = FlowEngine(graph(*SEEDS_UNIVERSAL))
    written = conversation_last_written(NOW)

    outcome = engine.start(context(window_open=written.window_open(NOW)), says("oi"))

    assert sent(outcome) == [TextContent("Hello Ana! How can we help?")]
    assert [step.node_id for step in outcome.steps] == ["start", "window", "hello"]
    assert outcome.steps[1].way == "open"
    assert outcome.state.status is SessionStatus.COMPLETED


def test_the_seeds_universal_flow_answers_with_the_template_once_the_clock_closed_the_window() -> (
    None
):
    engine = FlowEngine(graph(*SEEDS_UNIVERSAL))
    written = conversation_last_written(NOW)
    later = NOW + timedelta(hours=24, minutes=1)

    outcome = engine.start(context(later, written.window_open(later)), says("oi"))

    assert sent(outcome) == [TemplateContent("welcome_back", "en_US", ["Ana"])]
    assert outcome.steps[1].way == "closed"


def test_a_text_node_outside_the_window_sends_its_fallback_template_or_nothing() -> None:
    fallback = {"name": "follow_up", "language": "pt_BR", "parameters": []}
    with_fallback = FlowEngine(
        graph(
            [
                node("t", "trigger_universal"),
                node("m", "msg_text", text="hi", fallbackTemplate=fallback),
            ],
            [edge("t", "m")],
        )
    )
    without = FlowEngine(
        graph([node("t", "trigger_universal"), node("m", "msg_text", text="hi")], [edge("t", "m")])
    )

    covered = with_fallback.start(context(window_open=False), says("x"))
    refused = without.start(context(window_open=False), says("x"))

    assert sent(covered) == [TemplateContent("follow_up", "pt_BR", [])]
    assert sent(refused) == []
    assert refused.state.status is SessionStatus.ERROR
    assert refused.state.error is not None
    assert "24-hour window" in refused.state.error


QUESTION_FLOW = (
    [
        node("t", "trigger_keyword", keywords=["pedido"]),
        node(
            "q",
            "input_question",
            text="How many units?",
            variable="units",
            answer="number",
            maxAttempts=2,
            invalidMessage="Please send a number.",
            timeoutMinutes=5,
        ),
        node("ok", "msg_text", text="{{vars.units}} units, noted."),
        node("gave_up", "msg_text", text="Let us try later."),
        node("silent", "action_add_label", label="no-answer"),
    ],
    [
        edge("t", "q"),
        edge("q", "ok"),
        edge("q", "gave_up", "invalid"),
        edge("q", "silent", "timeout"),
    ],
)


def test_a_question_waits_checks_the_answer_and_saves_it() -> None:
    engine = FlowEngine(graph(*QUESTION_FLOW))

    asked = engine.start(context(), says("pedido"))
    answered = engine.resume(asked.state, says("3,5"), context(NOW + timedelta(minutes=1)))

    assert sent(asked) == [TextContent("How many units?")]
    assert asked.state.waiting is not None
    assert asked.state.waiting.node_id == "q"
    assert answered.state.variables == {"units": "3.5"}
    assert sent(answered) == [TextContent("3.5 units, noted.")]
    assert answered.steps[0].variables_changed == {"units": "3.5"}
    assert answered.state.status is SessionStatus.COMPLETED


def test_an_invalid_answer_is_asked_again_then_takes_the_invalid_way() -> None:
    engine = FlowEngine(graph(*QUESTION_FLOW))
    asked = engine.start(context(), says("pedido"))

    first = engine.resume(asked.state, says("some"), context())
    second = engine.resume(first.state, says("many"), context())

    assert sent(first) == [TextContent("Please send a number.")]
    assert first.state.status is SessionStatus.ACTIVE
    assert first.steps[0].error == "invalid answer"
    assert sent(second) == [TextContent("Let us try later.")]
    assert second.steps[0].way == "invalid"


def test_no_reply_in_time_takes_the_timeout_way_and_the_timer_is_the_earliest_deadline() -> None:
    engine = FlowEngine(graph(*QUESTION_FLOW))
    asked = engine.start(context(), says("pedido"))

    early = engine.resume(asked.state, Tick(), context(NOW + timedelta(minutes=4)))
    late = engine.resume(asked.state, Tick(), context(NOW + timedelta(minutes=5)))

    assert asked.state.wakes_at == NOW + timedelta(minutes=5)
    assert early.state == asked.state
    assert early.effects == ()
    assert late.effects == (LabelConversation("silent", "no-answer"),)
    assert late.state.status is SessionStatus.COMPLETED


def answer_question(answer_kind: str, extra: dict[str, object], reply: str) -> Outcome:
    """Asks one question of this kind and gives the reply."""
    engine = FlowEngine(
        graph(
            [
                node("t", "trigger_universal"),
                node("q", "input_question", text="?", variable="v", answer=answer_kind, **extra),
            ],
            [edge("t", "q")],
        )
    )
    asked = engine.start(context(), says("hi"))
    return engine.resume(asked.state, says(reply), context())


@pytest.mark.parametrize(
    ("answer_kind", "extra", "reply", "stored"),
    [
        ("email", {}, " Ana@Example.COM ", "Ana@example.com"),
        ("phone", {}, "(11) 98765-4321", "+5511987654321"),
        ("phone", {}, "+1 650 555 1234", "+16505551234"),
        ("date", {}, "25/12/2026", "2026-12-25"),
        ("option", {"options": ["Pix", "Cartão"]}, "cartao", "Cartão"),
        ("option", {"options": ["Pix", "Cartão"]}, "1", "Pix"),
    ],
)
def test_answers_are_checked_and_normalised_by_kind(
    answer_kind: str, extra: dict[str, object], reply: str, stored: str
) -> None:
    answered = answer_question(answer_kind, extra, reply)

    assert answered.state.variables == {"v": stored}


@pytest.mark.parametrize(
    ("answer_kind", "extra", "reply"),
    [
        ("email", {}, "ana@"),
        ("phone", {}, "12"),
        ("date", {}, "31/02/2026"),
        ("option", {"options": ["Pix", "Cartão"]}, "3"),
        ("number", {}, "three"),
    ],
)
def test_answers_that_do_not_fit_are_refused(
    answer_kind: str, extra: dict[str, object], reply: str
) -> None:
    answered = answer_question(answer_kind, extra, reply)

    assert answered.state.variables == {}
    assert answered.state.waiting is not None
    assert answered.state.waiting.attempts == 1


def test_each_choice_of_an_interactive_message_is_a_branch() -> None:
    engine = FlowEngine(graph(*MENU))
    shown = engine.start(context(), says("hello"))

    by_id = engine.resume(shown.state, says("My orders", "orders"), context())
    by_title = engine.resume(shown.state, says("an AGENT"), context())
    unclear = engine.resume(shown.state, says("what?"), context())

    [menu] = sent(shown)
    assert isinstance(menu, ButtonsContent)
    assert menu.body == "Hi Ana, what do you need?"
    assert [b.id for b in menu.buttons] == ["orders", "human"]
    assert by_id.state.variables == {"topic": "orders"}
    assert by_title.effects == (
        Send("human", TextContent("Connecting you to an agent.")),
        TransferToQueue("human", "support", 2, 15, "overflow"),
    )
    assert by_title.state.status is SessionStatus.TRANSFERRED
    assert sent(unclear) == [menu]
    assert unclear.state.waiting == shown.state.waiting


def test_a_list_message_offers_its_choices_as_rows() -> None:
    nodes, edges = MENU
    as_list = [dict(n) for n in nodes]
    as_list[1] = node(
        "menu",
        "msg_interactive",
        body="Pick one",
        listButton="Options",
        choices=[{"id": "orders", "title": "My orders", "description": "Track them"}],
    )
    engine = FlowEngine(graph(as_list[:3], edges[:2]))

    [content] = sent(engine.start(context(), says("hello")))

    assert isinstance(content, ListContent)
    assert content.button == "Options"
    assert [(r.id, r.description) for r in content.sections[0].rows] == [("orders", "Track them")]


def test_an_http_request_is_handed_back_and_its_answer_fed_in() -> None:
    engine = FlowEngine(graph(*ORDER_LOOKUP))
    asked = engine.start(context(), says("what is the status of my order?"))
    calling = engine.resume(asked.state, says("1234"), context())

    answered = engine.resume(
        calling.state,
        HttpOutcome(200, {"order": {"status": "shipped"}, "items": [{"name": "Lamp"}]}),
        context(),
    )
    failed = engine.resume(calling.state, HttpOutcome(None, error="timed out"), context())

    assert calling.effects == (
        CallHttp(
            "http",
            "GET",
            "https://shop.example/orders/1234",
            {"Authorization": "Bearer k"},
            None,
            10.0,
        ),
    )
    assert sent(answered) == [TextContent("Order 1234: shipped (Lamp)")]
    assert answered.state.variables == {"order": "1234", "state": "shipped", "first": "Lamp"}
    assert sent(failed) == [TextContent("Our order system is down, sorry.")]


def test_a_session_expires_after_its_inactivity_timeout_and_messages_move_the_expiry() -> None:
    engine = FlowEngine(graph(*ORDER_LOOKUP))
    asked = engine.start(context(), says("status"))
    nine_minutes = context(NOW + timedelta(minutes=9))

    still = engine.resume(asked.state, Tick(), nine_minutes)
    expired = engine.resume(asked.state, Tick(), context(NOW + timedelta(minutes=10)))
    moved = engine.resume(asked.state, says("12"), nine_minutes)

    assert still.state.status is SessionStatus.ACTIVE
    assert expired.state.status is SessionStatus.EXPIRED
    assert moved.state.expires_at == NOW + timedelta(minutes=19)


def test_a_template_flow_waits_for_the_quick_reply_that_continues_it() -> None:
    engine = FlowEngine(
        graph(
            [
                node("t", "trigger_template", template="delivery_window", payloads=["YES", "NO"]),
                node("yes", "msg_text", text="Great, see you tomorrow."),
                node("no", "msg_text", text="We will call you to reschedule."),
                node("other", "action_add_label", label="template-reply"),
            ],
            [edge("t", "yes", "YES"), edge("t", "no", "NO"), edge("t", "other")],
        )
    )

    started = engine.start(context(window_open=False))
    yes = engine.resume(started.state, says("Yes", "YES"), context())
    typed = engine.resume(started.state, says("who is this?"), context())

    assert started.effects == ()
    assert started.state.waiting is not None
    assert started.state.waiting.node_id == "t"
    assert sent(yes) == [TextContent("Great, see you tomorrow.")]
    assert typed.effects == (LabelConversation("other", "template-reply"),)


def test_conditions_and_business_hours_branch_on_values_and_local_time() -> None:
    engine = FlowEngine(
        graph(
            [
                node("t", "trigger_universal"),
                node(
                    "vip",
                    "logic_condition",
                    subject="vars.spent",
                    operator="greater_than",
                    value="1000",
                ),
                node(
                    "hours",
                    "logic_business_hours",
                    timeZone="America/Sao_Paulo",
                    weekly={"monday": [["09:00", "18:00"]]},
                    holidays=["2026-11-20"],
                ),
                node("open", "action_add_label", label="open"),
                node("closed", "action_add_label", label="closed"),
                node("regular", "action_add_label", label="regular"),
            ],
            [
                edge("t", "vip"),
                edge("vip", "hours", "true"),
                edge("vip", "regular", "false"),
                edge("hours", "open", "open"),
                edge("hours", "closed", "closed"),
            ],
        )
    )
    monday_noon_in_sao_paulo = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
    monday_evening_in_sao_paulo = datetime(2026, 11, 23, 22, 0, tzinfo=UTC)

    def labels(now: datetime, spent: str) -> list[str]:
        outcome = engine.start(context(now), says("hi"), {"spent": spent})
        return [e.label for e in outcome.effects if isinstance(e, LabelConversation)]

    assert labels(monday_noon_in_sao_paulo, "1500") == ["open"]
    assert labels(monday_evening_in_sao_paulo, "1500") == ["closed"]
    assert labels(monday_noon_in_sao_paulo, "900") == ["regular"]


def test_a_loop_that_never_waits_is_stopped_with_an_error() -> None:
    engine = FlowEngine(
        graph(
            [
                node("t", "trigger_universal"),
                node("a", "action_set_variable", variable="x", value="1"),
                node("b", "action_set_variable", variable="y", value="2"),
            ],
            [edge("t", "a"), edge("a", "b"), edge("b", "a")],
        )
    )

    outcome = engine.start(context(), says("hi"))

    assert outcome.state.status is SessionStatus.ERROR
    assert outcome.state.error is not None
    assert "without waiting" in outcome.state.error


def test_a_sentiment_node_waits_for_its_message_to_be_read_then_goes_its_way() -> None:
    engine = FlowEngine(graph(*MOOD))
    waiting = engine.start(context(), CustomerMessage("Que absurdo", message_id="m1"))

    another_message = engine.resume(
        waiting.state, SignalsRead("m0", "positive"), context(NOW + timedelta(seconds=1))
    )
    read = engine.resume(
        waiting.state, SignalsRead("m1", "negative"), context(NOW + timedelta(seconds=1))
    )
    early = engine.resume(waiting.state, Tick(), context(NOW + timedelta(seconds=4)))
    never_read = engine.resume(waiting.state, Tick(), context(NOW + timedelta(seconds=5)))

    assert waiting.effects == ()
    assert waiting.state.waiting is not None
    assert waiting.state.waiting.message_id == "m1"
    assert waiting.state.wakes_at == NOW + timedelta(seconds=5)
    assert another_message.state == waiting.state
    assert sent(read) == [TextContent("Sinto muito! Já chamo alguém.")]
    assert read.steps[0].way == "negative"
    assert early.state == waiting.state
    assert sent(never_read) == [TextContent("Como posso ajudar?")]
    assert never_read.steps[0].input == "no sentiment read in time"


def test_a_sentiment_node_reached_without_a_new_message_goes_by_the_last_read() -> None:
    engine = FlowEngine(graph(*MOOD))
    known = replace(context(), sentiment="positive")

    by_last = engine.start(known, CustomerMessage("oi"))
    nothing_read = engine.start(context(), CustomerMessage("oi"))

    assert sent(by_last) == [TextContent("Que bom!")]
    assert sent(nothing_read) == [TextContent("Como posso ajudar?")]


def test_an_intent_node_goes_the_way_of_the_intent_read_when_the_model_is_sure() -> None:
    engine = FlowEngine(graph(*WANTS))
    waiting = engine.start(context(), CustomerMessage("cadê meu pedido", message_id="m1"))
    later = context(NOW + timedelta(seconds=1))

    def read(intent: str | None, confidence: float) -> Outcome:
        return engine.resume(waiting.state, SignalsRead("m1", "neutral", intent, confidence), later)

    sure = read("status_pedido", 0.91)
    cancel = read("cancelamento", 0.6)
    hesitant = read("status_pedido", 0.59)
    not_listed = read("saudacao", 0.99)
    no_model = read(None, 0.0)
    never_read = engine.resume(waiting.state, Tick(), context(NOW + timedelta(seconds=5)))

    assert waiting.state.waiting is not None
    assert waiting.state.waiting.message_id == "m1"
    assert sent(sure) == [TextContent("Seu pedido está a caminho.")]
    assert (sure.steps[0].way, sure.steps[0].input) == (
        "status_pedido",
        "intent status_pedido (91%)",
    )
    assert sent(cancel) == [TextContent("Vou cancelar para você.")]
    for unsure in (hesitant, not_listed, no_model, never_read):
        assert sent(unsure) == [TextContent("Pode me dizer o que precisa?")]
        assert unsure.steps[0].way == "unsure"
    assert never_read.steps[0].input == "no intent read in time"


def test_an_intent_node_reached_without_a_new_message_goes_by_the_last_read() -> None:
    engine = FlowEngine(graph(*WANTS))
    known = replace(context(), intent="cancelamento", intent_confidence=0.8)

    assert sent(engine.start(known, CustomerMessage("oi"))) == [
        TextContent("Vou cancelar para você.")
    ]
    assert sent(engine.start(context(), CustomerMessage("oi"))) == [
        TextContent("Pode me dizer o que precisa?")
    ]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"intents": []}, "must not be empty"),
        ({"intents": ["unsure"]}, "'unsure' is always a way; it is not an intent"),
        ({"intents": ["Cancelar Pedido"]}, "'Cancelar Pedido' is not an intent name"),
        ({"intents": ["a", "a"]}, "each intent once"),
        ({"intents": ["a"], "minConfidence": 1.5}, "must be a number from 0 to 1"),
        ({"intents": ["a"], "waitSeconds": 60}, "from 1 to 30"),
    ],
)
def test_an_intent_node_is_checked(data: dict[str, object], problem: str) -> None:
    parsed = parse_flow({"nodes": [{"id": "i", "type": "logic_intent", "data": data}], "edges": []})
    assert any(problem in p.message and p.node_id == "i" for p in parsed.problems), parsed.problems
