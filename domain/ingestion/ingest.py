"""Applying a stored webhook delivery: contacts, conversations, messages and statuses.

Everything here is idempotent, so a delivery can be applied again after any failure: a wamid
is stored once, a (wamid, status) pair is recorded once, and statuses only move forward.
Each number's traffic is applied in one transaction of its organization.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from domain.clock import Clock
from domain.conversations.events import ConversationOpened, MessageChanged, MessageReceived
from domain.conversations.model import (
    Contact,
    Conversation,
    Direction,
    Message,
    conversation_updated,
)
from domain.conversations.statuses import settle_each_in_order
from domain.flows.ports import FlowsUnitOfWork
from domain.unit_of_work import UnitOfWorkFactory
from domain.whatsapp.inbound import (
    INSTALLATION,
    REVISIONS,
    WA_ID,
    InboundMessage,
    MessageStatus,
    NumberChange,
    Signer,
    StatusUpdate,
    TemplateStatusChange,
    parse_delivery,
)
from domain.whatsapp.model import WhatsAppNumber
from domain.whatsapp.template_catalog import apply_template_status

if TYPE_CHECKING:
    from domain.flows.runner import FlowRunner


@dataclass
class DeliveryOutcome:
    """What applying a delivery did; kept with the delivery for operators."""

    messages_stored: int = 0
    messages_revised: int = 0
    duplicate_messages: int = 0
    statuses_recorded: int = 0
    templates_updated: int = 0
    unroutable_numbers: list[str] = field(default_factory=list)
    unsigned_numbers: list[str] = field(default_factory=list)
    ignored_fields: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def notes(self) -> dict[str, Any]:
        return {
            "messagesStored": self.messages_stored,
            "messagesRevised": self.messages_revised,
            "duplicateMessages": self.duplicate_messages,
            "statusesRecorded": self.statuses_recorded,
            "templatesUpdated": self.templates_updated,
            "unroutableNumbers": self.unroutable_numbers,
            "unsignedNumbers": self.unsigned_numbers,
            "ignoredFields": self.ignored_fields,
            "problems": self.problems,
        }


@dataclass(frozen=True)
class Arrival:
    """A customer message of a batch, with the delivery it came in."""

    outcome: DeliveryOutcome
    number: WhatsAppNumber
    change: NumberChange
    inbound: InboundMessage

    def message(self, conversation_id: uuid.UUID, now: datetime) -> Message:
        inbound = self.inbound
        return Message(
            id=uuid.uuid4(),
            organization_id=self.number.organization_id,
            conversation_id=conversation_id,
            direction=Direction.INBOUND,
            wamid=inbound.wamid,
            type=inbound.type,
            content=inbound.content,
            status=MessageStatus.DELIVERED,
            sent_at=inbound.sent_at,
            created_at=now,
            context_wamid=inbound.context_wamid,
            forwarded=inbound.forwarded,
            referral=inbound.referral,
            error=inbound.errors[0] if inbound.errors else None,
        )


class InboundService:
    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory[FlowsUnitOfWork],
        clock: Clock,
        flows: FlowRunner | None = None,
    ) -> None:
        self._uow = unit_of_work
        self._clock = clock
        self._flows = flows

    async def apply(
        self, payload: dict[str, Any], signer: Signer = INSTALLATION
    ) -> DeliveryOutcome:
        return (await self.apply_many([(payload, signer)]))[0]

    async def apply_many(
        self, deliveries: list[tuple[dict[str, Any], Signer]]
    ) -> list[DeliveryOutcome]:
        """Apply several deliveries with one transaction per organization: batching is what
        keeps the processor ahead of Meta's bursts. All or nothing per organization.

        A change is applied only for a number its delivery's signer speaks for; the others
        are noted as unsigned and left alone."""
        parsed = [(parse_delivery(payload), signer) for payload, signer in deliveries]
        outcomes = []
        for delivery, _ in parsed:
            outcome = DeliveryOutcome(
                ignored_fields=list(delivery.ignored_fields), problems=list(delivery.problems)
            )
            outcomes.append(outcome)
        numbers = await self._numbers(
            {c.phone_number_id for d, _ in parsed for c in d.number_changes}
            | {n for _, signer in parsed for n in signer.phone_number_ids or ()}
        )
        by_organization: dict[uuid.UUID, list[tuple[DeliveryOutcome, WhatsAppNumber, NumberChange]]]
        by_organization = {}
        for (delivery, signer), outcome in zip(parsed, outcomes, strict=True):
            for change in delivery.number_changes:
                number = numbers.get(change.phone_number_id)
                if not signer.covers(change.phone_number_id):
                    outcome.unsigned_numbers.append(change.phone_number_id)
                elif number is None:
                    outcome.unroutable_numbers.append(change.phone_number_id)
                else:
                    by_organization.setdefault(number.organization_id, []).append(
                        (outcome, number, change)
                    )
        for organization_id, changes in by_organization.items():
            async with self._uow(organization_id) as uow:
                await uow.messages.lock_wamids(
                    [status.wamid for _, _, change in changes for status in change.statuses]
                )
                await self._receive(
                    uow,
                    [
                        Arrival(outcome, number, change, message)
                        for outcome, number, change in changes
                        for message in change.messages
                        if message.type not in REVISIONS
                    ],
                )
                for outcome, _, change in changes:
                    for message in change.messages:
                        if message.type in REVISIONS:
                            await self._revise(uow, message, outcome)
                await self._apply_statuses(
                    uow,
                    [
                        (outcome, status)
                        for outcome, _, change in changes
                        for status in change.statuses
                    ],
                )
                await uow.commit()
        for (delivery, signer), outcome in zip(parsed, outcomes, strict=True):
            for template_change in delivery.template_changes:
                await self._apply_template_change(template_change, signer, numbers, outcome)
        return outcomes

    async def _apply_template_change(
        self,
        change: TemplateStatusChange,
        signer: Signer,
        numbers: dict[str, WhatsAppNumber],
        outcome: DeliveryOutcome,
    ) -> None:
        async with self._uow(read_only=True) as directory:
            organizations = await directory.number_directory.organizations_with_waba(change.waba_id)
        if not organizations:
            outcome.unroutable_numbers.append(f"waba:{change.waba_id}")
        if signer.phone_number_ids is not None:
            # A number's own secret speaks for its own organization's account, nobody else's.
            signed_for = {
                numbers[n].organization_id
                for n in signer.phone_number_ids
                if n in numbers and numbers[n].waba_id == change.waba_id
            }
            if set(organizations) - signed_for:
                outcome.unsigned_numbers.append(f"waba:{change.waba_id}")
            organizations = [o for o in organizations if o in signed_for]
        for organization_id in organizations:
            async with self._uow(organization_id) as uow:
                if await apply_template_status(uow, change, self._clock.now()):
                    outcome.templates_updated += 1
                    await uow.commit()
                else:
                    # Created in WhatsApp Manager, not through PyTake: the next sync brings it.
                    outcome.problems.append(
                        f"template {change.name} ({change.language}) is not known; sync templates"
                    )

    async def _numbers(self, phone_number_ids: set[str]) -> dict[str, WhatsAppNumber]:
        found = {}
        async with self._uow(read_only=True) as uow:
            for phone_number_id in phone_number_ids:
                number = await uow.number_directory.find_by_phone_number_id(phone_number_id)
                if number is not None:
                    found[phone_number_id] = number
        return found

    async def _apply_statuses(
        self, uow: FlowsUnitOfWork, statuses: list[tuple[DeliveryOutcome, StatusUpdate]]
    ) -> None:
        """A batch's statuses, after its messages: recorded in one statement, their messages
        read in one, each new status announced in arrival order, and the messages' statuses
        stored in one. A status whose message is not known yet is kept, and settles when the
        message becomes known."""
        if not statuses:
            return
        recorded = await uow.statuses.record_many(
            [status for _, status in statuses], self._clock.now()
        )
        fresh: dict[str, list[StatusUpdate]] = {}
        for outcome, status in statuses:
            key = (status.wamid, status.status.value)
            if key in recorded:
                recorded.discard(key)
                outcome.statuses_recorded += 1
                fresh.setdefault(status.wamid, []).append(status)
        messages = await uow.messages.by_wamids(list(fresh))
        conversations = await uow.conversations.get_many(
            list({message.conversation_id for message in messages.values()})
        )
        await settle_each_in_order(
            uow,
            [(messages[wamid], updates) for wamid, updates in fresh.items() if wamid in messages],
            conversations,
        )

    async def _receive(self, uow: FlowsUnitOfWork, arrivals: list[Arrival]) -> None:
        """A batch's customer messages with a few set-based statements whatever its size:
        the known wamids read at once, contacts and conversations upserted at once, the
        messages inserted at once, the conversations saved at once. Messages are taken in
        Meta's timestamp order, so each conversation receives them in the order they were
        sent. A redelivery touches nothing: above all it must not open a conversation again
        after the first one was resolved."""
        if not arrivals:
            return
        arrivals = sorted(arrivals, key=lambda arrival: arrival.inbound.sent_at)
        known = await uow.messages.by_wamids([arrival.inbound.wamid for arrival in arrivals])
        fresh: dict[str, Arrival] = {}
        for arrival in arrivals:
            if arrival.inbound.wamid in known or arrival.inbound.wamid in fresh:
                arrival.outcome.duplicate_messages += 1
            else:
                fresh[arrival.inbound.wamid] = arrival
        if not fresh:
            return
        now = self._clock.now()
        new = list(fresh.values())
        contacts = await uow.contacts.upsert_many(
            [arrival.change.contact_for(arrival.inbound) for arrival in new], now
        )
        pairs = [
            (arrival.number.id, contact.id) for arrival, contact in zip(new, contacts, strict=True)
        ]
        opened = await uow.conversations.open_many(list(dict.fromkeys(pairs)), now)
        messages = [
            arrival.message(opened[pair][0].id, now)
            for arrival, pair in zip(new, pairs, strict=True)
        ]
        stored = await uow.messages.add_new(messages)
        conversations: dict[uuid.UUID, Conversation] = {}
        for_flows: list[tuple[Arrival, Contact, uuid.UUID, uuid.UUID]] = []
        for arrival, contact, pair, message in zip(new, contacts, pairs, messages, strict=True):
            if message.id not in stored:
                # Stored by another process since this batch read the known wamids.
                arrival.outcome.duplicate_messages += 1
                continue
            arrival.outcome.messages_stored += 1
            new_wa_id = arrival.inbound.content.get("newWaId")
            is_system = arrival.inbound.type == "system"
            if is_system and isinstance(new_wa_id, str) and WA_ID.fullmatch(new_wa_id):
                await uow.contacts.change_wa_id(contact.id, new_wa_id, now)
            found, opened_by_batch = opened[pair]
            # Announced opened with the first of its messages only.
            first_message = found.id not in conversations
            before = conversations.get(found.id, found)
            conversations[found.id] = self._received(
                uow, arrival, contact, before, message, opened_by_batch and first_message, now
            )
            for_flows.append((arrival, contact, found.id, message.id))
        await uow.conversations.save_many(list(conversations.values()))
        if self._flows is None or not for_flows:
            return
        may_answer = await self._flows.may_answer(uow, list(conversations.values()))
        for arrival, contact, conversation_id, message_id in for_flows:
            if conversation_id in may_answer:
                conversations[conversation_id] = await self._flows.message_received(
                    uow,
                    conversations[conversation_id],
                    contact,
                    arrival.inbound.type,
                    arrival.inbound.content,
                    message_id,
                )

    @staticmethod
    def _received(
        uow: FlowsUnitOfWork,
        arrival: Arrival,
        contact: Contact,
        conversation: Conversation,
        message: Message,
        opened: bool,
        now: datetime,
    ) -> Conversation:
        """The conversation after one stored customer message, with the events that tell it."""
        organization_id = conversation.organization_id
        received = conversation.received(message.id, arrival.inbound.sent_at, now)
        if received.status is not conversation.status:
            uow.emit(conversation_updated(received, ("status",)))
        if opened:
            uow.emit(
                ConversationOpened(
                    organization_id=organization_id,
                    conversation_id=conversation.id,
                    number_id=conversation.number_id,
                    contact_id=contact.id,
                )
            )
        uow.emit(
            MessageReceived(
                organization_id=organization_id,
                conversation_id=conversation.id,
                message_id=message.id,
                wamid=arrival.inbound.wamid,
                message_type=arrival.inbound.type,
                assignee_id=conversation.assignee_id,
                queue_id=conversation.queue_id,
                unread_count=received.unread_count,
            )
        )
        return received

    async def _revise(
        self, uow: FlowsUnitOfWork, revision: InboundMessage, outcome: DeliveryOutcome
    ) -> None:
        """The customer edited or deleted an earlier message: it changes in place (an edit
        takes the new content; a deletion keeps nothing of what was said) and the inboxes are
        told. Applying it again changes nothing more."""
        original_wamid = str(revision.content["originalWamid"])
        original = await uow.messages.get_by_wamid(original_wamid)
        if original is None:
            outcome.problems.append(
                f"{revision.type} {revision.wamid} names message {original_wamid}, "
                "which PyTake does not have"
            )
            return
        at = revision.sent_at.isoformat()
        if revision.type == "revoke":
            message_type, content, change = original.type, {"deletedAt": at}, "deleted"
        else:
            message_type = str(revision.content["type"])
            content = {**revision.content["content"], "editedAt": at}
            change = "edited"
        if "deletedAt" in original.content or (message_type, content) == (
            original.type,
            original.content,
        ):
            # Meta's retry of the same revision, or an edit that arrived after the deletion.
            return
        revised = replace(original, type=message_type, content=content)
        score_again_at = self._clock.now() if change == "edited" and revised.scored else None
        await uow.messages.revise(original.id, message_type, content, score_again_at)
        conversation = await uow.conversations.get(original.conversation_id)
        uow.emit(
            MessageChanged(
                organization_id=original.organization_id,
                conversation_id=original.conversation_id,
                message_id=original.id,
                change=change,
                assignee_id=conversation.assignee_id if conversation else None,
                queue_id=conversation.queue_id if conversation else None,
            )
        )
        outcome.messages_revised += 1
