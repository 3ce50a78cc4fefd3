"""Invitations as the API shows them."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Self

import strawberry

from domain.errors import DomainError, InvitationUnusable
from domain.team import invitations as domain
from graphql_api.accounts.types import UserRole
from graphql_api.errors import Error, ErrorCode


@strawberry.enum(description="Where an invitation stands.")
class InvitationStatus(Enum):
    PENDING = strawberry.enum_value("pending", description="Its link works until it expires.")
    ACCEPTED = strawberry.enum_value("accepted", description="The invitee joined.")
    REVOKED = strawberry.enum_value("revoked", description="Withdrawn: its link no longer works.")
    EXPIRED = strawberry.enum_value(
        "expired", description="Not accepted in time; resend it for a new link."
    )


@strawberry.type(description="An invitation to join the organization, with its role and queues.")
class Invitation:
    id: strawberry.ID = strawberry.field(description="The invitation's id.")
    email: str = strawberry.field(description="Who was invited; the account gets this email.")
    role: UserRole = strawberry.field(description="The role the account gets.")
    queue_ids: list[strawberry.ID] = strawberry.field(
        description="The queues the new member serves (a queue deleted since is skipped)."
    )
    status: InvitationStatus = strawberry.field(description="Where it stands now.")
    invited_by_user_id: strawberry.ID | None = strawberry.field(
        description="Who invited; null once that user is gone."
    )
    created_at: datetime = strawberry.field(description="When it was made (UTC).")
    expires_at: datetime = strawberry.field(description="When its current link stops working.")
    accepted_at: datetime | None = strawberry.field(description="When the invitee joined.")
    user_id: strawberry.ID | None = strawberry.field(description="The account accepting it made.")
    revoked_at: datetime | None = strawberry.field(description="When it was revoked.")
    emailed_at: datetime | None = strawberry.field(
        description="When the mail server last took the e-mail with its current link; null "
        "when it was not e-mailed (no mail server, or the server refused)."
    )

    @classmethod
    def from_domain(cls, invitation: domain.Invitation, now: datetime) -> Invitation:
        return cls(
            id=strawberry.ID(str(invitation.id)),
            email=invitation.email,
            role=UserRole(invitation.role.value),
            queue_ids=[strawberry.ID(str(q)) for q in invitation.queue_ids],
            status=InvitationStatus(invitation.status(now).value),
            invited_by_user_id=(
                strawberry.ID(str(invitation.invited_by)) if invitation.invited_by else None
            ),
            created_at=invitation.created_at,
            expires_at=invitation.expires_at,
            accepted_at=invitation.accepted_at,
            user_id=strawberry.ID(str(invitation.user_id)) if invitation.user_id else None,
            revoked_at=invitation.revoked_at,
            emailed_at=invitation.emailed_at,
        )


@strawberry.type(description="What an invitation link offers, shown before accepting it.")
class InvitationPreview:
    organization_name: str = strawberry.field(description="The organization to join.")
    email: str = strawberry.field(description="The account's email.")
    role: UserRole = strawberry.field(description="The role the account gets.")
    expires_at: datetime = strawberry.field(description="When the link stops working (UTC).")

    @classmethod
    def from_domain(cls, preview: domain.InvitationPreview) -> InvitationPreview:
        return cls(
            organization_name=preview.organization,
            email=preview.email,
            role=UserRole(preview.role.value),
            expires_at=preview.expires_at,
        )


@strawberry.enum(description="Why an invitation link no longer works.")
class InvitationUnusableReason(Enum):
    ACCEPTED = strawberry.enum_value("accepted", description="It was already used.")
    REVOKED = strawberry.enum_value("revoked", description="It was withdrawn or replaced.")
    EXPIRED = strawberry.enum_value("expired", description="It was not accepted in time.")


@strawberry.type(description="The invitation was already used, was revoked or has expired.")
class InvitationUnusableError(Error):
    domain_error = InvitationUnusable
    reason: InvitationUnusableReason = strawberry.field(description="Which of the three.")

    @classmethod
    def of(cls, error: DomainError) -> Self:
        reason = error.reason if isinstance(error, InvitationUnusable) else "revoked"
        return cls(
            message=error.message,
            code=ErrorCode(error.code),
            reason=InvitationUnusableReason(reason),
        )
