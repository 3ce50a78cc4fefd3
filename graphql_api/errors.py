"""Errors as data: payload union members for expected outcomes, codes for everything else."""

from __future__ import annotations

import logging
import re

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
    InvalidInput,
    InvalidToken,
    MetaRefused,
    NotFound,
    RateLimited,
    ServiceUnavailable,
    WindowClosed,
)

logger = logging.getLogger(__name__)


@strawberry.interface(description="An expected problem the caller can act on.")
class Error:
    message: str = strawberry.field(description="What went wrong, in words fit to show a user.")
    code: str = strawberry.field(description="A stable machine-readable code for the problem.")


@strawberry.type(description="The input was rejected; `field` names the offending input field.")
class ValidationError(Error):
    field: str | None = strawberry.field(description="The input field at fault, if one is.")

    @classmethod
    def of(cls, error: InvalidInput) -> ValidationError:
        return cls(message=error.message, code=error.code, field=error.field)


@strawberry.type(
    description="No object with that id exists in the caller's organization. Objects of other "
    "organizations are reported the same way, so their existence is never revealed."
)
class NotFoundError(Error):
    id: str = strawberry.field(description="The id that was looked up.")

    @classmethod
    def of(cls, error: NotFound) -> NotFoundError:
        return cls(message=error.message, code=error.code, id=error.identifier)


@strawberry.type(description="The caller's role does not allow this action.")
class PermissionDeniedError(Error):
    @classmethod
    def of(cls, error: Forbidden) -> PermissionDeniedError:
        return cls(message=error.message, code=error.code)


@strawberry.type(description="The change conflicts with existing data or an invariant.")
class ConflictError(Error):
    field: str | None = strawberry.field(description="The input field at fault, if one is.")

    @classmethod
    def of(cls, error: Conflict) -> ConflictError:
        return cls(message=error.message, code=error.code, field=error.field)


@strawberry.type(
    description="Meta's Graph API refused the call PyTake made on the caller's behalf; the "
    "message says why in Meta's terms."
)
class MetaRefusedError(Error):
    meta_code: int | None = strawberry.field(
        description="Meta's numeric error code (for example 100 or 190), when Meta gave one."
    )

    @classmethod
    def of(cls, error: MetaRefused) -> MetaRefusedError:
        return cls(message=error.message, code=error.code, meta_code=error.meta_code)


@strawberry.type(
    description="The customer's 24-hour window is closed: only an approved template can be "
    "sent. `approvedTemplates` lists those that could be sent instead."
)
class WindowClosedError(Error):
    approved_templates: list[str] = strawberry.field(
        description="Approved templates of the conversation's WhatsApp account, as "
        "'name (language)'."
    )

    @classmethod
    def of(cls, error: WindowClosed) -> WindowClosedError:
        return cls(
            message=error.message, code=error.code, approved_templates=error.approved_templates
        )


RequestFailure = ValidationError | NotFoundError | PermissionDeniedError


def request_failure(error: InvalidInput | NotFound | Forbidden) -> RequestFailure:
    """The failures most mutations share, as their payload members."""
    if isinstance(error, InvalidInput):
        return ValidationError.of(error)
    if isinstance(error, NotFound):
        return NotFoundError.of(error)
    return PermissionDeniedError.of(error)


@strawberry.type(description="The email or password is wrong. Which of the two is not revealed.")
class InvalidCredentialsError(Error):
    @classmethod
    def of(cls, error: DomainError) -> InvalidCredentialsError:
        return cls(message=error.message, code=error.code)


@strawberry.type(description="The account exists but has been deactivated by an administrator.")
class AccountDeactivatedError(Error):
    @classmethod
    def of(cls, error: AccountDeactivated) -> AccountDeactivatedError:
        return cls(message=error.message, code=error.code)


@strawberry.type(description="The token is unknown, expired, revoked or was already used.")
class InvalidTokenError(Error):
    @classmethod
    def of(cls, error: InvalidToken) -> InvalidTokenError:
        return cls(message=error.message, code=error.code)


@strawberry.type(description="Too many attempts; wait `retryAfterSeconds` before trying again.")
class RateLimitedError(Error):
    retry_after_seconds: int = strawberry.field(description="Seconds to wait before retrying.")

    @classmethod
    def of(cls, error: RateLimited) -> RateLimitedError:
        return cls(
            message=error.message, code=error.code, retry_after_seconds=error.retry_after_seconds
        )


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
