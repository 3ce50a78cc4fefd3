"""Applying a stored webhook delivery: contacts, conversations, messages and statuses.

Everything here is idempotent, so a delivery can be applied again after any failure: a wamid
is stored once, a (wamid, status) pair is recorded once, and statuses only move forward.
Each number's traffic is applied in one transaction of its organization.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from domain.clock import Clock
from domain.conversations.events import ConversationOpened, MessageChanged, MessageReceived
from domain.conversations.model import Direction, Message, conversation_updated
from domain.conversations.statuses import settle_one_by_one
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
                for outcome, number, change in changes:
                    await self._apply_messages(uow, number, change, outcome)
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

    async def _apply_messages(
        self,
        uow: FlowsUnitOfWork,
        number: WhatsAppNumber,
        change: NumberChange,
        outcome: DeliveryOutcome,
    ) -> None:
        for message in change.messages:
            if message.type in REVISIONS:
                await self._revise(uow, message, outcome)
            elif await self._receive(uow, number, change, message):
                outcome.messages_stored += 1
            else:
                outcome.duplicate_messages += 1

    async def _apply_statuses(
        self, uow: FlowsUnitOfWork, statuses: list[tuple[DeliveryOutcome, StatusUpdate]]
    ) -> None:
        """A batch's statuses, after its messages: recorded in one statement, their messages
        read in one, then each new status settled in arrival order. A status whose message is
        not known yet is kept, and settles when the message becomes known."""
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
        for wamid, updates in fresh.items():
            message = messages.get(wamid)
            if message is not None:
                await settle_one_by_one(
                    uow, message, updates, conversations.get(message.conversation_id)
                )

    async def _receive(
        self,
        uow: FlowsUnitOfWork,
        number: WhatsAppNumber,
        change: NumberChange,
        inbound: InboundMessage,
    ) -> bool:
        # A redelivery must not touch anything: above all it must not open a conversation
        # again after the first one was resolved. The insert below still settles races.
        if await uow.messages.get_by_wamid(inbound.wamid) is not None:
            return False
        now = self._clock.now()
        contact = await uow.contacts.upsert(change.contact_for(inbound), now)
        conversation, opened = await uow.conversations.open_for(number.id, contact.id, now)
        message = Message(
            id=uuid.uuid4(),
            organization_id=number.organization_id,
            conversation_id=conversation.id,
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
        if not await uow.messages.add_if_new(message):
            return False
        new_wa_id = inbound.content.get("newWaId")
        if inbound.type == "system" and isinstance(new_wa_id, str) and WA_ID.fullmatch(new_wa_id):
            await uow.contacts.change_wa_id(contact.id, new_wa_id, now)
        received = conversation.received(message.id, inbound.sent_at, now)
        await uow.conversations.save(received)
        if received.status is not conversation.status:
            uow.emit(conversation_updated(received, ("status",)))
        if opened:
            uow.emit(
                ConversationOpened(
                    organization_id=number.organization_id,
                    conversation_id=conversation.id,
                    number_id=number.id,
                    contact_id=contact.id,
                )
            )
        uow.emit(
            MessageReceived(
                organization_id=number.organization_id,
                conversation_id=conversation.id,
                message_id=message.id,
                wamid=inbound.wamid,
                message_type=inbound.type,
                assignee_id=conversation.assignee_id,
                queue_id=conversation.queue_id,
                unread_count=received.unread_count,
            )
        )
        if self._flows is not None:
            await self._flows.message_received(
                uow, received, contact, inbound.type, inbound.content
            )
        return True

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
        await uow.messages.revise(original.id, message_type, content)
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
