"""Ready-made flows an organization copies and adapts: each is the editor's document, valid as
shipped except for what only the organization knows (its queue ids, its order API, its hours)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain.flows.model import FlowKind


@dataclass(frozen=True)
class LibraryFlow:
    key: str
    name: str
    description: str
    kind: FlowKind
    document: Mapping[str, Any]


def _node(node_id: str, node_type: str, x: int, y: int, **data: Any) -> dict[str, Any]:
    return {"id": node_id, "type": node_type, "position": {"x": x, "y": y}, "data": data}


def _edge(source: str, target: str, handle: str | None = None) -> dict[str, Any]:
    return {
        "id": f"{source}-{handle or 'out'}-{target}",
        "source": source,
        "target": target,
        "sourceHandle": handle,
    }


WELCOME_MENU = LibraryFlow(
    key="welcome_menu",
    name="Welcome menu",
    description="Greets a customer by name and offers three choices: opening hours, talking to "
    "an agent, or leaving a message that is labelled for follow-up.",
    kind=FlowKind.UNIVERSAL,
    document={
        "nodes": [
            _node("start", "trigger_universal", 0, 0),
            _node(
                "menu",
                "msg_interactive",
                0,
                120,
                body="Hi {{contact.name}}! How can we help you today?",
                choices=[
                    {"id": "hours", "title": "Opening hours"},
                    {"id": "agent", "title": "Talk to an agent"},
                    {"id": "message", "title": "Leave a message"},
                ],
            ),
            _node(
                "hours",
                "msg_text",
                -300,
                280,
                text="We are open Monday to Friday, 9:00 to 18:00.",
            ),
            _node(
                "agent",
                "action_transfer_to_queue",
                0,
                280,
                queueId="support",
                priority=0,
                message="Connecting you to an agent; please hold on.",
            ),
            _node(
                "ask",
                "input_question",
                300,
                280,
                text="Please write your message and we will get back to you.",
                variable="note",
                answer="text",
            ),
            _node("label", "action_add_label", 300, 420, label="follow-up"),
            _node("thanks", "msg_text", 300, 540, text="Thank you! We will reply soon."),
        ],
        "edges": [
            _edge("start", "menu"),
            _edge("menu", "hours", "hours"),
            _edge("menu", "agent", "agent"),
            _edge("menu", "ask", "message"),
            _edge("ask", "label"),
            _edge("label", "thanks"),
        ],
    },
)

OPENING_HOURS = LibraryFlow(
    key="opening_hours",
    name="Opening hours",
    description="Answers inside opening hours with a hand-off to agents and outside them with "
    "the hours and a promise to answer; set the time zone, week and holidays.",
    kind=FlowKind.UNIVERSAL,
    document={
        "nodes": [
            _node("start", "trigger_universal", 0, 0),
            _node(
                "hours",
                "logic_business_hours",
                0,
                120,
                timeZone="America/Sao_Paulo",
                weekly={
                    day: [["09:00", "18:00"]]
                    for day in ("monday", "tuesday", "wednesday", "thursday", "friday")
                },
                holidays=[],
            ),
            _node(
                "open",
                "action_transfer_to_queue",
                -200,
                280,
                queueId="support",
                message="Hello {{contact.name}}! An agent will be with you shortly.",
            ),
            _node(
                "closed",
                "msg_text",
                200,
                280,
                text="We are closed now (Monday to Friday, 9:00 to 18:00). We will answer as "
                "soon as we open.",
            ),
        ],
        "edges": [
            _edge("start", "hours"),
            _edge("hours", "open", "open"),
            _edge("hours", "closed", "closed"),
        ],
    },
)

SUPPORT_TRIAGE = LibraryFlow(
    key="support_triage",
    name="Support triage",
    description="Started by the keyword 'help' (or 'ajuda', 'ayuda'): asks what the problem is "
    "about, records it and transfers to the right queue, urgent problems first.",
    kind=FlowKind.KEYWORD,
    document={
        "nodes": [
            _node("start", "trigger_keyword", 0, 0, keywords=["help", "ajuda", "ayuda"]),
            _node(
                "topic",
                "msg_interactive",
                0,
                120,
                body="What is your problem about?",
                listButton="Choose a topic",
                choices=[
                    {"id": "billing", "title": "Billing", "description": "Invoices, payments"},
                    {"id": "technical", "title": "Technical", "description": "Something broke"},
                    {"id": "outage", "title": "Service down", "description": "Nothing works"},
                ],
            ),
            _node("billing", "action_set_variable", -300, 280, variable="topic", value="billing"),
            _node("technical", "action_set_variable", 0, 280, variable="topic", value="technical"),
            _node(
                "urgent",
                "action_transfer_to_queue",
                300,
                280,
                queueId="support",
                priority=2,
                message="We are on it: an agent will take this first.",
            ),
            _node(
                "describe",
                "input_question",
                -150,
                420,
                text="In a few words, what happened?",
                variable="problem",
                answer="text",
                timeoutMinutes=30,
            ),
            _node("tag", "action_add_label", -150, 540, label="{{vars.topic}}"),
            _node(
                "queue",
                "action_transfer_to_queue",
                -150,
                660,
                queueId="support",
                priority=0,
                message="Thanks! An agent will continue from here.",
                waitTimeoutMinutes=30,
                fallbackAction="abandon",
            ),
        ],
        "edges": [
            _edge("start", "topic"),
            _edge("topic", "billing", "billing"),
            _edge("topic", "technical", "technical"),
            _edge("topic", "urgent", "outage"),
            _edge("billing", "describe"),
            _edge("technical", "describe"),
            _edge("describe", "tag"),
            _edge("tag", "queue"),
        ],
    },
)

ORDER_STATUS = LibraryFlow(
    key="order_status",
    name="Order status lookup",
    description="Started by the keyword 'order' (or 'pedido'): asks for the order number, looks "
    "it up over HTTP and answers with its status; set the URL and key of your order API.",
    kind=FlowKind.KEYWORD,
    document={
        "nodes": [
            _node("start", "trigger_keyword", 0, 0, keywords=["order", "pedido"], match="contains"),
            _node(
                "number",
                "input_question",
                0,
                120,
                text="What is your order number?",
                variable="order",
                answer="number",
                invalidMessage="Please send only the digits of your order number.",
            ),
            _node(
                "lookup",
                "action_http_request",
                0,
                240,
                method="GET",
                url="https://shop.example.com/api/orders/{{vars.order}}",
                headers={"Authorization": "Bearer YOUR-API-KEY"},
                timeoutSeconds=5,
                responseVariables={"status": "status", "eta": "delivery.estimate"},
            ),
            _node(
                "found",
                "msg_text",
                -200,
                380,
                text="Order {{vars.order}} is {{vars.status}}; expected on {{vars.eta}}.",
            ),
            _node(
                "failed",
                "msg_text",
                200,
                380,
                text="Sorry, we could not find order {{vars.order}} right now. Please try again "
                "later.",
            ),
        ],
        "edges": [
            _edge("start", "number"),
            _edge("number", "lookup"),
            _edge("lookup", "found", "success"),
            _edge("lookup", "failed", "failure"),
        ],
    },
)

LIBRARY: tuple[LibraryFlow, ...] = (WELCOME_MENU, OPENING_HOURS, SUPPORT_TRIAGE, ORDER_STATUS)
