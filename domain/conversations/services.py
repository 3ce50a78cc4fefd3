"""What agents and supervisors do to conversations: reply, mark read, change status, assign,
note and label. Every change is audited and announced as an event.

Who sees what: supervisors, admins and owners see every conversation of their organization;
an agent sees the conversations assigned to them and those of their queues (the queue a
conversation was last routed to). A conversation an agent may not see is reported as not
found, like another organization's.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, Generic
from uuid import UUID

from domain.accounts.model import SUPERVISING_ROLES, Actor
from domain.audit import AuditEntry
from domain.clock import Clock
from domain.conversations.events import AgentTyping
from domain.conversations.messaging import MessagingService, OutgoingContent
from domain.conversations.model import (
    AgentScope,
    Conversation,
    ConversationStatus,
    Message,
    Note,
    conversation_updated,
)
from domain.conversations.ports import ConversationsUnitOfWork, ConversationWork, Work
from domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from domain.unit_of_work import UnitOfWorkFactory

MAX_NOTE = 10_000
MAX_LABELS = 20
MAX_LABEL = 50
MAX_CLIENT_MESSAGE_ID = 100
TYPING_LIFETIME = timedelta(seconds=25)
"""Meta dismisses its typing indicator after 25 seconds; agents' indicators do the same."""


async def agent_scope(uow: ConversationsUnitOfWork, actor: Actor) -> AgentScope | None:
    """What the caller may see; None for supervisors and up, who see every conversation."""
    user_id, _, role = actor.require_user()
    if role in SUPERVISING_ROLES:
        return None
    return AgentScope(user_id, await uow.agents.queue_ids_of(user_id))


def sees(scope: AgentScope | None, conversation: Conversation) -> bool:
    return scope is None or scope.sees(conversation)


async def visible_conversation(
    uow: ConversationsUnitOfWork, actor: Actor, conversation_id: UUID
) -> Conversation:
    conversation = await uow.conversations.get(conversation_id)
    if conversation is None or not sees(await agent_scope(uow, actor), conversation):
        raise NotFound("Conversation", conversation_id)
    return conversation


class ConversationService(Generic[Work]):
    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory[Work],
        clock: Clock,
        messaging: MessagingService[Work],
        work: ConversationWork[Work] | None = None,
    ) -> None:
        self._uow = unit_of_work
        self._clock = clock
        self._messaging = messaging
        self._work = work

    async def send(
        self,
        actor: Actor,
        conversation_id: UUID,
        content: OutgoingContent,
        client_message_id: str | None = None,
        reply_to: UUID | None = None,
    ) -> Message:
        """A retried request with the same clientMessageId returns the message it created."""
        message, _ = await self.send_once(
            actor, conversation_id, content, client_message_id, reply_to
        )
        return message

    async def send_once(
        self,
        actor: Actor,
        conversation_id: UUID,
        content: OutgoingContent,
        client_message_id: str | None = None,
        reply_to: UUID | None = None,
    ) -> tuple[Message, bool]:
        """As `send`, and whether this call created the message (False for a retry that found
        the one an earlier call created), so what counts sends counts each once."""
        user_id, organization_id, _ = actor.require_user()
        if client_message_id is not None and not 1 <= len(client_message_id) <= (
            MAX_CLIENT_MESSAGE_ID
        ):
            raise InvalidInput(
                f"clientMessageId must have 1 to {MAX_CLIENT_MESSAGE_ID} characters",
                field="clientMessageId",
            )
        async with self._uow(organization_id, read_only=True) as uow:
            scope = await agent_scope(uow, actor)
            conversation = await visible_conversation(uow, actor, conversation_id)
            if scope is not None and not scope.replies_in(conversation):
                raise Forbidden(
                    "Agents reply only in conversations assigned to them; ask a supervisor to "
                    "assign this one to you"
                )
            earlier = await self._earlier(uow, conversation_id, client_message_id)
        if earlier is not None:
            return earlier, False
        try:
            created = await self._messaging.send(
                organization_id,
                conversation_id,
                content,
                reply_to,
                sender_user_id=user_id,
                client_message_id=client_message_id,
                audit=self._entry(actor, conversation_id, "message.send", {}),
            )
        except Conflict:
            async with self._uow(organization_id, read_only=True) as uow:
                earlier = await self._earlier(uow, conversation_id, client_message_id)
            if earlier is None:
                raise
            return earlier, False
        return created, True

    async def _earlier(
        self, uow: ConversationsUnitOfWork, conversation_id: UUID, client_message_id: str | None
    ) -> Message | None:
        if client_message_id is None:
            return None
        earlier = await uow.messages.by_client_message_id(client_message_id)
        if earlier is not None and earlier.conversation_id != conversation_id:
            raise Conflict(
                "this clientMessageId was already used for another conversation",
                field="clientMessageId",
            )
        return earlier

    async def mark_read(self, actor: Actor, conversation_id: UUID) -> Conversation:
        _, organization_id, _ = actor.require_user()
        async with self._uow(organization_id, read_only=True) as uow:
            await visible_conversation(uow, actor, conversation_id)
        return await self._messaging.mark_read(
            organization_id,
            conversation_id,
            audit=self._entry(actor, conversation_id, "conversation.mark_read", {}),
        )

    async def typing(self, actor: Actor, conversation_id: UUID, typing: bool) -> Conversation:
        """Shows the other agents watching the conversation that the caller is typing, and,
        when starting, the customer too: Meta's typing indicator always travels with a read
        receipt of their latest message (reference §5.3), so it also marks the conversation
        read. A start expires after Meta's 25 seconds unless renewed."""
        user_id, organization_id, _ = actor.require_user()
        async with self._uow(organization_id, read_only=True) as uow:
            conversation = await visible_conversation(uow, actor, conversation_id)
        if typing:
            conversation = await self._messaging.mark_read(
                organization_id, conversation_id, typing=True
            )
        async with self._uow(organization_id) as uow:
            uow.emit(
                AgentTyping(
                    organization_id=organization_id,
                    conversation_id=conversation_id,
                    user_id=user_id,
                    typing=typing,
                    expires_at=self._clock.now() + TYPING_LIFETIME,
                    assignee_id=conversation.assignee_id,
                    queue_id=conversation.queue_id,
                )
            )
            uow.audit(
                self._entry(actor, conversation_id, "conversation.typing", {"typing": typing})
            )
            await uow.commit()
        return conversation

    async def update_status(
        self,
        actor: Actor,
        conversation_id: UUID,
        status: ConversationStatus,
        snoozed_until: datetime | None,
    ) -> Conversation:
        now = self._clock.now()
        if snoozed_until is not None and (
            status is not ConversationStatus.PENDING or snoozed_until <= now
        ):
            raise InvalidInput(
                "snoozedUntil is a future time, and only for PENDING conversations",
                field="snoozedUntil",
            )

        closing = status in (ConversationStatus.RESOLVED, ConversationStatus.CLOSED)

        def change(conversation: Conversation) -> Conversation:
            return replace(
                conversation,
                status=status,
                snoozed_until=snoozed_until,
                resolved_at=now if closing else None,
            )

        async def complete_work(uow: Work, conversation: Conversation) -> None:
            if closing and self._work is not None:
                await self._work.closed(uow, conversation, actor.user_id)

        return await self._change(
            actor,
            conversation_id,
            change,
            ("status",),
            "conversation.status_update",
            {
                "status": status.value,
                "snoozedUntil": snoozed_until.isoformat() if snoozed_until else None,
            },
            then=complete_work,
        )

    async def wake_snoozed(self, organization_id: UUID) -> int:
        """Reopens the organization's conversations whose snooze has passed, announcing each."""
        now = self._clock.now()
        async with self._uow(organization_id) as uow:
            due = await uow.conversations.snoozes_due(now)
            for conversation in due:
                woken = conversation.woken(now)
                await uow.conversations.save(woken)
                uow.emit(conversation_updated(woken, ("status",)))
            await uow.commit()
        return len(due)

    async def assign(
        self, actor: Actor, conversation_id: UUID, agent_id: UUID | None
    ) -> Conversation:
        """Supervisors hand a conversation to an active member of the organization (or take it
        back with no agent); first response time counts from this handoff."""
        _, organization_id, _ = actor.require_role(SUPERVISING_ROLES)
        if agent_id is not None:
            async with self._uow(organization_id, read_only=True) as uow:
                agent = await uow.users.get(agent_id)
            if agent is None or not agent.is_active:
                raise NotFound("User", agent_id)
        now = self._clock.now()

        def change(conversation: Conversation) -> Conversation:
            handoff = agent_id is not None and agent_id != conversation.assignee_id
            return replace(
                conversation,
                assignee_id=agent_id,
                handed_off_at=now if handoff else conversation.handed_off_at,
                first_human_reply_at=None if handoff else conversation.first_human_reply_at,
            )

        return await self._change(
            actor,
            conversation_id,
            change,
            ("assignee",),
            "conversation.assign",
            {"assigneeId": str(agent_id) if agent_id else None},
        )

    async def set_labels(
        self, actor: Actor, conversation_id: UUID, labels: list[str]
    ) -> Conversation:
        cleaned = tuple(dict.fromkeys(label.strip() for label in labels if label.strip()))
        if len(cleaned) > MAX_LABELS or any(len(label) > MAX_LABEL for label in cleaned):
            raise InvalidInput(
                f"at most {MAX_LABELS} labels of {MAX_LABEL} characters each", field="labels"
            )
        return await self._change(
            actor,
            conversation_id,
            lambda conversation: replace(conversation, labels=cleaned),
            ("labels",),
            "conversation.labels_set",
            {"labels": list(cleaned)},
        )

    async def add_note(self, actor: Actor, conversation_id: UUID, body: str) -> Note:
        user_id, organization_id, _ = actor.require_user()
        text = body.strip()
        if not 1 <= len(text) <= MAX_NOTE:
            raise InvalidInput(f"a note has 1 to {MAX_NOTE} characters", field="body")
        note = Note(
            uuid.uuid4(), organization_id, conversation_id, user_id, text, self._clock.now()
        )
        async with self._uow(organization_id) as uow:
            conversation = await visible_conversation(uow, actor, conversation_id)
            await uow.notes.add(note)
            self._emit(uow, conversation, ("notes",), actor.user_id)
            uow.audit(self._entry(actor, conversation_id, "conversation.note_add", {}))
            await uow.commit()
        return note

    async def notes(self, actor: Actor, conversation_id: UUID) -> list[Note]:
        _, organization_id, _ = actor.require_user()
        async with self._uow(organization_id, read_only=True) as uow:
            await visible_conversation(uow, actor, conversation_id)
            return await uow.notes.for_conversation(conversation_id)

    async def _change(
        self,
        actor: Actor,
        conversation_id: UUID,
        change: Callable[[Conversation], Conversation],
        changed: tuple[str, ...],
        action: str,
        audit_changes: dict[str, Any],
        then: Callable[[Work, Conversation], Awaitable[None]] | None = None,
    ) -> Conversation:
        _, organization_id, _ = actor.require_user()
        async with self._uow(organization_id) as uow:
            conversation = await visible_conversation(uow, actor, conversation_id)
            updated = replace(change(conversation), updated_at=self._clock.now())
            await uow.conversations.save(updated)
            self._emit(uow, updated, changed, actor.user_id)
            if then is not None:
                await then(uow, updated)
            uow.audit(self._entry(actor, conversation_id, action, audit_changes))
            await uow.commit()
        return updated

    @staticmethod
    def _emit(
        uow: ConversationsUnitOfWork,
        conversation: Conversation,
        changed: tuple[str, ...],
        changed_by: UUID | None,
    ) -> None:
        uow.emit(conversation_updated(conversation, changed, changed_by))

    def _entry(
        self, actor: Actor, conversation_id: UUID, action: str, changes: dict[str, Any]
    ) -> AuditEntry:
        _, organization_id, _ = actor.require_user()
        return AuditEntry(
            organization_id=organization_id,
            action=action,
            target_type="conversation",
            target_id=str(conversation_id),
            occurred_at=self._clock.now(),
            actor_user_id=actor.user_id,
            client_ip=actor.client_ip,
            changes=changes,
        )
