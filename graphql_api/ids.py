"""Parsing of ID arguments: a malformed id is invalid input, not a server error."""

from __future__ import annotations

import uuid

from domain.errors import InvalidInput


def parse_uuid(value: str, field: str = "id") -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as error:
        raise InvalidInput(f"'{value}' is not a valid id", field=field) from error
