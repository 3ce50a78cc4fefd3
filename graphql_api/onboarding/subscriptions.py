"""The onboarding, live."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry

from domain.accounts.events import OrganizationUpdated, UserCreated
from domain.flows.events import FlowPublished
from domain.onboarding import steps as domain
from domain.onboarding.events import OnboardingChanged
from domain.queues.events import QueueChanged, QueueItemChanged
from domain.team.events import InvitationChanged
from domain.whatsapp.events import TemplatesSynced, WhatsAppNumberChanged
from graphql_api.context import Context
from graphql_api.events.stream import events_of
from graphql_api.onboarding.types import Onboarding, OnboardingEvent

CHANGES_OF_THE_STEPS = frozenset(
    {
        OrganizationUpdated.type,
        OnboardingChanged.type,
        WhatsAppNumberChanged.type,
        TemplatesSynced.type,
        FlowPublished.type,
        QueueChanged.type,
        InvitationChanged.type,
        UserCreated.type,
        QueueItemChanged.type,
    }
)
"""Events after which a step may stand otherwise."""


@strawberry.type
class OnboardingSubscriptions:
    @strawberry.subscription(
        description="The onboarding again after each change that may move it (a number "
        "connected, templates synced, a flow published, a queue made, someone invited or "
        "joining, a hand-off, a step completed or skipped); owners and admins."
    )
    async def onboarding_updated(
        self,
        info: strawberry.Info[Context, None],
        after: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="The `eventId` of the last event received before reconnecting."
            ),
        ] = None,
    ) -> AsyncGenerator[OnboardingEvent, None]:
        service = info.context.services.onboarding
        actor = info.context.actor
        state = await service.state(actor)
        async for event in events_of(info, CHANGES_OF_THE_STEPS, after):
            handed_off = state.steps[-1].status is not domain.StepStatus.TODO
            if event.type == QueueItemChanged.type and handed_off:
                # Hand-offs only move the last step; once it is done they change nothing.
                continue
            state = await service.state(actor)
            yield OnboardingEvent(
                event_id=strawberry.ID(str(event.sequence)),
                onboarding=Onboarding.from_domain(state),
            )
