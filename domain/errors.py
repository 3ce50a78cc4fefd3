"""Errors the domain raises; the API turns each into a typed payload member or error code."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every expected failure; its message is safe to show to the caller."""

    code = "DOMAIN_ERROR"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(DomainError):
    code = "INVALID_INPUT"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFound(DomainError):
    code = "NOT_FOUND"

    def __init__(self, entity: str, identifier: object) -> None:
        super().__init__(f"{entity} {identifier} was not found")
        self.entity = entity
        self.identifier = str(identifier)


class Conflict(DomainError):
    code = "CONFLICT"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class Forbidden(DomainError):
    code = "FORBIDDEN"


class Unauthenticated(DomainError):
    code = "UNAUTHENTICATED"


class InvalidCredentials(DomainError):
    code = "INVALID_CREDENTIALS"

    def __init__(self) -> None:
        super().__init__("The email or password is incorrect")


class AccountDeactivated(DomainError):
    code = "ACCOUNT_DEACTIVATED"

    def __init__(self) -> None:
        super().__init__("This account is deactivated; ask an administrator of your organization")


class InvalidToken(DomainError):
    code = "INVALID_TOKEN"


class TokenExpired(InvalidToken):
    code = "TOKEN_EXPIRED"


class AccessChanged(InvalidToken):
    """The user's role or password changed, or the user was deactivated, after the token was
    issued: what the token allowed no longer holds."""

    code = "ACCESS_CHANGED"


class RateLimited(DomainError):
    code = "RATE_LIMITED"

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class EventsExpired(DomainError):
    """The caller asked to resume from an event older than the retention window."""

    code = "EVENTS_EXPIRED"

    def __init__(self, after: int, oldest_available: int) -> None:
        super().__init__(
            f"Events after {after} are no longer retained; the oldest available is "
            f"{oldest_available}. Reload the current state, then subscribe without 'after'."
        )
        self.after = after
        self.oldest_available = oldest_available


class ServiceUnavailable(DomainError):
    """A backing service (database, event bus) cannot be reached; the caller should retry."""

    code = "SERVICE_UNAVAILABLE"

    def __init__(self, component: str, detail: str) -> None:
        super().__init__(f"The {component} is unavailable: {detail}")
        self.component = component


class EventStreamInterrupted(DomainError):
    """A live event stream ended because the bus was lost or the subscriber fell behind."""

    code = "EVENT_STREAM_INTERRUPTED"

    def __init__(self, reason: str, last_event_id: int | None) -> None:
        resume = (
            f' Resubscribe with after: "{last_event_id}" to receive what was missed.'
            if last_event_id is not None
            else " Resubscribe to continue."
        )
        super().__init__(f"The event stream was interrupted: {reason}.{resume}")
        self.reason = reason
        self.last_event_id = last_event_id


class WindowClosed(DomainError):
    """A free-form message to a customer whose 24-hour customer-service window is closed."""

    code = "WINDOW_CLOSED"

    def __init__(self, closed_at: object, approved_templates: list[str]) -> None:
        closed = f"closed at {closed_at}" if closed_at is not None else "has not opened"
        offer = (
            f" Approved templates that can be sent instead: {', '.join(approved_templates)}."
            if approved_templates
            else " No approved template is known yet: create or sync templates first."
        )
        super().__init__(
            f"The customer's 24-hour window {closed}: only an approved template can be sent."
            + offer
        )
        self.approved_templates = approved_templates


class MetaRefused(DomainError):
    """Meta's Graph API refused a management call (templates, number sync)."""

    code = "META_REFUSED"

    def __init__(self, sentence: str, meta_code: int | None) -> None:
        super().__init__(f"Meta refused the request: {sentence}")
        self.meta_code = meta_code


class InvitationUnusable(DomainError):
    """An invitation link that was used, revoked or has expired."""

    code = "INVITATION_UNUSABLE"

    def __init__(self, reason: str) -> None:
        super().__init__(_UNUSABLE_INVITATION[reason])
        self.reason = reason


_UNUSABLE_INVITATION = {
    "accepted": "This invitation was already accepted: sign in instead",
    "revoked": "This invitation was revoked: ask for a new one",
    "expired": "This invitation has expired: ask for a new one",
}


class FlowInvalid(DomainError):
    """A flow that cannot be published as it is; `problems` names each node at fault."""

    code = "FLOW_INVALID"

    def __init__(self, problems: list[Any]) -> None:
        count = len(problems)
        super().__init__(
            f"The flow has {count} problem{'s' if count != 1 else ''} to fix before it can be "
            "published"
        )
        self.problems = problems
