"""Which flow answers a customer's message, in this order:

1. an active session started by a template the business sent (the customer is answering it);
2. a keyword flow whose trigger matches the message, replacing any other active session;
3. an active session waiting for this contact's input;
4. the number's universal flow, at most once per session expiry, so that it does not answer
   every message of a conversation.

A conversation that a queue or an agent owns gets no bot reply until it is resolved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from domain.flows.model import FlowKind, KeywordTrigger


@dataclass(frozen=True)
class ActiveSession:
    id: UUID
    flow_id: UUID
    kind: FlowKind
    waiting_for_reply: bool
    expires_at: datetime


@dataclass(frozen=True)
class KeywordFlow:
    flow_id: UUID
    trigger: KeywordTrigger


@dataclass(frozen=True)
class UniversalFlow:
    flow_id: UUID
    expiry: timedelta
    last_started_at: datetime | None
    """When it last started a session in this conversation."""


@dataclass(frozen=True)
class Continue:
    session_id: UUID


@dataclass(frozen=True)
class Start:
    flow_id: UUID
    kind: FlowKind
    replaces: UUID | None
    """The active session it ends (as replaced), if any."""


@dataclass(frozen=True)
class NoReply:
    reason: str


Routing = Continue | Start | NoReply


def route(
    text: str,
    now: datetime,
    session: ActiveSession | None,
    keyword_flows: Sequence[KeywordFlow],
    universal: UniversalFlow | None,
    owned_by_people: bool,
) -> Routing:
    if owned_by_people:
        return NoReply("a queue or an agent owns the conversation")
    live = session if session is not None and session.expires_at > now else None
    if live is not None and live.kind is FlowKind.TEMPLATE and live.waiting_for_reply:
        return Continue(live.id)
    for flow in keyword_flows:
        if flow.trigger.matches(text):
            return Start(flow.flow_id, FlowKind.KEYWORD, live.id if live else None)
    if live is not None and live.waiting_for_reply:
        return Continue(live.id)
    if universal is not None:
        started = universal.last_started_at
        if started is None or now >= started + universal.expiry:
            return Start(universal.flow_id, FlowKind.UNIVERSAL, live.id if live else None)
        return NoReply("the universal flow answered this conversation less than its expiry ago")
    return NoReply("no flow answers this message")
