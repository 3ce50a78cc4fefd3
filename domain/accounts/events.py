"""Facts about users and organizations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from uuid import UUID

from domain.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class UserCreated(DomainEvent):
    type: ClassVar[str] = "user.created"
    user_id: UUID
    email: str
    role: str


@dataclass(frozen=True, kw_only=True)
class UserUpdated(DomainEvent):
    type: ClassVar[str] = "user.updated"
    user_id: UUID
    changed_fields: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class UserDeactivated(DomainEvent):
    type: ClassVar[str] = "user.deactivated"
    user_id: UUID


@dataclass(frozen=True, kw_only=True)
class SignInFailuresRepeated(DomainEvent):
    """Someone failed to sign in as the user as many times, within the sign-in throttle's
    window, as it lets through before slowing them: once per such burst."""

    type: ClassVar[str] = "user.sign_in_failures_repeated"
    user_id: UUID
    failures: int
    client_ip: str | None = None
    """Where the last failure came from."""


@dataclass(frozen=True, kw_only=True)
class RefreshTokenReused(DomainEvent):
    """A refresh token already rotated or revoked was presented again, so it leaked: every
    token of that sign-in was revoked."""

    type: ClassVar[str] = "user.refresh_token_reused"
    user_id: UUID
    client_ip: str | None = None


@dataclass(frozen=True, kw_only=True)
class OrganizationUpdated(DomainEvent):
    type: ClassVar[str] = "organization.updated"
    changed_fields: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class OrganizationCreated(DomainEvent):
    type: ClassVar[str] = "organization.created"
    payload_omits: ClassVar[frozenset[str]] = frozenset()
    name: str
