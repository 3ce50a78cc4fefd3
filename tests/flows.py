"""Flows written the way the React Flow editor saves them, for the flow tests."""

from __future__ import annotations

from typing import Any

from domain.flows.model import FlowGraph, parse_flow
from tests.support import GraphQLClient


def node(node_id: str, node_type: str, **data: Any) -> dict[str, Any]:
    return {"id": node_id, "type": node_type, "position": {"x": 0, "y": 0}, "data": data}


def edge(source: str, target: str, handle: str | None = None) -> dict[str, Any]:
    return {
        "id": f"{source}-{handle or 'out'}-{target}",
        "source": source,
        "target": target,
        "sourceHandle": handle,
    }


def document(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> dict[str, Any]:
    return {"nodes": nodes, "edges": edges, "viewport": {"x": 0, "y": 0, "zoom": 1}}


def graph(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> FlowGraph:
    parsed = parse_flow(document(nodes, edges))
    assert parsed.problems == (), parsed.problems
    return parsed.graph


WELCOME_TEMPLATE = {"name": "welcome_back", "language": "en_US", "parameters": ["{{contact.name}}"]}

SEEDS_UNIVERSAL = (
    [
        node("start", "trigger_universal"),
        node("window", "logic_window_check"),
        node("hello", "msg_text", text="Hello {{contact.name}}! How can we help?"),
        node("template", "msg_template", template=WELCOME_TEMPLATE),
    ],
    [
        edge("start", "window"),
        edge("window", "hello", "open"),
        edge("window", "template", "closed"),
    ],
)
"""The seeds' example: trigger_universal -> logic_window_check -> msg_text | msg_template."""

MENU = (
    [
        node("t", "trigger_universal"),
        node(
            "menu",
            "msg_interactive",
            body="Hi {{contact.name}}, what do you need?",
            choices=[{"id": "orders", "title": "My orders"}, {"id": "human", "title": "An agent"}],
        ),
        node("orders", "action_set_variable", variable="topic", value="orders"),
        node(
            "human",
            "action_transfer_to_queue",
            queueId="support",
            priority=2,
            message="Connecting you to an agent.",
            waitTimeoutMinutes=15,
            fallbackAction="overflow",
        ),
    ],
    [edge("t", "menu"), edge("menu", "orders", "orders"), edge("menu", "human", "human")],
)
"""A welcome menu: order questions set a variable, "An agent" transfers to a queue."""

ORDER_LOOKUP = (
    [
        node("t", "trigger_keyword", keywords=["status"], match="contains"),
        node("ask", "input_question", text="Order number?", variable="order", answer="number"),
        node(
            "http",
            "action_http_request",
            method="GET",
            url="https://shop.example/orders/{{vars.order}}",
            headers={"Authorization": "Bearer k"},
            responseVariables={"state": "order.status", "first": "items.0.name"},
        ),
        node("found", "msg_text", text="Order {{vars.order}}: {{vars.state}} ({{vars.first}})"),
        node("down", "msg_text", text="Our order system is down, sorry."),
    ],
    [
        edge("t", "ask"),
        edge("ask", "http"),
        edge("http", "found", "success"),
        edge("http", "down", "failure"),
    ],
)
"""An order lookup over HTTP, with its success and failure ways."""


async def create_and_publish(client: GraphQLClient, token: str, flow: dict[str, Any]) -> str:
    """A flow made through the API (`flow` is flowCreate's input) and published; its id."""
    created = await client.data(
        "mutation($input: FlowCreateInput!) { flowCreate(input: $input) "
        "{ ... on FlowSaveSuccess { flow { id } } } }",
        {"input": flow},
        token=token,
    )
    flow_id: str = created["flowCreate"]["flow"]["id"]
    published = await client.data(
        "mutation($id: ID!) { flowPublish(input: {id: $id}) { __typename } }",
        {"id": flow_id},
        token=token,
    )
    assert published["flowPublish"]["__typename"] == "FlowPublishSuccess", published
    return flow_id


# Answers by how the customer feels (logic_sentiment).
MOOD = (
    [
        node("t", "trigger_universal"),
        node("mood", "logic_sentiment", waitSeconds=5),
        node("sorry", "msg_text", text="Sinto muito! Já chamo alguém."),
        node("ok", "msg_text", text="Como posso ajudar?"),
        node("glad", "msg_text", text="Que bom!"),
    ],
    [
        edge("t", "mood"),
        edge("mood", "sorry", "negative"),
        edge("mood", "ok", "neutral"),
        edge("mood", "glad", "positive"),
    ],
)

WANTS = (
    [
        node("t", "trigger_universal"),
        node("wants", "logic_intent", intents=["status_pedido", "cancelamento"], waitSeconds=5),
        node("track", "msg_text", text="Seu pedido está a caminho."),
        node("cancel", "msg_text", text="Vou cancelar para você."),
        node("ask", "msg_text", text="Pode me dizer o que precisa?"),
    ],
    [
        edge("t", "wants"),
        edge("wants", "track", "status_pedido"),
        edge("wants", "cancel", "cancelamento"),
        edge("wants", "ask", "unsure"),
    ],
)
