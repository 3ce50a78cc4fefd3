"""Reading the editor's JSON and validating a flow: every problem is reported with the node it
concerns, and a sound flow has none."""

from __future__ import annotations

from typing import Any

import pytest

from domain.flows.model import FlowKind, KeywordMatch, KeywordTrigger, SendInteractive, parse_flow
from domain.flows.validation import Catalog, validate
from tests.flows import SEEDS_UNIVERSAL, document, edge, graph, node

CATALOG = Catalog(approved_templates={("welcome_back", "en_US"): 1, ("follow_up", "pt_BR"): 0})


def problems(
    nodes: list[dict[str, Any]],
    edges: list[dict[str, Any]],
    kind: FlowKind = FlowKind.UNIVERSAL,
    catalog: Catalog = CATALOG,
) -> set[tuple[str, str | None]]:
    return {(p.code, p.node_id) for p in validate(graph(nodes, edges), kind, catalog)}


def test_the_seeds_flow_is_sound() -> None:
    assert problems(*SEEDS_UNIVERSAL) == set()


def test_the_editors_json_becomes_typed_nodes() -> None:
    parsed = parse_flow(
        document(
            [
                node("t", "trigger_keyword", keywords=["ajuda", "help"], match="contains"),
                node(
                    "menu",
                    "msg_interactive",
                    body="Choose",
                    choices=[{"id": "a", "title": "A"}, {"id": "b", "title": "B"}],
                ),
            ],
            [edge("t", "menu")],
        )
    )

    trigger, menu = parsed.graph.nodes
    assert trigger.data == KeywordTrigger(("ajuda", "help"), KeywordMatch.CONTAINS)
    assert isinstance(menu.data, SendInteractive)
    assert menu.handles == ("a", "b", "other")
    assert parsed.graph.next("t") == "menu"


def test_unreadable_node_data_is_reported_field_by_field() -> None:
    parsed = parse_flow(
        document(
            [
                node("t", "trigger_keyword", keywords=[], match="fuzzy"),
                node("q", "input_question", text="", variable="2nd", maxAttempts=0),
                node("h", "action_http_request", url="ftp://x", method="TRACE"),
                node("x", "msg_sticker"),
                node(
                    "hours",
                    "logic_business_hours",
                    timeZone="Mars/Base",
                    weekly={"monday": [["18:00", "09:00"]]},
                ),
            ],
            [],
        )
    )

    messages = {(p.node_id, p.message.split(":")[0]) for p in parsed.problems}
    assert {
        ("t", "keywords"),
        ("t", "match"),
        ("q", "text"),
        ("q", "variable"),
        ("q", "maxAttempts"),
        ("h", "url"),
        ("h", "method"),
        ("hours", "timeZone"),
        ("hours", "weekly.monday"),
    } <= messages
    assert ("UNKNOWN_NODE_TYPE", "x") in {(p.code, p.node_id) for p in parsed.problems}


def test_a_flow_without_its_trigger_or_with_the_wrong_one_is_refused() -> None:
    text = node("m", "msg_text", text="hi")

    assert problems([text], []) == {("NO_TRIGGER", None)}
    assert ("WRONG_TRIGGER", "t") in problems(
        [node("t", "trigger_universal"), text], [edge("t", "m")], FlowKind.KEYWORD
    )


def test_dangling_edges_unreachable_nodes_and_missing_branches_name_their_node() -> None:
    found = problems(
        [
            node("t", "trigger_universal"),
            node("w", "logic_window_check"),
            node("open", "msg_text", text="hi"),
            node("island", "msg_text", text="nobody gets here"),
        ],
        [
            edge("t", "w"),
            edge("w", "open", "open"),
            edge("w", "ghost", "closed"),
            edge("open", "island", "yes"),
        ],
    )

    assert found == {
        ("DANGLING_EDGE", "w"),
        ("DANGLING_EDGE", "open"),
        ("MISSING_BRANCH", "w"),
        ("UNREACHABLE", "island"),
    }


def test_a_loop_must_wait_for_the_customer_somewhere() -> None:
    busy = problems(
        [
            node("t", "trigger_universal"),
            node("a", "action_set_variable", variable="n", value="1"),
            node("b", "msg_text", text="again"),
        ],
        [edge("t", "a"), edge("a", "b"), edge("b", "a")],
    )
    patient = problems(
        [
            node("t", "trigger_universal"),
            node("q", "input_question", text="Name?", variable="name"),
            node("b", "msg_text", text="Thanks {{vars.name}}"),
        ],
        [edge("t", "q"), edge("q", "b"), edge("b", "q")],
    )

    assert busy == {("LOOP_WITHOUT_WAIT", "a"), ("LOOP_WITHOUT_WAIT", "b")}
    assert patient == set()


@pytest.mark.parametrize(
    ("data", "complaint"),
    [
        (
            {"body": "Pick", "choices": [{"id": str(i), "title": f"Option {i}"} for i in range(4)]},
            "1 to 3 buttons",
        ),
        ({"body": "Pick", "choices": [{"id": "a", "title": "A title longer than twenty"}]}, "20"),
        (
            {
                "body": "Pick",
                "listButton": "Options",
                "choices": [{"id": str(i), "title": f"Row {i}"} for i in range(11)],
            },
            "10",
        ),
    ],
)
def test_interactive_messages_are_held_to_metas_limits(
    data: dict[str, Any], complaint: str
) -> None:
    nodes = [node("t", "trigger_universal"), node("menu", "msg_interactive", **data)]
    edges = [edge("t", "menu")] + [edge("menu", "t", c["id"]) for c in data["choices"]]

    reported = [
        p
        for p in validate(graph(nodes, edges), FlowKind.UNIVERSAL, CATALOG)
        if p.code == "META_LIMIT"
    ]

    assert [p.node_id for p in reported] == ["menu"]
    assert complaint in reported[0].message


def test_templates_must_be_approved_and_given_their_parameters() -> None:
    found = problems(
        [
            node("t", "trigger_universal"),
            node("a", "msg_template", template={"name": "promo", "language": "en_US"}),
            node("b", "msg_template", template={"name": "welcome_back", "language": "en_US"}),
            node(
                "c",
                "msg_text",
                text="hi",
                fallbackTemplate={"name": "follow_up", "language": "pt_BR"},
            ),
        ],
        [edge("t", "a"), edge("a", "b"), edge("b", "c")],
    )

    assert found == {("TEMPLATE_NOT_APPROVED", "a"), ("TEMPLATE_PARAMETERS", "b")}


def test_variables_must_be_set_somewhere_in_the_flow() -> None:
    found = problems(
        [
            node("t", "trigger_universal"),
            node("q", "input_question", text="Email?", variable="email", answer="email"),
            node("m", "msg_text", text="{{vars.email}} / {{vars.cpf}} / {{contact.age}}"),
        ],
        [edge("t", "q"), edge("q", "m")],
    )

    assert found == {("UNKNOWN_VARIABLE", "m")}
    messages = [
        p.message
        for p in validate(
            graph(
                [
                    node("t", "trigger_universal"),
                    node("m", "msg_text", text="{{vars.cpf}} {{contact.age}}"),
                ],
                [edge("t", "m")],
            ),
            FlowKind.UNIVERSAL,
            CATALOG,
        )
    ]
    assert any("vars.cpf" in m for m in messages)
    assert any("contact.age" in m for m in messages)


def test_transfers_name_a_queue_of_the_organization_when_queues_are_known() -> None:
    nodes = [node("t", "trigger_universal"), node("x", "action_transfer_to_queue", queueId="sales")]

    assert problems(nodes, [edge("t", "x")], catalog=Catalog(queue_ids=frozenset({"support"}))) == {
        ("UNKNOWN_QUEUE", "x")
    }
    assert problems(nodes, [edge("t", "x")]) == set()


@pytest.mark.parametrize("said", ["ajuda", "Ajuda", "AJUDA", "  ajúda ", "AJÚDA"])
def test_keywords_match_regardless_of_case_and_accents(said: str) -> None:
    assert KeywordTrigger(("Ajuda",)).matches(said)


@pytest.mark.parametrize(
    ("match", "keyword", "said", "expected"),
    [
        (KeywordMatch.EXACT, "ajuda", "preciso de ajuda", False),
        (KeywordMatch.CONTAINS, "ajuda", "Preciso de AJUDA!", True),
        (KeywordMatch.STARTS_WITH, "pedido", "Pedido 123", True),
        (KeywordMatch.STARTS_WITH, "pedido", "meu pedido", False),
        (KeywordMatch.REGEX, r"^pedido \d+$", "Pedido 123", True),
        (KeywordMatch.REGEX, r"^pedido \d+$", "pedido x", False),
    ],
)
def test_keyword_match_modes(match: KeywordMatch, keyword: str, said: str, expected: bool) -> None:
    assert KeywordTrigger((keyword,), match).matches(said) is expected


@pytest.mark.parametrize("pattern", [r"^(a+)+$", r"^(a|aa)+$", r"(x+x+)+y"])
def test_a_catastrophic_regex_is_matched_in_linear_time(pattern: str) -> None:
    """With a backtracking engine each of these runs for longer than the universe has existed
    on this text; the test would never finish."""
    trigger = KeywordTrigger((pattern,), KeywordMatch.REGEX)

    assert trigger.matches("a" * 50_000 + "!") is False
    assert trigger.matches("x" * 4_000) is False


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        (r"(a)\1", "invalid escape sequence"),
        (r"pedido(?=\d)", "invalid perl operator"),
        ("(unclosed", "missing )"),
        ("x" * 501, "longer than 500 characters"),
    ],
)
def test_a_regex_re2_cannot_run_is_refused_when_the_flow_is_saved(
    pattern: str, reason: str
) -> None:
    parsed = parse_flow(
        document(
            [
                node("t", "trigger_keyword", keywords=[pattern], match="regex"),
                node(
                    "c",
                    "logic_condition",
                    subject="message.text",
                    operator="matches",
                    value=pattern,
                ),
            ],
            [],
        )
    )

    refused = {(p.node_id, p.message.split(":")[0]) for p in parsed.problems if reason in p.message}
    assert refused == {("t", "keywords"), ("c", "value")}
