"""Distribution as a pure function: priority then age, eligibility with reasons, capacity, and
each strategy's choice."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta

import pytest

from domain.queues.distribution import AgentLoad, distribute
from domain.queues.model import (
    Agent,
    AgentStatus,
    Exclusion,
    ItemStatus,
    Queue,
    QueueItem,
    Strategy,
)
from domain.schedules import OpeningHours

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
ORG = uuid.uuid4()
QUEUE_ID = uuid.uuid4()


def agent_id(n: int) -> uuid.UUID:
    return uuid.UUID(int=n)


def queue(strategy: Strategy = Strategy.LEAST_BUSY, **fields: object) -> Queue:
    return Queue(
        id=QUEUE_ID,
        organization_id=ORG,
        name="Support",
        strategy=strategy,
        created_at=NOW,
        updated_at=NOW,
        **fields,  # type: ignore[arg-type]
    )


def agent(n: int, load: int = 0, capacity: int = 3, **fields: object) -> AgentLoad:
    values: dict[str, object] = {
        "status": AgentStatus.ONLINE,
        "status_since": NOW - timedelta(hours=1),
        "capacity": capacity,
        "queue_ids": frozenset({QUEUE_ID}),
    }
    values.update(fields)
    return AgentLoad(Agent(agent_id(n), ORG, **values), load)  # type: ignore[arg-type]


def item(n: int, priority: int = 0, minutes_ago: int = 0, **fields: object) -> QueueItem:
    return QueueItem(
        uuid.UUID(int=1000 + n),
        ORG,
        QUEUE_ID,
        uuid.uuid4(),
        priority,
        ItemStatus.WAITING,
        NOW - timedelta(minutes=minutes_ago),
        **fields,  # type: ignore[arg-type]
    )


def test_the_most_urgent_then_the_oldest_item_goes_first() -> None:
    waiting = [item(1, 0, minutes_ago=30), item(2, 2, minutes_ago=1), item(3, 0, minutes_ago=50)]

    decisions = distribute(queue(), waiting, [agent(1, capacity=2)], NOW)

    assert [d.item_id for d in decisions] == [waiting[1].id, waiting[2].id]


def test_each_left_out_agent_is_named_with_its_reason() -> None:
    hours = OpeningHours("Asia/Tokyo", {0: ((time(9), time(17)),)})
    agents = [
        agent(1),
        agent(2, status=AgentStatus.AWAY),
        agent(3, queue_ids=frozenset()),
        agent(4, load=3, skills=frozenset({"pt"})),
        agent(5, skills=frozenset({"es"})),
        agent(6, hours=hours, skills=frozenset({"pt"})),
        agent(7, skills=frozenset({"pt", "billing"})),
    ]

    (decision,) = distribute(queue(required_skills=("pt",)), [item(1)], agents, NOW)

    assert decision.agent_id == agent_id(7)
    assert decision.candidates == (agent_id(7),)
    assert dict(decision.excluded) == {
        agent_id(1): Exclusion.MISSING_SKILL,
        agent_id(2): Exclusion.NOT_ONLINE,
        agent_id(3): Exclusion.NOT_A_MEMBER,
        agent_id(4): Exclusion.FULL,
        agent_id(5): Exclusion.MISSING_SKILL,
        agent_id(6): Exclusion.OUTSIDE_WORKING_HOURS,
    }


def test_no_agent_is_given_more_than_its_capacity() -> None:
    waiting = [item(n, minutes_ago=n) for n in range(20)]
    agents = [agent(1, load=1, capacity=2), agent(2, capacity=3), agent(3, capacity=1)]

    decisions = distribute(queue(), waiting, agents, NOW)

    given: dict[uuid.UUID, int] = {}
    for decision in decisions:
        given[decision.agent_id] = given.get(decision.agent_id, 0) + 1
    assert given == {agent_id(1): 1, agent_id(2): 3, agent_id(3): 1}
    oldest_first = sorted(waiting, key=lambda i: i.entered_at)
    assert [d.item_id for d in decisions] == [w.id for w in oldest_first[:5]]


@pytest.mark.parametrize(
    ("strategy", "expected"),
    [
        # Agent 1: 1 of 4 busy, assigned 5 minutes ago. Agent 2: 1 of 2, assigned an hour ago.
        # Agent 3: free for 10 minutes, assigned 20 minutes ago. Agent 4: free for 40 minutes.
        (Strategy.LEAST_BUSY, [4, 3, 1]),
        (Strategy.ROUND_ROBIN, [4, 2, 3]),
        (Strategy.LONGEST_IDLE, [4, 3, 2]),
    ],
)
def test_each_strategy_ranks_the_agents_its_own_way(
    strategy: Strategy, expected: list[int]
) -> None:
    agents = [
        agent(1, load=1, capacity=4, last_assigned_at=NOW - timedelta(minutes=5)),
        agent(2, load=1, capacity=2, last_assigned_at=NOW - timedelta(hours=1)),
        agent(
            3,
            last_assigned_at=NOW - timedelta(minutes=20),
            free_since=NOW - timedelta(minutes=10),
        ),
        agent(
            4,
            last_assigned_at=NOW - timedelta(hours=2),
            free_since=NOW - timedelta(minutes=40),
        ),
    ]

    decisions = distribute(
        queue(strategy), [item(n, minutes_ago=10 - n) for n in range(3)], agents, NOW
    )

    assert [d.agent_id for d in decisions] == [agent_id(n) for n in expected]


def test_an_agent_who_did_not_answer_is_not_offered_the_item_again() -> None:
    taken_back = item(1, previous_agent_ids=(agent_id(1),))

    (decision,) = distribute(queue(), [taken_back], [agent(1), agent(2, load=2)], NOW)

    assert decision.agent_id == agent_id(2)
    assert dict(decision.excluded) == {agent_id(1): Exclusion.ALREADY_HAD_IT}


def test_nothing_is_assigned_when_nobody_is_online() -> None:
    waiting = [item(n) for n in range(1000)]
    agents = [agent(n, status=AgentStatus.OFFLINE) for n in range(200)]

    assert distribute(queue(), waiting, agents, NOW) == []
