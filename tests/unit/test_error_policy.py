"""Unexpected failures never reach the caller; expected ones keep their message and gain a code."""

from __future__ import annotations

import logging

import pytest
import strawberry

from domain.errors import InvalidInput, ServiceUnavailable
from graphql_api.errors import ErrorPolicy


@strawberry.type(description="Fields that fail on purpose.")
class Failing:
    @strawberry.field(description="Raises an unexpected exception.")
    def crash(self) -> str:
        raise RuntimeError("password=hunter2 at db.internal:5432")

    @strawberry.field(description="Raises an expected domain error.")
    def invalid(self) -> str:
        raise InvalidInput("'first' must be between 1 and 100", field="first")

    @strawberry.field(description="Raises an outage.")
    def outage(self) -> str:
        raise ServiceUnavailable("database", "connection refused")


SCHEMA = strawberry.Schema(query=Failing, extensions=[ErrorPolicy])


async def test_an_unexpected_exception_is_masked_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR, logger="graphql_api.errors"):
        result = await SCHEMA.execute("{ crash }")

    assert result.errors is not None
    error = result.errors[0]
    assert error.message == "Unexpected error."
    assert error.extensions == {"code": "INTERNAL_SERVER_ERROR"}
    assert "hunter2" not in str(result.errors)
    assert "hunter2" in caplog.text


async def test_a_domain_error_keeps_its_message_and_field() -> None:
    result = await SCHEMA.execute("{ invalid }")

    assert result.errors is not None
    assert result.errors[0].message == "'first' must be between 1 and 100"
    assert result.errors[0].extensions == {"code": "INVALID_INPUT", "field": "first"}


async def test_an_outage_names_the_component() -> None:
    result = await SCHEMA.execute("{ outage }")

    assert result.errors is not None
    assert result.errors[0].extensions == {"code": "SERVICE_UNAVAILABLE", "component": "database"}
