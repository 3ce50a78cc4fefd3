"""Team invitations: an owner or admin invites someone by email with a role and queues; the
invitee opens a single-use link, chooses a name and a password, and is signed in.

The link's token is stored only as its SHA-256, like refresh tokens: the link exists in the
inviter's answer and in the e-mail, nowhere else. A lost link is replaced (`resend`), never
read back.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol
from uuid import UUID

from domain.accounts.events import UserCreated
from domain.accounts.model import MANAGER_ROLES, Actor, Role, ensure_can_manage
from domain.accounts.services import AccountService, TokenPair, clean_name, normalize_email
from domain.accounts.tokens import hash_refresh_token, new_refresh_token
from domain.audit import AuditEntry
from domain.clock import Clock
from domain.errors import Conflict, InvitationUnusable, NotFound
from domain.queues.ports import QueuesUnitOfWork
from domain.team.events import InvitationChanged
from domain.unit_of_work import UnitOfWorkFactory

INVITATION_LIFETIME = timedelta(days=7)


class InvitationStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REVOKED = "revoked"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Invitation:
    id: UUID
    organization_id: UUID
    email: str
    role: Role
    queue_ids: tuple[UUID, ...]
    invited_by: UUID | None
    token_hash: str
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None = None
    user_id: UUID | None = None
    """The user accepting it made."""
    revoked_at: datetime | None = None
    emailed_at: datetime | None = None
    """When the mail server last took the e-mail with its link."""

    def status(self, now: datetime) -> InvitationStatus:
        if self.accepted_at is not None:
            return InvitationStatus.ACCEPTED
        if self.revoked_at is not None:
            return InvitationStatus.REVOKED
        if now >= self.expires_at:
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    def check_usable(self, now: datetime) -> None:
        status = self.status(now)
        if status is not InvitationStatus.PENDING:
            raise InvitationUnusable(status.value)


@dataclass(frozen=True)
class InvitationMail:
    """An invitation e-mail, in the organization's language."""

    to: str
    organization: str
    inviter: str
    role: Role
    link: str
    language: str
    expires_at: datetime


class MailUnavailable(Exception):
    """The mail server could not take a message; the reason is fit to show an admin."""


class Mailer(Protocol):
    @property
    def configured(self) -> bool:
        """Whether PyTake has a mail server to send through (PYTAKE_SMTP_HOST)."""
        ...

    async def send_invitation(self, mail: InvitationMail) -> None:
        """Raises MailUnavailable when the server refuses it or cannot be reached."""
        ...


class InvitationRepository(Protocol):
    async def add(self, invitation: Invitation) -> None: ...
    async def save(self, invitation: Invitation) -> None: ...
    async def get(self, invitation_id: UUID) -> Invitation | None:
        """One of the unit of work's organization."""
        ...

    async def list(self) -> list[Invitation]:
        """The organization's, newest first."""
        ...

    async def pending_for(self, email: str, now: datetime) -> Invitation | None: ...


class InvitationLinks(Protocol):
    """Platform-level: whoever holds a link names the organization."""

    async def find_by_token_hash(self, token_hash: str) -> Invitation | None: ...


class InvitationsUnitOfWork(QueuesUnitOfWork, Protocol):
    @property
    def invitations(self) -> InvitationRepository: ...
    @property
    def invitation_links(self) -> InvitationLinks: ...


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    link: str
    """The single-use link; shown once."""
    email_problem: str | None
    """Why it was not e-mailed (no mail server, or the server's refusal); None once sent."""


@dataclass(frozen=True)
class InvitationPreview:
    """What the accept page shows before the invitee commits to anything."""

    organization: str
    email: str
    role: Role
    expires_at: datetime


def link_for(base_url: str, token: str) -> str:
    """The console's accept page for a token."""
    return f"{base_url.rstrip('/')}/#/invitations/{token}"


class InvitationService:
    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory[InvitationsUnitOfWork],
        accounts: AccountService,
        mailer: Mailer,
        clock: Clock,
        lifetime: timedelta = INVITATION_LIFETIME,
        public_url: str | None = None,
    ) -> None:
        self._uow = unit_of_work
        self._accounts = accounts
        self._mailer = mailer
        self._clock = clock
        self._lifetime = lifetime
        self._public_url = public_url

    async def invitations(self, actor: Actor) -> list[Invitation]:
        _, organization_id, _ = actor.require_role(MANAGER_ROLES)
        async with self._uow(organization_id, read_only=True) as uow:
            return await uow.invitations.list()

    async def create(
        self, actor: Actor, email: str, role: Role, queue_ids: tuple[UUID, ...], base_url: str
    ) -> IssuedInvitation:
        user_id, organization_id, actor_role = actor.require_role(MANAGER_ROLES)
        ensure_can_manage(actor_role, role)
        email = normalize_email(email)
        now = self._clock.now()
        token = new_refresh_token()
        async with self._uow(organization_id) as uow:
            if await uow.credentials.email_taken(email):
                raise Conflict(f"{email} already has a PyTake account", field="email")
            if await uow.invitations.pending_for(email, now) is not None:
                raise Conflict(
                    f"{email} already has a pending invitation: resend it or revoke it",
                    field="email",
                )
            await self._check_queues(uow, queue_ids)
            invitation = Invitation(
                id=uuid.uuid4(),
                organization_id=organization_id,
                email=email,
                role=role,
                queue_ids=tuple(dict.fromkeys(queue_ids)),
                invited_by=user_id,
                token_hash=hash_refresh_token(token),
                created_at=now,
                expires_at=now + self._lifetime,
            )
            await uow.invitations.add(invitation)
            self._changed(uow, invitation)
            uow.audit(
                self._audit(
                    actor,
                    invitation,
                    "invitation.create",
                    {"email": email, "role": role.value, "queueIds": [str(q) for q in queue_ids]},
                )
            )
            await uow.commit()
        return await self._deliver(actor, invitation, token, base_url)

    async def resend(self, actor: Actor, invitation_id: UUID, base_url: str) -> IssuedInvitation:
        """A new link (the old one stops working) with a new expiry, e-mailed again."""
        _, organization_id, actor_role = actor.require_role(MANAGER_ROLES)
        now = self._clock.now()
        token = new_refresh_token()
        async with self._uow(organization_id) as uow:
            invitation = await self._get(uow, invitation_id)
            ensure_can_manage(actor_role, invitation.role)
            if invitation.status(now) in (InvitationStatus.ACCEPTED, InvitationStatus.REVOKED):
                raise InvitationUnusable(invitation.status(now).value)
            invitation = replace(
                invitation,
                token_hash=hash_refresh_token(token),
                expires_at=now + self._lifetime,
                emailed_at=None,
            )
            await uow.invitations.save(invitation)
            self._changed(uow, invitation)
            uow.audit(self._audit(actor, invitation, "invitation.resend", {}))
            await uow.commit()
        return await self._deliver(actor, invitation, token, base_url)

    async def revoke(self, actor: Actor, invitation_id: UUID) -> Invitation:
        _, organization_id, actor_role = actor.require_role(MANAGER_ROLES)
        now = self._clock.now()
        async with self._uow(organization_id) as uow:
            invitation = await self._get(uow, invitation_id)
            ensure_can_manage(actor_role, invitation.role)
            if invitation.status(now) is InvitationStatus.ACCEPTED:
                raise InvitationUnusable(InvitationStatus.ACCEPTED.value)
            if invitation.revoked_at is None:
                invitation = replace(invitation, revoked_at=now)
                await uow.invitations.save(invitation)
                self._changed(uow, invitation)
                uow.audit(self._audit(actor, invitation, "invitation.revoke", {}))
                await uow.commit()
        return invitation

    async def preview(self, token: str) -> InvitationPreview:
        now = self._clock.now()
        async with self._uow(read_only=True) as platform:
            invitation = await self._by_token(platform, token)
        invitation.check_usable(now)
        async with self._uow(invitation.organization_id, read_only=True) as uow:
            organization = await uow.organization.get()
        return InvitationPreview(
            organization.name, invitation.email, invitation.role, invitation.expires_at
        )

    async def accept(
        self, token: str, name: str, password: str, client_ip: str | None
    ) -> TokenPair:
        """The invitee's account, made with the invitation's email, role and queues, and a
        signed-in session for it. The link works once."""
        name = clean_name(name)
        password_hash = await self._accounts.password_hash(password)
        async with self._uow(read_only=True) as platform:
            found = await self._by_token(platform, token)
        async with self._uow(found.organization_id) as uow:
            invitation = await uow.invitations.get(found.id)
            if invitation is None or invitation.token_hash != found.token_hash:
                raise InvitationUnusable(InvitationStatus.REVOKED.value)
            now = self._clock.now()
            invitation.check_usable(now)
            if await uow.credentials.email_taken(invitation.email):
                raise Conflict(f"{invitation.email} already has a PyTake account", field="email")
            user = self._accounts.new_user(
                invitation.organization_id, invitation.email, name, invitation.role, password_hash
            )
            await uow.users.add(user)
            agent = await uow.agents.get(user.id)
            if agent is not None and invitation.queue_ids:
                known = {queue.id for queue in await uow.queues.list()}
                queues = frozenset(q for q in invitation.queue_ids if q in known)
                await uow.agents.save(replace(agent, queue_ids=queues))
            accepted = replace(invitation, accepted_at=now, user_id=user.id)
            await uow.invitations.save(accepted)
            self._changed(uow, accepted)
            uow.emit(
                UserCreated(
                    organization_id=user.organization_id,
                    user_id=user.id,
                    email=user.email,
                    role=user.role.value,
                )
            )
            uow.audit(
                self._audit(
                    Actor.of(user, client_ip),
                    invitation,
                    "invitation.accept",
                    {"userId": str(user.id), "role": user.role.value},
                )
            )
            session = await self._accounts.sign_in(uow, user)
            await uow.commit()
        return session

    async def _deliver(
        self, actor: Actor, invitation: Invitation, token: str, base_url: str
    ) -> IssuedInvitation:
        """E-mail the link when a mail server is configured; the inviter gets the link to copy
        either way. The e-mail is sent after the invitation is stored: a mail server that is
        slow or down never loses an invitation."""
        link = link_for(self._public_url or base_url, token)
        if not self._mailer.configured:
            return IssuedInvitation(invitation, link, "no mail server is configured")
        async with self._uow(invitation.organization_id, read_only=True) as uow:
            organization = await uow.organization.get()
            inviter = await uow.users.get(actor.user_id) if actor.user_id else None
        mail = InvitationMail(
            to=invitation.email,
            organization=organization.name,
            inviter=inviter.name if inviter else organization.name,
            role=invitation.role,
            link=link,
            language=organization.language,
            expires_at=invitation.expires_at,
        )
        try:
            await self._mailer.send_invitation(mail)
        except MailUnavailable as refused:
            return IssuedInvitation(invitation, link, str(refused))
        emailed = replace(invitation, emailed_at=self._clock.now())
        async with self._uow(invitation.organization_id) as uow:
            await uow.invitations.save(emailed)
            await uow.commit()
        return IssuedInvitation(emailed, link, None)

    async def _by_token(self, uow: InvitationsUnitOfWork, token: str) -> Invitation:
        invitation = await uow.invitation_links.find_by_token_hash(
            hash_refresh_token(token.strip())
        )
        if invitation is None:
            raise NotFound("Invitation", "for this link")
        return invitation

    async def _get(self, uow: InvitationsUnitOfWork, invitation_id: UUID) -> Invitation:
        invitation = await uow.invitations.get(invitation_id)
        if invitation is None:
            raise NotFound("Invitation", invitation_id)
        return invitation

    async def _check_queues(self, uow: InvitationsUnitOfWork, queue_ids: tuple[UUID, ...]) -> None:
        known = {queue.id for queue in await uow.queues.list()}
        for queue_id in queue_ids:
            if queue_id not in known:
                raise NotFound("Queue", queue_id)

    def _changed(self, uow: InvitationsUnitOfWork, invitation: Invitation) -> None:
        uow.emit(
            InvitationChanged(
                organization_id=invitation.organization_id,
                invitation_id=invitation.id,
                status=invitation.status(self._clock.now()).value,
            )
        )

    def _audit(
        self, actor: Actor, invitation: Invitation, action: str, changes: dict[str, object]
    ) -> AuditEntry:
        return AuditEntry(
            organization_id=invitation.organization_id,
            action=action,
            target_type="invitation",
            target_id=str(invitation.id),
            occurred_at=self._clock.now(),
            actor_user_id=actor.user_id,
            client_ip=actor.client_ip,
            changes=dict(changes),
        )
