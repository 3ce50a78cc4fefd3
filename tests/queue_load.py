"""Many agents and many waiting conversations written straight to the database, for the
distribution load test and bench/distribution.py (going through the API would take minutes)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert

from persistence.database import Database
from persistence.models.accounts import UserRow
from persistence.models.conversations import ContactRow, ConversationRow
from persistence.models.queues import (
    AgentProfileRow,
    QueueItemEventRow,
    QueueItemRow,
    QueueMemberRow,
)

BATCH = 1000


@dataclass(frozen=True)
class SeededAgent:
    user_id: uuid.UUID
    capacity: int
    skills: frozenset[str]
    queue_ids: frozenset[uuid.UUID]


@dataclass
class Seeded:
    agents: list[SeededAgent] = field(default_factory=list)
    items: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)
    """Item id to its queue id."""


async def _insert(database: Database, table: Any, rows: list[dict[str, Any]]) -> None:
    async with database.engine.begin() as connection:
        for start in range(0, len(rows), BATCH):
            await connection.execute(insert(table), rows[start : start + BATCH])


async def seed_agents(
    database: Database,
    organization_id: uuid.UUID,
    count: int,
    queues_for: Any,
    skills_for: Any,
    capacity_for: Any,
    now: datetime,
    status: str = "online",
) -> list[SeededAgent]:
    """`count` agents; each callable takes the agent's number."""
    agents = [
        SeededAgent(
            uuid.uuid4(), capacity_for(n), frozenset(skills_for(n)), frozenset(queues_for(n))
        )
        for n in range(count)
    ]
    await _insert(
        database,
        UserRow.__table__,
        [
            {
                "id": agent.user_id,
                "organization_id": organization_id,
                "email": f"agent-{agent.user_id.hex[:12]}@load.example",
                "name": f"Agent {n}",
                "role": "agent",
                "password_hash": "not-a-hash",
                "is_active": True,
                "is_superuser": False,
                "created_at": now,
                "updated_at": now,
            }
            for n, agent in enumerate(agents)
        ],
    )
    await _insert(
        database,
        AgentProfileRow.__table__,
        [
            {
                "user_id": agent.user_id,
                "organization_id": organization_id,
                "status": status,
                "status_since": now,
                "capacity": agent.capacity,
                "skills": sorted(agent.skills),
                "departments": [],
                "hours": None,
                "last_assigned_at": None,
                "free_since": now,
            }
            for agent in agents
        ],
    )
    await _insert(
        database,
        QueueMemberRow.__table__,
        [
            {"queue_id": queue_id, "user_id": agent.user_id, "organization_id": organization_id}
            for agent in agents
            for queue_id in agent.queue_ids
        ],
    )
    return agents


async def seed_conversations(
    database: Database,
    organization_id: uuid.UUID,
    number_id: uuid.UUID,
    count: int,
    now: datetime,
) -> list[uuid.UUID]:
    """`count` customers, each with a conversation handed to people (pending); returns the
    conversations' ids, a millisecond apart in age."""
    contacts, conversations, ids = [], [], []
    for n in range(count):
        contact_id, conversation_id = uuid.uuid4(), uuid.uuid4()
        ids.append(conversation_id)
        at = now + timedelta(milliseconds=n)
        contacts.append(
            {
                "id": contact_id,
                "organization_id": organization_id,
                "wa_id": f"55{contact_id.int % 10**11:011d}",
                "profile_name": f"Customer {n}",
                "created_at": at,
                "updated_at": at,
            }
        )
        conversations.append(
            {
                "id": conversation_id,
                "organization_id": organization_id,
                "number_id": number_id,
                "contact_id": contact_id,
                "status": "pending",
                "unread_count": 1,
                "last_message_at": at,
                "last_inbound_at": at,
                "created_at": at,
                "updated_at": at,
                "handed_off_at": at,
                "labels": [],
            }
        )
    await _insert(database, ContactRow.__table__, contacts)
    await _insert(database, ConversationRow.__table__, conversations)
    return ids


async def seed_waiting(
    database: Database,
    organization_id: uuid.UUID,
    number_id: uuid.UUID,
    queue_id: uuid.UUID,
    count: int,
    now: datetime,
    priority_for: Any = lambda n: 0,
    wait_deadline: datetime | None = None,
) -> list[uuid.UUID]:
    """`count` customers, each with a pending conversation waiting in the queue since `now`
    (a millisecond apart, so their order is known); returns the item ids."""
    conversation_ids = await seed_conversations(database, organization_id, number_id, count, now)
    items, history, ids = [], [], []
    for n, conversation_id in enumerate(conversation_ids):
        item_id = uuid.uuid4()
        ids.append(item_id)
        entered = now + timedelta(milliseconds=n)
        items.append(
            {
                "id": item_id,
                "organization_id": organization_id,
                "queue_id": queue_id,
                "conversation_id": conversation_id,
                "priority": priority_for(n),
                "status": "waiting",
                "entered_at": entered,
                "wait_deadline": wait_deadline,
                "fallback_action": "abandon",
                "metadata": {},
                "previous_agent_ids": [],
            }
        )
        history.append(
            {
                "organization_id": organization_id,
                "item_id": item_id,
                "queue_id": queue_id,
                "kind": "entered",
                "at": entered,
                "details": {},
            }
        )
    await _insert(database, QueueItemRow.__table__, items)
    await _insert(database, QueueItemEventRow.__table__, history)
    return ids
