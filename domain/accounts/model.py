"""Accounts as plain data, and the role rules that decide who may manage whom."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.errors import Forbidden, Unauthenticated
from domain.languages import DEFAULT_LANGUAGE


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    AGENT = "agent"

    @property
    def rank(self) -> int:
        return _RANKS[self]


_RANKS = {Role.AGENT: 0, Role.SUPERVISOR: 1, Role.ADMIN: 2, Role.OWNER: 3}
AUTHENTICATION_REQUIRED = "Authentication required: send 'Authorization: Bearer <token>'"
MANAGER_ROLES = frozenset({Role.OWNER, Role.ADMIN})
SUPERVISING_ROLES = frozenset({Role.OWNER, Role.ADMIN, Role.SUPERVISOR})


@dataclass(frozen=True)
class Organization:
    id: UUID
    name: str
    created_at: datetime
    language: str = DEFAULT_LANGUAGE
    """What it talks to customers in (one of domain.languages.LANGUAGES)."""
    time_zone: str | None = None
    """Where it works (an IANA time zone); None until its profile is filled in."""
    business_hours: Mapping[str, Any] | None = None
    """Its opening hours in the flow editor's shape ({timeZone, weekly, holidays})."""
    segment: str | None = None
    """What kind of business it is (one of domain.segments.SEGMENTS)."""


@dataclass(frozen=True)
class User:
    id: UUID
    organization_id: UUID
    email: str
    name: str
    role: Role
    is_active: bool
    is_superuser: bool
    password_hash: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Actor:
    """Who is acting, from where: the principal every service authorizes against."""

    client_ip: str | None
    user_id: UUID | None = None
    organization_id: UUID | None = None
    role: Role | None = None
    is_superuser: bool = False

    @classmethod
    def anonymous(cls, client_ip: str | None) -> Actor:
        return cls(client_ip=client_ip)

    @classmethod
    def of(cls, user: User, client_ip: str | None) -> Actor:
        return cls(
            client_ip=client_ip,
            user_id=user.id,
            organization_id=user.organization_id,
            role=user.role,
            is_superuser=user.is_superuser,
        )

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    def require_user(self) -> tuple[UUID, UUID, Role]:
        if self.user_id is None or self.organization_id is None or self.role is None:
            raise Unauthenticated(AUTHENTICATION_REQUIRED)
        return self.user_id, self.organization_id, self.role

    def require_role(self, allowed: frozenset[Role]) -> tuple[UUID, UUID, Role]:
        user_id, organization_id, role = self.require_user()
        if role not in allowed:
            names = ", ".join(sorted(r.value for r in allowed))
            raise Forbidden(f"This action needs one of the roles: {names}")
        return user_id, organization_id, role


def ensure_can_manage(actor_role: Role, target_role: Role) -> None:
    """Owners manage everyone; admins manage supervisors and agents; nobody else manages users."""
    if actor_role == Role.OWNER:
        return
    if actor_role == Role.ADMIN and target_role.rank < Role.ADMIN.rank:
        return
    raise Forbidden(f"A {actor_role.value} cannot manage a {target_role.value}")
