"""The outbox's records and what the sender does with Meta's answer to each send.

A send is a row written in the same transaction as the change that caused it. The sender worker
claims rows, calls Meta, and records the outcome here: the wamid (stored, together with any
status that raced it, before the row is done), a retry with backoff before the send's deadline,
a held send while the number's token is refused, or a failure with a sentence a person reads.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from uuid import UUID

from domain.clock import Clock
from domain.conversations.events import MessageAccepted
from domain.conversations.model import ClaimedSend, Message, SendStatus
from domain.conversations.ports import ConversationsUnitOfWork
from domain.conversations.statuses import settle_statuses, status_updated
from domain.secrets import SecretBox
from domain.unit_of_work import UnitOfWorkFactory
from domain.whatsapp.events import WhatsAppNumberUnhealthy
from domain.whatsapp.graph import GraphApi
from domain.whatsapp.inbound import MessageStatus
from domain.whatsapp.meta_errors import Disposition, GraphApiFailure, RetryPolicy

OUTBOUND_SHARE = 0.9
"""Meta's per-number throughput counts inbound and outbound messages alike (reference §7.1):
the sender paces its own sends at this share of it, leaving room for the customers' messages."""

UNKNOWN_OUTCOME = (
    "the sender stopped while Meta was handling this message, so it is not known whether it "
    "went out; it was not sent again, to avoid a duplicate"
)
DEADLINE_PASSED = "not sent before its deadline"
NUMBER_DISCONNECTED = "the WhatsApp number was disconnected before the message could be sent"


@dataclass(frozen=True)
class SendOutcome:
    """What one attempt came to: Meta's wamid, Meta's refusal, or PyTake's reason not to try."""

    wamid: str | None = None
    failure: GraphApiFailure | None = None
    refusal: str | None = None


class SenderService:
    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory[ConversationsUnitOfWork],
        secrets: SecretBox,
        graph: GraphApi,
        clock: Clock,
        retry_policy: RetryPolicy | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self._uow = unit_of_work
        self._secrets = secrets
        self._graph = graph
        self._clock = clock
        self._retry = retry_policy or RetryPolicy()
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not secrecy

    async def deliver(self, send: ClaimedSend) -> SendStatus:
        return await self.record(send, await self.attempt(send))

    async def attempt(self, send: ClaimedSend) -> SendOutcome:
        """Call Meta for a claimed row, unless it must not go."""
        if send.abandoned:
            return SendOutcome(refusal=UNKNOWN_OUTCOME)
        if not send.number_live:
            return SendOutcome(refusal=NUMBER_DISCONNECTED)
        if self._clock.now() >= send.deadline:
            return SendOutcome(refusal=DEADLINE_PASSED)
        token = self._secrets.open(send.access_token_sealed)
        try:
            wamid = await self._graph.send_message(send.phone_number_id, token, send.payload)
        except GraphApiFailure as failure:
            return SendOutcome(failure=failure)
        return SendOutcome(wamid=wamid)

    async def record(self, send: ClaimedSend, outcome: SendOutcome) -> SendStatus:
        """Record what happened. Safe to call again after a database outage: it never calls
        Meta, so recording twice cannot send twice."""
        if outcome.refusal is not None:
            return await self._fail(send, None, outcome.refusal, None)
        if outcome.failure is not None:
            return await self._failed_attempt(send, outcome.failure)
        return await self._accepted(send.organization_id, [(send, outcome.wamid)])

    async def record_many(self, results: list[tuple[ClaimedSend, SendOutcome]]) -> None:
        """Accepted sends are recorded with one transaction per organization: per-send
        transactions, not Meta, were what limited one sender. Failures are rare and recorded
        one by one."""
        accepted: dict[UUID, list[tuple[ClaimedSend, str | None]]] = {}
        for send, outcome in results:
            if outcome.refusal is None and outcome.failure is None:
                accepted.setdefault(send.organization_id, []).append((send, outcome.wamid))
            else:
                await self.record(send, outcome)
        for organization_id, sends in accepted.items():
            await self._accepted(organization_id, sends)

    async def _accepted(
        self, organization_id: UUID, sends: list[tuple[ClaimedSend, str | None]]
    ) -> SendStatus:
        wamid_of = {send.message_id: wamid for send, wamid in sends if send.message_id and wamid}
        async with self._uow(organization_id) as uow:
            # A status webhook can race Meta's answer: under the wamids' locks, either the
            # status finds its message or the settling below applies the status.
            await uow.messages.lock_wamids(list(wamid_of.values()))
            await uow.outbox.mark_sent(
                [(send.id, wamid) for send, wamid in sends], self._clock.now()
            )
            messages = await uow.messages.get_many(list(wamid_of))
            await uow.messages.set_wamids(
                {message_id: wamid_of[message_id] for message_id in messages}
            )
            early = await uow.statuses.for_wamids(list(wamid_of.values()))
            for message in messages.values():
                wamid = wamid_of[message.id]
                uow.emit(
                    MessageAccepted(
                        organization_id=organization_id,
                        conversation_id=message.conversation_id,
                        message_id=message.id,
                        wamid=wamid,
                    )
                )
                await settle_statuses(uow, replace(message, wamid=wamid), early.get(wamid, []))
            await uow.commit()
        return SendStatus.SENT

    async def _failed_attempt(self, send: ClaimedSend, failure: GraphApiFailure) -> SendStatus:
        disposition = failure.disposition
        if disposition is Disposition.CREDENTIALS:
            await self._hold_for_credentials(send, failure)
            return SendStatus.QUEUED
        if disposition is Disposition.RETRY:
            retry_at = self._clock.now() + self._retry.delay(failure, send.attempts - 1, self._rng)
            if retry_at < send.deadline:
                async with self._uow(send.organization_id) as uow:
                    await uow.outbox.retry_at(
                        send.id, retry_at, failure.code, str(failure), refund_attempt=False
                    )
                    await uow.commit()
                return SendStatus.QUEUED
            return await self._fail(
                send,
                failure.code,
                f"{DEADLINE_PASSED}: Meta kept answering that {failure.sentence}",
                failure,
            )
        return await self._fail(send, failure.code, failure.sentence, failure)

    async def _hold_for_credentials(self, send: ClaimedSend, failure: GraphApiFailure) -> None:
        """The row waits, not counted as an attempt, until a new token makes the number healthy
        again; claims skip unhealthy numbers, and the deadline still applies."""
        async with self._uow(send.organization_id) as uow:
            number = await uow.whatsapp_numbers.get(send.number_id)
            if number is not None and number.healthy:
                await uow.whatsapp_numbers.save(
                    replace(number, healthy=False, updated_at=self._clock.now())
                )
                uow.emit(
                    WhatsAppNumberUnhealthy(
                        organization_id=send.organization_id,
                        number_id=send.number_id,
                        reason=failure.sentence,
                    )
                )
            await uow.outbox.retry_at(
                send.id, None, failure.code, str(failure), refund_attempt=True
            )
            await uow.commit()

    async def _fail(
        self,
        send: ClaimedSend,
        code: int | None,
        sentence: str,
        failure: GraphApiFailure | None,
    ) -> SendStatus:
        async with self._uow(send.organization_id) as uow:
            await uow.outbox.fail(send.id, code, sentence)
            message = await self._message(uow, send)
            if message is not None and message.status is not MessageStatus.FAILED:
                error = (
                    failure.as_error()
                    if failure is not None
                    else {"code": None, "title": "Not sent", "message": sentence}
                )
                error["message"] = sentence
                await uow.messages.set_status(message.id, MessageStatus.FAILED, error)
                uow.emit(await status_updated(uow, message, MessageStatus.FAILED))
            await uow.commit()
        return SendStatus.FAILED

    @staticmethod
    async def _message(uow: ConversationsUnitOfWork, send: ClaimedSend) -> Message | None:
        return await uow.messages.get(send.message_id) if send.message_id is not None else None
