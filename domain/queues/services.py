"""Queues, agents and queue items as people manage them: supervisors, admins and owners set
queues and agents up and move items by hand; agents set their own status and finish their
conversations."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from domain.accounts.model import SUPERVISING_ROLES, Actor, User
from domain.audit import AuditEntry
from domain.clock import Clock
from domain.conversations.services import visible_conversation
from domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from domain.pagination import Page, PageRequest
from domain.queues.events import AgentStatusChanged, AgentUpdated, QueueChanged
from domain.queues.metrics import QueueFigures, figures, hourly
from domain.queues.model import (
    Agent,
    AgentStatus,
    HistoryEntry,
    HistoryKind,
    ItemStatus,
    Queue,
    QueueItem,
    QueueSettings,
)
from domain.queues.ports import QueuesUnitOfWork
from domain.queues.routing import Entered, QueueRouting, Refused
from domain.schedules import OpeningHours
from domain.unit_of_work import UnitOfWorkFactory

MAX_NAME = 200
MAX_CAPACITY = 100
MAX_SKILLS = 50


@dataclass(frozen=True)
class AgentChanges:
    """What an agent update changes; None leaves a field as it is."""

    capacity: int | None = None
    skills: tuple[str, ...] | None = None
    departments: tuple[str, ...] | None = None
    queue_ids: tuple[UUID, ...] | None = None
    hours: OpeningHours | None = None
    clear_hours: bool = False


def _positive(value: int | None, field: str, upper: int = 100_000) -> int | None:
    if value is not None and not 1 <= value <= upper:
        raise InvalidInput(f"{field} is a whole number from 1 to {upper}", field=field)
    return value


def _cleaned(settings: QueueSettings) -> QueueSettings:
    name = " ".join(settings.name.split())
    if not name or len(name) > MAX_NAME:
        raise InvalidInput(f"a queue needs a name of at most {MAX_NAME} characters", field="name")
    _positive(settings.max_wait_minutes, "maxWaitMinutes")
    _positive(settings.max_size, "maxSize")
    _positive(settings.agent_reply_timeout_minutes, "agentReplyTimeoutMinutes")
    _positive(settings.target_answer_seconds, "targetAnswerSeconds")
    skills = tuple(dict.fromkeys(s.strip().lower() for s in settings.required_skills if s.strip()))
    return replace(settings, name=name, required_skills=skills)


@dataclass(frozen=True)
class AgentView:
    agent: Agent
    user: User
    load: int
    """Conversations assigned to the agent now, in every queue."""


@dataclass(frozen=True)
class QueueMonitor:
    """The three columns of the supervisor's monitor."""

    queue: Queue
    waiting: list[tuple[QueueItem, int]]
    """Waiting items in the order they will be served, with their positions."""
    serving: list[QueueItem]
    recent: list[HistoryEntry]


@dataclass(frozen=True)
class QueueOverview:
    """One line of the dashboard."""

    queue: Queue
    waiting: int
    longest_wait: timedelta | None
    today: QueueFigures
    agents: list[AgentView]
    """The queue's members, with their status and load."""


MONITOR_ROWS = 200
MAX_METRICS_PERIOD = timedelta(days=31)


def _fields(settings: QueueSettings) -> dict[str, Any]:
    return {f.name: getattr(settings, f.name) for f in fields(QueueSettings)}


class QueueService:
    def __init__(
        self, unit_of_work: UnitOfWorkFactory[QueuesUnitOfWork], clock: Clock, routing: QueueRouting
    ) -> None:
        self._uow = unit_of_work
        self._clock = clock
        self._routing = routing

    # -- queues ---------------------------------------------------------------------------

    async def queues(self, actor: Actor) -> list[Queue]:
        _, organization_id, _ = actor.require_user()
        async with self._uow(organization_id, read_only=True) as uow:
            return await uow.queues.list()

    async def queue(self, actor: Actor, queue_id: UUID) -> Queue | None:
        _, organization_id, _ = actor.require_user()
        async with self._uow(organization_id, read_only=True) as uow:
            return await uow.queues.get(queue_id)

    async def create(self, actor: Actor, settings: QueueSettings) -> Queue:
        _, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        settings = _cleaned(settings)
        now = self._clock.now()
        queue = Queue(
            id=uuid.uuid4(),
            organization_id=organization_id,
            created_at=now,
            updated_at=now,
            **_fields(settings),
        )
        async with self._uow(organization_id) as uow:
            await self._check_overflow(uow, queue)
            await self._unique_name(uow, queue)
            await uow.queues.add(queue)
            self._audit(uow, actor, "queue.create", "queue", queue.id, {"name": queue.name})
            uow.emit(
                QueueChanged(organization_id=organization_id, queue_id=queue.id, change="created")
            )
            await uow.commit()
        return queue

    async def update(
        self, actor: Actor, queue_id: UUID, change: Callable[[QueueSettings], QueueSettings]
    ) -> Queue:
        """`change` turns the queue's settings as stored into the new ones, inside the
        transaction that holds the queue's row: two supervisors editing different settings at
        once both keep their change."""
        _, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        async with self._uow(organization_id) as uow:
            queue = await uow.queues.get(queue_id, for_update=True)
            if queue is None:
                raise NotFound("Queue", queue_id)
            settings = _cleaned(change(queue))
            updated = replace(queue, **_fields(settings), updated_at=self._clock.now())
            await self._check_overflow(uow, updated)
            await self._unique_name(uow, updated)
            await uow.queues.save(updated)
            self._audit(uow, actor, "queue.update", "queue", queue.id, {"name": updated.name})
            uow.emit(
                QueueChanged(organization_id=organization_id, queue_id=queue.id, change="updated")
            )
            self._routing.work_ahead(uow)
            await uow.commit()
        return updated

    async def delete(self, actor: Actor, queue_id: UUID) -> None:
        """Refused while conversations wait in or are served from it: transfer them first."""
        _, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        async with self._uow(organization_id) as uow:
            queue = await self._queue(uow, queue_id)
            if await uow.queue_items.open_count(queue.id):
                raise Conflict(
                    f"conversations are still in queue '{queue.name}': transfer or finish them "
                    "first"
                )
            if any(other.overflow_queue_id == queue.id for other in await uow.queues.list()):
                raise Conflict(f"another queue overflows into '{queue.name}'")
            await uow.queues.delete(queue.id, self._clock.now())
            self._audit(uow, actor, "queue.delete", "queue", queue.id, {"name": queue.name})
            uow.emit(
                QueueChanged(organization_id=organization_id, queue_id=queue.id, change="deleted")
            )
            await uow.commit()

    async def _queue(self, uow: QueuesUnitOfWork, queue_id: UUID) -> Queue:
        queue = await uow.queues.get(queue_id)
        if queue is None:
            raise NotFound("Queue", queue_id)
        return queue

    async def _check_overflow(self, uow: QueuesUnitOfWork, queue: Queue) -> None:
        target = queue.overflow_queue_id
        if target is None:
            return
        if target == queue.id:
            raise InvalidInput("a queue cannot overflow into itself", field="overflowQueueId")
        if await uow.queues.get(target) is None:
            raise NotFound("Queue", target)

    async def _unique_name(self, uow: QueuesUnitOfWork, queue: Queue) -> None:
        for other in await uow.queues.list():
            if other.id != queue.id and other.name.casefold() == queue.name.casefold():
                raise Conflict(f"there is already a queue named '{other.name}'", field="name")

    # -- agents ---------------------------------------------------------------------------

    async def agents(
        self, actor: Actor, status: AgentStatus | None = None, queue_id: UUID | None = None
    ) -> list[AgentView]:
        """Members' working profiles with their current load, narrowed by status or queue."""
        _, organization_id, _ = actor.require_user()
        async with self._uow(organization_id, read_only=True) as uow:
            return [
                view
                for view in await self._agent_views(uow)
                if (status is None or view.agent.status is status)
                and (queue_id is None or queue_id in view.agent.queue_ids)
            ]

    async def agent(self, actor: Actor, user_id: UUID) -> AgentView | None:
        _, organization_id, _ = actor.require_user()
        async with self._uow(organization_id, read_only=True) as uow:
            agent = await uow.agents.get(user_id)
            user = await uow.users.get(user_id)
            loads = await uow.queue_items.loads([user_id])
        if agent is None or user is None:
            return None
        return AgentView(agent, user, loads.get(user_id, 0))

    async def _agent_views(self, uow: QueuesUnitOfWork) -> list[AgentView]:
        agents = await uow.agents.all()
        users = await uow.users.get_many([agent.user_id for agent in agents])
        loads = await uow.queue_items.loads()
        return [
            AgentView(agent, users[agent.user_id], loads.get(agent.user_id, 0))
            for agent in agents
            if agent.user_id in users
        ]

    async def status_history(
        self, actor: Actor, user_id: UUID, limit: int = 50
    ) -> list[tuple[AgentStatus, Any, UUID | None]]:
        _, organization_id, _ = actor.require_user()
        async with self._uow(organization_id, read_only=True) as uow:
            return await uow.agents.status_history(user_id, limit)

    async def update_agent(self, actor: Actor, user_id: UUID, changes: AgentChanges) -> Agent:
        _, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        _positive(changes.capacity, "capacity", MAX_CAPACITY)
        async with self._uow(organization_id) as uow:
            agent = await self._agent(uow, user_id)
            queue_ids = agent.queue_ids
            if changes.queue_ids is not None:
                known = {queue.id for queue in await uow.queues.list()}
                unknown = [q for q in changes.queue_ids if q not in known]
                if unknown:
                    raise NotFound("Queue", unknown[0])
                queue_ids = frozenset(changes.queue_ids)
            skills = agent.skills
            if changes.skills is not None:
                skills = frozenset(s.strip().lower() for s in changes.skills if s.strip())
                if len(skills) > MAX_SKILLS:
                    raise InvalidInput(f"at most {MAX_SKILLS} skills", field="skills")
            updated = replace(
                agent,
                capacity=changes.capacity or agent.capacity,
                skills=skills,
                departments=changes.departments
                if changes.departments is not None
                else agent.departments,
                queue_ids=queue_ids,
                hours=None if changes.clear_hours else changes.hours or agent.hours,
            )
            await uow.agents.save(updated)
            self._audit(
                uow,
                actor,
                "agent.update",
                "user",
                user_id,
                {"capacity": updated.capacity, "skills": sorted(updated.skills)},
            )
            uow.emit(
                AgentUpdated(
                    organization_id=organization_id,
                    user_id=user_id,
                    queue_ids=tuple(sorted(updated.queue_ids)),
                )
            )
            self._routing.work_ahead(uow)
            await uow.commit()
        return updated

    async def set_status(self, actor: Actor, user_id: UUID, status: AgentStatus) -> Agent:
        """Agents set their own status; supervisors and up anyone's."""
        caller, organization_id, role = actor.require_user()
        if user_id != caller and role not in SUPERVISING_ROLES:
            raise Forbidden("only supervisors may set another agent's status")
        now = self._clock.now()
        async with self._uow(organization_id) as uow:
            agent = await self._agent(uow, user_id)
            if agent.status is status:
                return agent
            loads = await uow.queue_items.loads([user_id])
            updated = replace(
                agent,
                status=status,
                status_since=now,
                free_since=now
                if status is AgentStatus.ONLINE and not loads.get(user_id)
                else agent.free_since,
            )
            await uow.agents.save(updated, memberships=False)
            await uow.agents.record_status(user_id, status, now, caller)
            self._audit(
                uow, actor, "agent.status_update", "user", user_id, {"status": status.value}
            )
            uow.emit(
                AgentStatusChanged(
                    organization_id=organization_id, user_id=user_id, status=status.value
                )
            )
            if status is AgentStatus.ONLINE:
                self._routing.work_ahead(uow)
            await uow.commit()
        return updated

    async def _agent(self, uow: QueuesUnitOfWork, user_id: UUID) -> Agent:
        agent = await uow.agents.get(user_id)
        if agent is None:
            raise NotFound("User", user_id)
        return agent

    # -- items ----------------------------------------------------------------------------

    async def item(
        self, actor: Actor, item_id: UUID
    ) -> tuple[QueueItem, list[HistoryEntry]] | None:
        user_id, organization_id, _ = actor.require_user()
        async with self._uow(organization_id, read_only=True) as uow:
            item = await uow.queue_items.get(item_id)
            if item is None or (
                item.agent_id != user_id and not await _serves(uow, actor, item.queue_id)
            ):
                return None
            history = await uow.queue_items.history([item.id])
        return item, history[item.id]

    async def items_by_id(self, actor: Actor, item_ids: list[UUID]) -> dict[UUID, QueueItem]:
        """Those the caller may see: supervisors and up all; an agent those of their queues and
        those assigned to them."""
        user_id, organization_id, role = actor.require_user()
        async with self._uow(organization_id, read_only=True) as uow:
            found = await uow.queue_items.get_many(item_ids)
            if role in SUPERVISING_ROLES:
                return found
            served = await uow.agents.queue_ids_of(user_id)
        return {
            item_id: item
            for item_id, item in found.items()
            if item.agent_id == user_id or item.queue_id in served
        }

    async def items(
        self,
        actor: Actor,
        queue_id: UUID,
        statuses: list[ItemStatus],
        request: PageRequest,
    ) -> Page[QueueItem]:
        """A queue's items, oldest entry first (its agents, and supervisors and up)."""
        _, organization_id, _ = actor.require_user()
        size = request.size()
        async with self._uow(organization_id, read_only=True) as uow:
            await self._queue(uow, queue_id)
            if not await _serves(uow, actor, queue_id):
                raise Forbidden("only the queue's agents and supervisors see its items")
            return await uow.queue_items.page(queue_id, statuses, size, request)

    async def check_watcher(self, actor: Actor, queue_id: UUID) -> None:
        """Only the queue's agents, and supervisors and up, follow it live."""
        _, organization_id, _ = actor.require_user()
        async with self._uow(organization_id, read_only=True) as uow:
            await self._queue(uow, queue_id)
            if not await _serves(uow, actor, queue_id):
                raise Forbidden("only the queue's agents and supervisors follow it")

    async def position(self, actor: Actor, item: QueueItem) -> int | None:
        """Its place in the queue while it waits (1 is next)."""
        if item.status is not ItemStatus.WAITING:
            return None
        _, organization_id, _ = actor.require_user()
        async with self._uow(organization_id, read_only=True) as uow:
            return await uow.queue_items.position(item)

    async def histories(self, actor: Actor, item_ids: list[UUID]) -> dict[UUID, list[HistoryEntry]]:
        _, organization_id, _ = actor.require_user()
        async with self._uow(organization_id, read_only=True) as uow:
            return await uow.queue_items.history(item_ids)

    async def monitor(self, actor: Actor, queue_id: UUID) -> QueueMonitor:
        _, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        async with self._uow(organization_id, read_only=True) as uow:
            queue = await self._queue(uow, queue_id)
            waiting = await uow.queue_items.waiting(queue_id, MONITOR_ROWS)
            serving = await uow.queue_items.assigned(queue_id, MONITOR_ROWS)
            recent = await uow.queue_items.recent_history(queue_id, 50)
        return QueueMonitor(
            queue, [(item, n) for n, item in enumerate(waiting, start=1)], serving, recent
        )

    async def dashboard(self, actor: Actor, since: datetime | None) -> list[QueueOverview]:
        """Each queue now, and its figures since `since` (the start of today, UTC, if null)."""
        _, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        now = self._clock.now()
        start = since or now.replace(hour=0, minute=0, second=0, microsecond=0)
        async with self._uow(organization_id, read_only=True) as uow:
            queues = await uow.queues.list()
            items = await uow.queue_items.touched(start, now)
            views = await self._agent_views(uow)
        overview = []
        for queue in queues:
            mine = [item for item in items if item.queue_id == queue.id]
            waiting = [item for item in mine if item.status is ItemStatus.WAITING]
            target = timedelta(seconds=queue.target_answer_seconds)
            overview.append(
                QueueOverview(
                    queue=queue,
                    waiting=len(waiting),
                    longest_wait=max((now - i.entered_at for i in waiting), default=None),
                    today=figures(mine, start, now, target),
                    agents=[v for v in views if queue.id in v.agent.queue_ids],
                )
            )
        return overview

    async def metrics(
        self, actor: Actor, queue_id: UUID, since: datetime, until: datetime | None
    ) -> tuple[QueueFigures, list[QueueFigures]]:
        """A period's figures, and the same hour by hour."""
        _, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        end = until or self._clock.now()
        async with self._uow(organization_id, read_only=True) as uow:
            queue = await self._queue(uow, queue_id)
            if end <= since:
                raise InvalidInput("the period's end must come after its start", field="until")
            if end - since > MAX_METRICS_PERIOD:
                raise InvalidInput("a period is at most 31 days", field="since")
            items = [i for i in await uow.queue_items.touched(since, end) if i.queue_id == queue_id]
        target = timedelta(seconds=queue.target_answer_seconds)
        return figures(items, since, end, target), hourly(items, since, end, target)

    async def enqueue(
        self, actor: Actor, conversation_id: UUID, queue_id: UUID, priority: int
    ) -> Entered | Refused:
        """Someone who sees the conversation puts it in a queue; a conversation already waiting
        or served keeps its item. A refusal (full, or closed and refusing) is committed too:
        the customer has been told, and people own the conversation, unassigned."""
        user_id, organization_id, _ = actor.require_user()
        async with self._uow(organization_id) as uow:
            # Two requests for one conversation, in one process or two, queue it once.
            await uow.queue_items.lock_distribution()
            conversation = await visible_conversation(uow, actor, conversation_id)
            contact = await uow.contacts.get(conversation.contact_id)
            if contact is None:
                raise NotFound("Conversation", conversation_id)
            entered, _ = await self._routing.enqueue(
                uow, conversation, contact, queue_id, priority, actor_user_id=user_id
            )
            if isinstance(entered, Entered) and entered.kept:
                return entered
            self._audit(
                uow,
                actor,
                "queue_item.create",
                "conversation",
                conversation_id,
                {"queueId": str(queue_id), "priority": priority},
            )
            await uow.commit()
        return entered

    async def assign(self, actor: Actor, item_id: UUID, agent_id: UUID) -> QueueItem:
        """A supervisor gives an open item to an agent, within the agent's capacity."""
        user_id, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        async with self._uow(organization_id) as uow:
            await uow.queue_items.lock_distribution()
            item = await self._open_item(uow, item_id)
            agent = await self._agent(uow, agent_id)
            await self._check_room(uow, agent, item)
            assigned = await self._routing.assign(
                uow, item, agent_id, {"manual": True, "by": str(user_id)}, user_id
            )
            self._audit(
                uow, actor, "queue_item.assign", "queue_item", item.id, {"agentId": str(agent_id)}
            )
            await uow.commit()
        return assigned

    async def transfer(
        self,
        actor: Actor,
        item_id: UUID,
        queue_id: UUID | None,
        agent_id: UUID | None,
    ) -> QueueItem:
        """To another queue (it waits there, same priority) or straight to an agent. The agent
        holding it may transfer it; so may supervisors and up."""
        user_id, organization_id, role = actor.require_user()
        if (queue_id is None) == (agent_id is None):
            raise InvalidInput("give either queueId or agentId", field="queueId")
        async with self._uow(organization_id) as uow:
            await uow.queue_items.lock_distribution()
            item = await self._open_item(uow, item_id)
            if role not in SUPERVISING_ROLES and item.agent_id != user_id:
                raise NotFound("QueueItem", item_id)
            if agent_id is not None:
                agent = await self._agent(uow, agent_id)
                await self._check_room(uow, agent, item)
                result = await self._routing.assign(
                    uow, item, agent_id, {"transfer": True, "by": str(user_id)}, user_id
                )
            else:
                assert queue_id is not None
                entered, _ = await self._routing.transfer(
                    uow, item, queue_id, user_id, {"by": str(user_id)}
                )
                if isinstance(entered, Refused):
                    raise Conflict(entered.reason)
                result = entered.item
            self._audit(
                uow,
                actor,
                "queue_item.transfer",
                "queue_item",
                item.id,
                {
                    "queueId": str(queue_id) if queue_id else None,
                    "agentId": str(agent_id) if agent_id else None,
                },
            )
            await uow.commit()
        return result

    async def complete(
        self, actor: Actor, item_id: UUID, rating: int | None, feedback: str | None
    ) -> QueueItem:
        """The agent holding it (or a supervisor) finishes it: the conversation is resolved."""
        user_id, organization_id, role = actor.require_user()
        if rating is not None and not 1 <= rating <= 5:
            raise InvalidInput("a rating is 1 to 5", field="rating")
        async with self._uow(organization_id) as uow:
            item = await self._open_item(uow, item_id)
            if role not in SUPERVISING_ROLES and item.agent_id != user_id:
                raise NotFound("QueueItem", item_id)
            rated = replace(item, rating=rating, feedback=(feedback or "").strip() or None)
            ended = await self._routing.finish(
                uow, rated, ItemStatus.COMPLETED, HistoryKind.COMPLETED, user_id, resolve=True
            )
            self._audit(
                uow, actor, "queue_item.complete", "queue_item", item.id, {"rating": rating}
            )
            await uow.commit()
        return ended

    async def abandon(self, actor: Actor, item_id: UUID) -> QueueItem:
        """The customer left: a supervisor takes the item out; the conversation is resolved."""
        user_id, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        async with self._uow(organization_id) as uow:
            item = await self._open_item(uow, item_id)
            ended = await self._routing.finish(
                uow, item, ItemStatus.ABANDONED, HistoryKind.ABANDONED, user_id, resolve=True
            )
            self._audit(uow, actor, "queue_item.abandon", "queue_item", item.id, {})
            await uow.commit()
        return ended

    async def _open_item(self, uow: QueuesUnitOfWork, item_id: UUID) -> QueueItem:
        item = await uow.queue_items.get(item_id, lock=True)
        if item is None:
            raise NotFound("QueueItem", item_id)
        if not item.is_open:
            raise Conflict(f"the item is {item.status.value}")
        return item

    async def _check_room(self, uow: QueuesUnitOfWork, agent: Agent, item: QueueItem) -> None:
        if agent.status is not AgentStatus.ONLINE:
            raise Conflict(f"the agent is {agent.status.value}", field="agentId")
        load = (await uow.queue_items.loads([agent.user_id])).get(agent.user_id, 0)
        if item.agent_id == agent.user_id:
            raise Conflict("the agent already has this conversation", field="agentId")
        if load >= agent.capacity:
            raise Conflict(
                f"the agent is at capacity ({load} of {agent.capacity})", field="agentId"
            )

    def _audit(
        self,
        uow: QueuesUnitOfWork,
        actor: Actor,
        action: str,
        target_type: str,
        target_id: UUID,
        changes: dict[str, Any],
    ) -> None:
        _, organization_id, _ = actor.require_user()
        uow.audit(
            AuditEntry(
                organization_id=organization_id,
                action=action,
                target_type=target_type,
                target_id=str(target_id),
                occurred_at=self._clock.now(),
                actor_user_id=actor.user_id,
                client_ip=actor.client_ip,
                changes=changes,
            )
        )


async def _serves(uow: QueuesUnitOfWork, actor: Actor, queue_id: UUID) -> bool:
    """Supervisors and up see every queue; an agent the queues they belong to."""
    user_id, _, role = actor.require_user()
    return role in SUPERVISING_ROLES or queue_id in await uow.agents.queue_ids_of(user_id)
