"""Errors as data: payload union members for expected outcomes, codes for everything else."""

from __future__ import annotations

import logging
import re
from dataclasses import fields
from enum import Enum
from typing import ClassVar, Self

import strawberry
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError
from starlette.responses import Response
from strawberry.extensions import MaskErrors
from strawberry.types import ExecutionResult

from domain.errors import (
    AccountDeactivated,
    Conflict,
    DomainError,
    Forbidden,
    InvalidCredentials,
    InvalidInput,
    InvalidToken,
    MetaRefused,
    NotFound,
    RateLimited,
    ServiceUnavailable,
    WindowClosed,
)

logger = logging.getLogger(__name__)


@strawberry.enum(
    description="A stable machine-readable code for a problem, in payloads and in "
    "`extensions.code` of top-level errors."
)
class ErrorCode(Enum):
    INVALID_INPUT = strawberry.enum_value(
        "INVALID_INPUT", description="The input was rejected; the message says why."
    )
    NOT_FOUND = strawberry.enum_value(
        "NOT_FOUND", description="No such object in the caller's organization."
    )
    CONFLICT = strawberry.enum_value(
        "CONFLICT", description="The change conflicts with existing data or an invariant."
    )
    FORBIDDEN = strawberry.enum_value(
        "FORBIDDEN", description="The caller's role does not allow this action."
    )
    UNAUTHENTICATED = strawberry.enum_value(
        "UNAUTHENTICATED", description="Sign in first: no valid access token was given."
    )
    INVALID_CREDENTIALS = strawberry.enum_value(
        "INVALID_CREDENTIALS", description="The email or password is wrong."
    )
    ACCOUNT_DEACTIVATED = strawberry.enum_value(
        "ACCOUNT_DEACTIVATED", description="The account was deactivated by an administrator."
    )
    INVALID_TOKEN = strawberry.enum_value(
        "INVALID_TOKEN", description="The token is unknown, revoked or was already used."
    )
    TOKEN_EXPIRED = strawberry.enum_value(
        "TOKEN_EXPIRED", description="The access token expired: refresh it."
    )
    ACCESS_CHANGED = strawberry.enum_value(
        "ACCESS_CHANGED",
        description="The user's role or password changed, or the user was deactivated: sign "
        "in again.",
    )
    RATE_LIMITED = strawberry.enum_value(
        "RATE_LIMITED", description="Too many attempts: wait before trying again."
    )
    EVENTS_EXPIRED = strawberry.enum_value(
        "EVENTS_EXPIRED",
        description="The events after `after` were purged: reload, then subscribe without it.",
    )
    SERVICE_UNAVAILABLE = strawberry.enum_value(
        "SERVICE_UNAVAILABLE", description="The database or the bus is away: retry shortly."
    )
    EVENT_STREAM_INTERRUPTED = strawberry.enum_value(
        "EVENT_STREAM_INTERRUPTED",
        description="The live stream lost events: resubscribe with the last `eventId`.",
    )
    WINDOW_CLOSED = strawberry.enum_value(
        "WINDOW_CLOSED",
        description="The customer's 24-hour window is closed: only a template can be sent.",
    )
    META_REFUSED = strawberry.enum_value(
        "META_REFUSED", description="Meta's Graph API refused the call made for the caller."
    )
    FLOW_INVALID = strawberry.enum_value(
        "FLOW_INVALID", description="The flow has problems that keep it from running."
    )
    INVITATION_UNUSABLE = strawberry.enum_value(
        "INVITATION_UNUSABLE",
        description="The invitation link was already used, was revoked or has expired.",
    )


@strawberry.interface(description="An expected problem the caller can act on.")
class Error:
    message: str = strawberry.field(description="What went wrong, in words fit to show a user.")
    code: ErrorCode = strawberry.field(
        description="A stable machine-readable code for the problem."
    )
    domain_error: ClassVar[type[DomainError]]
    """The domain's failure this member reports: a mutation whose payload union lists the
    member returns it when its service raises that failure (graphql_api/mutations.py)."""
    renamed: ClassVar[dict[str, str]] = {}
    """The member's fields read from a failure's attribute of another name."""

    @classmethod
    def of(cls, error: DomainError) -> Self:
        """The member's own fields are the failure's attributes of the same name."""
        details = {
            item.name: getattr(error, cls.renamed.get(item.name, item.name))
            for item in fields(cls)
            if item.name not in ("message", "code")
        }
        return cls(message=error.message, code=ErrorCode(error.code), **details)


@strawberry.type(description="The input was rejected; `field` names the offending input field.")
class ValidationError(Error):
    domain_error = InvalidInput
    field: str | None = strawberry.field(description="The input field at fault, if one is.")


@strawberry.type(
    description="No object with that id exists in the caller's organization. Objects of other "
    "organizations are reported the same way, so their existence is never revealed."
)
class NotFoundError(Error):
    domain_error = NotFound
    renamed: ClassVar[dict[str, str]] = {"id": "identifier"}
    id: str = strawberry.field(description="The id that was looked up.")


@strawberry.type(description="The caller's role does not allow this action.")
class PermissionDeniedError(Error):
    domain_error = Forbidden


@strawberry.type(description="The change conflicts with existing data or an invariant.")
class ConflictError(Error):
    domain_error = Conflict
    field: str | None = strawberry.field(description="The input field at fault, if one is.")


@strawberry.type(
    description="Meta's Graph API refused the call PyTake made on the caller's behalf; the "
    "message says why in Meta's terms."
)
class MetaRefusedError(Error):
    domain_error = MetaRefused
    meta_code: int | None = strawberry.field(
        description="Meta's numeric error code (for example 100 or 190), when Meta gave one."
    )


@strawberry.type(
    description="The customer's 24-hour window is closed: only an approved template can be "
    "sent. `approvedTemplates` lists those that could be sent instead."
)
class WindowClosedError(Error):
    domain_error = WindowClosed
    approved_templates: list[str] = strawberry.field(
        description="Approved templates of the conversation's WhatsApp account, as "
        "'name (language)'."
    )


@strawberry.type(description="The email or password is wrong. Which of the two is not revealed.")
class InvalidCredentialsError(Error):
    domain_error = InvalidCredentials


@strawberry.type(description="The account exists but has been deactivated by an administrator.")
class AccountDeactivatedError(Error):
    domain_error = AccountDeactivated


@strawberry.type(description="The token is unknown, expired, revoked or was already used.")
class InvalidTokenError(Error):
    domain_error = InvalidToken


@strawberry.type(description="Too many attempts; wait `retryAfterSeconds` before trying again.")
class RateLimitedError(Error):
    domain_error = RateLimited
    retry_after_seconds: int = strawberry.field(description="Seconds to wait before retrying.")


UNEXPECTED_MESSAGE = "Unexpected error."
SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


class ErrorPolicy(MaskErrors):
    """Domain errors keep their message and gain `extensions.code`; anything else is logged and
    masked. A database outage marks the HTTP response 503 so callers (and Meta) retry."""

    def __init__(self, hide_suggestions: bool = False) -> None:
        super().__init__(error_message=UNEXPECTED_MESSAGE)
        # Without introspection, "Did you mean 'me'?" would name the schema's fields anyway.
        self._hide_suggestions = hide_suggestions

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        return [self._rewrite(error) for error in errors]

    def _process_result(self, result: object) -> None:
        # MaskErrors checks a runtime Protocol here, which costs more than the rest of
        # delivering a subscription event; the usual results are checked by class first.
        if isinstance(result, ExecutionResult | GraphQLExecutionResult):
            if result.errors:
                result.errors = self._process_errors(result.errors)
            return
        super()._process_result(result)

    def _rewrite(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        # Coercing an input wraps the error its scalar or input type raised, once or twice.
        while isinstance(original, GraphQLError):
            original = original.original_error
        if original is None:
            code = (error.extensions or {}).get("code", "GRAPHQL_VALIDATION_FAILED")
            message = error.message
            if self._hide_suggestions:
                message = SUGGESTION.sub("", message)
            return self._with(error, message, {"code": code})
        if isinstance(original, DomainError):
            extensions: dict[str, object] = {"code": original.code}
            if isinstance(original, ServiceUnavailable):
                extensions["component"] = original.component
                self._set_status(503)
            message = original.message
            if isinstance(original, InvalidInput):
                if original.field:
                    extensions["field"] = original.field
                if error.path is None:
                    # Refused while coercing variables or literals: graphql-core's message
                    # names the variable or argument, and ends with the domain's reason.
                    message = error.message
            return self._with(error, message, extensions)
        logger.error("unexpected error in GraphQL execution", exc_info=original)
        return self._with(error, UNEXPECTED_MESSAGE, {"code": "INTERNAL_SERVER_ERROR"})

    def _set_status(self, status_code: int) -> None:
        response = getattr(self.execution_context.context, "response", None)
        if isinstance(response, Response):
            response.status_code = status_code

    @staticmethod
    def _with(error: GraphQLError, message: str, extensions: dict[str, object]) -> GraphQLError:
        return GraphQLError(
            message=message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions=extensions,
        )
