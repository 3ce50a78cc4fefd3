"""A flow's dry run: a scripted conversation through the engine, nothing sent or stored; the
transcript shows each outgoing message as the Graph API payload Meta would receive."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.ai.intents import IntentGuess
from domain.flows.dry_run import NOT_CALLED, DryRunInput, dry_run
from domain.flows.engine import CustomerMessage, HttpOutcome, SessionStatus
from domain.flows.model import FlowKind, parse_flow
from domain.flows.validation import Catalog
from tests.flows import MENU, ORDER_LOOKUP, SEEDS_UNIVERSAL, WANTS, document, edge, graph, node
from tests.meta_spec import assert_valid, meta_message_schema

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
EXPIRY = timedelta(minutes=10)
CATALOG = Catalog(approved_templates={("welcome_back", "en_US"): 1})
TEMPLATE_TEXTS = {("welcome_back", "en_US"): "Welcome back, {{1}}! Reply to continue."}


def test_the_seeds_flow_sends_text_in_the_window_and_the_template_outside_it() -> None:
    flow = graph(*SEEDS_UNIVERSAL)
    hello = [CustomerMessage("oi")]

    inside = dry_run(
        flow, FlowKind.UNIVERSAL, CATALOG, TEMPLATE_TEXTS, DryRunInput(hello), NOW, EXPIRY
    )
    outside = dry_run(
        flow,
        FlowKind.UNIVERSAL,
        CATALOG,
        TEMPLATE_TEXTS,
        DryRunInput(hello, window_open=False, contact_name="Bia"),
        NOW,
        EXPIRY,
    )

    assert [(e.sender, e.text) for e in inside.transcript] == [
        ("customer", "oi"),
        ("business", "Hello Test Customer! How can we help?"),
    ]
    assert inside.path == ("start", "window", "hello")
    assert outside.path == ("start", "window", "template")
    template = outside.transcript[1].payload
    assert template is not None
    assert template["type"] == "template"
    assert template["template"]["components"] == [
        {"type": "body", "parameters": [{"type": "text", "text": "Bia"}]}
    ]
    schema = meta_message_schema()
    for entry in (*inside.transcript, *outside.transcript):
        if entry.payload is not None:
            assert_valid(schema, dict(entry.payload))
    assert inside.problems == ()


def test_a_menu_conversation_is_played_out_to_the_transfer() -> None:
    run = dry_run(
        graph(*MENU),
        FlowKind.UNIVERSAL,
        Catalog(),
        {},
        DryRunInput(
            [CustomerMessage("hi"), CustomerMessage("An agent"), CustomerMessage("hello?")]
        ),
        NOW,
        EXPIRY,
    )

    assert [(e.sender, e.node_id, e.note) for e in run.transcript] == [
        ("customer", None, None),
        ("business", "menu", None),
        ("customer", None, None),
        ("business", "human", None),
        ("business", "human", "transferred to queue support (priority 2)"),
        ("customer", None, "not answered: the session is transferred"),
    ]
    menu = run.transcript[1].payload
    assert menu is not None
    assert menu["interactive"]["action"]["buttons"][1]["reply"] == {
        "id": "human",
        "title": "An agent",
    }
    assert run.status is SessionStatus.TRANSFERRED


def test_http_requests_are_not_made_but_their_responses_can_be_given() -> None:
    flow = graph(*ORDER_LOOKUP)
    messages = [CustomerMessage("status"), CustomerMessage("77")]

    without = dry_run(flow, FlowKind.KEYWORD, Catalog(), {}, DryRunInput(messages), NOW, EXPIRY)
    given = dry_run(
        flow,
        FlowKind.KEYWORD,
        Catalog(),
        {},
        DryRunInput(
            messages,
            http_responses={"http": HttpOutcome(200, {"order": {"status": "paid"}, "items": []})},
        ),
        NOW,
        EXPIRY,
    )

    assert without.transcript[-1].text == "Our order system is down, sorry."
    assert any(step.input == NOT_CALLED for step in without.steps)
    assert given.transcript[-1].text == "Order 77: paid ()"
    assert given.variables == {"order": "77", "state": "paid", "first": None}


def test_starting_variables_and_validation_problems_come_with_the_run() -> None:
    parsed = parse_flow(
        document(
            [
                node("t", "trigger_universal"),
                node("m", "msg_text", text="Your code is {{vars.code}}"),
                node("lost", "msg_text", text="never"),
            ],
            [edge("t", "m")],
        )
    )

    run = dry_run(
        parsed.graph,
        FlowKind.UNIVERSAL,
        Catalog(),
        {},
        DryRunInput([CustomerMessage("hi")], variables={"code": "X1"}),
        NOW,
        EXPIRY,
        parsed.problems,
    )

    assert run.transcript[1].text == "Your code is X1"
    assert {(p.code, p.node_id) for p in run.problems} == {
        ("UNREACHABLE", "lost"),
        ("UNKNOWN_VARIABLE", "m"),
    }


def test_a_message_meta_would_refuse_is_shown_as_refused_not_sent() -> None:
    run = dry_run(
        graph(
            [node("t", "trigger_universal"), node("m", "msg_text", text="{{vars.long}}")],
            [edge("t", "m")],
        ),
        FlowKind.UNIVERSAL,
        Catalog(),
        {},
        DryRunInput([CustomerMessage("hi")], variables={"long": "x" * 5000}),
        NOW,
        EXPIRY,
    )

    assert run.transcript[1].payload is None
    assert run.transcript[1].note == (
        "would be refused: text.body must have at most 4096 characters (it has 5000)"
    )


def test_intent_nodes_go_by_what_the_given_reader_reads_in_each_message() -> None:
    def reader(text: str) -> IntentGuess:
        return IntentGuess("cancelamento" if "cancel" in text else "saudacao", 0.9)

    def run(text: str, read: object = reader) -> tuple[str, ...]:
        return dry_run(
            graph(*WANTS),
            FlowKind.UNIVERSAL,
            CATALOG,
            TEMPLATE_TEXTS,
            DryRunInput([CustomerMessage(text)]),
            NOW,
            EXPIRY,
            read_intent=reader if read else None,
        ).path

    assert run("quero cancelar") == ("t", "wants", "cancel")
    assert run("oi") == ("t", "wants", "ask")
    assert run("quero cancelar", read=None) == ("t", "wants", "ask")
