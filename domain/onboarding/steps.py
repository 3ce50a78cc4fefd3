"""The guided onboarding's seven steps, where each stands, and what each still needs.

A step is done when the organization has done what it asks, however it was done (through the
onboarding, the setup pages or the API): a connected number, a published flow. Two steps
leave nothing behind to recognise them by and are recorded when completed: the connectivity
test (completing it runs the test) and the template sync (a WhatsApp account may have no
template at all). Any step can be skipped, and completed later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol
from uuid import UUID

from domain.accounts.model import MANAGER_ROLES, Actor
from domain.audit import AuditEntry
from domain.clock import Clock
from domain.errors import InvalidInput
from domain.onboarding.events import OnboardingChanged
from domain.team.invitations import InvitationsUnitOfWork
from domain.unit_of_work import UnitOfWorkFactory
from domain.whatsapp.numbers import NumberService


class Step(StrEnum):
    PROFILE = "profile"
    NUMBER = "number"
    CONNECTIVITY = "connectivity"
    TEMPLATES = "templates"
    FLOW = "flow"
    TEAM = "team"
    TEST_CONVERSATION = "test_conversation"


class StepStatus(StrEnum):
    DONE = "done"
    SKIPPED = "skipped"
    TODO = "todo"


RECORDED_ONLY = frozenset({Step.CONNECTIVITY, Step.TEMPLATES})
"""Steps that leave nothing to recognise them by: done once completed."""


@dataclass(frozen=True)
class StepRecord:
    step: Step
    status: StepStatus
    at: datetime
    by: UUID | None


@dataclass(frozen=True)
class Facts:
    """What the organization has, as far as the onboarding asks."""

    profile: bool
    """A time zone and business hours."""
    numbers: int
    templates: int
    published_flows: int
    queues: int
    invitations: int
    members: int
    """Active users, the caller included."""
    handoffs: int
    """Conversations handed to people (queue items), ever."""


@dataclass(frozen=True)
class StepState:
    step: Step
    status: StepStatus
    missing: str | None
    """What it still needs, in a sentence; None once done or skipped."""
    at: datetime | None
    """When it was completed or skipped, when that was recorded."""


@dataclass(frozen=True)
class Onboarding:
    steps: tuple[StepState, ...]

    @property
    def finished(self) -> bool:
        return all(state.status is not StepStatus.TODO for state in self.steps)

    @property
    def next_step(self) -> Step | None:
        return next((s.step for s in self.steps if s.status is StepStatus.TODO), None)


def _needs(step: Step, facts: Facts) -> str | None:
    """What a step still needs, judged from the facts; None when they satisfy it."""
    match step:
        case Step.PROFILE:
            return None if facts.profile else "Set the organization's time zone and business hours."
        case Step.NUMBER:
            return (
                None
                if facts.numbers
                else "Connect a WhatsApp number, or start in trial mode with the simulator."
            )
        case Step.CONNECTIVITY:
            if not facts.numbers:
                return "Connect a WhatsApp number first, then test it."
            return "Run the connectivity test of your number."
        case Step.TEMPLATES:
            if facts.templates:
                return None
            return "Synchronize your message templates from Meta."
        case Step.FLOW:
            return (
                None
                if facts.published_flows
                else "Publish a flow: start from the ready-made one for your kind of business."
            )
        case Step.TEAM:
            if not facts.queues:
                return "Create a queue for the conversations handed to people."
            if facts.invitations or facts.members > 1:
                return None
            return "Invite your team."
        case Step.TEST_CONVERSATION:
            return (
                None
                if facts.handoffs
                else "Send a test message: see the flow answer and the hand-off reach the inbox."
            )


def assess(facts: Facts, records: dict[Step, StepRecord]) -> Onboarding:
    states = []
    for step in Step:
        record = records.get(step)
        missing = _needs(step, facts)
        if missing is None or (
            step in RECORDED_ONLY and record is not None and record.status is StepStatus.DONE
        ):
            states.append(StepState(step, StepStatus.DONE, None, record.at if record else None))
        elif record is not None and record.status is StepStatus.SKIPPED:
            states.append(StepState(step, StepStatus.SKIPPED, None, record.at))
        else:
            states.append(StepState(step, StepStatus.TODO, missing, None))
    return Onboarding(tuple(states))


class OnboardingRepository(Protocol):
    async def records(self) -> dict[Step, StepRecord]: ...
    async def record(self, record: StepRecord) -> None:
        """Replaces the step's earlier record."""
        ...

    async def facts(self) -> Facts: ...


class OnboardingUnitOfWork(InvitationsUnitOfWork, Protocol):
    @property
    def onboarding(self) -> OnboardingRepository: ...


class OnboardingService:
    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory[OnboardingUnitOfWork],
        numbers: NumberService,
        clock: Clock,
    ) -> None:
        self._uow = unit_of_work
        self._numbers = numbers
        self._clock = clock

    async def state(self, actor: Actor) -> Onboarding:
        _, organization_id, _ = actor.require_role(MANAGER_ROLES)
        async with self._uow(organization_id, read_only=True) as uow:
            return assess(await uow.onboarding.facts(), await uow.onboarding.records())

    async def complete(self, actor: Actor, step: Step, callback_url: str) -> Onboarding:
        """Mark a step done: the connectivity test is run (every number must pass), the
        template sync is taken at its word, the others must be done already."""
        _, organization_id, _ = actor.require_role(MANAGER_ROLES)
        async with self._uow(organization_id, read_only=True) as uow:
            facts = await uow.onboarding.facts()
            numbers = await uow.whatsapp_numbers.list()
        if step is Step.CONNECTIVITY:
            if not numbers:
                raise InvalidInput("Connect a WhatsApp number first, then test it.", field="step")
            for number in numbers:
                checks = await self._numbers.check(actor, number.id, callback_url)
                failing = [check.sentence for check in checks if not check.ok]
                if failing:
                    raise InvalidInput(
                        f"{number.display_phone_number}: {' '.join(failing)}", field="step"
                    )
        elif step not in RECORDED_ONLY:
            missing = _needs(step, facts)
            if missing is not None:
                raise InvalidInput(missing, field="step")
        return await self._record(actor, step, StepStatus.DONE)

    async def skip(self, actor: Actor, step: Step) -> Onboarding:
        actor.require_role(MANAGER_ROLES)
        return await self._record(actor, step, StepStatus.SKIPPED)

    async def _record(self, actor: Actor, step: Step, status: StepStatus) -> Onboarding:
        user_id, organization_id, _ = actor.require_role(MANAGER_ROLES)
        now = self._clock.now()
        async with self._uow(organization_id) as uow:
            await uow.onboarding.record(StepRecord(step, status, now, user_id))
            uow.emit(
                OnboardingChanged(
                    organization_id=organization_id, step=step.value, status=status.value
                )
            )
            uow.audit(
                AuditEntry(
                    organization_id=organization_id,
                    action=f"onboarding.{'skip' if status is StepStatus.SKIPPED else 'complete'}",
                    target_type="onboarding_step",
                    target_id=step.value,
                    occurred_at=now,
                    actor_user_id=user_id,
                    client_ip=actor.client_ip,
                    changes={},
                )
            )
            onboarding = assess(await uow.onboarding.facts(), await uow.onboarding.records())
            await uow.commit()
        return onboarding
