"""What accounts need from persistence: users, the organization, credentials and tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.accounts.model import Organization, Role, User
from domain.accounts.throttle import SignInHistory
from domain.pagination import Page, PageRequest
from domain.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class RefreshTokenRecord:
    id: UUID
    organization_id: UUID
    user_id: UUID
    family_id: UUID
    token_hash: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None
    replaced_by_id: UUID | None = None


class UserRepository(Protocol):
    """Users of the unit of work's organization only."""

    async def get(self, user_id: UUID) -> User | None: ...
    async def get_many(self, user_ids: list[UUID]) -> dict[UUID, User]: ...
    async def active_with_roles(self, roles: frozenset[Role]) -> list[User]: ...
    async def add(self, user: User) -> None: ...
    async def save(self, user: User) -> None: ...
    async def page(self, size: int, request: PageRequest, include_inactive: bool) -> Page[User]: ...


class OrganizationRepository(Protocol):
    """The unit of work's own organization."""

    async def get(self) -> Organization: ...
    async def save(self, organization: Organization) -> None: ...


class OrganizationDirectory(Protocol):
    """Platform-level: creating organizations, which belong to no tenant yet."""

    async def add(self, organization: Organization) -> None: ...
    async def all(self) -> list[Organization]: ...


class CredentialStore(Protocol):
    """Platform-level lookups keyed by what a caller proves: an email, a token's subject."""

    async def find_by_email(self, email: str) -> User | None: ...
    async def email_taken(self, email: str) -> bool: ...
    async def any_user_exists(self) -> bool: ...


class RefreshTokenStore(Protocol):
    async def add(self, record: RefreshTokenRecord) -> None: ...
    async def find_by_hash(self, token_hash: str) -> RefreshTokenRecord | None: ...
    async def mark_replaced(self, token_id: UUID, replaced_by: UUID, at: datetime) -> bool:
        """Revoke a live token in favour of its successor; False when it was no longer live."""
        ...

    async def revoke_family(self, family_id: UUID, at: datetime) -> None: ...
    async def revoke_user(self, user_id: UUID, at: datetime) -> None: ...


class LoginAttemptStore(Protocol):
    async def serialize(self, email: str, client_ip: str | None) -> None:
        """Hold other sign-ins of this email or address until the transaction ends, so that
        checking the limits and recording the attempt are one step."""
        ...

    async def history(
        self, email: str, client_ip: str | None, failures_since: datetime, devices_since: datetime
    ) -> SignInHistory: ...

    async def record_failure(self, email: str, client_ip: str | None, at: datetime) -> int:
        """Recorded before the password is checked, so concurrent guesses count; the id."""
        ...

    async def succeeded(self, attempt_id: int, email: str, client_ip: str | None) -> None:
        """The attempt had the right password: the address becomes a known device of the
        email, and the pair's failures are forgotten."""
        ...


class PrincipalCache(Protocol):
    """Users as the last token check read them, so that the next check of the same user needs
    no read. Whoever implements it must forget a user whose role, password or activity changed,
    in every process, before it answers for that user again."""

    def get(self, organization_id: UUID, user_id: UUID) -> User | None: ...
    def version(self) -> int:
        """Changes whenever a user is forgotten: a read that began before a change must not
        be remembered after it."""
        ...

    def remember(self, user: User, read_at_version: int) -> None: ...
    def forget(self, user_id: UUID) -> None: ...


class AccountsUnitOfWork(UnitOfWork, Protocol):
    @property
    def users(self) -> UserRepository: ...
    @property
    def organization(self) -> OrganizationRepository: ...
    @property
    def organizations(self) -> OrganizationDirectory: ...
    @property
    def credentials(self) -> CredentialStore: ...
    @property
    def refresh_tokens(self) -> RefreshTokenStore: ...
    @property
    def login_attempts(self) -> LoginAttemptStore: ...
