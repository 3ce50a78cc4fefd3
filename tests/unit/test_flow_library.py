"""The ready-made flows are sound as shipped and do what their descriptions promise."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.flows.dry_run import DryRun, DryRunInput, dry_run
from domain.flows.engine import CustomerMessage, HttpOutcome, SessionStatus
from domain.flows.library import TEXTS, LibraryFlow, ready_made
from domain.flows.model import parse_flow
from domain.flows.validation import Catalog, validate
from domain.languages import LANGUAGES

SUPPORT_QUEUE = Catalog(queue_ids=frozenset({"support"}))
MONDAY_NOON_IN_SAO_PAULO = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


def run(
    flow: LibraryFlow,
    *messages: CustomerMessage,
    http_responses: dict[str, HttpOutcome] | None = None,
) -> DryRun:
    parsed = parse_flow(flow.document)
    return dry_run(
        parsed.graph,
        flow.kind,
        SUPPORT_QUEUE,
        {},
        DryRunInput(list(messages), contact_name="Ana", http_responses=http_responses or {}),
        MONDAY_NOON_IN_SAO_PAULO,
        timedelta(minutes=10),
        parsed.problems,
    )


LIBRARY = ready_made("en", "support")
EVERY_LANGUAGE = [flow for language in LANGUAGES for flow in ready_made(language, "support")]


def by_key(key: str) -> LibraryFlow:
    return next(flow for flow in LIBRARY if flow.key == key)


@pytest.mark.parametrize(
    "flow", EVERY_LANGUAGE, ids=[f"{flow.language}-{flow.key}" for flow in EVERY_LANGUAGE]
)
def test_every_library_flow_is_valid_as_shipped(flow: LibraryFlow) -> None:
    parsed = parse_flow(flow.document)

    assert parsed.problems == ()
    assert validate(parsed.graph, flow.kind, SUPPORT_QUEUE) == []


def test_the_welcome_menu_hands_over_to_an_agent() -> None:
    result = run(by_key("welcome_menu"), CustomerMessage("hi"), CustomerMessage("", "agent"))

    assert result.transcript[1].text == "Hi Ana! How can we help you today?"
    assert result.transcript[-1].note == "transferred to queue support (priority 0)"
    assert result.status is SessionStatus.TRANSFERRED


def test_opening_hours_answer_differently_when_closed() -> None:
    flow = by_key("opening_hours")
    parsed = parse_flow(flow.document)
    evening = dry_run(
        parsed.graph,
        flow.kind,
        SUPPORT_QUEUE,
        {},
        DryRunInput([CustomerMessage("hi")]),
        MONDAY_NOON_IN_SAO_PAULO + timedelta(hours=8),
        timedelta(minutes=10),
    )

    assert run(flow, CustomerMessage("hi")).status is SessionStatus.TRANSFERRED
    assert evening.path == ("start", "hours", "closed")


def test_support_triage_puts_outages_first_and_asks_the_others_what_happened() -> None:
    flow = by_key("support_triage")

    outage = run(flow, CustomerMessage("AJUDA"), CustomerMessage("Service down", "outage"))
    billing = run(
        flow,
        CustomerMessage("help"),
        CustomerMessage("Billing", "billing"),
        CustomerMessage("I was charged twice"),
    )

    assert outage.transcript[-1].note == "transferred to queue support (priority 2)"
    assert billing.variables == {"topic": "billing", "problem": "I was charged twice"}
    assert [e.note for e in billing.transcript if e.note] == [
        "label 'billing' added",
        "transferred to queue support (priority 0)",
    ]


def test_the_order_lookup_answers_from_the_order_api() -> None:
    result = run(
        by_key("order_status"),
        CustomerMessage("where is my order?"),
        CustomerMessage("1234"),
        http_responses={
            "lookup": HttpOutcome(200, {"status": "shipped", "delivery": {"estimate": "Friday"}})
        },
    )

    assert result.transcript[-1].text == "Order 1234 is shipped; expected on Friday."


def test_the_library_speaks_portuguese_and_hands_customers_to_the_chosen_queue() -> None:
    welcome = next(f for f in ready_made("pt-BR", "q-42") if f.key == "welcome_menu")

    result = run(welcome, CustomerMessage("oi"), CustomerMessage("", "agent"))

    assert welcome.name == "Menu de boas-vindas"
    assert result.transcript[1].text == "Olá, Ana! Como podemos ajudar?"
    assert result.transcript[-1].note == "transferred to queue q-42 (priority 0)"


def test_without_a_queue_the_transfers_ask_for_one() -> None:
    triage = next(f for f in ready_made("en", None) if f.key == "support_triage")
    parsed = parse_flow(triage.document)

    transfers = {p.node_id for p in parsed.problems} | {
        p.node_id for p in validate(parsed.graph, triage.kind, SUPPORT_QUEUE)
    }
    assert transfers == {"urgent", "queue"}


SEGMENT_FLOWS = [flow for flow in EVERY_LANGUAGE if flow.segments]


@pytest.mark.parametrize(
    "flow", SEGMENT_FLOWS, ids=[f"{flow.language}-{flow.key}" for flow in SEGMENT_FLOWS]
)
def test_each_segments_welcome_answers_every_choice(flow: LibraryFlow) -> None:
    (segment,) = flow.segments
    asked = run(flow, CustomerMessage("oi"), CustomerMessage("", "ask"), CustomerMessage("Sexta"))
    informed = run(flow, CustomerMessage("oi"), CustomerMessage("", "info"))
    third = run(flow, CustomerMessage("oi"), CustomerMessage("", "third"))

    assert "Ana" in (asked.transcript[1].text or "")
    assert [e.note for e in asked.transcript if e.note] == [
        f"label '{TEXTS[flow.language][f'{segment}.label']}' added",
        "transferred to queue support (priority 0)",
    ]
    assert asked.variables["request"] == "Sexta"
    assert asked.status is SessionStatus.TRANSFERRED
    assert informed.status is SessionStatus.COMPLETED
    assert informed.transcript[-1].text == TEXTS[flow.language][f"{segment}.info_text"]
    if segment in ("health", "restaurants"):
        assert third.status is SessionStatus.COMPLETED
        assert third.transcript[-1].sender == "business"
    else:
        assert third.status is SessionStatus.TRANSFERRED


def test_the_library_for_one_segment_holds_the_common_flows_and_that_segments_own() -> None:
    keys = [flow.key for flow in ready_made("pt-BR", None, segment="restaurants")]

    assert keys == [
        "welcome_menu",
        "opening_hours",
        "support_triage",
        "order_status",
        "restaurants_welcome",
    ]
