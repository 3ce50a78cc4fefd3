"""Reading conversations and their messages as an agent's screen shows them: each message with
its status history, the reactions attached to it, and the message it replies to."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.accounts.model import Actor
from domain.conversations.model import Contact, Conversation, Direction, Message
from domain.errors import NotFound
from domain.pagination import Edge, Page, PageRequest
from domain.ports import UnitOfWorkFactory
from domain.whatsapp.inbound import StatusUpdate
from domain.whatsapp.model import WhatsAppNumber


@dataclass(frozen=True)
class ConversationView:
    conversation: Conversation
    contact: Contact
    number: WhatsAppNumber | None
    """None once the number is disconnected; its conversations are kept."""


@dataclass(frozen=True)
class MessageView:
    message: Message
    status_history: list[StatusUpdate]
    reactions: list[Message]
    """The current reaction of each side (customer, business); a removed reaction is gone."""
    reply_to_id: UUID | None


def current_reactions(reactions: list[Message]) -> list[Message]:
    """WhatsApp keeps one reaction per person and message: the latest replaces the earlier one,
    and an empty emoji removes it."""
    latest: dict[Direction, Message] = {}
    for reaction in sorted(reactions, key=lambda m: (m.sent_at, m.created_at)):
        latest[reaction.direction] = reaction
    return [m for m in latest.values() if m.content.get("emoji")]


class ConversationReader:
    def __init__(self, unit_of_work: UnitOfWorkFactory) -> None:
        self._uow = unit_of_work

    async def conversation(self, actor: Actor, conversation_id: UUID) -> ConversationView | None:
        _, organization_id, _ = actor.require_user()
        async with self._uow(organization_id, read_only=True) as uow:
            conversation = await uow.conversations.get(conversation_id)
            if conversation is None:
                return None
            contact = await uow.contacts.get(conversation.contact_id)
            if contact is None:
                return None
            number = await uow.whatsapp_numbers.get(conversation.number_id)
        return ConversationView(conversation, contact, number)

    async def messages(
        self, actor: Actor, conversation_id: UUID, request: PageRequest
    ) -> Page[MessageView]:
        """A fixed number of statements per page, whatever its size: the page, then the status
        histories, reactions and replied-to ids of all its messages at once."""
        _, organization_id, _ = actor.require_user()
        size = request.size()
        async with self._uow(organization_id, read_only=True) as uow:
            if await uow.conversations.get(conversation_id) is None:
                raise NotFound("Conversation", conversation_id)
            page = await uow.messages.page(conversation_id, size, request)
            wamids = [e.node.wamid for e in page.edges if e.node.wamid]
            histories = await uow.statuses.for_wamids(wamids)
            reactions = await uow.messages.reactions_to(wamids)
            replied = await uow.messages.ids_by_wamid(
                [e.node.context_wamid for e in page.edges if e.node.context_wamid]
            )
        by_target: dict[str, list[Message]] = {}
        for reaction in reactions:
            if reaction.context_wamid:
                by_target.setdefault(reaction.context_wamid, []).append(reaction)
        edges = [
            Edge(
                edge.cursor,
                MessageView(
                    message=edge.node,
                    status_history=sorted(
                        histories.get(edge.node.wamid or "", []), key=lambda s: s.occurred_at
                    ),
                    reactions=current_reactions(by_target.get(edge.node.wamid or "", [])),
                    reply_to_id=replied.get(edge.node.context_wamid or ""),
                ),
            )
            for edge in page.edges
        ]
        return Page(edges, page.has_next_page, page.has_previous_page)
