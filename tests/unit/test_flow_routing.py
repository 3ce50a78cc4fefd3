"""Which flow answers a message, with a universal flow, a keyword flow ("ajuda") and sessions of
each kind on the same number: every combination of active session, message and history."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domain.flows.model import FlowKind, KeywordTrigger
from domain.flows.routing import (
    ActiveSession,
    Continue,
    KeywordFlow,
    NoReply,
    Routing,
    Start,
    UniversalFlow,
    route,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
EXPIRY = timedelta(minutes=10)
UNIVERSAL = uuid.uuid4()
KEYWORD = uuid.uuid4()
TEMPLATE = uuid.uuid4()
SESSION = uuid.uuid4()
KEYWORDS = [KeywordFlow(KEYWORD, KeywordTrigger(("ajuda",)))]


def session(kind: FlowKind, waiting: bool = True, expires_in: int = 5) -> ActiveSession:
    flow = {FlowKind.UNIVERSAL: UNIVERSAL, FlowKind.KEYWORD: KEYWORD, FlowKind.TEMPLATE: TEMPLATE}
    return ActiveSession(SESSION, flow[kind], kind, waiting, NOW + timedelta(minutes=expires_in))


def universal(started_minutes_ago: int | None = None) -> UniversalFlow:
    started = None if started_minutes_ago is None else NOW - timedelta(minutes=started_minutes_ago)
    return UniversalFlow(UNIVERSAL, EXPIRY, started)


CASES: list[tuple[str, str, ActiveSession | None, UniversalFlow | None, bool, Routing]] = [
    # No session: the keyword wins over the universal flow; otherwise the universal answers.
    (
        "nothing active, keyword",
        "Ajuda",
        None,
        universal(),
        False,
        Start(KEYWORD, FlowKind.KEYWORD, None),
    ),
    (
        "nothing active, other text",
        "oi",
        None,
        universal(),
        False,
        Start(UNIVERSAL, FlowKind.UNIVERSAL, None),
    ),
    ("no universal flow", "oi", None, None, False, NoReply("no flow answers this message")),
    # A template session waiting for its reply comes first, even before a keyword.
    (
        "template waiting, keyword",
        "AJUDA",
        session(FlowKind.TEMPLATE),
        universal(),
        False,
        Continue(SESSION),
    ),
    (
        "template waiting, other text",
        "sim",
        session(FlowKind.TEMPLATE),
        universal(),
        False,
        Continue(SESSION),
    ),
    # A keyword replaces any other session waiting for input.
    (
        "keyword session waiting, keyword",
        "ajuda",
        session(FlowKind.KEYWORD),
        universal(),
        False,
        Start(KEYWORD, FlowKind.KEYWORD, SESSION),
    ),
    (
        "universal waiting, keyword",
        "ajúda",
        session(FlowKind.UNIVERSAL),
        universal(1),
        False,
        Start(KEYWORD, FlowKind.KEYWORD, SESSION),
    ),
    # Otherwise a session waiting for input gets the message.
    (
        "keyword session waiting, answer",
        "42",
        session(FlowKind.KEYWORD),
        universal(),
        False,
        Continue(SESSION),
    ),
    (
        "universal waiting, answer",
        "42",
        session(FlowKind.UNIVERSAL),
        universal(1),
        False,
        Continue(SESSION),
    ),
    # The universal flow answers at most once per expiry.
    (
        "universal answered 3 min ago",
        "oi",
        None,
        universal(3),
        False,
        NoReply("the universal flow answered this conversation less than its expiry ago"),
    ),
    (
        "universal answered 10 min ago",
        "oi",
        None,
        universal(10),
        False,
        Start(UNIVERSAL, FlowKind.UNIVERSAL, None),
    ),
    # Sessions not waiting (finished their run) or expired do not hold the conversation.
    (
        "keyword session not waiting",
        "oi",
        session(FlowKind.KEYWORD, waiting=False),
        universal(30),
        False,
        Start(UNIVERSAL, FlowKind.UNIVERSAL, SESSION),
    ),
    (
        "expired template session",
        "sim",
        session(FlowKind.TEMPLATE, expires_in=-1),
        universal(30),
        False,
        Start(UNIVERSAL, FlowKind.UNIVERSAL, None),
    ),
    (
        "expired keyword session, keyword",
        "ajuda",
        session(FlowKind.KEYWORD, expires_in=0),
        universal(),
        False,
        Start(KEYWORD, FlowKind.KEYWORD, None),
    ),
    # People own the conversation: no bot answers anything.
    (
        "owned by an agent, keyword",
        "ajuda",
        None,
        universal(),
        True,
        NoReply("a queue or an agent owns the conversation"),
    ),
    (
        "owned by an agent, template waiting",
        "sim",
        session(FlowKind.TEMPLATE),
        universal(),
        True,
        NoReply("a queue or an agent owns the conversation"),
    ),
]


@pytest.mark.parametrize(
    ("text", "active", "universal_flow", "owned", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_the_right_flow_answers(
    text: str,
    active: ActiveSession | None,
    universal_flow: UniversalFlow | None,
    owned: bool,
    expected: Routing,
) -> None:
    assert route(text, NOW, active, KEYWORDS, universal_flow, owned) == expected
