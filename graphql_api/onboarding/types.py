"""The onboarding as the API shows it."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from domain.onboarding import steps as domain


@strawberry.enum(description="A step of the guided onboarding, in order.")
class OnboardingStepName(Enum):
    PROFILE = strawberry.enum_value(
        "profile", description="The organization's profile: language, time zone, business hours."
    )
    NUMBER = strawberry.enum_value(
        "number", description="A WhatsApp number connected (or trial mode with the simulator)."
    )
    CONNECTIVITY = strawberry.enum_value(
        "connectivity", description="The numbers' connectivity test passed (token, webhooks)."
    )
    TEMPLATES = strawberry.enum_value(
        "templates", description="The message templates synchronized from Meta."
    )
    FLOW = strawberry.enum_value(
        "flow", description="A flow published, such as the business's ready-made one."
    )
    TEAM = strawberry.enum_value("team", description="A queue made and the team invited.")
    TEST_CONVERSATION = strawberry.enum_value(
        "test_conversation",
        description="A test conversation: the flow answered and the hand-off reached the inbox.",
    )

    @property
    def code(self) -> str:
        return str(self.value)


@strawberry.enum(description="Where an onboarding step stands.")
class OnboardingStepStatus(Enum):
    DONE = strawberry.enum_value("done", description="Done, however it was done.")
    SKIPPED = strawberry.enum_value("skipped", description="Skipped; it can be done later.")
    TODO = strawberry.enum_value("todo", description="Still to do: `missing` says what.")


@strawberry.type(description="One step of the onboarding and where it stands.")
class OnboardingStep:
    step: OnboardingStepName = strawberry.field(description="Which step.")
    status: OnboardingStepStatus = strawberry.field(description="Done, skipped or to do.")
    missing: str | None = strawberry.field(
        description="What it still needs, in a sentence; null once done or skipped."
    )
    at: datetime | None = strawberry.field(
        description="When it was completed or skipped, when that was recorded (UTC)."
    )


@strawberry.type(description="The organization's progress through the guided onboarding.")
class Onboarding:
    steps: list[OnboardingStep] = strawberry.field(description="The seven steps, in order.")
    finished: bool = strawberry.field(description="True when no step is left to do.")
    next_step: OnboardingStepName | None = strawberry.field(
        description="The first step still to do; null when finished."
    )

    @classmethod
    def from_domain(cls, onboarding: domain.Onboarding) -> Onboarding:
        upcoming = onboarding.next_step
        return cls(
            steps=[
                OnboardingStep(
                    step=OnboardingStepName(state.step.value),
                    status=OnboardingStepStatus(state.status.value),
                    missing=state.missing,
                    at=state.at,
                )
                for state in onboarding.steps
            ],
            finished=onboarding.finished,
            next_step=OnboardingStepName(upcoming.value) if upcoming else None,
        )


@strawberry.type(description="The onboarding after a change that may have moved it.")
class OnboardingEvent:
    event_id: strawberry.ID = strawberry.field(
        description="The event's id; pass the last one as `after` when resubscribing."
    )
    onboarding: Onboarding = strawberry.field(description="The onboarding as it is now.")
