"""Invitations: the organization's own, and the platform-level lookup by a link's token."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts.model import Role
from domain.team.invitations import Invitation
from persistence.models.team import InvitationRow
from persistence.repositories.scope import RepositoryScope

INVITATIONS = cast(Table, InvitationRow.__table__)


def _invitation(row: RowMapping) -> Invitation:
    return Invitation(
        id=row["id"],
        organization_id=row["organization_id"],
        email=row["email"],
        role=Role(row["role"]),
        queue_ids=tuple(uuid.UUID(queue_id) for queue_id in row["queue_ids"]),
        invited_by=row["invited_by"],
        token_hash=row["token_hash"],
        created_at=row["created_at"],
        expires_at=row["expires_at"],
        accepted_at=row["accepted_at"],
        user_id=row["user_id"],
        revoked_at=row["revoked_at"],
        emailed_at=row["emailed_at"],
    )


def _values(invitation: Invitation) -> dict[str, object]:
    return {
        "email": invitation.email,
        "role": invitation.role.value,
        "queue_ids": [str(queue_id) for queue_id in invitation.queue_ids],
        "invited_by": invitation.invited_by,
        "token_hash": invitation.token_hash,
        "created_at": invitation.created_at,
        "expires_at": invitation.expires_at,
        "accepted_at": invitation.accepted_at,
        "user_id": invitation.user_id,
        "revoked_at": invitation.revoked_at,
        "emailed_at": invitation.emailed_at,
    }


class SqlInvitationRepository:
    def __init__(self, session: AsyncSession, organization_id: uuid.UUID) -> None:
        self._session = session
        self._organization_id = organization_id

    async def add(self, invitation: Invitation) -> None:
        await self._session.execute(
            insert(INVITATIONS).values(
                id=invitation.id, organization_id=self._organization_id, **_values(invitation)
            )
        )

    async def save(self, invitation: Invitation) -> None:
        await self._session.execute(
            update(INVITATIONS)
            .where(
                INVITATIONS.c.organization_id == self._organization_id,
                INVITATIONS.c.id == invitation.id,
            )
            .values(**_values(invitation))
        )

    async def get(self, invitation_id: uuid.UUID) -> Invitation | None:
        result = await self._session.execute(
            select(INVITATIONS).where(
                INVITATIONS.c.organization_id == self._organization_id,
                INVITATIONS.c.id == invitation_id,
            )
        )
        row = result.mappings().first()
        return _invitation(row) if row else None

    async def list(self) -> list[Invitation]:
        result = await self._session.execute(
            select(INVITATIONS)
            .where(INVITATIONS.c.organization_id == self._organization_id)
            .order_by(INVITATIONS.c.created_at.desc(), INVITATIONS.c.id)
        )
        return [_invitation(row) for row in result.mappings()]

    async def pending_for(self, email: str, now: datetime) -> Invitation | None:
        result = await self._session.execute(
            select(INVITATIONS).where(
                INVITATIONS.c.organization_id == self._organization_id,
                INVITATIONS.c.email == email,
                INVITATIONS.c.accepted_at.is_(None),
                INVITATIONS.c.revoked_at.is_(None),
                INVITATIONS.c.expires_at > now,
            )
        )
        row = result.mappings().first()
        return _invitation(row) if row else None


class SqlInvitationLinks:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def find_by_token_hash(self, token_hash: str) -> Invitation | None:
        result = await self._session.execute(
            select(INVITATIONS).where(INVITATIONS.c.token_hash == token_hash)
        )
        row = result.mappings().first()
        return _invitation(row) if row else None


class TeamRepositories(RepositoryScope):
    """Invitations, and the platform-level lookup of one by its link's token."""

    @property
    def invitations(self) -> SqlInvitationRepository:
        return SqlInvitationRepository(self.session, self.scope())

    @property
    def invitation_links(self) -> SqlInvitationLinks:
        return SqlInvitationLinks(self.session)
