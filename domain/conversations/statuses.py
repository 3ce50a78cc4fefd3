"""A message's delivery status, folded from the statuses Meta reports in any order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any
from uuid import UUID

from domain.conversations.events import MessageStatusUpdated
from domain.conversations.model import Conversation, Message
from domain.conversations.ports import ConversationsUnitOfWork
from domain.whatsapp.inbound import MessageStatus, StatusUpdate, advance

Settled = tuple[MessageStatus, dict[str, Any] | None]
"""A status a message moved to, with the error it carries."""


def moves(message: Message, updates: Sequence[StatusUpdate]) -> list[Settled]:
    """Each status the message moves to as the updates arrive in turn: statuses only move
    forward, and a failure keeps Meta's first error."""
    current, error = message.status, message.error
    moved_to: list[Settled] = []
    for update in updates:
        moved = advance(current, update.status)
        if moved is None:
            continue
        current = moved
        if moved is MessageStatus.FAILED and update.errors:
            error = update.errors[0]
        moved_to.append((current, error))
    return moved_to


async def settle_statuses(
    uow: ConversationsUnitOfWork,
    message: Message,
    updates: list[StatusUpdate] | None = None,
    conversation: Conversation | None = None,
) -> Message:
    """Fold statuses into a message and return it as it stands after them; with no list, every
    status recorded for its wamid, which is how statuses that arrived before the message are
    applied once it becomes known. The message's conversation, when the caller has it, spares
    reading it for the event."""
    if updates is None:
        updates = await uow.statuses.for_wamid(message.wamid) if message.wamid else []
    moved_to = moves(message, updates)
    if not moved_to:
        return message
    status, error = moved_to[-1]
    await uow.messages.set_status(message.id, status, error)
    uow.emit(await status_updated(uow, message, status, conversation))
    return replace(message, status=status, error=error)


async def settle_each_in_order(
    uow: ConversationsUnitOfWork,
    arrivals: Sequence[tuple[Message, list[StatusUpdate]]],
    conversations: Mapping[UUID, Conversation],
) -> None:
    """As if each status had arrived on its own: every move is announced, in order, and the
    messages' final statuses are stored with one statement for the whole batch."""
    settled: dict[UUID, Settled] = {}
    for message, updates in arrivals:
        conversation = conversations.get(message.conversation_id)
        moved_to = moves(message, updates)
        for status, _ in moved_to:
            uow.emit(await status_updated(uow, message, status, conversation))
        if moved_to:
            settled[message.id] = moved_to[-1]
    await uow.messages.set_statuses(settled)


async def status_updated(
    uow: ConversationsUnitOfWork,
    message: Message,
    status: MessageStatus,
    conversation: Conversation | None = None,
) -> MessageStatusUpdated:
    if conversation is None or conversation.id != message.conversation_id:
        conversation = await uow.conversations.get(message.conversation_id)
    return MessageStatusUpdated(
        organization_id=message.organization_id,
        conversation_id=message.conversation_id,
        message_id=message.id,
        status=status.value,
        assignee_id=conversation.assignee_id if conversation else None,
        queue_id=conversation.queue_id if conversation else None,
    )
