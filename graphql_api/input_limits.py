"""Every input's bounds, enforced in one place while GraphQL coerces the input, before a resolver
does any work (sign-in never hashes a 500 KB email).

- No string, and no string inside a JSON value, may hold NUL: PostgreSQL cannot store it.
- Each input field's string has a maximum length: its own in FIELD_MAX_LENGTHS, or its
  scalar's default. JSON values have a maximum size and nesting depth.
- DateTime values lie between EARLIEST and LATEST; a time without a UTC offset is read as UTC.

A violation is INVALID_INPUT naming the field. docs/graphql-api.md lists these limits; a test
keeps that list and this module in step.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from graphql import (
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLSchema,
    GraphQLType,
    get_named_type,
)
from strawberry.types.scalar import ScalarDefinition

from domain.errors import InvalidInput
from domain.text import UNSTORABLE

MAX_STRING_LENGTH = 1_000
MAX_ID_LENGTH = 100
MAX_JSON_BYTES = 64 * 1024
MAX_FLOW_GRAPH_BYTES = 1024 * 1024
MAX_JSON_DEPTH = 32
MAX_LIST_ITEMS = 100
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)

DEFAULT_MAX_LENGTHS = {"String": MAX_STRING_LENGTH, "ID": MAX_ID_LENGTH, "JSON": MAX_JSON_BYTES}

# Fields whose bound differs from their scalar's default; keys are "InputType.field". These are
# coarse bounds against abuse: Meta's exact limits on what is sent (reference §5) are checked by
# the domain, which answers them as the mutation's ValidationError saying which limit it is.
FIELD_MAX_LENGTHS: dict[str, int] = {
    "TokenCreateInput.email": 320,
    "TokenRefreshInput.refreshToken": 200,
    "TokenRevokeInput.refreshToken": 200,
    "UserCreateInput.email": 320,
    "InvitationCreateInput.email": 320,
    "InvitationAcceptInput.token": 200,
    "WhatsAppTrialCustomerSayInput.text": 4_096,
    "LexiconEntryInput.term": 60,
    "CannedResponseCreateInput.shortcut": 40,
    "CannedResponseCreateInput.title": 200,
    "CannedResponseCreateInput.body": 10_000,
    "CannedResponseUpdateInput.shortcut": 40,
    "CannedResponseUpdateInput.title": 200,
    "CannedResponseUpdateInput.body": 10_000,
    "IntentCreateInput.name": 100,
    "IntentCreateInput.description": 400,
    "IntentCreateInput.examples": 1_000,
    "IntentUpdateInput.name": 100,
    "IntentUpdateInput.description": 400,
    "IntentUpdateInput.examples": 1_000,
    "AiSettingsUpdateInput.languages": 10,
    "AiSettingsUpdateInput.vipLabels": 50,
    "OrganizationCreateInput.ownerEmail": 320,
    "TextInput.body": 10_000,
    "InteractiveInput.body": 10_000,
    "MediaInput.link": 2_048,
    "MediaInput.caption": 10_000,
    "MessageSendInput.clientMessageId": 100,
    "ConversationNoteAddInput.body": 10_000,
    "ConversationFilter.search": 200,
    "ConversationLabelsSetInput.labels": 100,
    "FlowFilter.search": 200,
    "PushSubscriptionAddInput.endpoint": 2_000,
    "PushSubscriptionAddInput.userAgent": 300,
    "PushSubscriptionRemoveInput.endpoint": 2_000,
    "FlowCreateInput.graph": MAX_FLOW_GRAPH_BYTES,
    "FlowUpdateInput.graph": MAX_FLOW_GRAPH_BYTES,
    "FlowTestMessage.text": 10_000,
    "QueueInput.description": 2_000,
    "QueueInput.department": 200,
    "QueueItemCompleteInput.feedback": 4_000,
    "QueueMessagesInput.welcome": 4_096,
    "QueueMessagesInput.positionUpdate": 4_096,
    "QueueMessagesInput.outsideHours": 4_096,
    "QueueMessagesInput.queueFull": 4_096,
    "QueueMessagesInput.waitTimeout": 4_096,
    "AgentUpdateInput.skills": 100,
    "AgentUpdateInput.departments": 100,
    "WhatsAppNumberCreateInput.phoneNumberId": 32,
    "WhatsAppNumberCreateInput.wabaId": 32,
    "WhatsAppNumberCreateInput.accessToken": 4_096,
    "WhatsAppNumberCreateInput.displayPhoneNumber": 32,
    "WhatsAppNumberCreateInput.verifiedName": 200,
    "WhatsAppNumberCreateInput.appSecret": 200,
    "WhatsAppNumberCreateInput.verifyToken": 200,
    "WhatsAppNumberUpdateInput.displayPhoneNumber": 32,
    "WhatsAppNumberUpdateInput.verifiedName": 200,
    "WhatsAppNumberUpdateInput.accessToken": 4_096,
    "WhatsAppNumberUpdateInput.appSecret": 200,
    "WhatsAppNumberUpdateInput.verifyToken": 200,
    "WhatsAppTemplateCreateInput.body": 10_000,
}
"""For a string field, characters; for a list of strings, characters of each item; for JSON,
bytes of the value written as compact JSON."""


def field_limit(type_name: str, field_name: str, scalar_name: str) -> int | None:
    own = FIELD_MAX_LENGTHS.get(f"{type_name}.{field_name}")
    return own if own is not None else DEFAULT_MAX_LENGTHS.get(scalar_name)


def guard_inputs(schema: GraphQLSchema) -> None:
    """Bound every input object type of a built schema: graphql-core calls `out_type` with the
    coerced fields of each input object, from variables and literals alike."""
    for graphql_type in schema.type_map.values():
        if isinstance(graphql_type, GraphQLInputObjectType):
            graphql_type.out_type = _bounded(graphql_type, graphql_type.out_type)  # type: ignore[method-assign,assignment]


Check = Callable[[str, Any], None]


def _bounded(
    input_type: GraphQLInputObjectType, then: Callable[[dict[str, Any]], Any]
) -> Callable[[dict[str, Any]], Any]:
    checks: dict[str, Check] = {}
    for name, field in input_type.fields.items():
        check = _check_for(input_type.name, name, field.type)
        if check is not None:
            checks[name] = check

    def out_type(value: dict[str, Any]) -> Any:
        for name, item in value.items():
            check = checks.get(name)
            if check is not None and item is not None:
                try:
                    check(name, item)
                except InvalidInput as error:
                    # graphql-core reports a GraphQLError raised here as the input's error.
                    raise GraphQLError(error.message, original_error=error) from error
        return then(value)

    return out_type


def _check_for(type_name: str, field_name: str, field_type: GraphQLType) -> Check | None:
    scalar = get_named_type(field_type).name
    limit = field_limit(type_name, field_name, scalar)
    if limit is None:
        return None
    single: Check = _json_check(limit) if scalar == "JSON" else _string_check(limit)
    if not _is_list(field_type):
        return single

    def each(name: str, values: Any) -> None:
        if len(values) > MAX_LIST_ITEMS:
            raise InvalidInput(f"{name}: at most {MAX_LIST_ITEMS} items", field=name)
        for value in values:
            if value is not None:
                single(name, value)

    return each


def _is_list(field_type: GraphQLType) -> bool:
    inner = field_type.of_type if isinstance(field_type, GraphQLNonNull) else field_type
    return isinstance(inner, GraphQLList)


def _string_check(limit: int) -> Check:
    def check(name: str, value: Any) -> None:
        if not isinstance(value, str):
            return
        if len(value) > limit:
            raise InvalidInput(
                f"{name}: at most {limit} characters ({len(value)} given)", field=name
            )
        _refuse_unstorable(name, value)

    return check


def _json_check(limit: int) -> Check:
    def check(name: str, value: Any) -> None:
        try:
            text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            # A lone surrogate is measured here and refused by the walk below.
            size = len(text.encode("utf-8", "surrogatepass"))
        except RecursionError:
            size = limit + 1
        if size > limit:
            raise InvalidInput(f"{name}: at most {limit} bytes of JSON", field=name)
        _walk_json(name, value, 0)

    return check


def _walk_json(name: str, value: Any, depth: int) -> None:
    if depth > MAX_JSON_DEPTH:
        raise InvalidInput(f"{name}: JSON nested more than {MAX_JSON_DEPTH} deep", field=name)
    if isinstance(value, str):
        _refuse_unstorable(name, value)
    elif isinstance(value, dict):
        for key, item in value.items():
            _walk_json(name, key, depth + 1)
            _walk_json(name, item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _walk_json(name, item, depth + 1)


def _refuse_unstorable(name: str, value: str) -> None:
    if UNSTORABLE.search(value):
        raise InvalidInput(
            f"{name}: must not contain NUL characters or lone surrogates", field=name
        )


def parse_datetime(value: object) -> datetime:
    if not isinstance(value, str) or len(value) > 64:
        raise InvalidInput(f"{str(value)[:64]!r} is not an ISO 8601 date and time")
    try:
        parsed = datetime.fromisoformat(value)
    except (ValueError, OverflowError) as error:
        raise InvalidInput(f"{value!r} is not an ISO 8601 date and time") from error
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    if not EARLIEST <= parsed < LATEST:
        raise InvalidInput(
            f"{value!r} is out of range: times lie from {EARLIEST.year} up to {LATEST.year}"
        )
    return parsed


BOUNDED_DATETIME = ScalarDefinition(
    name="DateTime",
    description="A date and time in ISO 8601, such as 2026-01-31T09:00:00Z or "
    "2026-01-31T06:00:00-03:00; one without a UTC offset is read as UTC. Accepted from "
    f"{EARLIEST.year} up to {LATEST.year}.",
    specified_by_url=None,
    serialize=datetime.isoformat,
    parse_value=parse_datetime,
    parse_literal=None,
    origin=datetime,
)
