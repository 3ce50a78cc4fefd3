"""Conversations entering, moving through and leaving queues, within a caller's transaction.

Every change to an item also changes its conversation: an item waiting or assigned means
people own the conversation (no bot answers it), its assignee is the item's agent, and an item
that ends hands the conversation back (resolved, or to the flows).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from domain.clock import Clock
from domain.conversations.messaging import MessageQueue, TextContent
from domain.conversations.model import (
    Contact,
    Conversation,
    ConversationStatus,
    conversation_updated,
)
from domain.errors import DomainError, InvalidInput, NotFound
from domain.queues.events import QueueItemChanged, QueueStrained
from domain.queues.model import (
    PRIORITIES,
    SENTIMENT_ESCALATION,
    HistoryEntry,
    HistoryKind,
    ItemStatus,
    OutsideHours,
    Queue,
    QueueItem,
)
from domain.queues.ports import QueuesUnitOfWork
from domain.schedules import FallbackAction


@dataclass(frozen=True)
class Entered:
    item: QueueItem
    kept: bool = False
    """The conversation already waited or was being served: its item, unchanged."""


@dataclass(frozen=True)
class Refused:
    """The queue could not take the conversation (full, or closed and refusing); people own the
    conversation all the same, unassigned."""

    reason: str


class QueueRouting:
    def __init__(self, clock: Clock, messages: MessageQueue) -> None:
        self._clock = clock
        self._messages = messages
        self._wake_listeners: list[Callable[[], None]] = []

    def on_work(self, listener: Callable[[], None]) -> None:
        """Told after a commit that may let the distributor assign something."""
        self._wake_listeners.append(listener)

    def work_ahead(self, uow: QueuesUnitOfWork) -> None:
        for listener in self._wake_listeners:
            uow.after_commit(listener)

    async def enqueue(
        self,
        uow: QueuesUnitOfWork,
        conversation: Conversation,
        contact: Contact,
        queue_id: UUID,
        priority: int = 0,
        wait_timeout_minutes: int | None = None,
        fallback: FallbackAction | None = None,
        metadata: Mapping[str, Any] | None = None,
        actor_user_id: UUID | None = None,
    ) -> tuple[Entered | Refused, Conversation]:
        """Puts the conversation in the queue, or keeps the item it already has."""
        queue = await uow.queues.get(queue_id)
        if queue is None:
            raise NotFound("Queue", queue_id)
        if priority not in PRIORITIES:
            raise InvalidInput("priority is 0 (normal), 1 (high) or 2 (urgent)", field="priority")
        now = self._clock.now()
        # Before anything changes: a repeat must leave an assigned conversation with its agent.
        existing = await uow.queue_items.open_for(conversation.id)
        if existing is not None:
            return Entered(existing, kept=True), conversation
        conversation = await hand_to_people(uow, conversation, now)
        if not queue.is_open(now):
            uow.emit(_strained(queue, conversation, "closed"))
            conversation = await self._tell(
                uow, conversation, contact, queue.messages.outside_hours
            )
            if queue.outside_hours is OutsideHours.REFUSE:
                return Refused(f"queue '{queue.name}' is closed"), conversation
        if queue.max_size is not None and await uow.queue_items.waiting_count(queue.id) >= (
            queue.max_size
        ):
            uow.emit(_strained(queue, conversation, "full"))
            if queue.overflow_queue_id is not None and queue.overflow_queue_id != queue.id:
                return await self.enqueue(
                    uow,
                    conversation,
                    contact,
                    queue.overflow_queue_id,
                    priority,
                    wait_timeout_minutes,
                    fallback,
                    metadata,
                    actor_user_id,
                )
            conversation = await self._tell(uow, conversation, contact, queue.messages.queue_full)
            return Refused(f"queue '{queue.name}' is full"), conversation
        item = QueueItem(
            id=uuid.uuid4(),
            organization_id=conversation.organization_id,
            queue_id=queue.id,
            conversation_id=conversation.id,
            priority=priority,
            status=ItemStatus.WAITING,
            entered_at=now,
            wait_deadline=_wait_deadline(queue, now, wait_timeout_minutes),
            target_deadline=now + timedelta(seconds=queue.target_answer_seconds),
            fallback_action=fallback or _default_fallback(queue),
            metadata=dict(metadata or {}),
        )
        await uow.queue_items.add(item)
        await self.record(uow, item, HistoryKind.ENTERED, actor_user_id, None, {})
        if conversation.queue_id != queue.id:
            conversation = replace(conversation, queue_id=queue.id)
            await uow.conversations.save(conversation)
            uow.emit(conversation_updated(conversation, ("queue",)))
        conversation = await self._tell(uow, conversation, contact, queue.messages.welcome)
        self.work_ahead(uow)
        return Entered(item), conversation

    async def record(
        self,
        uow: QueuesUnitOfWork,
        item: QueueItem,
        kind: HistoryKind,
        actor_user_id: UUID | None,
        agent_id: UUID | None,
        details: Mapping[str, Any],
    ) -> None:
        await self.record_many(uow, [(item, kind, actor_user_id, agent_id, details)])

    async def record_many(
        self,
        uow: QueuesUnitOfWork,
        entries: list[tuple[QueueItem, HistoryKind, UUID | None, UUID | None, Mapping[str, Any]]],
    ) -> None:
        now = self._clock.now()
        await uow.queue_items.add_history(
            [
                HistoryEntry(item.id, item.queue_id, kind, now, actor, agent, dict(details))
                for item, kind, actor, agent, details in entries
            ]
        )
        for item, kind, actor, agent, details in entries:
            to_queue_id = details.get("toQueueId")
            uow.emit(
                QueueItemChanged(
                    organization_id=item.organization_id,
                    item_id=item.id,
                    queue_id=item.queue_id,
                    conversation_id=item.conversation_id,
                    change=kind.value,
                    status=item.status.value,
                    priority=item.priority,
                    agent_id=item.agent_id,
                    actor_user_id=actor,
                    history_agent_id=agent,
                    to_queue_id=UUID(to_queue_id) if to_queue_id else None,
                )
            )

    async def assign(
        self,
        uow: QueuesUnitOfWork,
        item: QueueItem,
        agent_id: UUID,
        decision: Mapping[str, Any] | None,
        actor_user_id: UUID | None,
    ) -> QueueItem:
        """Gives the item to the agent (the caller checked they may take it)."""
        return (await self.assign_many(uow, [(item, agent_id, decision)], actor_user_id))[0]

    async def assign_many(
        self,
        uow: QueuesUnitOfWork,
        assignments: list[tuple[QueueItem, UUID, Mapping[str, Any] | None]],
        actor_user_id: UUID | None,
        queues: Mapping[UUID, Queue] | None = None,
    ) -> list[QueueItem]:
        """Gives items to agents in a few statements whatever their number: a distribution
        round assigns hundreds at once (and passes the queues it has read)."""
        if not assignments:
            return []
        now = self._clock.now()
        if queues is None:
            queues = {queue.id: queue for queue in await uow.queues.list()}
        assigned = []
        for item, agent_id, decision in assignments:
            queue = queues.get(item.queue_id)
            reply_timeout = queue.agent_reply_timeout_minutes if queue else None
            assigned.append(
                replace(
                    item,
                    status=ItemStatus.ASSIGNED,
                    agent_id=agent_id,
                    assigned_at=item.assigned_at or now,
                    reply_deadline=now + timedelta(minutes=reply_timeout)
                    if reply_timeout
                    else None,
                    first_agent_reply_at=None,
                    routing_decision=_recorded(decision, item),
                )
            )
        await uow.queue_items.save_many(assigned)
        await uow.agents.assigned(
            sorted({item.agent_id for item in assigned if item.agent_id}), now
        )
        conversations = await uow.conversations.get_many([i.conversation_id for i in assigned])
        handed = []
        for item in assigned:
            conversation = conversations.get(item.conversation_id)
            if conversation is not None:
                handed.append(
                    replace(
                        conversation,
                        assignee_id=item.agent_id,
                        handed_off_at=now,
                        first_human_reply_at=None,
                        status=ConversationStatus.OPEN,
                        updated_at=now,
                    )
                )
        await uow.conversations.save_many(handed)
        for conversation in handed:
            uow.emit(conversation_updated(conversation, ("assignee", "status")))
        await self.record_many(
            uow,
            [
                (
                    item,
                    HistoryKind.REASSIGNED if original.agent_id else HistoryKind.ASSIGNED,
                    actor_user_id,
                    item.agent_id,
                    {},
                )
                for item, (original, _, decision) in zip(assigned, assignments, strict=True)
            ],
        )
        return assigned

    async def agent_replied(
        self, uow: QueuesUnitOfWork, conversation: Conversation, agent_id: UUID, at: datetime
    ) -> None:
        await uow.queue_items.agent_replied(conversation.id, agent_id, at)

    async def closed(
        self, uow: QueuesUnitOfWork, conversation: Conversation, actor_id: UUID | None
    ) -> None:
        """Resolving a conversation completes its queue item: its agent is free again."""
        item = await uow.queue_items.open_for(conversation.id)
        if item is not None:
            await self.finish(
                uow, item, ItemStatus.COMPLETED, HistoryKind.COMPLETED, actor_id, resolve=True
            )

    async def release_agent(self, uow: QueuesUnitOfWork, agent_id: UUID | None) -> None:
        if agent_id is not None:
            await uow.agents.released(agent_id, self._clock.now())
            self.work_ahead(uow)

    async def finish(
        self,
        uow: QueuesUnitOfWork,
        item: QueueItem,
        status: ItemStatus,
        kind: HistoryKind,
        actor_user_id: UUID | None,
        resolve: bool,
        details: Mapping[str, Any] | None = None,
    ) -> QueueItem:
        """Ends the item; `resolve` resolves its conversation, otherwise it goes back to the
        flows (unassigned, not handed off)."""
        now = self._clock.now()
        ended = replace(item, status=status, completed_at=now, reply_deadline=None)
        await uow.queue_items.save(ended)
        await self.release_agent(uow, item.agent_id)
        conversation = await uow.conversations.get(item.conversation_id)
        if conversation is not None and conversation.status in (
            ConversationStatus.OPEN,
            ConversationStatus.PENDING,
        ):
            if resolve:
                updated = replace(
                    conversation,
                    status=ConversationStatus.RESOLVED,
                    resolved_at=now,
                    snoozed_until=None,
                    updated_at=now,
                )
            else:
                updated = replace(
                    conversation,
                    status=ConversationStatus.OPEN,
                    assignee_id=None,
                    handed_off_at=None,
                    updated_at=now,
                )
            await uow.conversations.save(updated)
            uow.emit(conversation_updated(updated, ("status", "assignee")))
        await self.record(uow, ended, kind, actor_user_id, item.agent_id, details or {})
        return ended

    async def time_out(self, uow: QueuesUnitOfWork, item: QueueItem) -> None:
        """The item waited past its deadline: its fallback decides what happens."""
        queue = await uow.queues.get(item.queue_id)
        conversation = await uow.conversations.get(item.conversation_id)
        contact = await uow.contacts.get(conversation.contact_id) if conversation else None
        action = item.fallback_action
        overflow = queue.overflow_queue_id if queue else None
        if action is FallbackAction.OVERFLOW and overflow is not None and conversation and contact:
            await self.transfer(uow, item, overflow, None, {"reason": "wait timeout"})
            return
        if queue is not None and conversation is not None and contact is not None:
            await self._tell(uow, conversation, contact, queue.messages.wait_timeout)
        await self.finish(
            uow,
            item,
            ItemStatus.TIMED_OUT,
            HistoryKind.TIMED_OUT,
            None,
            resolve=action is not FallbackAction.RETURN_TO_FLOW,
            details={"fallback": action.value},
        )

    async def transfer(
        self,
        uow: QueuesUnitOfWork,
        item: QueueItem,
        to_queue_id: UUID,
        actor_user_id: UUID | None,
        details: Mapping[str, Any],
    ) -> tuple[Entered | Refused, QueueItem]:
        """Moves the conversation to another queue: this item ends as transferred and a new one
        enters there with the same priority."""
        now = self._clock.now()
        moved = replace(item, status=ItemStatus.TRANSFERRED, completed_at=now, reply_deadline=None)
        await uow.queue_items.save(moved)
        await self.release_agent(uow, item.agent_id)
        await self.record(
            uow,
            moved,
            HistoryKind.TRANSFERRED,
            actor_user_id,
            item.agent_id,
            {**details, "toQueueId": str(to_queue_id)},
        )
        conversation = await uow.conversations.get(item.conversation_id)
        contact = await uow.contacts.get(conversation.contact_id) if conversation else None
        if conversation is None or contact is None:
            raise NotFound("Conversation", item.conversation_id)
        conversation = replace(conversation, assignee_id=None)
        entered, _ = await self.enqueue(
            uow,
            conversation,
            contact,
            to_queue_id,
            item.priority,
            fallback=item.fallback_action,
            metadata={**item.metadata, "transferredFrom": str(item.queue_id)},
            actor_user_id=actor_user_id,
        )
        return entered, moved

    async def tell_positions(self, uow: QueuesUnitOfWork, queue: Queue) -> int:
        """Sends the queue's position update to waiting customers near the front whose place
        improved since they were last told (or who were never told); returns how many."""
        template = queue.messages.position_update
        if not template:
            return 0
        waiting = await uow.queue_items.waiting(queue.id, POSITIONS_TOLD)
        moved = [
            (position, item)
            for position, item in enumerate(waiting, start=1)
            if position < int(item.metadata.get("toldPosition", POSITIONS_TOLD + 1))
        ]
        if not moved:
            return 0
        conversations = await uow.conversations.get_many([i.conversation_id for _, i in moved])
        told = []
        for position, item in moved:
            conversation = conversations.get(item.conversation_id)
            contact = await uow.contacts.get(conversation.contact_id) if conversation else None
            if conversation is None or contact is None:
                continue
            text = template.replace("{{position}}", str(position))
            await self._tell(uow, conversation, contact, text)
            told.append(replace(item, metadata={**item.metadata, "toldPosition": position}))
        await uow.queue_items.save_many(told)
        return len(told)

    async def _tell(
        self, uow: QueuesUnitOfWork, conversation: Conversation, contact: Contact, text: str | None
    ) -> Conversation:
        """A queue message to the customer, when there is one and the window allows it."""
        if not text or not conversation.window_open(self._clock.now()):
            return conversation
        try:
            _, conversation = await self._messages.queue(
                uow, conversation, contact, TextContent(text)
            )
        except DomainError:
            return conversation
        return conversation


async def hand_to_people(
    uow: QueuesUnitOfWork, conversation: Conversation, now: datetime
) -> Conversation:
    """The conversation waits for an agent: pending, unassigned, handed off now (first response
    time counts from here); no flow answers it until it is resolved."""
    already = conversation.status is ConversationStatus.PENDING and conversation.handed_off_at
    if already and conversation.assignee_id is None:
        return conversation
    updated = replace(
        conversation,
        status=ConversationStatus.PENDING,
        assignee_id=None,
        handed_off_at=now,
        first_human_reply_at=None,
        updated_at=now,
    )
    await uow.conversations.save(updated)
    uow.emit(conversation_updated(updated, ("status", "assignee")))
    return updated


POSITIONS_TOLD = 10
"""Only customers this close to the front hear their position: further back it changes with
every assignment, and would be a stream of messages."""


def _strained(queue: Queue, conversation: Conversation, reason: str) -> QueueStrained:
    return QueueStrained(
        organization_id=queue.organization_id,
        queue_id=queue.id,
        conversation_id=conversation.id,
        reason=reason,
    )


def _wait_deadline(queue: Queue, now: datetime, flow_minutes: int | None) -> datetime | None:
    limits = [m for m in (flow_minutes, queue.max_wait_minutes) if m]
    return now + timedelta(minutes=min(limits)) if limits else None


def _default_fallback(queue: Queue) -> FallbackAction:
    return FallbackAction.OVERFLOW if queue.overflow_queue_id else FallbackAction.ABANDON


def _recorded(decision: Mapping[str, Any] | None, item: QueueItem) -> dict[str, Any] | None:
    """The distributor's decision, with the priority raise that put the item where it was."""
    escalation = item.metadata.get(SENTIMENT_ESCALATION)
    if decision is None and escalation is None:
        return None
    recorded = dict(decision or {})
    if escalation is not None:
        recorded[SENTIMENT_ESCALATION] = escalation
    return recorded
