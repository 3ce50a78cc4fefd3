"""Organizations, users, credentials, refresh tokens and login attempts."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import RowMapping, and_, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts.model import Organization, Role, User
from domain.accounts.ports import RefreshTokenRecord
from domain.accounts.throttle import Failures, SignInHistory
from domain.errors import NotFound
from domain.pagination import Edge, Page, PageRequest
from persistence.dialects import QueryComponents
from persistence.models.accounts import LoginAttemptRow, OrganizationRow, RefreshTokenRow, UserRow
from persistence.repositories.cursors import Keyset, encode_cursor
from persistence.repositories.scope import RepositoryScope

USERS = UserRow.__table__
# Reads select table rows, not ORM entities: every authenticated request loads its user, and
# skipping the identity map and instance state halves that lookup's CPU.
SELECT_USERS = select(*USERS.columns)


def user_to_domain(row: RowMapping) -> User:
    return User(
        id=row["id"],
        organization_id=row["organization_id"],
        email=row["email"],
        name=row["name"],
        role=Role(row["role"]),
        is_active=row["is_active"],
        is_superuser=row["is_superuser"],
        password_hash=row["password_hash"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _copy_user(user: User, row: UserRow) -> UserRow:
    row.id = user.id
    row.organization_id = user.organization_id
    row.email = user.email
    row.name = user.name
    row.role = user.role.value
    row.password_hash = user.password_hash
    row.is_active = user.is_active
    row.is_superuser = user.is_superuser
    row.created_at = user.created_at
    row.updated_at = user.updated_at
    return row


USER_ORDER = Keyset(USERS.c.created_at, USERS.c.id, newest_first=False)
"""Users: oldest first."""


class SqlUserRepository:
    def __init__(self, session: AsyncSession, organization_id: uuid.UUID) -> None:
        self._session = session
        self._organization_id = organization_id

    async def get(self, user_id: uuid.UUID) -> User | None:
        result = await self._session.execute(
            SELECT_USERS.where(
                USERS.c.id == user_id, USERS.c.organization_id == self._organization_id
            )
        )
        row = result.mappings().first()
        return user_to_domain(row) if row else None

    async def get_many(self, user_ids: list[uuid.UUID]) -> dict[uuid.UUID, User]:
        if not user_ids:
            return {}
        result = await self._session.execute(
            SELECT_USERS.where(
                USERS.c.id.in_(user_ids), USERS.c.organization_id == self._organization_id
            )
        )
        return {row["id"]: user_to_domain(row) for row in result.mappings()}

    async def active_with_roles(self, roles: frozenset[Role]) -> list[User]:
        result = await self._session.execute(
            SELECT_USERS.where(
                USERS.c.organization_id == self._organization_id,
                USERS.c.is_active.is_(True),
                USERS.c.role.in_([role.value for role in roles]),
            )
        )
        return [user_to_domain(row) for row in result.mappings()]

    async def add(self, user: User) -> None:
        if user.organization_id != self._organization_id:
            raise NotFound("Organization", user.organization_id)
        self._session.add(_copy_user(user, UserRow()))
        await self._session.flush()

    async def save(self, user: User) -> None:
        row = await self._session.scalar(
            select(UserRow).where(
                UserRow.id == user.id, UserRow.organization_id == self._organization_id
            )
        )
        if row is None:
            raise NotFound("User", user.id)
        _copy_user(user, row)
        await self._session.flush()

    async def page(self, size: int, request: PageRequest, include_inactive: bool) -> Page[User]:
        query = SELECT_USERS.where(USERS.c.organization_id == self._organization_id)
        if not include_inactive:
            query = query.where(USERS.c.is_active.is_(True))
        result = await self._session.execute(USER_ORDER.select(query, request, size))
        return USER_ORDER.page(
            list(result.mappings()),
            request,
            size,
            lambda r: Edge(encode_cursor(r["created_at"], r["id"]), user_to_domain(r)),
        )


def organization_to_domain(row: OrganizationRow) -> Organization:
    return Organization(
        id=row.id,
        name=row.name,
        created_at=row.created_at,
        language=row.language,
        time_zone=row.time_zone,
        business_hours=row.business_hours,
        segment=row.segment,
    )


class SqlOrganizationRepository:
    def __init__(self, session: AsyncSession, organization_id: uuid.UUID) -> None:
        self._session = session
        self._organization_id = organization_id

    async def get(self) -> Organization:
        row = await self._session.get(OrganizationRow, self._organization_id)
        if row is None:
            raise NotFound("Organization", self._organization_id)
        return organization_to_domain(row)

    async def save(self, organization: Organization) -> None:
        await self._session.execute(
            update(OrganizationRow)
            .where(OrganizationRow.id == self._organization_id)
            .values(
                name=organization.name,
                language=organization.language,
                time_zone=organization.time_zone,
                business_hours=(
                    dict(organization.business_hours) if organization.business_hours else None
                ),
                segment=organization.segment,
            )
        )


class SqlOrganizationDirectory:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, organization: Organization) -> None:
        self._session.add(
            OrganizationRow(
                id=organization.id,
                name=organization.name,
                language=organization.language,
                created_at=organization.created_at,
                last_event_sequence=0,
            )
        )
        await self._session.flush()

    async def all(self) -> list[Organization]:
        rows = await self._session.scalars(
            select(OrganizationRow).order_by(OrganizationRow.created_at)
        )
        return [organization_to_domain(row) for row in rows]


class SqlCredentialStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def find_by_email(self, email: str) -> User | None:
        result = await self._session.execute(SELECT_USERS.where(USERS.c.email == email))
        row = result.mappings().first()
        return user_to_domain(row) if row else None

    async def email_taken(self, email: str) -> bool:
        found = await self._session.scalar(select(UserRow.id).where(UserRow.email == email))
        return found is not None

    async def any_user_exists(self) -> bool:
        return (await self._session.scalar(select(UserRow.id).limit(1))) is not None


class SqlRefreshTokenStore:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, record: RefreshTokenRecord) -> None:
        self._session.add(
            RefreshTokenRow(
                id=record.id,
                organization_id=record.organization_id,
                user_id=record.user_id,
                family_id=record.family_id,
                token_hash=record.token_hash,
                created_at=record.created_at,
                expires_at=record.expires_at,
                revoked_at=record.revoked_at,
                replaced_by_id=record.replaced_by_id,
            )
        )
        await self._session.flush()

    async def find_by_hash(self, token_hash: str) -> RefreshTokenRecord | None:
        row = await self._session.scalar(
            select(RefreshTokenRow).where(RefreshTokenRow.token_hash == token_hash)
        )
        if row is None:
            return None
        return RefreshTokenRecord(
            id=row.id,
            organization_id=row.organization_id,
            user_id=row.user_id,
            family_id=row.family_id,
            token_hash=row.token_hash,
            created_at=row.created_at,
            expires_at=row.expires_at,
            revoked_at=row.revoked_at,
            replaced_by_id=row.replaced_by_id,
        )

    async def mark_replaced(
        self, token_id: uuid.UUID, replaced_by: uuid.UUID, at: datetime
    ) -> bool:
        result = await self._session.execute(
            update(RefreshTokenRow)
            .where(RefreshTokenRow.id == token_id, RefreshTokenRow.revoked_at.is_(None))
            .values(revoked_at=at, replaced_by_id=replaced_by)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def revoke_family(self, family_id: uuid.UUID, at: datetime) -> None:
        await self._session.execute(
            update(RefreshTokenRow)
            .where(RefreshTokenRow.family_id == family_id, RefreshTokenRow.revoked_at.is_(None))
            .values(revoked_at=at)
            .execution_options(synchronize_session=False)
        )

    async def revoke_user(self, user_id: uuid.UUID, at: datetime) -> None:
        await self._session.execute(
            update(RefreshTokenRow)
            .where(RefreshTokenRow.user_id == user_id, RefreshTokenRow.revoked_at.is_(None))
            .values(revoked_at=at)
            .execution_options(synchronize_session=False)
        )


def _from_address(client_ip: str | None) -> Any:
    if client_ip is None:
        return LoginAttemptRow.client_ip.is_(None)
    return LoginAttemptRow.client_ip == client_ip


class SqlLoginAttemptStore:
    def __init__(self, session: AsyncSession, components: QueryComponents) -> None:
        self._session = session
        self._sql = components

    async def serialize(self, email: str, client_ip: str | None) -> None:
        names = [f"sign-in:email:{email}"]
        if client_ip is not None:
            names.append(f"sign-in:address:{client_ip}")
        await self._sql.lock_names(self._session, names)

    async def history(
        self, email: str, client_ip: str | None, failures_since: datetime, devices_since: datetime
    ) -> SignInHistory:
        failed = and_(
            LoginAttemptRow.succeeded.is_(False), LoginAttemptRow.attempted_at >= failures_since
        )
        same_address = _from_address(client_ip)
        pair = await self._failures(failed, LoginAttemptRow.email == email, same_address)
        account = await self._failures(failed, LoginAttemptRow.email == email)
        address = (
            await self._failures(failed, same_address)
            if client_ip is not None
            else Failures(0, None)
        )
        known = client_ip is not None and (
            await self._session.scalar(
                select(LoginAttemptRow.id)
                .where(
                    LoginAttemptRow.succeeded.is_(True),
                    LoginAttemptRow.email == email,
                    same_address,
                    LoginAttemptRow.attempted_at >= devices_since,
                )
                .limit(1)
            )
            is not None
        )
        return SignInHistory(pair=pair, account=account, address=address, known_device=known)

    async def _failures(self, *where: Any) -> Failures:
        count, last = (
            await self._session.execute(
                select(func.count(), func.max(LoginAttemptRow.attempted_at)).where(*where)
            )
        ).one()
        if last is not None and last.tzinfo is None:
            last = last.replace(tzinfo=UTC)
        return Failures(int(count), last)

    async def record_failure(self, email: str, client_ip: str | None, at: datetime) -> int:
        row = LoginAttemptRow(email=email, client_ip=client_ip, attempted_at=at, succeeded=False)
        self._session.add(row)
        await self._session.flush()
        return row.id

    async def succeeded(self, attempt_id: int, email: str, client_ip: str | None) -> None:
        await self._session.execute(
            update(LoginAttemptRow).where(LoginAttemptRow.id == attempt_id).values(succeeded=True)
        )
        await self._session.execute(
            delete(LoginAttemptRow).where(
                LoginAttemptRow.email == email,
                _from_address(client_ip),
                LoginAttemptRow.succeeded.is_(False),
            )
        )


class AccountsRepositories(RepositoryScope):
    """Organizations, users, credentials, refresh tokens and sign-in attempts."""

    @property
    def users(self) -> SqlUserRepository:
        return SqlUserRepository(self.session, self.scope())

    @property
    def organization(self) -> SqlOrganizationRepository:
        return SqlOrganizationRepository(self.session, self.scope())

    @property
    def organizations(self) -> SqlOrganizationDirectory:
        return SqlOrganizationDirectory(self.session)

    @property
    def credentials(self) -> SqlCredentialStore:
        return SqlCredentialStore(self.session)

    @property
    def refresh_tokens(self) -> SqlRefreshTokenStore:
        return SqlRefreshTokenStore(self.session)

    @property
    def login_attempts(self) -> SqlLoginAttemptStore:
        return SqlLoginAttemptStore(self.session, self.components)
