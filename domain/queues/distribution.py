"""Which agent gets which waiting item: a pure function of the queue, its waiting items, the
agents and their loads, and the time.

Items are taken highest priority first, then oldest. For each, the eligible agents are those
online, members of the queue, within their working hours, holding the queue's required skills
and below their capacity; the queue's strategy ranks them. Every decision keeps the ranked
candidates and why each other agent was left out, so an assignment can be explained.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from domain.queues.model import Agent, AgentStatus, Exclusion, Queue, QueueItem, Strategy

NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class AgentLoad:
    agent: Agent
    load: int
    """Items assigned to the agent now, in every queue."""


@dataclass(frozen=True)
class Decision:
    item_id: UUID
    agent_id: UUID
    strategy: Strategy
    candidates: tuple[UUID, ...]
    """Eligible agents, best first; the first got the item."""
    excluded: tuple[tuple[UUID, Exclusion], ...]
    decided_at: datetime

    def document(self) -> dict[str, Any]:
        """As stored with the item: agents left out are grouped by reason."""
        excluded: dict[str, list[str]] = {}
        for agent_id, reason in self.excluded:
            excluded.setdefault(reason.value, []).append(str(agent_id))
        return {
            "agentId": str(self.agent_id),
            "strategy": self.strategy.value,
            "candidates": [str(agent_id) for agent_id in self.candidates],
            "excluded": excluded,
            "decidedAt": self.decided_at.isoformat(),
        }


def waiting_order(item: QueueItem) -> tuple[int, datetime, UUID]:
    """Priority first, then age: the position in the queue."""
    return (-item.priority, item.entered_at, item.id)


def _unable(queue: Queue, agent: AgentLoad, now: datetime) -> Exclusion | None:
    """What keeps the agent from every item of this round, whatever their load."""
    profile = agent.agent
    if profile.status is not AgentStatus.ONLINE:
        return Exclusion.NOT_ONLINE
    if queue.id not in profile.queue_ids:
        return Exclusion.NOT_A_MEMBER
    if profile.hours is not None and not profile.hours.is_open(now):
        return Exclusion.OUTSIDE_WORKING_HOURS
    if not set(queue.required_skills) <= profile.skills:
        return Exclusion.MISSING_SKILL
    return None


def _rank(strategy: Strategy, agent: AgentLoad) -> tuple[Any, ...]:
    profile = agent.agent
    last = profile.last_assigned_at or NEVER
    match strategy:
        case Strategy.LEAST_BUSY:
            return (agent.load / profile.capacity, last, profile.user_id)
        case Strategy.ROUND_ROBIN:
            return (last, profile.user_id)
        case Strategy.LONGEST_IDLE:
            if agent.load == 0:
                return (0, profile.free_since or profile.status_since, profile.user_id)
            return (1, last, profile.user_id)


def distribute(
    queue: Queue, waiting: Sequence[QueueItem], agents: Sequence[AgentLoad], now: datetime
) -> list[Decision]:
    """Assignments for as many waiting items as agents can take now, in queue order."""
    ordered = sorted(agents, key=lambda a: a.agent.user_id)
    unable = [(a.agent.user_id, _unable(queue, a, now)) for a in ordered]
    left_out = [(agent_id, reason) for agent_id, reason in unable if reason is not None]
    members = {agent_id for agent_id, reason in unable if reason is None}
    loads = {a.agent.user_id: a for a in ordered if a.agent.user_id in members}
    decisions: list[Decision] = []
    for item in sorted(waiting, key=waiting_order):
        if all(a.load >= a.agent.capacity for a in loads.values()):
            break
        eligible = []
        excluded = list(left_out)
        for agent in loads.values():
            if item.was_taken_from(agent.agent.user_id):
                excluded.append((agent.agent.user_id, Exclusion.ALREADY_HAD_IT))
            elif agent.load >= agent.agent.capacity:
                excluded.append((agent.agent.user_id, Exclusion.FULL))
            else:
                eligible.append(agent)
        if not eligible:
            continue
        ranked = sorted(eligible, key=lambda agent: _rank(queue.strategy, agent))
        chosen = ranked[0]
        decisions.append(
            Decision(
                item.id,
                chosen.agent.user_id,
                queue.strategy,
                tuple(agent.agent.user_id for agent in ranked),
                tuple(sorted(excluded, key=lambda pair: pair[0])),
                now,
            )
        )
        loads[chosen.agent.user_id] = AgentLoad(
            replace(chosen.agent, last_assigned_at=now), chosen.load + 1
        )
    return decisions
