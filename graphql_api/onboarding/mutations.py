"""Completing and skipping onboarding steps."""

from __future__ import annotations

from typing import Annotated

import strawberry

from domain.onboarding import steps as domain
from domain.whatsapp.model import WEBHOOK_PATH
from graphql_api.context import Context
from graphql_api.errors import PermissionDeniedError, ValidationError
from graphql_api.mutations import MUTATION_INPUT, mutation
from graphql_api.onboarding.inputs import OnboardingStepInput
from graphql_api.onboarding.types import Onboarding


@strawberry.type(description="The step is recorded.")
class OnboardingSuccess:
    onboarding: Onboarding = strawberry.field(description="The onboarding as it is now.")


OnboardingPayload = Annotated[
    OnboardingSuccess | ValidationError | PermissionDeniedError,
    strawberry.union(
        "OnboardingPayload", description="The outcome of onboardingStepComplete and onboardingSkip."
    ),
]


def _callback_url(info: strawberry.Info[Context, None]) -> str:
    base = info.context.services.public_url or str(info.context.request.base_url)
    return base.rstrip("/") + WEBHOOK_PATH


@strawberry.type
class OnboardingMutations:
    @mutation(
        description="Mark a step done (owners and admins). Completing CONNECTIVITY runs the "
        "connectivity test of every number and is refused with what failed; TEMPLATES is taken "
        "at its word (an account may have none); the others are refused with what they still "
        "need until it is done."
    )
    async def onboarding_step_complete(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[OnboardingStepInput, MUTATION_INPUT],
    ) -> OnboardingPayload:
        state = await info.context.services.onboarding.complete(
            info.context.actor, domain.Step(input.step.code), _callback_url(info)
        )
        return OnboardingSuccess(onboarding=Onboarding.from_domain(state))

    @mutation(description="Skip a step for now; it can be completed later (owners and admins).")
    async def onboarding_skip(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[OnboardingStepInput, MUTATION_INPUT],
    ) -> OnboardingPayload:
        state = await info.context.services.onboarding.skip(
            info.context.actor, domain.Step(input.step.code)
        )
        return OnboardingSuccess(onboarding=Onboarding.from_domain(state))
