"""What onboarding operations take as input."""

from __future__ import annotations

import strawberry

from graphql_api.onboarding.types import OnboardingStepName


@strawberry.input(description="An onboarding step.")
class OnboardingStepInput:
    step: OnboardingStepName = strawberry.field(description="Which step.")
