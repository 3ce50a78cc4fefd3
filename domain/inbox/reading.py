"""Reading conversations and their messages as an agent's screen shows them: each message with
its status history, the reactions attached to it, and the message it replies to."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from statistics import median
from uuid import UUID

from domain.accounts.model import Actor, User
from domain.conversations.model import (
    AgentScope,
    Contact,
    Conversation,
    ConversationFilter,
    ConversationStatus,
    Direction,
    Message,
)
from domain.conversations.services import agent_scope, sees, visible_conversation
from domain.conversations.signals import ConversationSentiment, MessageSignals
from domain.errors import InvalidInput
from domain.flows.ports import FlowsUnitOfWork
from domain.flows.sessions import FlowSession
from domain.pagination import Edge, Page, PageRequest
from domain.queues.model import Queue
from domain.unit_of_work import UnitOfWorkFactory
from domain.whatsapp.inbound import StatusUpdate
from domain.whatsapp.model import WhatsAppNumber


@dataclass(frozen=True)
class ConversationView:
    conversation: Conversation
    contact: Contact
    number: WhatsAppNumber | None
    """None once the number is disconnected; its conversations are kept."""
    queue: Queue | None = None
    """The queue it was last routed to; None when it never was or the queue was deleted."""


@dataclass(frozen=True)
class ConversationListItem:
    view: ConversationView
    assignee: User | None
    last_message: MessageView | None
    flow_session: FlowSession | None = None
    """The bot's session running in it, if any."""
    sentiment: ConversationSentiment | None = None
    """None until one of its customer's texts has been scored."""


@dataclass(frozen=True)
class ConversationStats:
    by_status: dict[ConversationStatus, int]
    unread_total: int
    waiting_for_first_human_reply: int
    median_first_response: timedelta | None
    median_resolution: timedelta | None
    first_responses: int
    resolutions: int


@dataclass(frozen=True)
class MessageView:
    message: Message
    status_history: list[StatusUpdate]
    reactions: list[Message]
    """The current reaction of each side (customer, business); a removed reaction is gone."""
    reply_to_id: UUID | None
    signals: MessageSignals | None = None
    """What was read in a customer's text; None for the rest, and until it is scored."""


def median_of(durations: list[timedelta]) -> timedelta | None:
    if not durations:
        return None
    return timedelta(seconds=median(d.total_seconds() for d in durations))


def current_reactions(reactions: list[Message]) -> list[Message]:
    """WhatsApp keeps one reaction per person and message: the latest replaces the earlier one,
    and an empty emoji removes it."""
    latest: dict[Direction, Message] = {}
    for reaction in sorted(reactions, key=lambda m: (m.sent_at, m.created_at)):
        latest[reaction.direction] = reaction
    return [m for m in latest.values() if m.content.get("emoji")]


class ConversationReader:
    def __init__(self, unit_of_work: UnitOfWorkFactory[FlowsUnitOfWork]) -> None:
        self._uow = unit_of_work

    async def conversation(
        self, actor: Actor, conversation_id: UUID
    ) -> ConversationListItem | None:
        return (await self.conversations(actor, [conversation_id])).get(conversation_id)

    async def conversations(
        self, actor: Actor, conversation_ids: list[UUID]
    ) -> dict[UUID, ConversationListItem]:
        """Those the caller may see, as the inbox lists them, in a fixed number of statements
        whatever their number (a queue monitor shows hundreds)."""
        _, organization_id, _ = actor.require_user()
        async with self._uow(organization_id, read_only=True) as uow:
            scope = await agent_scope(uow, actor)
            conversations = [
                conversation
                for conversation in (await uow.conversations.get_many(conversation_ids)).values()
                if sees(scope, conversation)
            ]
            if not conversations:
                return {}
            contacts = await uow.contacts.get_many(list({c.contact_id for c in conversations}))
            numbers = {number.id: number for number in await uow.whatsapp_numbers.list()}
            queues = {queue.id: queue for queue in await uow.queues.list()}
            assignees = await uow.users.get_many(
                list({c.assignee_id for c in conversations if c.assignee_id})
            )
            last_messages = await uow.messages.get_many(
                [c.last_message_id for c in conversations if c.last_message_id]
            )
            views = await _message_views(uow, list(last_messages.values()))
            sessions = await uow.flow_sessions.active_in([c.id for c in conversations])
            sentiments = await uow.signals.for_conversations([c.id for c in conversations])
        return {
            conversation.id: ConversationListItem(
                ConversationView(
                    conversation,
                    contacts[conversation.contact_id],
                    numbers.get(conversation.number_id),
                    queues.get(conversation.queue_id) if conversation.queue_id else None,
                ),
                assignees.get(conversation.assignee_id) if conversation.assignee_id else None,
                views.get(conversation.last_message_id) if conversation.last_message_id else None,
                sessions.get(conversation.id),
                sentiments.get(conversation.id),
            )
            for conversation in conversations
            if conversation.contact_id in contacts
        }

    async def scope(self, actor: Actor) -> AgentScope | None:
        """What the caller may see; None for supervisors and up."""
        _, organization_id, _ = actor.require_user()
        async with self._uow(organization_id, read_only=True) as uow:
            return await agent_scope(uow, actor)

    async def stats(
        self, actor: Actor, since: datetime, until: datetime | None
    ) -> ConversationStats:
        """Status counts, unread total and waiting conversations are the current state; the
        medians cover first replies and resolutions that happened in [since, until)."""
        _, organization_id, _ = actor.require_user()
        if until is not None and until <= since:
            raise InvalidInput("the period's end must come after its start", field="period")
        async with self._uow(organization_id, read_only=True) as uow:
            sample = await uow.conversations.stats(await agent_scope(uow, actor), since, until)
        return ConversationStats(
            by_status=sample.by_status,
            unread_total=sample.unread_total,
            waiting_for_first_human_reply=sample.waiting_for_first_human_reply,
            median_first_response=median_of(sample.first_responses),
            median_resolution=median_of(sample.resolutions),
            first_responses=len(sample.first_responses),
            resolutions=len(sample.resolutions),
        )

    async def page(
        self,
        actor: Actor,
        conversation_filter: ConversationFilter,
        request: PageRequest,
        now: datetime,
    ) -> Page[ConversationListItem]:
        """A fixed number of statements whatever the page size: the page (with contacts and
        last messages), its assignees, the numbers, the queues, the last messages' details,
        the bot's sessions and the sentiments; for an agent, one more for their queues."""
        _, organization_id, _ = actor.require_user()
        size = request.size()
        async with self._uow(organization_id, read_only=True) as uow:
            conversation_filter = replace(
                conversation_filter, visible_to=await agent_scope(uow, actor)
            )
            page = await uow.conversations.page(conversation_filter, size, request, now)
            summaries = [edge.node for edge in page.edges]
            assignees = await uow.users.get_many(
                list({s.conversation.assignee_id for s in summaries if s.conversation.assignee_id})
            )
            numbers = {number.id: number for number in await uow.whatsapp_numbers.list()}
            queues = {queue.id: queue for queue in await uow.queues.list()}
            views = await _message_views(
                uow, [s.last_message for s in summaries if s.last_message is not None]
            )
            sessions = await uow.flow_sessions.active_in([s.conversation.id for s in summaries])
            sentiments = await uow.signals.for_conversations([s.conversation.id for s in summaries])
        items = [
            Edge(
                edge.cursor,
                ConversationListItem(
                    view=ConversationView(
                        edge.node.conversation,
                        edge.node.contact,
                        numbers.get(edge.node.conversation.number_id),
                        queues.get(edge.node.conversation.queue_id)
                        if edge.node.conversation.queue_id
                        else None,
                    ),
                    assignee=assignees.get(edge.node.conversation.assignee_id)
                    if edge.node.conversation.assignee_id
                    else None,
                    last_message=views.get(edge.node.last_message.id)
                    if edge.node.last_message
                    else None,
                    flow_session=sessions.get(edge.node.conversation.id),
                    sentiment=sentiments.get(edge.node.conversation.id),
                ),
            )
            for edge in page.edges
        ]
        return Page(items, page.has_next_page, page.has_previous_page)

    async def messages(
        self, actor: Actor, conversation_id: UUID, request: PageRequest
    ) -> Page[MessageView]:
        """A fixed number of statements per page, whatever its size: the page, then the status
        histories, reactions and replied-to ids of all its messages at once."""
        _, organization_id, _ = actor.require_user()
        size = request.size()
        async with self._uow(organization_id, read_only=True) as uow:
            await visible_conversation(uow, actor, conversation_id)
            page = await uow.messages.page(conversation_id, size, request)
            views = await _message_views(uow, [edge.node for edge in page.edges])
        edges = [Edge(edge.cursor, views[edge.node.id]) for edge in page.edges]
        return Page(edges, page.has_next_page, page.has_previous_page)


async def _message_views(uow: FlowsUnitOfWork, messages: list[Message]) -> dict[UUID, MessageView]:
    """Status histories, reactions, replied-to ids and signals of all the messages in four
    statements."""
    wamids = [m.wamid for m in messages if m.wamid]
    signals = await uow.signals.for_messages([m.id for m in messages if m.scored])
    histories = await uow.statuses.for_wamids(wamids)
    reactions = await uow.messages.reactions_to(wamids)
    replied = await uow.messages.ids_by_wamid(
        [m.context_wamid for m in messages if m.context_wamid]
    )
    by_target: dict[str, list[Message]] = {}
    for reaction in reactions:
        if reaction.context_wamid:
            by_target.setdefault(reaction.context_wamid, []).append(reaction)
    return {
        message.id: MessageView(
            message=message,
            status_history=sorted(
                histories.get(message.wamid or "", []), key=lambda s: s.occurred_at
            ),
            reactions=current_reactions(by_target.get(message.wamid or "", [])),
            reply_to_id=replied.get(message.context_wamid or ""),
            signals=signals.get(message.id),
        )
        for message in messages
    }
