"""Reading queues, their items and agents, with figures for the dashboard."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import strawberry

from domain.pagination import PageRequest
from domain.queues import model
from graphql_api.context import Context
from graphql_api.ids import parse_uuid
from graphql_api.pagination import (
    AfterArgument,
    BeforeArgument,
    Connection,
    FirstArgument,
    LastArgument,
)
from graphql_api.queues.types import (
    Agent,
    AgentStatus,
    Queue,
    QueueDashboardEntry,
    QueueFigures,
    QueueItem,
    QueueItemStatus,
    QueueMetrics,
    QueueMonitor,
)

QueueId = Annotated[strawberry.ID, strawberry.argument(description="The queue's id.")]


@strawberry.type
class QueueQueries:
    @strawberry.field(description="The organization's queues, by name.")
    async def queues(self, info: strawberry.Info[Context, None]) -> list[Queue]:
        queues = await info.context.services.queues.queues(info.context.actor)
        return [Queue.from_domain(queue) for queue in queues]

    @strawberry.field(description="A queue by id; null when the organization has none.")
    async def queue(self, info: strawberry.Info[Context, None], id: QueueId) -> Queue | None:
        return await find_queue(info, parse_uuid(id))

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
        last: LastArgument = None,
        before: BeforeArgument = None,
    ) -> Connection[QueueItem]:
        statuses = [model.ItemStatus(s.name.lower()) for s in status or []]
        page = await info.context.services.queues.items(
            info.context.actor,
            parse_uuid(queue_id, "queueId"),
            statuses,
            PageRequest(first, after, last, before),
        )
        return Connection.of(page, QueueItem.from_domain)

    @strawberry.field(
        description="A queue item with its routing decision and history; agents see the items "
        "of their queues and those assigned to them."
    )
    async def queue_item(
        self,
        info: strawberry.Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The item's id.")],
    ) -> QueueItem | None:
        return await find_queue_item(info, parse_uuid(id))

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


async def find_queue(info: strawberry.Info[Context, None], queue_id: UUID) -> Queue | None:
    queue = await info.context.services.queues.queue(info.context.actor, queue_id)
    return Queue.from_domain(queue) if queue else None


async def find_queue_item(info: strawberry.Info[Context, None], item_id: UUID) -> QueueItem | None:
    queues = info.context.services.queues
    found = await queues.item(info.context.actor, item_id)
    if found is None:
        return None
    item, _ = found
    return QueueItem.from_domain(item, await queues.position(info.context.actor, item))
