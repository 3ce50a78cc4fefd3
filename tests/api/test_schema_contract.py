"""schema.graphql is the public contract: it matches the code and documents everything."""

from __future__ import annotations

from pathlib import Path

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLUnionType,
)

from graphql_api.schema import build_schema
from web.cli import export_schema_text

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"
BUILT_IN_SCALARS = {"String", "Boolean", "Int", "Float", "ID"}


def test_the_committed_schema_matches_the_code() -> None:
    assert SCHEMA_FILE.read_text() == export_schema_text(), (
        "schema.graphql is stale: run 'pytake export-schema' and review the diff"
    )


def test_every_type_field_argument_and_value_is_described() -> None:
    schema = build_schema()._schema
    undocumented: list[str] = []
    for name, graphql_type in schema.type_map.items():
        if name.startswith("__") or name in BUILT_IN_SCALARS:
            continue
        if not graphql_type.description and name not in {"Query", "Mutation", "Subscription"}:
            undocumented.append(name)
        if isinstance(graphql_type, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in graphql_type.fields.items():
                if not field.description:
                    undocumented.append(f"{name}.{field_name}")
                undocumented.extend(
                    f"{name}.{field_name}({arg})"
                    for arg, a in field.args.items()
                    if not a.description
                )
        if isinstance(graphql_type, GraphQLInputObjectType):
            undocumented.extend(
                f"{name}.{field_name}"
                for field_name, f in graphql_type.fields.items()
                if not f.description
            )
        if isinstance(graphql_type, GraphQLEnumType):
            undocumented.extend(
                f"{name}.{value}" for value, v in graphql_type.values.items() if not v.description
            )
        if isinstance(graphql_type, GraphQLUnionType) and not graphql_type.description:
            undocumented.append(name)

    assert undocumented == []


def test_the_root_types_are_described_too() -> None:
    schema = build_schema()._schema

    for root in (schema.query_type, schema.mutation_type, schema.subscription_type):
        assert root is not None
        assert root.description
