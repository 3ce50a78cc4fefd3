"""Reading invitations, and what an invitation link offers."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graphql_api.context import Context
from graphql_api.errors import NotFoundError
from graphql_api.mutations import DomainErrorsAsPayload
from graphql_api.team.types import Invitation, InvitationPreview, InvitationUnusableError

InvitationPreviewPayload = Annotated[
    InvitationPreview | InvitationUnusableError | NotFoundError,
    strawberry.union(
        "InvitationPreviewPayload",
        description="What an invitation link offers, or why it no longer works.",
    ),
]


@strawberry.type
class TeamQueries:
    @strawberry.field(
        description="The organization's invitations, newest first (owners and admins)."
    )
    async def invitations(self, info: strawberry.Info[Context, None]) -> list[Invitation]:
        now = info.context.services.clock.now()
        invitations = await info.context.services.invitations.invitations(info.context.actor)
        return [Invitation.from_domain(invitation, now) for invitation in invitations]

    @strawberry.field(
        description="What an invitation link offers (organization, email, role), for the "
        "accept page; needs no sign-in. A used, revoked or expired link answers "
        "InvitationUnusableError saying which; an unknown or replaced one NotFoundError.",
        extensions=[DomainErrorsAsPayload()],
    )
    async def invitation_preview(
        self,
        info: strawberry.Info[Context, None],
        token: Annotated[
            str, strawberry.argument(description="The token from the link (after /invitations/).")
        ],
    ) -> InvitationPreviewPayload:
        preview = await info.context.services.invitations.preview(token)
        return InvitationPreview.from_domain(preview)
