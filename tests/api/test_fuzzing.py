"""Schema-driven fuzzing of /graphql with hypothesis-graphql: operations generated from
schema.graphql for every query and mutation, valid and one-violation (NEGATIVE) alike, with
NULs, odd unicode, huge and out-of-range values, sent anonymously and as an owner. Nothing may
answer 5xx or INTERNAL_SERVER_ERROR. Deterministic and bounded: the same operations every run."""

from __future__ import annotations

import string
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import graphql
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis_graphql import Mode, nodes, queries
from hypothesis_graphql import mutations as mutation_strategy

from tests.support import GraphQLClient, RunningServer, create_tenant

SCHEMA = graphql.build_schema((Path(__file__).resolve().parents[2] / "schema.graphql").read_text())
EXAMPLES_PER_FIELD = 12

# Strings of the alphabet ids and times are made of, and everything else: hypothesis shrinks
# toward the first, which is where parsers fail.
TEXT = st.text(alphabet=string.printable + "\u0000\u00e7\u00e3\U0001f600", max_size=40)
DATETIMES = st.one_of(
    st.datetimes(timezones=st.just(UTC)).map(datetime.isoformat),
    st.datetimes().map(datetime.isoformat),
    TEXT,
)
JSON_VALUES = st.recursive(
    st.one_of(st.none().map(lambda _: graphql.NullValueNode()), TEXT.map(nodes.String)),
    lambda inner: st.lists(inner, max_size=3).map(nodes.List),
    max_leaves=6,
)
CUSTOM_SCALARS = {"DateTime": DATETIMES.map(nodes.String), "JSON": JSON_VALUES}


def operations(kind: str, field: str, count: int) -> list[str]:
    """`count` operations on one root field, generated the same way every run."""
    try:
        return _generated(kind, field, count, [Mode.POSITIVE, Mode.NEGATIVE])
    except InvalidArgument:
        # Only optional custom-scalar arguments: nothing one violation could break.
        return _generated(kind, field, count, [Mode.POSITIVE])


def _generated(kind: str, field: str, count: int, modes: list[Mode]) -> list[str]:
    strategy = queries if kind == "query" else mutation_strategy
    generated: list[str] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        st.one_of(
            *(
                strategy(SCHEMA, fields=[field], custom_scalars=CUSTOM_SCALARS, mode=mode)
                for mode in modes
            )
        )
    )
    def collect(operation: str) -> None:
        generated.append(operation)

    collect()
    return generated


ROOT_FIELDS = [("query", name) for name in SCHEMA.query_type.fields] + [  # type: ignore[union-attr]
    ("mutation", name)
    for name in SCHEMA.mutation_type.fields  # type: ignore[union-attr]
]


def server_errors(response: Any) -> list[Any]:
    if response.status_code >= 500:
        return [f"HTTP {response.status_code}: {response.text[:300]}"]
    errors = response.json().get("errors") or []
    return [e for e in errors if (e.get("extensions") or {}).get("code") == "INTERNAL_SERVER_ERROR"]


@pytest.mark.parametrize(("kind", "field"), ROOT_FIELDS, ids=[f for _, f in ROOT_FIELDS])
async def test_no_generated_operation_gets_a_server_error(
    server: RunningServer, client: GraphQLClient, kind: str, field: str
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    failures = []

    for operation in operations(kind, field, EXAMPLES_PER_FIELD):
        for token in (None, tenant.token):
            response = await client.post(operation, token=token)
            failures += [(operation, error) for error in server_errors(response)]

    assert failures == []
