"""Queues and agents over GraphQL: reading, setting up, moving items, and live updates."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import strawberry
from strawberry.scalars import JSON

from domain.errors import Conflict, InvalidInput, NotFound
from domain.events import StoredEvent
from domain.queues import model, services
from domain.queues.events import AgentStatusChanged, QueueItemChanged
from domain.queues.routing import Refused
from domain.schedules import OpeningHours, parse_opening_hours
from graphql_api.context import Context
from graphql_api.conversations.types import Conversation
from graphql_api.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from graphql_api.events.stream import events_of
from graphql_api.ids import parse_uuid
from graphql_api.mutations import MUTATION_INPUT, mutation
from graphql_api.pagination import AfterArgument, FirstArgument
from graphql_api.queues.types import (
    Agent,
    AgentStatus,
    DistributionStrategy,
    OutsideHoursPolicy,
    Queue,
    QueueDashboardEntry,
    QueueFigures,
    QueueItem,
    QueueItemConnection,
    QueueItemStatus,
    QueueMetrics,
    QueueMonitor,
)

QUEUE_ITEM_CHANGED = frozenset({QueueItemChanged.type})
AGENT_STATUS_CHANGED = frozenset({AgentStatusChanged.type})
QueueId = Annotated[strawberry.ID, strawberry.argument(description="The queue's id.")]
EventAfter = Annotated[
    strawberry.ID | None,
    strawberry.argument(
        description="The `eventId` of the last event received before reconnecting: every "
        "missed event is delivered once, then the stream goes on live."
    ),
]


def _hours(value: Any, field: str) -> OpeningHours | None:
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

    def settings(self, current: model.QueueSettings | None) -> model.QueueSettings:
        base = current or model.QueueSettings(name="")
        hours = _hours(self.working_hours, "workingHours")
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


@strawberry.type(description="The queue is saved.")
class QueueSaveSuccess:
    queue: Queue = strawberry.field(description="The queue as it is now.")


@strawberry.type(description="The queue is deleted.")
class QueueDeleteSuccess:
    id: strawberry.ID = strawberry.field(description="The deleted queue's id.")


@strawberry.type(description="The item is changed.")
class QueueItemSuccess:
    item: QueueItem = strawberry.field(description="The item as it is now.")
    kept: bool = strawberry.field(
        default=False,
        description="queueItemCreate: true when the conversation already waited or was being "
        "served, and its existing item is returned unchanged (nothing was queued again).",
    )


@strawberry.type(description="The agent is changed.")
class AgentSuccess:
    agent: Agent = strawberry.field(description="The agent as they are now.")


Failure = ValidationError | NotFoundError | ConflictError | PermissionDeniedError
QueueSavePayload = Annotated[
    QueueSaveSuccess | ValidationError | NotFoundError | ConflictError | PermissionDeniedError,
    strawberry.union("QueueSavePayload", description="The outcome of queueCreate/queueUpdate."),
]
QueueDeletePayload = Annotated[
    QueueDeleteSuccess | ValidationError | NotFoundError | ConflictError | PermissionDeniedError,
    strawberry.union("QueueDeletePayload", description="The outcome of queueDelete."),
]
QueueItemPayload = Annotated[
    QueueItemSuccess | ValidationError | NotFoundError | ConflictError | PermissionDeniedError,
    strawberry.union(
        "QueueItemPayload",
        description="The outcome of queueItemCreate, queueItemAssign, queueItemTransfer, "
        "queueItemComplete and queueItemAbandon.",
    ),
]
AgentPayload = Annotated[
    AgentSuccess | ValidationError | NotFoundError | ConflictError | PermissionDeniedError,
    strawberry.union("AgentPayload", description="The outcome of agentStatusUpdate/agentUpdate."),
]


@strawberry.type
class QueueQueries:
    @strawberry.field(description="The organization's queues, by name.")
    async def queues(self, info: strawberry.Info[Context, None]) -> list[Queue]:
        queues = await info.context.services.queues.queues(info.context.actor)
        return [Queue.from_domain(queue) for queue in queues]

    @strawberry.field(description="A queue by id; null when the organization has none.")
    async def queue(self, info: strawberry.Info[Context, None], id: QueueId) -> Queue | None:
        queue = await info.context.services.queues.queue(info.context.actor, parse_uuid(id))
        return Queue.from_domain(queue) if queue else None

    @strawberry.field(
        description="A queue's items, oldest entry first, at most 100 a page (the queue's agents, "
        "and supervisors and up)."
    )
    async def queue_items(
        self,
        info: strawberry.Info[Context, None],
        queue_id: QueueId,
        status: Annotated[
            list[QueueItemStatus] | None,
            strawberry.argument(description="Only items standing so; all when null."),
        ] = None,
        first: FirstArgument = None,
        after: AfterArgument = None,
    ) -> QueueItemConnection:
        statuses = [model.ItemStatus(s.name.lower()) for s in status or []]
        page = await info.context.services.queues.items(
            info.context.actor, parse_uuid(queue_id, "queueId"), statuses, first, after
        )
        return QueueItemConnection.from_page(page)

    @strawberry.field(
        description="A queue item with its routing decision and history; agents see the items "
        "of their queues and those assigned to them."
    )
    async def queue_item(
        self,
        info: strawberry.Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The item's id.")],
    ) -> QueueItem | None:
        services_ = info.context.services.queues
        found = await services_.item(info.context.actor, parse_uuid(id))
        if found is None:
            return None
        item, _ = found
        return QueueItem.from_domain(item, await services_.position(info.context.actor, item))

    @strawberry.field(description="The organization's agents with their status and load.")
    async def agents(
        self,
        info: strawberry.Info[Context, None],
        status: Annotated[
            AgentStatus | None, strawberry.argument(description="Only agents standing so.")
        ] = None,
        queue_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only this queue's agents.")
        ] = None,
    ) -> list[Agent]:
        views = await info.context.services.queues.agents(
            info.context.actor,
            model.AgentStatus(status.name.lower()) if status else None,
            parse_uuid(queue_id, "queueId") if queue_id else None,
        )
        return [Agent.from_view(view) for view in views]

    @strawberry.field(description="An agent by user id, with their queues.")
    async def agent(
        self,
        info: strawberry.Info[Context, None],
        user_id: Annotated[strawberry.ID, strawberry.argument(description="The agent's user id.")],
    ) -> Agent | None:
        view = await info.context.services.queues.agent(
            info.context.actor, parse_uuid(user_id, "userId")
        )
        return Agent.from_view(view) if view else None

    @strawberry.field(
        description="Every queue now (waiting, longest wait, its agents and their load) and "
        "its figures since `since` (supervisors and up)."
    )
    async def queue_dashboard(
        self,
        info: strawberry.Info[Context, None],
        since: Annotated[
            datetime | None,
            strawberry.argument(description="Start of the figures' period; today (UTC) if null."),
        ] = None,
    ) -> list[QueueDashboardEntry]:
        rows = await info.context.services.queues.dashboard(info.context.actor, since)
        return [QueueDashboardEntry.from_domain(row) for row in rows]

    @strawberry.field(
        description="One queue's monitor: waiting items with positions, items in service, "
        "recent history (supervisors and up)."
    )
    async def queue_monitor(
        self, info: strawberry.Info[Context, None], queue_id: QueueId
    ) -> QueueMonitor:
        monitor = await info.context.services.queues.monitor(
            info.context.actor, parse_uuid(queue_id, "queueId")
        )
        return QueueMonitor.from_domain(monitor)

    @strawberry.field(
        description="A queue's figures for a period (at most 31 days) and hour by hour; "
        "the definitions are on QueueFigures' fields (supervisors and up)."
    )
    async def queue_metrics(
        self,
        info: strawberry.Info[Context, None],
        queue_id: QueueId,
        since: Annotated[datetime, strawberry.argument(description="Start of the period.")],
        until: Annotated[
            datetime | None,
            strawberry.argument(description="End of the period (excluded); now if null."),
        ] = None,
    ) -> QueueMetrics:
        total, hours = await info.context.services.queues.metrics(
            info.context.actor, parse_uuid(queue_id, "queueId"), since, until
        )
        return QueueMetrics(
            total=QueueFigures.from_domain(total),
            hourly=[QueueFigures.from_domain(hour) for hour in hours],
        )


@strawberry.type
class QueueMutations:
    @mutation(description="Create a queue (supervisors and up).")
    async def queue_create(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[QueueInput, MUTATION_INPUT],
    ) -> QueueSavePayload:
        if not input.name:
            raise InvalidInput("a queue needs a name", field="name")
        queue = await info.context.services.queues.create(info.context.actor, input.settings(None))
        return QueueSaveSuccess(queue=Queue.from_domain(queue))

    @mutation(description="Change a queue's settings (supervisors and up).")
    async def queue_update(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[QueueInput, MUTATION_INPUT],
    ) -> QueueSavePayload:
        queues = info.context.services.queues
        if input.id is None:
            raise InvalidInput("give the queue's id", field="id")
        queue = await queues.update(info.context.actor, parse_uuid(input.id), input.settings)
        return QueueSaveSuccess(queue=Queue.from_domain(queue))

    @mutation(
        description="Delete a queue; refused while conversations are in it or another queue "
        "overflows into it."
    )
    async def queue_delete(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[QueueIdInput, MUTATION_INPUT],
    ) -> QueueDeletePayload:
        await info.context.services.queues.delete(info.context.actor, parse_uuid(input.id))
        return QueueDeleteSuccess(id=input.id)

    @mutation(
        description="Put a conversation in a queue, where it waits for an agent like a flow's "
        "transfer: the customer hears the queue's welcome; a full queue, or a closed one that "
        "refuses, answers with a ConflictError (the customer has heard the queue's message and "
        "the conversation stays with people, unassigned). A conversation already waiting or "
        "served keeps its item, unchanged, even when two calls arrive at once: the answer says "
        "so with `kept`."
    )
    async def queue_item_create(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[QueueItemCreateInput, MUTATION_INPUT],
    ) -> QueueItemPayload:
        outcome = await info.context.services.queues.enqueue(
            info.context.actor,
            parse_uuid(input.conversation_id, "conversationId"),
            parse_uuid(input.queue_id, "queueId"),
            input.priority,
        )
        if isinstance(outcome, Refused):
            raise Conflict(outcome.reason, field="queueId")
        return QueueItemSuccess(item=QueueItem.from_domain(outcome.item), kept=outcome.kept)

    @mutation(description="Give an item to an online agent with room (supervisors and up).")
    async def queue_item_assign(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[QueueItemAssignInput, MUTATION_INPUT],
    ) -> QueueItemPayload:
        item = await info.context.services.queues.assign(
            info.context.actor, parse_uuid(input.id), parse_uuid(input.agent_id, "agentId")
        )
        return QueueItemSuccess(item=QueueItem.from_domain(item))

    @mutation(
        description="Move an item to another queue or to an agent (its agent, or supervisors)."
    )
    async def queue_item_transfer(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[QueueItemTransferInput, MUTATION_INPUT],
    ) -> QueueItemPayload:
        item = await info.context.services.queues.transfer(
            info.context.actor,
            parse_uuid(input.id),
            parse_uuid(input.queue_id, "queueId") if input.queue_id else None,
            parse_uuid(input.agent_id, "agentId") if input.agent_id else None,
        )
        return QueueItemSuccess(item=QueueItem.from_domain(item))

    @mutation(description="Finish an item, with the customer's rating; resolves the conversation.")
    async def queue_item_complete(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[QueueItemCompleteInput, MUTATION_INPUT],
    ) -> QueueItemPayload:
        item = await info.context.services.queues.complete(
            info.context.actor, parse_uuid(input.id), input.rating, input.feedback
        )
        return QueueItemSuccess(item=QueueItem.from_domain(item))

    @mutation(
        description="The customer left: take the item out and resolve the conversation "
        "(supervisors and up)."
    )
    async def queue_item_abandon(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[QueueItemIdInput, MUTATION_INPUT],
    ) -> QueueItemPayload:
        item = await info.context.services.queues.abandon(info.context.actor, parse_uuid(input.id))
        return QueueItemSuccess(item=QueueItem.from_domain(item))

    @mutation(description="Set an agent's status; ONLINE lets them take conversations.")
    async def agent_status_update(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[AgentStatusUpdateInput, MUTATION_INPUT],
    ) -> AgentPayload:
        queues = info.context.services.queues
        user_id = (
            parse_uuid(input.user_id, "userId")
            if input.user_id
            else info.context.actor.require_user()[0]
        )
        await queues.set_status(
            info.context.actor, user_id, model.AgentStatus(input.status.name.lower())
        )
        view = await queues.agent(info.context.actor, user_id)
        if view is None:
            raise NotFound("User", user_id)
        return AgentSuccess(agent=Agent.from_view(view))

    @mutation(description="Change an agent's capacity, skills, queues or hours.")
    async def agent_update(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[AgentUpdateInput, MUTATION_INPUT],
    ) -> AgentPayload:
        queues = info.context.services.queues
        user_id = parse_uuid(input.user_id, "userId")
        await queues.update_agent(
            info.context.actor,
            user_id,
            services.AgentChanges(
                capacity=input.capacity,
                skills=tuple(input.skills) if input.skills is not None else None,
                departments=tuple(input.departments) if input.departments is not None else None,
                queue_ids=tuple(parse_uuid(q, "queueIds") for q in input.queue_ids)
                if input.queue_ids is not None
                else None,
                hours=_hours(input.working_hours, "workingHours"),
                clear_hours=input.any_hours,
            ),
        )
        view = await queues.agent(info.context.actor, user_id)
        if view is None:
            raise NotFound("User", user_id)
        return AgentSuccess(agent=Agent.from_view(view))


@strawberry.type(description="An item entered, moved through or left a queue.")
class QueueItemEvent:
    event_id: strawberry.ID = strawberry.field(
        description="The event's id; pass the last one as `after` when resubscribing."
    )
    item_id: strawberry.ID = strawberry.field(description="The item.")
    queue_id: strawberry.ID = strawberry.field(description="Its queue.")
    conversation_id: strawberry.ID = strawberry.field(description="Its conversation.")
    change: str = strawberry.field(
        description="entered, assigned, reassigned, transferred, completed, abandoned or timed_out."
    )
    status: QueueItemStatus = strawberry.field(description="Its status after the change.")
    priority: int = strawberry.field(description="Its priority.")
    agent_id: strawberry.ID | None = strawberry.field(description="Its agent after the change.")
    occurred_at: datetime = strawberry.field(description="When it was committed (UTC).")

    @strawberry.field(
        description="The item as it is now, with its position while it waits (positions of "
        "the others move with each entry and exit)."
    )
    async def item(self, info: strawberry.Info[Context, None]) -> QueueItem | None:
        queues = info.context.services.queues
        found = await queues.item(info.context.actor, UUID(str(self.item_id)))
        if found is None:
            return None
        item, _ = found
        return QueueItem.from_domain(item, await queues.position(info.context.actor, item))

    @strawberry.field(description="The conversation, as the inbox shows it.")
    async def conversation(self, info: strawberry.Info[Context, None]) -> Conversation | None:
        services_ = info.context.services
        found = await services_.conversations.conversation(
            info.context.actor, UUID(str(self.conversation_id))
        )
        return Conversation.from_item(found, services_.clock.now()) if found else None

    @classmethod
    def from_event(cls, event: StoredEvent) -> QueueItemEvent:
        fact = QueueItemChanged.read(event)
        return cls(
            event_id=strawberry.ID(str(event.sequence)),
            item_id=strawberry.ID(str(fact.item_id)),
            queue_id=strawberry.ID(str(fact.queue_id)),
            conversation_id=strawberry.ID(str(fact.conversation_id)),
            change=fact.change,
            status=QueueItemStatus(fact.status),
            priority=fact.priority,
            agent_id=strawberry.ID(str(fact.agent_id)) if fact.agent_id else None,
            occurred_at=event.occurred_at,
        )


@strawberry.type(description="An agent's status changed.")
class AgentStatusEvent:
    event_id: strawberry.ID = strawberry.field(description="The event's id.")
    user_id: strawberry.ID = strawberry.field(description="The agent.")
    status: AgentStatus = strawberry.field(description="Their new status.")
    occurred_at: datetime = strawberry.field(description="When it was committed (UTC).")

    @classmethod
    def from_event(cls, event: StoredEvent) -> AgentStatusEvent:
        fact = AgentStatusChanged.read(event)
        return cls(
            event_id=strawberry.ID(str(event.sequence)),
            user_id=strawberry.ID(str(fact.user_id)),
            status=AgentStatus(fact.status),
            occurred_at=event.occurred_at,
        )


@strawberry.type
class QueueSubscriptions:
    @strawberry.subscription(
        description="A queue's items entering, moving and leaving, live (the queue's agents, "
        "and supervisors and up)."
    )
    async def queue_updated(
        self, info: strawberry.Info[Context, None], queue_id: QueueId, after: EventAfter = None
    ) -> AsyncGenerator[QueueItemEvent, None]:
        wanted = parse_uuid(queue_id, "queueId")
        await info.context.services.queues.check_watcher(info.context.actor, wanted)
        async for event in events_of(info, QUEUE_ITEM_CHANGED, after):
            if QueueItemChanged.read(event).queue_id == wanted:
                yield QueueItemEvent.from_event(event)

    @strawberry.subscription(description="Agents' status changes in the organization, live.")
    async def agent_status_changed(
        self, info: strawberry.Info[Context, None], after: EventAfter = None
    ) -> AsyncGenerator[AgentStatusEvent, None]:
        async for event in events_of(info, AGENT_STATUS_CHANGED, after):
            yield AgentStatusEvent.from_event(event)

    @strawberry.subscription(
        description="Conversations given to the caller, the moment they are (select "
        "`conversation` to open it at once)."
    )
    async def assignment_received(
        self, info: strawberry.Info[Context, None], after: EventAfter = None
    ) -> AsyncGenerator[QueueItemEvent, None]:
        me = info.context.actor.require_user()[0]
        async for event in events_of(info, QUEUE_ITEM_CHANGED, after):
            fact = QueueItemChanged.read(event)
            if fact.status == model.ItemStatus.ASSIGNED and fact.agent_id == me:
                yield QueueItemEvent.from_event(event)
