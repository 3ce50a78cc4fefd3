"""What invitation operations take as input."""

from __future__ import annotations

import strawberry

from graphql_api.accounts.types import UserRole


@strawberry.input(description="Invite someone to the organization (owners and admins).")
class InvitationCreateInput:
    email: str = strawberry.field(description="Who to invite; their account gets this email.")
    role: UserRole = strawberry.field(
        description="Their role; admins invite supervisors and agents, owners anyone."
    )
    queue_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="The queues they will serve."
    )


@strawberry.input(description="An invitation of the caller's organization.")
class InvitationIdInput:
    id: strawberry.ID = strawberry.field(description="The invitation.")


@strawberry.input(description="Join an organization from an invitation link.")
class InvitationAcceptInput:
    token: str = strawberry.field(description="The token from the link (after /invitations/).")
    name: str = strawberry.field(description="The name shown to colleagues.")
    password: str = strawberry.field(description="A password of at least 12 characters.")
