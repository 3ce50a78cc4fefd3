"""The mutation scaffold: a service's failure becomes the payload member that reports it, a
subclass of a failure finds its parent's member, and a failure the payload does not list is a
top-level error with its code."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
import strawberry

from domain.errors import DomainError, InvalidInput, NotFound, TokenExpired
from graphql_api.errors import ErrorPolicy, InvalidTokenError, ValidationError
from graphql_api.mutations import mutation


@strawberry.type(description="It worked.")
class Done:
    ok: bool = strawberry.field(description="Always true.")


Payload = Annotated[
    Done | ValidationError | InvalidTokenError,
    strawberry.union("TryPayload", description="The outcome."),
]

FAILURES: dict[str, DomainError | None] = {
    "none": None,
    "invalid": InvalidInput("name must not be empty", field="name"),
    "expired": TokenExpired("the access token expired"),
    "missing": NotFound("Flow", "f-1"),
}


@strawberry.type
class Query:
    @strawberry.field(description="Nothing.")
    def nothing(self) -> bool:
        return True


@strawberry.type
class Mutation:
    @mutation(description="Raises the failure named.")
    async def attempt(self, failure: str) -> Payload:
        raised = FAILURES[failure]
        if raised is not None:
            raise raised
        return Done(ok=True)


SCHEMA = strawberry.Schema(query=Query, mutation=Mutation, extensions=[ErrorPolicy])
DOCUMENT = """
mutation($failure: String!) { attempt(failure: $failure) {
  __typename
  ... on Error { code message }
  ... on ValidationError { field }
} }
"""


async def attempt(failure: str) -> Any:
    return await SCHEMA.execute(DOCUMENT, variable_values={"failure": failure})


async def test_a_success_is_returned_as_it_is() -> None:
    result = await attempt("none")

    assert result.data == {"attempt": {"__typename": "Done"}}


@pytest.mark.parametrize(
    ("failure", "member"),
    [
        pytest.param(
            "invalid",
            {
                "__typename": "ValidationError",
                "code": "INVALID_INPUT",
                "message": "name must not be empty",
                "field": "name",
            },
            id="a listed failure becomes its member",
        ),
        pytest.param(
            "expired",
            {
                "__typename": "InvalidTokenError",
                "code": "TOKEN_EXPIRED",
                "message": "the access token expired",
            },
            id="a subclass is reported by its parent's member, with its own code",
        ),
    ],
)
async def test_a_failure_the_payload_lists_is_returned_as_its_member(
    failure: str, member: dict[str, Any]
) -> None:
    result = await attempt(failure)

    assert result.errors is None
    assert result.data == {"attempt": member}


async def test_a_failure_the_payload_does_not_list_is_a_top_level_error_with_its_code() -> None:
    result = await attempt("missing")

    assert result.data is None
    assert result.errors is not None
    assert [error.extensions for error in result.errors] == [{"code": "NOT_FOUND"}]
