"""Queues, agents' working profiles, queue items and their history."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    RowMapping,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from domain.pagination import Edge, Page, PageRequest
from domain.queues.model import (
    Agent,
    AgentStatus,
    HistoryEntry,
    HistoryKind,
    ItemStatus,
    OutsideHours,
    Queue,
    QueueItem,
    QueueMessages,
    Strategy,
)
from domain.schedules import FallbackAction, OpeningHours, parse_opening_hours
from persistence.database import Database, outages_as_unavailable
from persistence.dialects import QueryComponents
from persistence.models.accounts import UserRow
from persistence.models.queues import (
    AgentProfileRow,
    AgentStatusChangeRow,
    QueueItemEventRow,
    QueueItemRow,
    QueueMemberRow,
    QueueRow,
)
from persistence.repositories.cursors import Keyset, encode_cursor
from persistence.repositories.scope import RepositoryScope

QUEUES = cast(Table, QueueRow.__table__)
MEMBERS = cast(Table, QueueMemberRow.__table__)
AGENTS = cast(Table, AgentProfileRow.__table__)
STATUS_CHANGES = cast(Table, AgentStatusChangeRow.__table__)
ITEMS = cast(Table, QueueItemRow.__table__)
HISTORY = cast(Table, QueueItemEventRow.__table__)
USERS = cast(Table, UserRow.__table__)
WAITING = ItemStatus.WAITING.value
ASSIGNED = ItemStatus.ASSIGNED.value
OPEN = (WAITING, ASSIGNED)
DEFAULT_CAPACITY = 3


def _hours(document: dict[str, Any] | None) -> OpeningHours | None:
    return parse_opening_hours(document)[0] if document else None


def _queue(row: RowMapping) -> Queue:
    messages = row["messages"] or {}
    return Queue(
        id=row["id"],
        organization_id=row["organization_id"],
        name=row["name"],
        strategy=Strategy(row["strategy"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        description=row["description"],
        department=row["department"],
        hours=_hours(row["hours"]),
        outside_hours=OutsideHours(row["outside_hours"]),
        max_wait_minutes=row["max_wait_minutes"],
        max_size=row["max_size"],
        required_skills=tuple(row["required_skills"] or ()),
        messages=QueueMessages(
            welcome=messages.get("welcome"),
            position_update=messages.get("positionUpdate"),
            outside_hours=messages.get("outsideHours"),
            queue_full=messages.get("queueFull"),
            wait_timeout=messages.get("waitTimeout"),
        ),
        agent_reply_timeout_minutes=row["agent_reply_timeout_minutes"],
        overflow_queue_id=row["overflow_queue_id"],
        target_answer_seconds=row["target_answer_seconds"],
        raise_priority_when_negative=row["raise_priority_when_negative"],
    )


def _queue_values(queue: Queue) -> dict[str, Any]:
    m = queue.messages
    return {
        "name": queue.name,
        "strategy": queue.strategy.value,
        "updated_at": queue.updated_at,
        "description": queue.description,
        "department": queue.department,
        "hours": queue.hours.document() if queue.hours else None,
        "outside_hours": queue.outside_hours.value,
        "max_wait_minutes": queue.max_wait_minutes,
        "max_size": queue.max_size,
        "required_skills": list(queue.required_skills),
        "messages": {
            "welcome": m.welcome,
            "positionUpdate": m.position_update,
            "outsideHours": m.outside_hours,
            "queueFull": m.queue_full,
            "waitTimeout": m.wait_timeout,
        },
        "agent_reply_timeout_minutes": queue.agent_reply_timeout_minutes,
        "overflow_queue_id": queue.overflow_queue_id,
        "target_answer_seconds": queue.target_answer_seconds,
        "raise_priority_when_negative": queue.raise_priority_when_negative,
    }


def _item(row: RowMapping) -> QueueItem:
    return QueueItem(
        id=row["id"],
        organization_id=row["organization_id"],
        queue_id=row["queue_id"],
        conversation_id=row["conversation_id"],
        priority=row["priority"],
        status=ItemStatus(row["status"]),
        entered_at=row["entered_at"],
        agent_id=row["agent_id"],
        assigned_at=row["assigned_at"],
        first_agent_reply_at=row["first_agent_reply_at"],
        completed_at=row["completed_at"],
        wait_deadline=row["wait_deadline"],
        target_deadline=row["target_deadline"],
        reply_deadline=row["reply_deadline"],
        fallback_action=FallbackAction(row["fallback_action"]),
        metadata=row["metadata"] or {},
        routing_decision=row["routing_decision"],
        rating=row["rating"],
        feedback=row["feedback"],
        previous_agent_ids=tuple(uuid.UUID(a) for a in row["previous_agent_ids"] or ()),
    )


def _item_values(item: QueueItem) -> dict[str, Any]:
    return {
        "queue_id": item.queue_id,
        "priority": item.priority,
        "status": item.status.value,
        "entered_at": item.entered_at,
        "agent_id": item.agent_id,
        "assigned_at": item.assigned_at,
        "first_agent_reply_at": item.first_agent_reply_at,
        "completed_at": item.completed_at,
        "wait_deadline": item.wait_deadline,
        "target_deadline": item.target_deadline,
        "reply_deadline": item.reply_deadline,
        "fallback_action": item.fallback_action.value,
        "metadata": dict(item.metadata),
        "routing_decision": dict(item.routing_decision) if item.routing_decision else None,
        "rating": item.rating,
        "feedback": item.feedback,
        "previous_agent_ids": [str(a) for a in item.previous_agent_ids],
    }


def _history(row: RowMapping) -> HistoryEntry:
    return HistoryEntry(
        item_id=row["item_id"],
        queue_id=row["queue_id"],
        kind=HistoryKind(row["kind"]),
        at=row["at"],
        actor_user_id=row["actor_user_id"],
        agent_id=row["agent_id"],
        details=row["details"] or {},
    )


ITEM_ORDER = Keyset(ITEMS.c.entered_at, ITEMS.c.id, newest_first=False)
"""A queue's items: oldest entry first."""


class SqlQueueRepository:
    def __init__(self, session: AsyncSession, organization_id: uuid.UUID) -> None:
        self._session = session
        self._organization_id = organization_id
        self._mine = QUEUES.c.organization_id == organization_id

    async def get(self, queue_id: uuid.UUID, for_update: bool = False) -> Queue | None:
        found = select(*QUEUES.columns).where(
            self._mine, QUEUES.c.id == queue_id, QUEUES.c.deleted_at.is_(None)
        )
        result = await self._session.execute(found.with_for_update() if for_update else found)
        row = result.mappings().first()
        return _queue(row) if row else None

    async def list(self) -> list[Queue]:
        result = await self._session.execute(
            select(*QUEUES.columns)
            .where(self._mine, QUEUES.c.deleted_at.is_(None))
            .order_by(QUEUES.c.name)
        )
        return [_queue(row) for row in result.mappings()]

    async def add(self, queue: Queue) -> None:
        await self._session.execute(
            insert(QUEUES).values(
                id=queue.id,
                organization_id=self._organization_id,
                created_at=queue.created_at,
                **_queue_values(queue),
            )
        )

    async def save(self, queue: Queue) -> None:
        await self._session.execute(
            update(QUEUES).where(self._mine, QUEUES.c.id == queue.id).values(**_queue_values(queue))
        )

    async def delete(self, queue_id: uuid.UUID, at: datetime) -> None:
        await self._session.execute(
            update(QUEUES).where(self._mine, QUEUES.c.id == queue_id).values(deleted_at=at)
        )
        await self._session.execute(
            delete(MEMBERS).where(
                MEMBERS.c.organization_id == self._organization_id, MEMBERS.c.queue_id == queue_id
            )
        )


class SqlAgentRepository:
    def __init__(
        self, session: AsyncSession, organization_id: uuid.UUID, components: QueryComponents
    ) -> None:
        self._session = session
        self._organization_id = organization_id
        self._sql = components

    async def all(self) -> list[Agent]:
        """Every active member of the organization, with the default profile for those who
        never set one (offline)."""
        return await self._agents(None)

    async def get(self, user_id: uuid.UUID) -> Agent | None:
        found = await self._agents([user_id])
        return found[0] if found else None

    async def queue_ids_of(self, user_id: uuid.UUID) -> frozenset[uuid.UUID]:
        return frozenset((await self._memberships([user_id])).get(user_id, ()))

    async def _agents(self, user_ids: list[uuid.UUID] | None) -> list[Agent]:
        query = (
            select(
                USERS.c.id.label("user_id"),
                USERS.c.created_at,
                *[c for c in AGENTS.columns if c.name not in ("user_id", "organization_id")],
            )
            .select_from(USERS.outerjoin(AGENTS, AGENTS.c.user_id == USERS.c.id))
            .where(USERS.c.organization_id == self._organization_id, USERS.c.is_active)
            .order_by(USERS.c.id)
        )
        if user_ids is not None:
            query = query.where(USERS.c.id.in_(user_ids))
        rows = list((await self._session.execute(query)).mappings())
        members = await self._memberships([row["user_id"] for row in rows])
        return [
            Agent(
                user_id=row["user_id"],
                organization_id=self._organization_id,
                status=AgentStatus(row["status"] or AgentStatus.OFFLINE.value),
                status_since=row["status_since"] or row["created_at"],
                capacity=row["capacity"] or DEFAULT_CAPACITY,
                skills=frozenset(row["skills"] or ()),
                departments=tuple(row["departments"] or ()),
                queue_ids=frozenset(members.get(row["user_id"], ())),
                hours=_hours(row["hours"]),
                last_assigned_at=row["last_assigned_at"],
                free_since=row["free_since"],
            )
            for row in rows
        ]

    async def _memberships(self, user_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[uuid.UUID]]:
        if not user_ids:
            return {}
        result = await self._session.execute(
            select(MEMBERS.c.user_id, MEMBERS.c.queue_id).where(
                MEMBERS.c.organization_id == self._organization_id,
                MEMBERS.c.user_id.in_(user_ids),
            )
        )
        found: dict[uuid.UUID, list[uuid.UUID]] = {}
        for user_id, queue_id in result.all():
            found.setdefault(user_id, []).append(queue_id)
        return found

    async def save(self, agent: Agent, memberships: bool = True) -> None:
        values = {
            "user_id": agent.user_id,
            "organization_id": self._organization_id,
            "status": agent.status.value,
            "status_since": agent.status_since,
            "capacity": agent.capacity,
            "skills": sorted(agent.skills),
            "departments": list(agent.departments),
            "hours": agent.hours.document() if agent.hours else None,
            "last_assigned_at": agent.last_assigned_at,
            "free_since": agent.free_since,
        }
        upsert = self._sql.insert(AGENTS)
        await self._session.execute(
            upsert.values(**values).on_conflict_do_update(
                index_elements=[AGENTS.c.user_id],
                set_={k: v for k, v in values.items() if k not in ("user_id", "organization_id")},
            )
        )
        if not memberships:
            return
        await self._session.execute(
            delete(MEMBERS).where(
                MEMBERS.c.organization_id == self._organization_id,
                MEMBERS.c.user_id == agent.user_id,
            )
        )
        if agent.queue_ids:
            await self._session.execute(
                insert(MEMBERS),
                [
                    {
                        "queue_id": queue_id,
                        "user_id": agent.user_id,
                        "organization_id": self._organization_id,
                    }
                    for queue_id in sorted(agent.queue_ids)
                ],
            )

    async def record_status(
        self, user_id: uuid.UUID, status: AgentStatus, at: datetime, actor: uuid.UUID | None
    ) -> None:
        await self._session.execute(
            insert(STATUS_CHANGES).values(
                organization_id=self._organization_id,
                user_id=user_id,
                status=status.value,
                at=at,
                actor_user_id=actor,
            )
        )

    async def status_history(
        self, user_id: uuid.UUID, limit: int
    ) -> list[tuple[AgentStatus, datetime, uuid.UUID | None]]:
        result = await self._session.execute(
            select(STATUS_CHANGES.c.status, STATUS_CHANGES.c.at, STATUS_CHANGES.c.actor_user_id)
            .where(
                STATUS_CHANGES.c.organization_id == self._organization_id,
                STATUS_CHANGES.c.user_id == user_id,
            )
            .order_by(STATUS_CHANGES.c.at.desc(), STATUS_CHANGES.c.id.desc())
            .limit(limit)
        )
        return [(AgentStatus(s), at, actor) for s, at, actor in result.all()]

    async def assigned(self, user_ids: list[uuid.UUID], at: datetime) -> None:
        if not user_ids:
            return
        await self._session.execute(
            update(AGENTS)
            .where(
                AGENTS.c.organization_id == self._organization_id,
                AGENTS.c.user_id.in_(user_ids),
            )
            .values(last_assigned_at=at)
        )

    async def released(self, user_id: uuid.UUID, at: datetime) -> None:
        """An item left the agent: free since now if it was their last."""
        still_busy = (
            select(ITEMS.c.id)
            .where(ITEMS.c.agent_id == user_id, ITEMS.c.status == ASSIGNED)
            .exists()
        )
        await self._session.execute(
            update(AGENTS)
            .where(
                AGENTS.c.organization_id == self._organization_id,
                AGENTS.c.user_id == user_id,
                ~still_busy,
            )
            .values(free_since=at)
        )


class SqlQueueItemRepository:
    def __init__(
        self, session: AsyncSession, organization_id: uuid.UUID, components: QueryComponents
    ) -> None:
        self._session = session
        self._organization_id = organization_id
        self._sql = components
        self._mine = ITEMS.c.organization_id == organization_id

    async def lock_distribution(self) -> None:
        """Serializes distribution rounds and manual assignments of the organization across
        processes until the transaction ends; SQLite's single writer already does."""
        await self._sql.lock_names(self._session, [f"pytake.distribution.{self._organization_id}"])

    async def add(self, item: QueueItem) -> None:
        await self._session.execute(
            insert(ITEMS).values(
                id=item.id,
                organization_id=self._organization_id,
                conversation_id=item.conversation_id,
                **_item_values(item),
            )
        )

    async def save(self, item: QueueItem) -> None:
        await self.save_many([item])

    async def save_many(self, items: list[QueueItem]) -> None:
        if not items:
            return
        await self._session.execute(
            update(ITEMS)
            .where(
                ITEMS.c.organization_id == bindparam("b_organization_id"),
                ITEMS.c.id == bindparam("b_id"),
            )
            .values({name: bindparam(f"b_{name}") for name in _item_values(items[0])}),
            [
                {
                    "b_organization_id": self._organization_id,
                    "b_id": item.id,
                    **{f"b_{name}": value for name, value in _item_values(item).items()},
                }
                for item in items
            ],
        )

    async def get(self, item_id: uuid.UUID, lock: bool = False) -> QueueItem | None:
        query = select(*ITEMS.columns).where(self._mine, ITEMS.c.id == item_id)
        row = (
            (await self._session.execute(query.with_for_update() if lock else query))
            .mappings()
            .first()
        )
        return _item(row) if row else None

    async def get_many(self, item_ids: list[uuid.UUID]) -> dict[uuid.UUID, QueueItem]:
        if not item_ids:
            return {}
        result = await self._session.execute(
            select(*ITEMS.columns).where(self._mine, ITEMS.c.id.in_(item_ids))
        )
        return {row["id"]: _item(row) for row in result.mappings()}

    async def open_for(self, conversation_id: uuid.UUID) -> QueueItem | None:
        result = await self._session.execute(
            select(*ITEMS.columns).where(
                self._mine,
                ITEMS.c.conversation_id == conversation_id,
                ITEMS.c.status.in_(OPEN),
            )
        )
        row = result.mappings().first()
        return _item(row) if row else None

    async def open_for_many(self, conversation_ids: list[uuid.UUID]) -> dict[uuid.UUID, QueueItem]:
        if not conversation_ids:
            return {}
        result = await self._session.execute(
            select(*ITEMS.columns).where(
                self._mine,
                ITEMS.c.conversation_id.in_(conversation_ids),
                ITEMS.c.status.in_(OPEN),
            )
        )
        return {row["conversation_id"]: _item(row) for row in result.mappings()}

    async def waiting_count(self, queue_id: uuid.UUID) -> int:
        result = await self._session.execute(
            select(func.count()).where(
                self._mine, ITEMS.c.queue_id == queue_id, ITEMS.c.status == WAITING
            )
        )
        return int(result.scalar_one())

    async def open_count(self, queue_id: uuid.UUID) -> int:
        result = await self._session.execute(
            select(func.count()).where(
                self._mine, ITEMS.c.queue_id == queue_id, ITEMS.c.status.in_(OPEN)
            )
        )
        return int(result.scalar_one())

    async def waiting_heads(self) -> list[uuid.UUID]:
        """Queues with waiting items, the one whose first item is most urgent (then oldest)
        first."""
        result = await self._session.execute(
            select(
                ITEMS.c.queue_id,
                func.max(ITEMS.c.priority).label("top"),
                func.min(ITEMS.c.entered_at).label("oldest"),
            )
            .where(self._mine, ITEMS.c.status == WAITING)
            .group_by(ITEMS.c.queue_id)
        )
        rows = sorted(result.all(), key=lambda row: (-row.top, row.oldest))
        return [row.queue_id for row in rows]

    async def waiting(self, queue_id: uuid.UUID, limit: int) -> list[QueueItem]:
        result = await self._session.execute(
            select(*ITEMS.columns)
            .where(self._mine, ITEMS.c.queue_id == queue_id, ITEMS.c.status == WAITING)
            .order_by(ITEMS.c.priority.desc(), ITEMS.c.entered_at, ITEMS.c.id)
            .limit(limit)
        )
        return [_item(row) for row in result.mappings()]

    async def loads(self, agent_ids: list[uuid.UUID] | None = None) -> dict[uuid.UUID, int]:
        query = select(ITEMS.c.agent_id, func.count()).where(self._mine, ITEMS.c.status == ASSIGNED)
        if agent_ids is not None:
            query = query.where(ITEMS.c.agent_id.in_(agent_ids))
        result = await self._session.execute(query.group_by(ITEMS.c.agent_id))
        return {agent_id: int(count) for agent_id, count in result.all()}

    async def due(self, now: datetime, limit: int) -> list[QueueItem]:
        """Waiting items past their wait deadline, and assigned items whose agent has not
        replied by the reply deadline."""
        result = await self._session.execute(
            select(*ITEMS.columns)
            .where(
                self._mine,
                or_(
                    and_(ITEMS.c.status == WAITING, ITEMS.c.wait_deadline <= now),
                    and_(
                        ITEMS.c.status == ASSIGNED,
                        ITEMS.c.reply_deadline <= now,
                        ITEMS.c.first_agent_reply_at.is_(None),
                    ),
                ),
            )
            .order_by(ITEMS.c.entered_at)
            .limit(limit)
        )
        return [_item(row) for row in result.mappings()]

    async def overdue(self, now: datetime, limit: int) -> list[QueueItem]:
        """Waiting items past their target answer time that nobody was told of yet, held until
        commit (another process's sweep skips them)."""
        result = await self._session.execute(
            select(*ITEMS.columns)
            .where(self._mine, ITEMS.c.status == WAITING, ITEMS.c.target_deadline <= now)
            .order_by(ITEMS.c.target_deadline)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [_item(row) for row in result.mappings()]

    async def target_told(self, item_ids: list[uuid.UUID]) -> None:
        if item_ids:
            await self._session.execute(
                update(ITEMS)
                .where(self._mine, ITEMS.c.id.in_(item_ids))
                .values(target_deadline=None)
            )

    async def agent_replied(
        self, conversation_id: uuid.UUID, agent_id: uuid.UUID, at: datetime
    ) -> None:
        await self._session.execute(
            update(ITEMS)
            .where(
                self._mine,
                ITEMS.c.conversation_id == conversation_id,
                ITEMS.c.status == ASSIGNED,
                ITEMS.c.agent_id == agent_id,
                ITEMS.c.first_agent_reply_at.is_(None),
            )
            .values(first_agent_reply_at=at, reply_deadline=None)
        )

    async def page(
        self, queue_id: uuid.UUID, statuses: list[ItemStatus], size: int, request: PageRequest
    ) -> Page[QueueItem]:
        """Oldest entry first."""
        query = select(*ITEMS.columns).where(self._mine, ITEMS.c.queue_id == queue_id)
        if statuses:
            query = query.where(ITEMS.c.status.in_([status.value for status in statuses]))
        result = await self._session.execute(ITEM_ORDER.select(query, request, size))
        return ITEM_ORDER.page(
            list(result.mappings()),
            request,
            size,
            lambda r: Edge(encode_cursor(r["entered_at"], r["id"]), _item(r)),
        )

    async def assigned(self, queue_id: uuid.UUID, limit: int) -> list[QueueItem]:
        result = await self._session.execute(
            select(*ITEMS.columns)
            .where(self._mine, ITEMS.c.queue_id == queue_id, ITEMS.c.status == ASSIGNED)
            .order_by(ITEMS.c.assigned_at, ITEMS.c.id)
            .limit(limit)
        )
        return [_item(row) for row in result.mappings()]

    async def position(self, item: QueueItem) -> int:
        """1 for the next item to be assigned."""
        ahead = or_(
            ITEMS.c.priority > item.priority,
            and_(
                ITEMS.c.priority == item.priority,
                or_(
                    ITEMS.c.entered_at < item.entered_at,
                    and_(ITEMS.c.entered_at == item.entered_at, ITEMS.c.id < item.id),
                ),
            ),
        )
        result = await self._session.execute(
            select(func.count()).where(
                self._mine, ITEMS.c.queue_id == item.queue_id, ITEMS.c.status == WAITING, ahead
            )
        )
        return int(result.scalar_one()) + 1

    async def touched(self, since: datetime, until: datetime) -> list[QueueItem]:
        """Items in a queue at any moment of [since, until)."""
        result = await self._session.execute(
            select(*ITEMS.columns).where(
                self._mine,
                ITEMS.c.entered_at < until,
                or_(ITEMS.c.completed_at.is_(None), ITEMS.c.completed_at >= since),
            )
        )
        return [_item(row) for row in result.mappings()]

    async def recent_history(self, queue_id: uuid.UUID, limit: int) -> list[HistoryEntry]:
        result = await self._session.execute(
            select(*HISTORY.columns)
            .where(
                HISTORY.c.organization_id == self._organization_id,
                HISTORY.c.queue_id == queue_id,
            )
            .order_by(HISTORY.c.id.desc())
            .limit(limit)
        )
        return [_history(row) for row in result.mappings()]

    async def add_history(self, entries: list[HistoryEntry]) -> None:
        if not entries:
            return
        await self._session.execute(
            insert(HISTORY),
            [
                {
                    "organization_id": self._organization_id,
                    "item_id": entry.item_id,
                    "queue_id": entry.queue_id,
                    "kind": entry.kind.value,
                    "at": entry.at,
                    "actor_user_id": entry.actor_user_id,
                    "agent_id": entry.agent_id,
                    "details": dict(entry.details),
                }
                for entry in entries
            ],
        )

    async def history(self, item_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[HistoryEntry]]:
        found: dict[uuid.UUID, list[HistoryEntry]] = {item_id: [] for item_id in item_ids}
        if not item_ids:
            return found
        result = await self._session.execute(
            select(*HISTORY.columns)
            .where(
                HISTORY.c.organization_id == self._organization_id, HISTORY.c.item_id.in_(item_ids)
            )
            .order_by(HISTORY.c.id)
        )
        for row in result.mappings():
            found[row["item_id"]].append(_history(row))
        return found


async def organizations_with_queue_work(database: Database, now: datetime) -> list[uuid.UUID]:
    """Organizations with waiting items, or with assigned items whose reply deadline passed."""
    with outages_as_unavailable():
        async with database.autocommit_engine.connect() as connection:
            result = await connection.execute(
                select(ITEMS.c.organization_id)
                .where(
                    or_(
                        ITEMS.c.status == WAITING,
                        and_(
                            ITEMS.c.status == ASSIGNED,
                            ITEMS.c.reply_deadline <= now,
                            ITEMS.c.first_agent_reply_at.is_(None),
                        ),
                    )
                )
                .distinct()
            )
            return [row.organization_id for row in result.all()]


async def organizations_with_overdue_items(database: Database, now: datetime) -> list[uuid.UUID]:
    """Organizations with a customer waiting past their queue's target whom nobody was told
    of yet."""
    with outages_as_unavailable():
        async with database.autocommit_engine.connect() as connection:
            result = await connection.execute(
                select(ITEMS.c.organization_id)
                .where(ITEMS.c.status == WAITING, ITEMS.c.target_deadline <= now)
                .distinct()
            )
            return [row.organization_id for row in result.all()]


class QueuesRepositories(RepositoryScope):
    """Queues, agents and queue items."""

    @property
    def queues(self) -> SqlQueueRepository:
        return SqlQueueRepository(self.session, self.scope())

    @property
    def agents(self) -> SqlAgentRepository:
        return SqlAgentRepository(self.session, self.scope(), self.components)

    @property
    def queue_items(self) -> SqlQueueItemRepository:
        return SqlQueueItemRepository(self.session, self.scope(), self.components)
