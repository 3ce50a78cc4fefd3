"""The onboarding's state."""

from __future__ import annotations

import strawberry

from graphql_api.context import Context
from graphql_api.onboarding.types import Onboarding


@strawberry.type
class OnboardingQueries:
    @strawberry.field(
        description="The guided onboarding's seven steps and where each stands (owners and "
        "admins). A step is done when the organization has done what it asks, however it was "
        "done; progress is kept on the server, so it resumes on any device."
    )
    async def onboarding(self, info: strawberry.Info[Context, None]) -> Onboarding:
        state = await info.context.services.onboarding.state(info.context.actor)
        return Onboarding.from_domain(state)
