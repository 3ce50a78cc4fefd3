"""Account use cases: signing in, token rotation, user and organization management."""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from email_validator import EmailNotValidError, validate_email

from domain.accounts.events import (
    OrganizationCreated,
    OrganizationUpdated,
    RefreshTokenReused,
    SignInFailuresRepeated,
    UserCreated,
    UserDeactivated,
    UserUpdated,
)
from domain.accounts.model import (
    MANAGER_ROLES,
    Actor,
    Organization,
    Role,
    User,
    ensure_can_manage,
)
from domain.accounts.passwords import PasswordHasher, check_password_policy
from domain.accounts.ports import AccountsUnitOfWork, PrincipalCache, RefreshTokenRecord
from domain.accounts.throttle import ThrottlePolicy, wait_before_attempt
from domain.accounts.tokens import (
    AccessTokenCodec,
    IssuedToken,
    hash_refresh_token,
    new_refresh_token,
)
from domain.audit import AuditEntry
from domain.clock import Clock
from domain.errors import (
    AccountDeactivated,
    Conflict,
    Forbidden,
    InvalidCredentials,
    InvalidInput,
    InvalidToken,
    NotFound,
    RateLimited,
    TokenExpired,
)
from domain.events import StoredEvent
from domain.languages import DEFAULT_LANGUAGE, checked_language
from domain.pagination import Page, PageRequest
from domain.schedules import parse_opening_hours
from domain.segments import checked_segment
from domain.unit_of_work import UnitOfWorkFactory

MAX_NAME_LENGTH = 200
ACCESS_FIELDS = frozenset({"role", "password"})
"""Changes to a user that end the user's live streams: what their token allowed has changed."""


def ends_access_of(user_id: UUID, event: StoredEvent) -> bool:
    """Whether this organization event revokes what the user's current token allows. It
    travels on the event bus, so it reaches the user's subscriptions in every process."""
    if event.type == UserDeactivated.type:
        return UserDeactivated.read(event).user_id == user_id
    if event.type == UserUpdated.type:
        updated = UserUpdated.read(event)
        return updated.user_id == user_id and bool(ACCESS_FIELDS & set(updated.changed_fields))
    return False


@dataclass(frozen=True)
class Authentication:
    user: User
    expires_at: datetime


@dataclass(frozen=True)
class TokenPair:
    access: IssuedToken
    refresh: IssuedToken
    user: User


def normalize_email(email: str, field: str = "email") -> str:
    try:
        return validate_email(
            email.strip(), check_deliverability=False, globally_deliverable=False
        ).normalized.lower()
    except EmailNotValidError as error:
        raise InvalidInput(f"The email address is not valid: {error}", field=field) from error


@dataclass(frozen=True)
class OrganizationChanges:
    """What an update of the organization's profile changes; None leaves a field as it is."""

    name: str | None = None
    language: str | None = None
    time_zone: str | None = None
    business_hours: Mapping[str, Any] | None = None
    segment: str | None = None


def checked_time_zone(time_zone: str) -> str:
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise InvalidInput(
            f"'{time_zone}' is not an IANA time zone (such as America/Sao_Paulo)",
            field="timeZone",
        ) from error
    return time_zone


def checked_hours(hours: Mapping[str, Any]) -> dict[str, Any]:
    """Opening hours in the flow editor's shape, refused with the first problem found."""
    _, problems = parse_opening_hours(hours)
    if problems:
        raise InvalidInput(
            f"businessHours.{problems[0].key}: {problems[0].message}", field="businessHours"
        )
    return dict(hours)


def _audited(value: Any) -> Any:
    return dict(value) if isinstance(value, Mapping) else value


def clean_name(name: str, field: str = "name") -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInput("The name must not be empty", field=field)
    if len(cleaned) > MAX_NAME_LENGTH:
        raise InvalidInput(f"The name must have at most {MAX_NAME_LENGTH} characters", field=field)
    return cleaned


class AccountService:
    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory[AccountsUnitOfWork],
        passwords: PasswordHasher,
        access_tokens: AccessTokenCodec,
        clock: Clock,
        refresh_token_lifetime: timedelta = timedelta(days=30),
        login_policy: ThrottlePolicy | None = None,
        principals: PrincipalCache | None = None,
    ) -> None:
        self._uow = unit_of_work
        self._principals = principals
        self._passwords = passwords
        self._access_tokens = access_tokens
        self._clock = clock
        self._refresh_lifetime = refresh_token_lifetime
        self._login_policy = login_policy or ThrottlePolicy()

    async def authenticate(self, email: str, password: str, client_ip: str | None) -> TokenPair:
        login = email.strip().lower()
        now = self._clock.now()
        async with self._uow() as uow:
            await uow.login_attempts.serialize(login, client_ip)
            await self._ensure_not_rate_limited(uow, login, client_ip)
            attempt_id = await uow.login_attempts.record_failure(login, client_ip, now)
            user = await uow.credentials.find_by_email(login)
            await uow.commit()
        password_ok = await self._passwords.verify(user.password_hash if user else None, password)
        if user is not None and not password_ok:
            await self._tell_of_repeated_failures(user, login, client_ip, now)
        if user is None or not password_ok:
            raise InvalidCredentials()
        if not user.is_active:
            raise AccountDeactivated()
        async with self._uow(user.organization_id) as uow:
            await uow.login_attempts.succeeded(attempt_id, login, client_ip)
            pair = await self._issue_pair(uow, user, family_id=uuid.uuid4())
            uow.audit(self._audit(Actor.of(user, client_ip), "token.create", "user", user.id))
            await uow.commit()
        return pair

    async def refresh(self, refresh_token: str, client_ip: str | None) -> TokenPair:
        now = self._clock.now()
        async with self._uow(read_only=True) as uow:
            record = await uow.refresh_tokens.find_by_hash(hash_refresh_token(refresh_token))
        if record is None:
            raise InvalidToken("The refresh token is not recognised")
        if record.revoked_at is None and record.expires_at <= now:
            raise TokenExpired("The refresh token has expired; sign in again with tokenCreate")
        async with self._uow(record.organization_id) as uow:
            user = await uow.users.get(record.user_id)
            if user is None or not user.is_active:
                raise AccountDeactivated()
            successor_id = uuid.uuid4()
            rotated = record.revoked_at is None and await uow.refresh_tokens.mark_replaced(
                record.id, successor_id, now
            )
            if not rotated:
                # A rotated or revoked token presented again means it leaked: end the whole login.
                await uow.refresh_tokens.revoke_family(record.family_id, now)
                uow.emit(
                    RefreshTokenReused(
                        organization_id=record.organization_id,
                        user_id=record.user_id,
                        client_ip=client_ip,
                    )
                )
                await uow.commit()
                raise InvalidToken(
                    "The refresh token was already used or revoked; every token of this sign-in "
                    "has been revoked. Sign in again with tokenCreate"
                )
            pair = await self._issue_pair(
                uow, user, family_id=record.family_id, token_id=successor_id
            )
            uow.audit(self._audit(Actor.of(user, client_ip), "token.refresh", "user", user.id))
            await uow.commit()
        return pair

    async def revoke(self, refresh_token: str, client_ip: str | None) -> bool:
        now = self._clock.now()
        async with self._uow() as uow:
            record = await uow.refresh_tokens.find_by_hash(hash_refresh_token(refresh_token))
            if record is None:
                return False
            await uow.refresh_tokens.revoke_family(record.family_id, now)
            uow.audit(
                AuditEntry(
                    organization_id=record.organization_id,
                    action="token.revoke",
                    target_type="user",
                    target_id=str(record.user_id),
                    occurred_at=now,
                    actor_user_id=record.user_id,
                    client_ip=client_ip,
                )
            )
            await uow.commit()
        return True

    def _forget_on_commit(self, uow: AccountsUnitOfWork, user_id: UUID) -> None:
        """This process stops trusting what it remembered of the user as soon as the change is
        committed; the others hear of it through the change's event."""
        principals = self._principals
        if principals is not None:
            uow.after_commit(lambda: principals.forget(user_id))

    async def resolve_access_token(self, token: str) -> Authentication:
        claims = self._access_tokens.decode(token, self._clock.now())
        principals = self._principals
        version = 0
        if principals is not None:
            known = principals.get(claims.organization_id, claims.user_id)
            if known is not None:
                return Authentication(known, claims.expires_at)
            version = principals.version()
        async with self._uow(claims.organization_id, read_only=True) as uow:
            user = await uow.users.get(claims.user_id)
        if user is None:
            raise InvalidToken("The access token names a user that does not exist")
        if not user.is_active:
            raise AccountDeactivated()
        if principals is not None:
            principals.remember(user, version)
        return Authentication(user, claims.expires_at)

    async def get_user(self, actor: Actor, user_id: UUID) -> User:
        _, organization_id, _ = actor.require_user()
        async with self._uow(organization_id, read_only=True) as uow:
            user = await uow.users.get(user_id)
        if user is None:
            raise NotFound("User", user_id)
        return user

    async def list_users(
        self, actor: Actor, request: PageRequest, include_inactive: bool
    ) -> Page[User]:
        _, organization_id, _ = actor.require_user()
        size = request.size()
        async with self._uow(organization_id, read_only=True) as uow:
            return await uow.users.page(size, request, include_inactive)

    async def update_organization(self, actor: Actor, changes: OrganizationChanges) -> Organization:
        """The organization's profile (owners and admins): name, language, time zone,
        business hours and kind of business."""
        _, organization_id, _ = actor.require_role(MANAGER_ROLES)
        async with self._uow(organization_id) as uow:
            current = await uow.organization.get()
            updated = current
            if changes.name is not None:
                updated = replace(updated, name=clean_name(changes.name))
            if changes.language is not None:
                updated = replace(updated, language=checked_language(changes.language))
            if changes.time_zone is not None:
                updated = replace(updated, time_zone=checked_time_zone(changes.time_zone))
            if changes.business_hours is not None:
                updated = replace(updated, business_hours=checked_hours(changes.business_hours))
            if changes.segment is not None:
                updated = replace(updated, segment=checked_segment(changes.segment))
            changed = tuple(
                name
                for name in ("name", "language", "time_zone", "business_hours", "segment")
                if getattr(updated, name) != getattr(current, name)
            )
            if changed:
                await uow.organization.save(updated)
                uow.emit(
                    OrganizationUpdated(organization_id=organization_id, changed_fields=changed)
                )
                uow.audit(
                    self._audit(
                        actor,
                        "organization.update",
                        "organization",
                        organization_id,
                        {name: _audited(getattr(updated, name)) for name in changed},
                    )
                )
                await uow.commit()
        return updated

    async def current_organization(self, actor: Actor) -> Organization:
        _, organization_id, _ = actor.require_user()
        async with self._uow(organization_id, read_only=True) as uow:
            return await uow.organization.get()

    async def create_user(
        self, actor: Actor, email: str, name: str, role: Role, password: str
    ) -> User:
        _, organization_id, actor_role = actor.require_role(MANAGER_ROLES)
        ensure_can_manage(actor_role, role)
        return await self._add_user(actor, organization_id, email, name, role, password)

    async def create_user_as_operator(
        self, organization_id: UUID | None, email: str, name: str, role: Role, password: str
    ) -> User:
        """For `pytake create-user`: whoever runs it on the server is trusted like an owner."""
        async with self._uow(read_only=True) as uow:
            organizations = await uow.organizations.all()
        if organization_id is None:
            if len(organizations) != 1:
                raise InvalidInput(
                    f"There are {len(organizations)} organizations: name one with --organization",
                    field="organization",
                )
            organization_id = organizations[0].id
        elif organization_id not in {o.id for o in organizations}:
            raise NotFound("Organization", organization_id)
        operator = Actor(client_ip="cli", organization_id=organization_id)
        return await self._add_user(operator, organization_id, email, name, role, password)

    async def _add_user(
        self,
        actor: Actor,
        organization_id: UUID,
        email: str,
        name: str,
        role: Role,
        password: str,
    ) -> User:
        email = normalize_email(email)
        name = clean_name(name)
        check_password_policy(password)
        password_hash = await self._passwords.hash(password)
        async with self._uow(organization_id) as uow:
            if await uow.credentials.email_taken(email):
                raise Conflict(f"A user with the email {email} already exists", field="email")
            user = self._new_user(organization_id, email, name, role, password_hash)
            await uow.users.add(user)
            uow.emit(
                UserCreated(
                    organization_id=organization_id, user_id=user.id, email=email, role=role.value
                )
            )
            uow.audit(
                self._audit(
                    actor,
                    "user.create",
                    "user",
                    user.id,
                    {"email": email, "name": name, "role": role.value},
                )
            )
            await uow.commit()
        return user

    async def update_user(
        self,
        actor: Actor,
        user_id: UUID,
        name: str | None = None,
        role: Role | None = None,
        password: str | None = None,
    ) -> User:
        actor_id, organization_id, actor_role = actor.require_user()
        changing_self_only = user_id == actor_id and role is None
        if not changing_self_only and actor_role not in MANAGER_ROLES:
            raise Forbidden("Only owners and admins can change other users or roles")
        if password is not None:
            check_password_policy(password)
        new_name = clean_name(name) if name is not None else None
        new_hash = await self._passwords.hash(password) if password is not None else None
        async with self._uow(organization_id) as uow:
            user = await self._load(uow, user_id)
            if not changing_self_only:
                ensure_can_manage(actor_role, user.role)
            changes: dict[str, Any] = {}
            updated = user
            if new_name is not None and new_name != user.name:
                changes["name"] = {"from": user.name, "to": new_name}
                updated = replace(updated, name=new_name)
            if role is not None and role != user.role:
                if user_id == actor_id:
                    raise Forbidden("You cannot change your own role")
                ensure_can_manage(actor_role, role)
                changes["role"] = {"from": user.role.value, "to": role.value}
                updated = replace(updated, role=role)
            if new_hash is not None:
                changes["password"] = "changed"  # noqa: S105 - never the value
                updated = replace(updated, password_hash=new_hash)
                await uow.refresh_tokens.revoke_user(user.id, self._clock.now())
            if not changes:
                return user
            updated = replace(updated, updated_at=self._clock.now())
            await uow.users.save(updated)
            self._forget_on_commit(uow, user.id)
            uow.emit(
                UserUpdated(
                    organization_id=organization_id,
                    user_id=user.id,
                    changed_fields=tuple(sorted(changes)),
                )
            )
            uow.audit(self._audit(actor, "user.update", "user", user.id, changes))
            await uow.commit()
        return updated

    async def deactivate_user(self, actor: Actor, user_id: UUID) -> User:
        actor_id, organization_id, actor_role = actor.require_role(MANAGER_ROLES)
        if user_id == actor_id:
            raise Forbidden("You cannot deactivate your own account")
        now = self._clock.now()
        async with self._uow(organization_id) as uow:
            user = await self._load(uow, user_id)
            ensure_can_manage(actor_role, user.role)
            if not user.is_active:
                return user
            updated = replace(user, is_active=False, updated_at=now)
            await uow.users.save(updated)
            self._forget_on_commit(uow, user.id)
            await uow.refresh_tokens.revoke_user(user.id, now)
            uow.emit(UserDeactivated(organization_id=organization_id, user_id=user.id))
            uow.audit(
                self._audit(
                    actor,
                    "user.deactivate",
                    "user",
                    user.id,
                    {"isActive": {"from": True, "to": False}},
                )
            )
            await uow.commit()
        return updated

    async def create_organization(
        self,
        actor: Actor,
        name: str,
        owner_email: str,
        owner_name: str,
        owner_password: str,
        language: str = DEFAULT_LANGUAGE,
    ) -> tuple[Organization, User]:
        actor.require_user()
        if not actor.is_superuser:
            raise Forbidden("Only a platform superuser can create organizations")
        return await self._create_organization(
            actor, name, owner_email, owner_name, owner_password, superuser=False, language=language
        )

    async def bootstrap_admin(
        self, organization_name: str, email: str, name: str, password: str
    ) -> User | None:
        """Create the first organization and its superuser owner, once, on an empty database."""
        async with self._uow(read_only=True) as uow:
            if await uow.credentials.any_user_exists():
                return None
        _, owner = await self._create_organization(
            Actor.anonymous(None), organization_name, email, name, password, superuser=True
        )
        return owner

    async def _create_organization(
        self,
        actor: Actor,
        name: str,
        owner_email: str,
        owner_name: str,
        owner_password: str,
        superuser: bool,
        language: str = DEFAULT_LANGUAGE,
    ) -> tuple[Organization, User]:
        name = clean_name(name)
        language = checked_language(language)
        email = normalize_email(owner_email, field="ownerEmail")
        owner_name = clean_name(owner_name, field="ownerName")
        check_password_policy(owner_password, field="ownerPassword")
        password_hash = await self._passwords.hash(owner_password)
        organization = Organization(
            id=uuid.uuid4(), name=name, created_at=self._clock.now(), language=language
        )
        async with self._uow(organization.id) as uow:
            if await uow.credentials.email_taken(email):
                raise Conflict(f"A user with the email {email} already exists", field="ownerEmail")
            await uow.organizations.add(organization)
            owner = self._new_user(
                organization.id, email, owner_name, Role.OWNER, password_hash, superuser=superuser
            )
            await uow.users.add(owner)
            uow.emit(OrganizationCreated(organization_id=organization.id, name=name))
            uow.emit(
                UserCreated(
                    organization_id=organization.id,
                    user_id=owner.id,
                    email=email,
                    role=Role.OWNER.value,
                )
            )
            audit_actor = actor if actor.is_authenticated else Actor.of(owner, None)
            uow.audit(
                replace(
                    self._audit(
                        audit_actor,
                        "organization.create",
                        "organization",
                        organization.id,
                        {"name": name, "ownerEmail": email},
                    ),
                    organization_id=organization.id,
                )
            )
            await uow.commit()
        return organization, owner

    async def _tell_of_repeated_failures(
        self, user: User, login: str, client_ip: str | None, now: datetime
    ) -> None:
        """The account's failures reached the number the throttle lets through freely: an
        event (a notification for the person and the organization's owners and admins)."""
        policy = self._login_policy
        async with self._uow(user.organization_id) as uow:
            history = await uow.login_attempts.history(
                login, client_ip, now - policy.window, now - policy.known_device_for
            )
            if history.account.count != policy.free_failures_per_pair:
                return
            uow.emit(
                SignInFailuresRepeated(
                    organization_id=user.organization_id,
                    user_id=user.id,
                    failures=history.account.count,
                    client_ip=client_ip,
                )
            )
            await uow.commit()

    async def _ensure_not_rate_limited(
        self, uow: AccountsUnitOfWork, login: str, client_ip: str | None
    ) -> None:
        policy = self._login_policy
        now = self._clock.now()
        history = await uow.login_attempts.history(
            login, client_ip, now - policy.window, now - policy.known_device_for
        )
        wait = wait_before_attempt(history, policy, now)
        if wait is not None:
            retry_after = max(1, math.ceil(wait.total_seconds()))
            raise RateLimited(
                f"Too many failed sign-in attempts; try again in {retry_after} seconds",
                retry_after_seconds=retry_after,
            )

    async def _issue_pair(
        self, uow: AccountsUnitOfWork, user: User, family_id: UUID, token_id: UUID | None = None
    ) -> TokenPair:
        now = self._clock.now()
        refresh_value = new_refresh_token()
        record = RefreshTokenRecord(
            id=token_id or uuid.uuid4(),
            organization_id=user.organization_id,
            user_id=user.id,
            family_id=family_id,
            token_hash=hash_refresh_token(refresh_value),
            created_at=now,
            expires_at=now + self._refresh_lifetime,
        )
        await uow.refresh_tokens.add(record)
        access = self._access_tokens.issue(user.id, user.organization_id, user.role, now)
        return TokenPair(access, IssuedToken(refresh_value, record.expires_at), user)

    async def password_hash(self, password: str) -> str:
        """A new password, checked against the policy, hashed."""
        check_password_policy(password)
        return await self._passwords.hash(password)

    def new_user(
        self, organization_id: UUID, email: str, name: str, role: Role, password_hash: str
    ) -> User:
        return self._new_user(organization_id, email, name, role, password_hash)

    async def sign_in(self, uow: AccountsUnitOfWork, user: User) -> TokenPair:
        """A session for a user who just proved who they are some other way (an invitation)."""
        return await self._issue_pair(uow, user, family_id=uuid.uuid4())

    async def _load(self, uow: AccountsUnitOfWork, user_id: UUID) -> User:
        user = await uow.users.get(user_id)
        if user is None:
            raise NotFound("User", user_id)
        return user

    def _new_user(
        self,
        organization_id: UUID,
        email: str,
        name: str,
        role: Role,
        password_hash: str,
        superuser: bool = False,
    ) -> User:
        now = self._clock.now()
        return User(
            id=uuid.uuid4(),
            organization_id=organization_id,
            email=email,
            name=name,
            role=role,
            is_active=True,
            is_superuser=superuser,
            password_hash=password_hash,
            created_at=now,
            updated_at=now,
        )

    def _audit(
        self,
        actor: Actor,
        action: str,
        target_type: str,
        target_id: UUID,
        changes: dict[str, Any] | None = None,
    ) -> AuditEntry:
        if actor.organization_id is None:
            raise Forbidden("An audited change needs an organization")
        return AuditEntry(
            organization_id=actor.organization_id,
            action=action,
            target_type=target_type,
            target_id=str(target_id),
            occurred_at=self._clock.now(),
            actor_user_id=actor.user_id,
            client_ip=actor.client_ip,
            changes=changes or {},
        )
