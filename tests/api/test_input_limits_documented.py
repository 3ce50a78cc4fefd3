"""The input limits the API enforces are the ones docs/graphql-api.md lists, and each names a
field the schema has."""

from __future__ import annotations

from pathlib import Path

from graphql import GraphQLInputObjectType

from graphql_api.input_limits import FIELD_MAX_LENGTHS
from graphql_api.schema import build_schema

DOCS = Path(__file__).resolve().parents[2] / "docs" / "graphql-api.md"


def test_every_field_limit_names_an_input_field_of_the_schema() -> None:
    types = build_schema()._schema.type_map

    for key in FIELD_MAX_LENGTHS:
        type_name, field_name = key.split(".")
        input_type = types.get(type_name)
        assert isinstance(input_type, GraphQLInputObjectType), key
        assert field_name in input_type.fields, key


def test_every_field_limit_is_documented_with_its_value() -> None:
    documented = DOCS.read_text()

    for key, maximum in FIELD_MAX_LENGTHS.items():
        assert f"| `{key}` | {maximum:,} |" in documented, key
