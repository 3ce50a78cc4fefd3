"""schema.graphql is the public contract: it matches the code and documents everything."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLUnionType,
    get_named_type,
)

from domain.errors import DomainError
from graphql_api.mutations import DomainErrorsAsPayload
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


def definition_of(graphql_object: Any) -> Any:
    """The strawberry declaration behind a built GraphQL type or field."""
    return graphql_object.extensions["strawberry-definition"]


def every_domain_error() -> list[type[DomainError]]:
    found: list[type[DomainError]] = []
    pending = list(DomainError.__subclasses__())
    while pending:
        error = pending.pop()
        found.append(error)
        pending.extend(error.__subclasses__())
    return found


def test_every_domain_failure_has_its_code_in_the_schema() -> None:
    error_code = build_schema()._schema.type_map["ErrorCode"]
    assert isinstance(error_code, GraphQLEnumType)
    codes = set(error_code.values)

    missing = {
        error.__name__: error.code for error in every_domain_error() if error.code not in codes
    }

    assert missing == {}, "add these codes to graphql_api.errors.ErrorCode, described"


def test_every_mutation_answers_failures_through_its_payload_union() -> None:
    mutation = build_schema()._schema.mutation_type
    assert mutation is not None
    unscaffolded: list[str] = []
    not_payloads: list[str] = []
    for name, field in mutation.fields.items():
        extensions = definition_of(field).extensions
        if not any(isinstance(extension, DomainErrorsAsPayload) for extension in extensions):
            unscaffolded.append(name)
        if not get_named_type(field.type).name.endswith("Payload"):
            not_payloads.append(name)

    assert unscaffolded == [], "declare these with graphql_api.mutations.mutation"
    assert not_payloads == [], "these mutations must return a payload"


def test_every_error_member_names_the_failure_it_reports() -> None:
    schema = build_schema()._schema
    error_types = [
        graphql_type
        for graphql_type in schema.type_map.values()
        if isinstance(graphql_type, GraphQLObjectType)
        and any(interface.name == "Error" for interface in graphql_type.interfaces)
    ]
    unmapped = [
        graphql_type.name
        for graphql_type in error_types
        if not issubclass(
            getattr(
                graphql_type.extensions["strawberry-definition"].origin, "domain_error", object
            ),
            DomainError,
        )
    ]

    assert len(error_types) >= 10
    assert unmapped == []


def test_a_root_fields_resolver_is_found_from_its_kind_in_its_features_module() -> None:
    """Query fields live in graphql_api/<feature>/queries.py, mutations in mutations.py and
    subscriptions in subscriptions.py: a field's name and kind lead to its resolver."""
    schema = build_schema()._schema
    misplaced: list[str] = []
    for root, module in (
        (schema.query_type, "queries"),
        (schema.mutation_type, "mutations"),
        (schema.subscription_type, "subscriptions"),
    ):
        assert root is not None
        for name, field in root.fields.items():
            resolver = definition_of(field).base_resolver
            if resolver is None or not resolver.wrapped_func.__module__.endswith(f".{module}"):
                misplaced.append(f"{root.name}.{name}")

    assert misplaced == []


def test_every_input_type_is_declared_in_its_features_inputs_module() -> None:
    schema = build_schema()._schema
    misplaced = [
        f"{name} ({definition_of(graphql_type).origin.__module__})"
        for name, graphql_type in schema.type_map.items()
        if isinstance(graphql_type, GraphQLInputObjectType)
        and not definition_of(graphql_type).origin.__module__.endswith(".inputs")
    ]

    assert misplaced == []
