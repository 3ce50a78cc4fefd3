"""Inviting people into the organization, and joining it from an invitation link."""

from __future__ import annotations

from typing import Annotated

import strawberry

from domain.team.invitations import IssuedInvitation
from graphql_api.accounts.types import AuthTokens, User
from graphql_api.context import Context
from graphql_api.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from graphql_api.ids import parse_uuid
from graphql_api.mutations import MUTATION_INPUT, mutation
from graphql_api.team.inputs import InvitationAcceptInput, InvitationCreateInput, InvitationIdInput
from graphql_api.team.types import Invitation, InvitationUnusableError


@strawberry.type(description="The invitation is made: send its link if it was not e-mailed.")
class InvitationIssueSuccess:
    invitation: Invitation = strawberry.field(description="The invitation as it is now.")
    link: str = strawberry.field(
        description="The single-use link to the console's accept page. Shown only now: PyTake "
        "keeps its hash alone; invitationResend makes a new one."
    )
    emailed: bool = strawberry.field(description="True when the mail server took the e-mail.")
    email_problem: str | None = strawberry.field(
        description="Why it was not e-mailed: no mail server configured, or the server's answer."
    )


@strawberry.type(description="The invitation is revoked: its link no longer works.")
class InvitationRevokeSuccess:
    invitation: Invitation = strawberry.field(description="The invitation as it is now.")


@strawberry.type(description="Joined: the new account, signed in.")
class InvitationAcceptSuccess:
    tokens: AuthTokens = strawberry.field(description="The new account's tokens.")
    user: User = strawberry.field(description="The new account.")


InvitationIssuePayload = Annotated[
    InvitationIssueSuccess
    | ValidationError
    | ConflictError
    | NotFoundError
    | PermissionDeniedError
    | InvitationUnusableError,
    strawberry.union(
        "InvitationIssuePayload",
        description="The outcome of invitationCreate and invitationResend.",
    ),
]
InvitationRevokePayload = Annotated[
    InvitationRevokeSuccess | NotFoundError | PermissionDeniedError | InvitationUnusableError,
    strawberry.union("InvitationRevokePayload", description="The outcome of invitationRevoke."),
]
InvitationAcceptPayload = Annotated[
    InvitationAcceptSuccess
    | InvitationUnusableError
    | NotFoundError
    | ValidationError
    | ConflictError,
    strawberry.union("InvitationAcceptPayload", description="The outcome of invitationAccept."),
]


def _base_url(info: strawberry.Info[Context, None]) -> str:
    return str(info.context.request.base_url)


def _issued(
    info: strawberry.Info[Context, None], issued: IssuedInvitation
) -> InvitationIssueSuccess:
    return InvitationIssueSuccess(
        invitation=Invitation.from_domain(issued.invitation, info.context.services.clock.now()),
        link=issued.link,
        emailed=issued.email_problem is None,
        email_problem=issued.email_problem,
    )


@strawberry.type
class TeamMutations:
    @mutation(
        description="Invite someone by email with a role and queues (owners and admins): a "
        "single-use link, valid for PYTAKE_INVITATION_DAYS, e-mailed when a mail server is "
        "configured and returned to copy either way."
    )
    async def invitation_create(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[InvitationCreateInput, MUTATION_INPUT],
    ) -> InvitationIssuePayload:
        issued = await info.context.services.invitations.create(
            info.context.actor,
            input.email,
            input.role.to_domain(),
            tuple(parse_uuid(q) for q in input.queue_ids),
            _base_url(info),
        )
        return _issued(info, issued)

    @mutation(
        description="A new link for a pending or expired invitation, with a new expiry; the "
        "previous link stops working. E-mailed again when a mail server is configured."
    )
    async def invitation_resend(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[InvitationIdInput, MUTATION_INPUT],
    ) -> InvitationIssuePayload:
        issued = await info.context.services.invitations.resend(
            info.context.actor, parse_uuid(input.id), _base_url(info)
        )
        return _issued(info, issued)

    @mutation(description="Withdraw an invitation: its link stops working (owners and admins).")
    async def invitation_revoke(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[InvitationIdInput, MUTATION_INPUT],
    ) -> InvitationRevokePayload:
        invitation = await info.context.services.invitations.revoke(
            info.context.actor, parse_uuid(input.id)
        )
        return InvitationRevokeSuccess(
            invitation=Invitation.from_domain(invitation, info.context.services.clock.now())
        )

    @mutation(
        description="Join the organization from an invitation link, choosing a name and a "
        "password; needs no sign-in and signs the new account in. A link works once."
    )
    async def invitation_accept(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[InvitationAcceptInput, MUTATION_INPUT],
    ) -> InvitationAcceptPayload:
        pair = await info.context.services.invitations.accept(
            input.token, input.name, input.password, info.context.actor.client_ip
        )
        return InvitationAcceptSuccess(
            tokens=AuthTokens.from_domain(pair), user=User.from_domain(pair.user)
        )
