"""Distribution rounds: one organization at a time, one transaction per round.

A round fires the timers that are due (waits past their deadline take their fallback; assigned
items whose agent has not replied in time go back to waiting, never to that agent again), then
gives waiting items to agents. Rounds of one organization never overlap, whatever the number
of processes (an advisory lock on PostgreSQL, the single writer on SQLite), and every load is
read under that lock: no item is assigned twice and no agent goes past their capacity.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from uuid import UUID

from domain.clock import Clock
from domain.conversations.model import ConversationStatus, conversation_updated
from domain.queues.distribution import AgentLoad, distribute
from domain.queues.model import AgentStatus, HistoryKind, ItemStatus, Queue, QueueItem
from domain.queues.ports import QueuesUnitOfWork
from domain.queues.routing import QueueRouting
from domain.unit_of_work import UnitOfWorkFactory

MAX_TIMERS_PER_ROUND = 500
EXTRA_WAITING_READ = 50
"""Items read beyond the free capacity, for items some agents may not take."""


@dataclass
class RoundOutcome:
    assigned: int = 0
    timed_out: int = 0
    taken_back: int = 0


class Distributor:
    def __init__(
        self, unit_of_work: UnitOfWorkFactory[QueuesUnitOfWork], clock: Clock, routing: QueueRouting
    ) -> None:
        self._uow = unit_of_work
        self._clock = clock
        self._routing = routing

    async def run(self, organization_id: UUID) -> RoundOutcome:
        outcome = RoundOutcome()
        async with self._uow(organization_id) as uow:
            await uow.queue_items.lock_distribution()
            now = self._clock.now()
            for item in await uow.queue_items.due(now, MAX_TIMERS_PER_ROUND):
                if item.status is ItemStatus.WAITING:
                    await self._routing.time_out(uow, item)
                    outcome.timed_out += 1
                else:
                    await self._take_back(uow, item)
                    outcome.taken_back += 1
            queues = {queue.id: queue for queue in await uow.queues.list()}
            outcome.assigned = await self._assign(uow, queues)
            for queue in queues.values():
                await self._routing.tell_positions(uow, queue)
            await uow.commit()
        return outcome

    async def _assign(self, uow: QueuesUnitOfWork, queues: Mapping[UUID, Queue]) -> int:
        now = self._clock.now()
        heads = await uow.queue_items.waiting_heads()
        if not heads:
            return 0
        loads = await uow.queue_items.loads()
        pool = {
            agent.user_id: AgentLoad(agent, loads.get(agent.user_id, 0))
            for agent in await uow.agents.all()
        }
        assigned = 0
        for queue_id in heads:
            queue = queues.get(queue_id)
            room = sum(
                max(0, a.agent.capacity - a.load)
                for a in pool.values()
                if a.agent.status is AgentStatus.ONLINE and queue_id in a.agent.queue_ids
            )
            if queue is None or room == 0 or not queue.is_open(now):
                continue
            waiting = await uow.queue_items.waiting(queue_id, room + EXTRA_WAITING_READ)
            by_id = {item.id: item for item in waiting}
            decisions = distribute(queue, waiting, list(pool.values()), now)
            await self._routing.assign_many(
                uow,
                [(by_id[d.item_id], d.agent_id, d.document()) for d in decisions],
                None,
                queues,
            )
            for decision in decisions:
                chosen = pool[decision.agent_id]
                pool[decision.agent_id] = AgentLoad(
                    replace(chosen.agent, last_assigned_at=now), chosen.load + 1
                )
            assigned += len(decisions)
        return assigned

    async def _take_back(self, uow: QueuesUnitOfWork, item: QueueItem) -> None:
        """The agent did not reply in time: the item waits again, for anyone but them."""
        now = self._clock.now()
        agent_id = item.agent_id
        waiting = replace(
            item,
            status=ItemStatus.WAITING,
            agent_id=None,
            reply_deadline=None,
            previous_agent_ids=(*item.previous_agent_ids, *([agent_id] if agent_id else [])),
        )
        await uow.queue_items.save(waiting)
        await self._routing.release_agent(uow, agent_id)
        conversation = await uow.conversations.get(item.conversation_id)
        if conversation is not None and conversation.assignee_id == agent_id:
            updated = replace(
                conversation, assignee_id=None, status=ConversationStatus.PENDING, updated_at=now
            )
            await uow.conversations.save(updated)
            uow.emit(conversation_updated(updated, ("assignee", "status")))
        await self._routing.record(
            uow,
            waiting,
            HistoryKind.REASSIGNED,
            None,
            agent_id,
            {"reason": "the agent did not reply in time"},
        )
