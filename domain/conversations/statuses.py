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
    current = message.status
    error = message.error
    for update in updates:
        moved = advance(current, update.status)
        if moved is not None:
            current = moved
            error = update.errors[0] if moved is MessageStatus.FAILED and update.errors else error
    if current is message.status:
        return message
    await uow.messages.set_status(message.id, current, error)
    uow.emit(await status_updated(uow, message, current, conversation))
    return replace(message, status=current, error=error)


async def settle_each_in_order(
    uow: ConversationsUnitOfWork,
    arrivals: Sequence[tuple[Message, list[StatusUpdate]]],
    conversations: Mapping[UUID, Conversation],
) -> None:
    """As if each status had arrived on its own: every move is announced, in order, and the
    messages' final statuses are stored with one statement for the whole batch."""
    settled: dict[UUID, tuple[MessageStatus, dict[str, Any] | None]] = {}
    for message, updates in arrivals:
        current, error = message.status, message.error
        conversation = conversations.get(message.conversation_id)
        for update in updates:
            moved = advance(current, update.status)
            if moved is None:
                continue
            current = moved
            if moved is MessageStatus.FAILED and update.errors:
                error = update.errors[0]
            uow.emit(await status_updated(uow, message, current, conversation))
        if current is not message.status:
            settled[message.id] = (current, error)
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
