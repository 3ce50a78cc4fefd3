"""Hostile input is refused before any work, with INVALID_INPUT naming the field, on both
databases: NUL characters and lone surrogates, oversized strings and JSON, out-of-range or
zone-less times."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.support import GraphQLClient, RunningServer, create_tenant

SOME_ID = str(uuid.uuid4())
NUL = "a\u0000b"
LONE_SURROGATE = "a\ud800b"
"""What JSON's \\u escapes allow and no database stores, like NUL."""

SEARCH = "query($s: String) { conversations(filter: {search: $s}) { edges { cursor } } }"
NOTE_ADD = (
    "mutation($id: ID!, $b: String!) { conversationNoteAdd(input: {id: $id, body: $b})"
    " { __typename } }"
)
LABELS_SET = (
    "mutation($id: ID!, $l: [String!]!) { conversationLabelsSet(input: {id: $id, labels: $l})"
    " { __typename } }"
)
FLOW_CREATE = (
    "mutation($n: String!, $g: JSON) { flowCreate(input: {name: $n, kind: KEYWORD, graph: $g})"
    " { __typename } }"
)
MESSAGE_SEND = (
    "mutation($id: ID!, $t: String!) {"
    " messageSend(input: {conversationId: $id, text: {body: $t}}) { __typename } }"
)
AGENT_UPDATE = (
    "mutation($id: ID!, $s: [String!]) { agentUpdate(input: {userId: $id, skills: $s})"
    " { __typename } }"
)
TOKEN_CREATE = (
    'mutation($e: String!) { tokenCreate(input: {email: $e, password: "whatever it is"})'
    " { __typename } }"
)
NUMBER_CREATE = (
    'mutation($d: String) { whatsappNumberCreate(input: {phoneNumberId: "1", wabaId: "2",'
    ' accessToken: "t", displayPhoneNumber: $d}) { __typename } }'
)


def nested(depth: int) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = {"x": value}
    return value


HOSTILE = [
    pytest.param(SEARCH, {"s": NUL}, "search", id="search with NUL"),
    pytest.param(NOTE_ADD, {"id": SOME_ID, "b": NUL}, "body", id="note with NUL"),
    pytest.param(LABELS_SET, {"id": SOME_ID, "l": ["ok", NUL]}, "labels", id="label with NUL"),
    pytest.param(FLOW_CREATE, {"n": NUL}, "name", id="flow name with NUL"),
    pytest.param(
        FLOW_CREATE, {"n": "ok", "g": {"nodes": [{"data": {"x": NUL}}]}}, "graph", id="graph NUL"
    ),
    pytest.param(MESSAGE_SEND, {"id": SOME_ID, "t": NUL}, "body", id="message text with NUL"),
    pytest.param(AGENT_UPDATE, {"id": SOME_ID, "s": [NUL]}, "skills", id="skill with NUL"),
    pytest.param(TOKEN_CREATE, {"e": NUL}, "email", id="sign-in email with NUL"),
    pytest.param(SEARCH, {"s": LONE_SURROGATE}, "search", id="search with a lone surrogate"),
    pytest.param(
        FLOW_CREATE,
        {"n": "ok", "g": {"nodes": [{LONE_SURROGATE: 1}]}},
        "graph",
        id="graph key with a lone surrogate",
    ),
    pytest.param(TOKEN_CREATE, {"e": "x" * 5_000}, "email", id="sign-in email of 5,000"),
    pytest.param(TOKEN_CREATE, {"e": "x" * 500_000}, "email", id="sign-in email of 500 KB"),
    pytest.param(NUMBER_CREATE, {"d": "1" * 100_000}, "displayPhoneNumber", id="number 100 KB"),
    pytest.param(SEARCH, {"s": "x" * 100_000}, "search", id="search of 100,000"),
    pytest.param(
        FLOW_CREATE,
        {"n": "deep", "g": {"nodes": [{"data": nested(40)}]}},
        "graph",
        id="graph nested 40 deep",
    ),
]


@pytest.mark.parametrize(("document", "variables", "field"), HOSTILE)
async def test_hostile_strings_are_invalid_input_naming_the_field(
    server: RunningServer,
    client: GraphQLClient,
    document: str,
    variables: dict[str, Any],
    field: str,
) -> None:
    tenant = await create_tenant(server, client, "Acme")

    body = await client.execute(document, variables, token=tenant.token)

    (error,) = body["errors"]
    assert error["extensions"] == {"code": "INVALID_INPUT", "field": field}, error
    assert field in error["message"]


async def test_a_literal_over_its_limit_is_refused_the_same_way(
    server: RunningServer, client: GraphQLClient
) -> None:
    email = "x" * 400
    body = await client.execute(
        f'mutation {{ tokenCreate(input: {{email: "{email}", password: "p"}}) {{ __typename }} }}'
    )

    (error,) = body["errors"]
    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert "email: at most 320 characters (400 given)" in error["message"]


STATS = "query($since: DateTime!) { conversationStats(since: $since) { unreadTotal } }"
CREATED_AFTER = (
    "query($t: DateTime) { conversations(filter: {createdAfter: $t}) { edges { cursor } } }"
)


@pytest.mark.parametrize(
    "since", ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1969-12-31T23:59:59+00:00"]
)
async def test_a_time_out_of_range_is_invalid_input(
    server: RunningServer, client: GraphQLClient, since: str
) -> None:
    tenant = await create_tenant(server, client, "Acme")

    variable = await client.execute(STATS, {"since": since}, token=tenant.token)
    literal = await client.execute(
        f'{{ conversationStats(since: "{since}") {{ unreadTotal }} }}', token=tenant.token
    )

    for body in (variable, literal):
        (error,) = body["errors"]
        assert error["extensions"]["code"] == "INVALID_INPUT", error
        assert "out of range" in error["message"]


async def test_a_time_without_an_offset_is_read_as_utc(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")

    naive = await client.data(CREATED_AFTER, {"t": "2026-01-31T09:00:00"}, token=tenant.token)
    utc = await client.data(CREATED_AFTER, {"t": "2026-01-31T09:00:00Z"}, token=tenant.token)

    assert naive == utc == {"conversations": {"edges": []}}
