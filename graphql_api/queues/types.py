"""Queues, agents and queue items as the API shows them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import Enum
from typing import TYPE_CHECKING, Annotated, cast
from uuid import UUID

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.scalars import JSON

from domain.queues import metrics, model, services
from domain.schedules import FallbackAction
from graphql_api.accounts.types import User
from graphql_api.context import Context
from graphql_api.node.types import Node

if TYPE_CHECKING:
    from graphql_api.conversations.types import Conversation


@strawberry.enum(description="Whether an agent takes conversations now.")
class AgentStatus(Enum):
    ONLINE = strawberry.enum_value("online", description="Takes conversations.")
    BUSY = strawberry.enum_value("busy", description="Keeps theirs, takes no new ones.")
    AWAY = strawberry.enum_value("away", description="Away from the desk; takes none.")
    BREAK = strawberry.enum_value("break", description="On a break; takes none.")
    OFFLINE = strawberry.enum_value("offline", description="Not working.")


@strawberry.enum(description="How a queue chooses among the agents who could take an item.")
class DistributionStrategy(Enum):
    LEAST_BUSY = strawberry.enum_value(
        "least_busy",
        description="The lowest share of capacity in use; then the one assigned longest ago.",
    )
    ROUND_ROBIN = strawberry.enum_value(
        "round_robin", description="The one whose last assignment is oldest, in turn."
    )
    LONGEST_IDLE = strawberry.enum_value(
        "longest_idle",
        description="The one free (no conversation) for the longest; agents with conversations "
        "come after, by their last assignment.",
    )


@strawberry.enum(description="What a queue does with conversations that arrive while closed.")
class OutsideHoursPolicy(Enum):
    WAIT = strawberry.enum_value(
        "wait", description="Sends the outside-hours message; the item waits for opening."
    )
    REFUSE = strawberry.enum_value(
        "refuse",
        description="Sends the outside-hours message; no item is made (the conversation stays "
        "with people, unassigned).",
    )


@strawberry.enum(description="Where a queue item stands.")
class QueueItemStatus(Enum):
    WAITING = strawberry.enum_value("waiting", description="In line for an agent.")
    ASSIGNED = strawberry.enum_value("assigned", description="An agent is serving it.")
    COMPLETED = strawberry.enum_value("completed", description="Served; the conversation closed.")
    ABANDONED = strawberry.enum_value("abandoned", description="Taken out: the customer left.")
    TIMED_OUT = strawberry.enum_value(
        "timed_out", description="It waited past its deadline and took its fallback."
    )
    TRANSFERRED = strawberry.enum_value(
        "transferred", description="Moved to another queue, where a new item went on."
    )


@strawberry.enum(description="What an item does when it waits past its deadline.")
class QueueFallback(Enum):
    ABANDON = strawberry.enum_value(
        "abandon", description="Sends the wait-timeout message and resolves the conversation."
    )
    OVERFLOW = strawberry.enum_value(
        "overflow", description="Moves to the queue's overflow queue (abandons without one)."
    )
    RETURN_TO_FLOW = strawberry.enum_value(
        "return_to_flow",
        description="Sends the wait-timeout message and hands the conversation back to the "
        "flows: the customer's next message is answered by the bot.",
    )


@strawberry.enum(description="A step of a queue item's history.")
class QueueHistoryKind(Enum):
    ENTERED = strawberry.enum_value("entered", description="It entered the queue.")
    ASSIGNED = strawberry.enum_value("assigned", description="An agent got it.")
    REASSIGNED = strawberry.enum_value(
        "reassigned", description="Taken from its agent (no reply in time) or moved to another."
    )
    TRANSFERRED = strawberry.enum_value("transferred", description="Moved to another queue.")
    COMPLETED = strawberry.enum_value("completed", description="Served.")
    ABANDONED = strawberry.enum_value("abandoned", description="The customer left.")
    TIMED_OUT = strawberry.enum_value("timed_out", description="Waited past its deadline.")


@strawberry.type(description="What a queue tells the customer; null sends nothing.")
class QueueMessages:
    welcome: str | None = strawberry.field(description="When the conversation enters the queue.")
    position_update: str | None = strawberry.field(
        description="To customers among the first 10 in line, when they enter and whenever "
        "they move up; `{{position}}` is replaced."
    )
    outside_hours: str | None = strawberry.field(description="When it arrives while closed.")
    queue_full: str | None = strawberry.field(description="When the queue is at its size limit.")
    wait_timeout: str | None = strawberry.field(
        description="When it waited past its deadline (abandon and return-to-flow fallbacks)."
    )

    @classmethod
    def from_domain(cls, messages: model.QueueMessages) -> QueueMessages:
        return cls(
            welcome=messages.welcome,
            position_update=messages.position_update,
            outside_hours=messages.outside_hours,
            queue_full=messages.queue_full,
            wait_timeout=messages.wait_timeout,
        )


@strawberry.type(description="A line of conversations waiting for agents.")
class Queue(Node):
    id: strawberry.ID = strawberry.field(description="The queue's id.")
    name: str = strawberry.field(description="Its name, unique in the organization.")
    description: str | None = strawberry.field(description="What it is for.")
    department: str | None = strawberry.field(description="The department it belongs to.")
    strategy: DistributionStrategy = strawberry.field(description="How it picks agents.")
    working_hours: JSON | None = strawberry.field(
        description='`{timeZone, weekly: {monday: [["09:00", "18:00"]]}, holidays}`; null '
        "when always open."
    )
    outside_hours: OutsideHoursPolicy = strawberry.field(description="What happens when closed.")
    max_wait_minutes: int | None = strawberry.field(
        description="The longest an item waits before its fallback; a flow's shorter wait "
        "timeout wins."
    )
    max_size: int | None = strawberry.field(description="The most items that may wait at once.")
    required_skills: list[str] = strawberry.field(
        description="Skills an agent needs to be given its items."
    )
    messages: QueueMessages = strawberry.field(description="What it tells customers.")
    agent_reply_timeout_minutes: int | None = strawberry.field(
        description="An assigned agent who has not replied within this long loses the item to "
        "another agent."
    )
    overflow_queue_id: strawberry.ID | None = strawberry.field(
        description="Where items go when it is full or they wait too long (overflow fallback)."
    )
    target_answer_seconds: int = strawberry.field(
        description="The service level: items assigned within this long count as answered in "
        "target."
    )
    raise_priority_when_negative: bool = strawberry.field(
        description="A waiting customer whose sentiment turns negative goes up one priority "
        "(normal to high, high to urgent); the item's routingDecision records it."
    )
    created_at: datetime = strawberry.field(description="When it was created (UTC).")
    updated_at: datetime = strawberry.field(description="When it last changed (UTC).")

    @classmethod
    def from_domain(cls, queue: model.Queue) -> Queue:
        return cls(
            id=strawberry.ID(str(queue.id)),
            name=queue.name,
            description=queue.description,
            department=queue.department,
            strategy=DistributionStrategy(queue.strategy.value),
            working_hours=cast(JSON, queue.hours.document()) if queue.hours else None,
            outside_hours=OutsideHoursPolicy(queue.outside_hours.value),
            max_wait_minutes=queue.max_wait_minutes,
            max_size=queue.max_size,
            required_skills=list(queue.required_skills),
            messages=QueueMessages.from_domain(queue.messages),
            agent_reply_timeout_minutes=queue.agent_reply_timeout_minutes,
            overflow_queue_id=strawberry.ID(str(queue.overflow_queue_id))
            if queue.overflow_queue_id
            else None,
            target_answer_seconds=queue.target_answer_seconds,
            raise_priority_when_negative=queue.raise_priority_when_negative,
            created_at=queue.created_at,
            updated_at=queue.updated_at,
        )


@strawberry.type(description="An agent's status at one moment.")
class AgentStatusChange:
    status: AgentStatus = strawberry.field(description="The status taken.")
    at: datetime = strawberry.field(description="When (UTC).")
    by_user_id: strawberry.ID | None = strawberry.field(
        description="Who set it: the agent, or a supervisor."
    )


@strawberry.type(description="A member of the organization as an agent: presence and capacity.")
class Agent:
    user: User = strawberry.field(description="The user.")
    status: AgentStatus = strawberry.field(description="Whether they take conversations now.")
    status_since: datetime = strawberry.field(description="Since when (UTC).")
    capacity: int = strawberry.field(description="The most conversations they serve at once.")
    load: int = strawberry.field(description="Conversations assigned to them now.")
    skills: list[str] = strawberry.field(description="What they can handle (queues require some).")
    departments: list[str] = strawberry.field(description="Their departments.")
    queue_ids: list[strawberry.ID] = strawberry.field(description="The queues they serve.")
    working_hours: JSON | None = strawberry.field(
        description="Their hours in their own time zone; null: whenever online."
    )
    last_assigned_at: datetime | None = strawberry.field(
        description="When they were last given a conversation (UTC)."
    )

    @strawberry.field(description="Their latest status changes, newest first.")
    async def status_history(
        self,
        info: strawberry.Info[Context, None],
        limit: Annotated[int, strawberry.argument(description="How many changes, 1 to 100.")] = 20,
    ) -> list[AgentStatusChange]:
        history = await info.context.services.queues.status_history(
            info.context.actor, UUID(str(self.user.id)), max(1, min(limit, 100))
        )
        return [
            AgentStatusChange(
                status=AgentStatus(status.value),
                at=at,
                by_user_id=strawberry.ID(str(actor)) if actor else None,
            )
            for status, at, actor in history
        ]

    @classmethod
    def from_view(cls, view: services.AgentView) -> Agent:
        agent = view.agent
        return cls(
            user=User.from_domain(view.user),
            status=AgentStatus(agent.status.value),
            status_since=agent.status_since,
            capacity=agent.capacity,
            load=view.load,
            skills=sorted(agent.skills),
            departments=list(agent.departments),
            queue_ids=[strawberry.ID(str(q)) for q in sorted(agent.queue_ids)],
            working_hours=cast(JSON, agent.hours.document()) if agent.hours else None,
            last_assigned_at=agent.last_assigned_at,
        )


@strawberry.type(description="A step of a queue item's history.")
class QueueHistoryEntry:
    item_id: strawberry.ID = strawberry.field(description="The item it happened to.")
    kind: QueueHistoryKind = strawberry.field(description="What happened.")
    at: datetime = strawberry.field(description="When (UTC).")
    queue_id: strawberry.ID = strawberry.field(description="The queue it happened in.")
    agent_id: strawberry.ID | None = strawberry.field(description="The agent concerned.")
    actor_user_id: strawberry.ID | None = strawberry.field(
        description="Who did it; null for PyTake's own distribution and timers."
    )
    details: JSON = strawberry.field(
        description="The particulars: a reason, the target queue, the routing decision."
    )

    @classmethod
    def from_domain(cls, entry: model.HistoryEntry) -> QueueHistoryEntry:
        return cls(
            kind=QueueHistoryKind(entry.kind.value),
            at=entry.at,
            queue_id=strawberry.ID(str(entry.queue_id)),
            agent_id=strawberry.ID(str(entry.agent_id)) if entry.agent_id else None,
            actor_user_id=strawberry.ID(str(entry.actor_user_id)) if entry.actor_user_id else None,
            details=cast(JSON, dict(entry.details)),
            item_id=strawberry.ID(str(entry.item_id)),
        )

    @strawberry.field(
        description="The item as it is now (with its conversation); null when the caller may "
        "not see it."
    )
    async def item(self, info: strawberry.Info[Context, None]) -> QueueItem | None:
        found = await item_loader(info.context).load(UUID(str(self.item_id)))
        return QueueItem.from_domain(found) if found else None


def item_loader(context: Context) -> DataLoader[UUID, model.QueueItem | None]:
    loader = context.loaders.get("queue_items")
    if loader is None:

        async def load(item_ids: list[UUID]) -> Sequence[model.QueueItem | None]:
            found = await context.services.queues.items_by_id(context.actor, item_ids)
            return [found.get(item_id) for item_id in item_ids]

        loader = DataLoader(load, cache=False)
        context.loaders["queue_items"] = loader
    return cast(DataLoader[UUID, model.QueueItem | None], loader)


def history_loader(context: Context) -> DataLoader[UUID, list[model.HistoryEntry]]:
    loader = context.loaders.get("queue_history")
    if loader is None:

        async def load(item_ids: list[UUID]) -> Sequence[list[model.HistoryEntry]]:
            found = await context.services.queues.histories(context.actor, item_ids)
            return [found[item_id] for item_id in item_ids]

        loader = DataLoader(load, cache=False)
        context.loaders["queue_history"] = loader
    return cast(DataLoader[UUID, list[model.HistoryEntry]], loader)


@strawberry.type(description="A conversation waiting in, or served from, a queue.")
class QueueItem(Node):
    id: strawberry.ID = strawberry.field(description="The item's id.")
    queue_id: strawberry.ID = strawberry.field(description="Its queue.")
    conversation_id: strawberry.ID = strawberry.field(description="Its conversation.")
    priority: int = strawberry.field(description="0 normal, 1 high, 2 urgent.")
    status: QueueItemStatus = strawberry.field(description="Where it stands.")
    position: int | None = strawberry.field(
        description="Its place in line while waiting (1 is next): higher priority first, then "
        "the longest waiting."
    )
    agent_id: strawberry.ID | None = strawberry.field(description="The agent serving it.")
    entered_at: datetime = strawberry.field(description="When it entered this queue (UTC).")
    assigned_at: datetime | None = strawberry.field(description="When an agent got it (UTC).")
    first_agent_reply_at: datetime | None = strawberry.field(
        description="The serving agent's first reply (UTC)."
    )
    completed_at: datetime | None = strawberry.field(description="When it left the queue (UTC).")
    wait_deadline: datetime | None = strawberry.field(
        description="When waiting ends with the fallback (UTC)."
    )
    reply_deadline: datetime | None = strawberry.field(
        description="When the agent loses it if they have not replied (UTC)."
    )
    fallback_action: QueueFallback = strawberry.field(description="What a wait timeout does.")
    metadata: JSON = strawberry.field(description="Where it came from (a flow's node, a queue).")
    routing_decision: JSON | None = strawberry.field(
        description="How its agent was chosen: `strategy`, the eligible `candidates` best "
        "first, and `excluded`: every other agent's id under the reason they were left out "
        "(not_online, not_a_member, missing_skill, full, outside_working_hours, "
        "already_had_it)."
    )
    rating: int | None = strawberry.field(description="The customer's rating, 1 to 5.")
    feedback: str | None = strawberry.field(description="The customer's words about it.")

    @strawberry.field(description="Everything that happened to it, oldest first.")
    async def history(self, info: strawberry.Info[Context, None]) -> list[QueueHistoryEntry]:
        entries = await history_loader(info.context).load(UUID(str(self.id)))
        return [QueueHistoryEntry.from_domain(entry) for entry in entries]

    @strawberry.field(
        description="Its conversation, as the inbox shows it (the customer's name, the last "
        "message); null when the caller may not see it."
    )
    async def conversation(
        self, info: strawberry.Info[Context, None]
    ) -> Annotated[Conversation, strawberry.lazy("graphql_api.conversations.types")] | None:
        # Conversations show their queue, so their module imports this one: importing it back
        # at the top would be a cycle.
        from graphql_api.conversations.types import load_conversation

        return await load_conversation(info, UUID(str(self.conversation_id)))

    @classmethod
    def from_domain(cls, item: model.QueueItem, position: int | None = None) -> QueueItem:
        return cls(
            id=strawberry.ID(str(item.id)),
            queue_id=strawberry.ID(str(item.queue_id)),
            conversation_id=strawberry.ID(str(item.conversation_id)),
            priority=item.priority,
            status=QueueItemStatus(item.status.value),
            position=position,
            agent_id=strawberry.ID(str(item.agent_id)) if item.agent_id else None,
            entered_at=item.entered_at,
            assigned_at=item.assigned_at,
            first_agent_reply_at=item.first_agent_reply_at,
            completed_at=item.completed_at,
            wait_deadline=item.wait_deadline,
            reply_deadline=item.reply_deadline,
            fallback_action=QueueFallback(item.fallback_action.value),
            metadata=cast(JSON, dict(item.metadata)),
            routing_decision=cast(JSON, dict(item.routing_decision))
            if item.routing_decision
            else None,
            rating=item.rating,
            feedback=item.feedback,
        )


def _seconds(value: timedelta | None) -> float | None:
    return round(value.total_seconds(), 3) if value is not None else None


@strawberry.type(
    description="A queue's figures for a period, from its items: each can be traced back."
)
class QueueFigures:
    start: datetime = strawberry.field(description="Start of the period (UTC).")
    end: datetime = strawberry.field(description="End of the period, excluded (UTC).")
    entries: int = strawberry.field(
        description="Items that entered the queue in the period (a transfer enters anew)."
    )
    exits: int = strawberry.field(
        description="Items that left it in the period: completed, abandoned, timed out or "
        "transferred out."
    )
    assigned: int = strawberry.field(description="Items given to an agent in the period.")
    gave_up: int = strawberry.field(
        description="Items that left in the period without being assigned: abandoned or timed "
        "out while waiting."
    )
    abandonment_rate: float | None = strawberry.field(
        description="gaveUp / (gaveUp + assigned); null when both are 0."
    )
    average_wait_seconds: float | None = strawberry.field(
        description="Mean time from entering to being assigned, for items assigned in the period."
    )
    p90_wait_seconds: float | None = strawberry.field(
        description="90th percentile (nearest rank) of the same waits."
    )
    average_handle_seconds: float | None = strawberry.field(
        description="Mean time from assignment to completion, for items completed in the period."
    )
    p90_handle_seconds: float | None = strawberry.field(
        description="90th percentile (nearest rank) of the same handle times."
    )
    answered_in_target: float | None = strawberry.field(
        description="Of the items assigned or given up in the period, the share assigned within "
        "the queue's targetAnswerSeconds; null when there are none."
    )

    @classmethod
    def from_domain(cls, f: metrics.QueueFigures) -> QueueFigures:
        return cls(
            start=f.start,
            end=f.end,
            entries=f.entries,
            exits=f.exits,
            assigned=f.assigned,
            gave_up=f.gave_up,
            abandonment_rate=f.abandonment_rate,
            average_wait_seconds=_seconds(f.average_wait),
            p90_wait_seconds=_seconds(f.p90_wait),
            average_handle_seconds=_seconds(f.average_handle),
            p90_handle_seconds=_seconds(f.p90_handle),
            answered_in_target=f.answered_in_target,
        )


@strawberry.type(description="A queue's figures for a period, and the same hour by hour.")
class QueueMetrics:
    total: QueueFigures = strawberry.field(description="The whole period.")
    hourly: list[QueueFigures] = strawberry.field(description="Each hour of it.")


@strawberry.type(description="One queue on the dashboard: now, and today so far.")
class QueueDashboardEntry:
    queue: Queue = strawberry.field(description="The queue.")
    waiting: int = strawberry.field(description="Items waiting now.")
    longest_wait_seconds: float | None = strawberry.field(
        description="How long the oldest waiting item has waited; null when none waits."
    )
    today: QueueFigures = strawberry.field(
        description="Since the dashboard's `since` (today's start, UTC, by default)."
    )
    agents: list[Agent] = strawberry.field(description="Its agents, with status and load.")

    @classmethod
    def from_domain(cls, row: services.QueueOverview) -> QueueDashboardEntry:
        return cls(
            queue=Queue.from_domain(row.queue),
            waiting=row.waiting,
            longest_wait_seconds=_seconds(row.longest_wait),
            today=QueueFigures.from_domain(row.today),
            agents=[Agent.from_view(view) for view in row.agents],
        )


@strawberry.type(description="The supervisor's monitor of one queue.")
class QueueMonitor:
    queue: Queue = strawberry.field(description="The queue.")
    waiting: list[QueueItem] = strawberry.field(
        description="Waiting items in the order they will be served, with positions (200 most)."
    )
    serving: list[QueueItem] = strawberry.field(description="Items agents are serving now.")
    recent: list[QueueHistoryEntry] = strawberry.field(
        description="The latest 50 history entries of the queue, newest first."
    )

    @classmethod
    def from_domain(cls, monitor: services.QueueMonitor) -> QueueMonitor:
        return cls(
            queue=Queue.from_domain(monitor.queue),
            waiting=[QueueItem.from_domain(item, n) for item, n in monitor.waiting],
            serving=[QueueItem.from_domain(item) for item in monitor.serving],
            recent=[QueueHistoryEntry.from_domain(entry) for entry in monitor.recent],
        )


def fallback(value: QueueFallback) -> FallbackAction:
    return FallbackAction(value.name.lower())
