"""Flow sessions as they run for real: one per conversation at a time, with its log of steps.

A session keeps the engine's state between customer messages, timers and HTTP responses; it
runs to its end on the flow version it started with, whatever is published meanwhile.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from domain.flows.engine import (
    CallHttp,
    CustomerMessage,
    Effect,
    LabelConversation,
    Send,
    SessionState,
    SessionStatus,
    TransferToQueue,
    Waiting,
    WaitingFor,
)
from domain.flows.model import FlowKind


@dataclass(frozen=True)
class PendingCall:
    """The request a waiting HTTP node asked for; a worker makes it outside any transaction."""

    id: UUID
    """Its response is applied only while the session still waits for this very call."""
    call: CallHttp
    claimed_until: datetime | None = None
    """While a worker makes the call; a call whose worker died is made again after this."""

    def document(self) -> dict[str, Any]:
        call = self.call
        return {
            "id": str(self.id),
            "nodeId": call.node_id,
            "method": call.method,
            "url": call.url,
            "headers": dict(call.headers),
            "body": call.body,
            "timeoutSeconds": call.timeout_seconds,
            "claimedUntil": self.claimed_until.isoformat() if self.claimed_until else None,
        }

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> PendingCall:
        claimed = document.get("claimedUntil")
        call = CallHttp(
            document["nodeId"],
            document["method"],
            document["url"],
            dict(document.get("headers") or {}),
            document.get("body"),
            float(document["timeoutSeconds"]),
        )
        return cls(UUID(document["id"]), call, datetime.fromisoformat(claimed) if claimed else None)


@dataclass(frozen=True)
class FlowSession:
    id: UUID
    organization_id: UUID
    flow_id: UUID
    flow_version: int
    kind: FlowKind
    conversation_id: UUID
    contact_id: UUID
    number_id: UUID
    expiry: timedelta
    """The flow's inactivity timeout when the session started."""
    state: SessionState
    started_at: datetime
    updated_at: datetime
    ended_at: datetime | None = None
    pending_http: PendingCall | None = None
    last_node_id: str | None = None
    """The node the session last went through: where it waits, or where it stopped."""
    step_count: int = 0

    @property
    def status(self) -> SessionStatus:
        return self.state.status

    @property
    def waiting_for_reply(self) -> bool:
        waiting = self.state.waiting
        return waiting is not None and waiting.kind is WaitingFor.REPLY

    @property
    def wakes_at(self) -> datetime | None:
        """When a worker must act on the session: an HTTP call to make (at once, or when the
        worker making it should have finished), else the engine's next timer."""
        if self.pending_http is not None and self.state.status is SessionStatus.ACTIVE:
            return self.pending_http.claimed_until or self.updated_at
        return self.state.wakes_at


@dataclass(frozen=True)
class FlowStep:
    """One node a session went through: the execution log."""

    session_id: UUID
    sequence: int
    node_id: str
    node_type: str
    input: str | None
    effects: tuple[Mapping[str, Any], ...]
    variables_changed: Mapping[str, Any]
    duration_ms: float
    at: datetime
    way: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class FlowSessionFilter:
    flow_id: UUID | None = None
    contact_id: UUID | None = None
    conversation_id: UUID | None = None
    status: SessionStatus | None = None
    started_after: datetime | None = None
    started_before: datetime | None = None


@dataclass(frozen=True)
class NodeCount:
    node_id: str
    sessions: int


@dataclass(frozen=True)
class FlowStats:
    """What a flow's sessions did in a period (sessions counted by when they started)."""

    started: int
    completed: int
    expired: int
    transferred: int
    replaced: int
    failed: int
    active: int
    drop_off: tuple[NodeCount, ...]
    """For sessions that ended expired or in error: the node each stopped at, most first."""


def customer_message(message_type: str, content: Mapping[str, Any]) -> CustomerMessage | None:
    """What a flow reads from an inbound message; None for what no flow answers (reactions,
    system notices, answers to a request to call, messages WhatsApp could not deliver in full)."""
    match message_type:
        case "text":
            return CustomerMessage(str(content.get("body") or ""))
        case "interactive" if content.get("kind") == "call_permission_reply":
            return None
        case "interactive":
            return CustomerMessage(str(content.get("title") or ""), content.get("id"))
        case "button":
            return CustomerMessage(str(content.get("text") or ""), content.get("payload"))
        case "image" | "video" | "audio" | "document" | "sticker":
            return CustomerMessage(str(content.get("caption") or ""))
        case "location" | "contacts" | "order":
            return CustomerMessage("")
        case _:
            return None


def state_document(state: SessionState) -> dict[str, Any]:
    waiting = state.waiting
    return {
        "variables": dict(state.variables),
        "waiting": None
        if waiting is None
        else {
            "nodeId": waiting.node_id,
            "kind": waiting.kind.value,
            "attempts": waiting.attempts,
            "deadline": waiting.deadline.isoformat() if waiting.deadline else None,
            "messageId": waiting.message_id,
        },
    }


def state_from_document(
    document: Mapping[str, Any], status: SessionStatus, expires_at: datetime, error: str | None
) -> SessionState:
    stored = document.get("waiting")
    waiting = None
    if stored is not None:
        deadline = stored.get("deadline")
        waiting = Waiting(
            stored["nodeId"],
            WaitingFor(stored["kind"]),
            int(stored.get("attempts", 0)),
            datetime.fromisoformat(deadline) if deadline else None,
            stored.get("messageId"),
        )
    return SessionState(status, expires_at, dict(document.get("variables") or {}), waiting, error)


def effect_log(effect: Effect, message_id: UUID | None = None) -> dict[str, Any]:
    """An effect as the execution log shows it; request headers are left out, since they
    often carry credentials."""
    match effect:
        case Send():
            return {
                "kind": "send",
                "messageId": str(message_id) if message_id else None,
                "content": type(effect.content).__name__.removesuffix("Content").lower(),
            }
        case CallHttp():
            return {"kind": "http", "method": effect.method, "url": effect.url}
        case TransferToQueue():
            return {
                "kind": "transfer",
                "queueId": effect.queue_id,
                "priority": effect.priority,
                "waitTimeoutMinutes": effect.wait_timeout_minutes,
                "fallbackAction": effect.fallback_action,
            }
        case LabelConversation():
            return {"kind": "label", "label": effect.label}
