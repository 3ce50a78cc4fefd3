"""What queue and agent operations take as input."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON

from domain.errors import InvalidInput
from domain.queues import model
from domain.schedules import OpeningHours, parse_opening_hours
from graphql_api.ids import parse_uuid
from graphql_api.queues.types import (
    AgentStatus,
    DistributionStrategy,
    OutsideHoursPolicy,
)


def opening_hours_of(value: Any, field: str) -> OpeningHours | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InvalidInput("working hours are an object {timeZone, weekly, holidays}", field=field)
    hours, problems = parse_opening_hours(value)
    if problems:
        raise InvalidInput("; ".join(str(problem) for problem in problems), field=field)
    return hours


@strawberry.input(description="What a queue tells customers; omitted or null sends nothing.")
class QueueMessagesInput:
    welcome: str | None = strawberry.field(default=None, description="On entering the queue.")
    position_update: str | None = strawberry.field(
        default=None,
        description="To the first 10 in line as they move up; `{{position}}` is replaced.",
    )
    outside_hours: str | None = strawberry.field(default=None, description="While closed.")
    queue_full: str | None = strawberry.field(default=None, description="When it is full.")
    wait_timeout: str | None = strawberry.field(default=None, description="On a wait timeout.")

    def to_domain(self) -> model.QueueMessages:
        return model.QueueMessages(
            self.welcome,
            self.position_update,
            self.outside_hours,
            self.queue_full,
            self.wait_timeout,
        )


@strawberry.input(description="A queue's settings. On update, omitted fields stay as they are.")
class QueueInput:
    id: strawberry.ID | None = strawberry.field(
        default=None, description="The queue to change (queueUpdate); omit for queueCreate."
    )
    name: str | None = strawberry.field(default=None, description="Unique in the organization.")
    strategy: DistributionStrategy | None = strawberry.field(
        default=None, description="How it picks agents; LEAST_BUSY when created without one."
    )
    description: str | None = strawberry.field(default=None, description="What it is for.")
    department: str | None = strawberry.field(default=None, description="Its department.")
    working_hours: JSON | None = strawberry.field(
        default=None,
        description='`{timeZone: "America/Sao_Paulo", weekly: {monday: [["09:00", "18:00"]]}, '
        'holidays: ["2026-12-25"]}`; the queue is always open without.',
    )
    always_open: bool = strawberry.field(
        default=False, description="On update: remove the working hours."
    )
    outside_hours: OutsideHoursPolicy | None = strawberry.field(
        default=None, description="WAIT when created without one."
    )
    max_wait_minutes: int | None = strawberry.field(default=None, description="1 or more.")
    max_size: int | None = strawberry.field(default=None, description="1 or more.")
    required_skills: list[str] | None = strawberry.field(
        default=None, description="Skills its agents need."
    )
    messages: QueueMessagesInput | None = strawberry.field(
        default=None, description="What it tells customers (replaces them all on update)."
    )
    agent_reply_timeout_minutes: int | None = strawberry.field(
        default=None, description="Reassign when the agent has not replied within this long."
    )
    overflow_queue_id: strawberry.ID | None = strawberry.field(
        default=None, description="Where items go when it is full or they wait too long."
    )
    target_answer_seconds: int | None = strawberry.field(
        default=None, description="The service-level target; 120 when created without one."
    )
    raise_priority_when_negative: bool | None = strawberry.field(
        default=None,
        description="Raise a waiting customer's priority by one when their sentiment turns "
        "negative; off when created without it.",
    )

    def settings(self, current: model.QueueSettings | None) -> model.QueueSettings:
        base = current or model.QueueSettings(name="")
        hours = opening_hours_of(self.working_hours, "workingHours")
        return model.QueueSettings(
            name=self.name if self.name is not None else base.name,
            strategy=model.Strategy(self.strategy.name.lower()) if self.strategy else base.strategy,
            description=self.description if self.description is not None else base.description,
            department=self.department if self.department is not None else base.department,
            hours=None if self.always_open else hours or base.hours,
            outside_hours=model.OutsideHours(self.outside_hours.name.lower())
            if self.outside_hours
            else base.outside_hours,
            max_wait_minutes=_keep(self.max_wait_minutes, base.max_wait_minutes),
            max_size=_keep(self.max_size, base.max_size),
            required_skills=tuple(self.required_skills)
            if self.required_skills is not None
            else base.required_skills,
            messages=self.messages.to_domain() if self.messages else base.messages,
            agent_reply_timeout_minutes=_keep(
                self.agent_reply_timeout_minutes, base.agent_reply_timeout_minutes
            ),
            overflow_queue_id=parse_uuid(self.overflow_queue_id, "overflowQueueId")
            if self.overflow_queue_id
            else base.overflow_queue_id,
            target_answer_seconds=_keep(self.target_answer_seconds, base.target_answer_seconds),
            raise_priority_when_negative=_keep(
                self.raise_priority_when_negative, base.raise_priority_when_negative
            ),
        )


def _keep(value: Any, current: Any) -> Any:
    return current if value is None else value


@strawberry.input(description="Identifies a queue.")
class QueueIdInput:
    id: strawberry.ID = strawberry.field(description="The queue.")


@strawberry.input(description="Put a conversation in a queue.")
class QueueItemCreateInput:
    conversation_id: strawberry.ID = strawberry.field(
        description="A conversation the caller sees; one already waiting or served keeps its item."
    )
    queue_id: strawberry.ID = strawberry.field(description="The queue it waits in.")
    priority: int = strawberry.field(default=0, description="0 normal, 1 high, 2 urgent.")


@strawberry.input(description="A supervisor gives a queue item to an agent.")
class QueueItemAssignInput:
    id: strawberry.ID = strawberry.field(description="The item (waiting or assigned).")
    agent_id: strawberry.ID = strawberry.field(description="An online agent with room.")


@strawberry.input(description="Move an item to another queue, or straight to an agent.")
class QueueItemTransferInput:
    id: strawberry.ID = strawberry.field(description="The item.")
    queue_id: strawberry.ID | None = strawberry.field(
        default=None, description="The queue it goes to (it waits there with its priority)."
    )
    agent_id: strawberry.ID | None = strawberry.field(
        default=None, description="Or the agent who takes it now."
    )


@strawberry.input(description="Finish an item; the conversation is resolved.")
class QueueItemCompleteInput:
    id: strawberry.ID = strawberry.field(description="The item.")
    rating: int | None = strawberry.field(default=None, description="The customer's 1 to 5.")
    feedback: str | None = strawberry.field(default=None, description="The customer's words.")


@strawberry.input(description="Identifies a queue item.")
class QueueItemIdInput:
    id: strawberry.ID = strawberry.field(description="The item.")


@strawberry.input(description="Set an agent's status: their own, or anyone's for supervisors.")
class AgentStatusUpdateInput:
    status: AgentStatus = strawberry.field(description="The new status.")
    user_id: strawberry.ID | None = strawberry.field(
        default=None, description="The agent; the caller when omitted."
    )


@strawberry.input(description="Change an agent's working profile (supervisors and up).")
class AgentUpdateInput:
    user_id: strawberry.ID = strawberry.field(description="The agent.")
    capacity: int | None = strawberry.field(default=None, description="1 to 100 conversations.")
    skills: list[str] | None = strawberry.field(default=None, description="Replaces the skills.")
    departments: list[str] | None = strawberry.field(
        default=None, description="Replaces the departments."
    )
    queue_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Replaces the queues served."
    )
    working_hours: JSON | None = strawberry.field(
        default=None, description="Their hours, as a queue's, in their own time zone."
    )
    any_hours: bool = strawberry.field(default=False, description="Remove the working hours.")
