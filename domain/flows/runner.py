"""Flows answering for real: the pure engine driven by stored sessions.

A customer message is answered in the transaction that stores it, so the message, the session's
next state, its log and the replies (written to the outbox) commit together or not at all, and a
redelivered webhook never answers twice. Conversations are serialized by their row, which the
inbound transaction has already updated. Flow failures never cost the message: the flow's part
runs in a savepoint and is dropped, logged, if it fails.

Timers (inactivity expiry, question timeouts) and HTTP requests are due sessions that a worker
claims (`wake`); an HTTP request runs outside any transaction and its response is applied only
if the session still waits for that very call.
"""

from __future__ import annotations

import logging
import uuid
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, Protocol
from uuid import UUID

from domain.clock import Clock
from domain.conversations.messaging import MessageQueue
from domain.conversations.model import Contact, Conversation, conversation_updated
from domain.conversations.services import MAX_LABEL, MAX_LABELS
from domain.errors import DomainError, ServiceUnavailable
from domain.flows.engine import (
    CallHttp,
    CustomerMessage,
    FlowEngine,
    HttpOutcome,
    LabelConversation,
    Outcome,
    RunContext,
    Send,
    SessionState,
    SessionStatus,
    SignalsRead,
    Tick,
    TransferToQueue,
    WaitingFor,
)
from domain.flows.events import FlowSessionUpdated
from domain.flows.model import FlowKind, KeywordTrigger, RunnableFlow, TemplateTrigger, parse_flow
from domain.flows.ports import FlowsUnitOfWork
from domain.flows.routing import (
    ActiveSession,
    Continue,
    KeywordFlow,
    NoReply,
    Start,
    UniversalFlow,
    route,
)
from domain.flows.sessions import (
    FlowSession,
    FlowStep,
    PendingCall,
    customer_message,
    effect_log,
)
from domain.queues.routing import QueueRouting, Refused, hand_to_people
from domain.schedules import FallbackAction
from domain.unit_of_work import UnitOfWorkFactory

logger = logging.getLogger(__name__)

HTTP_CLAIM_MARGIN = timedelta(seconds=30)
"""How long past its timeout a call may take before another worker makes it again."""


class FlowHttpClient(Protocol):
    async def call(self, call: CallHttp) -> HttpOutcome:
        """Makes the request; every failure is an outcome with an error, never an exception."""
        ...


class EngineCache:
    """Published versions never change, so each process parses a version once."""

    def __init__(self, size: int = 512) -> None:
        self._size = size
        self._engines: OrderedDict[tuple[UUID, int], FlowEngine | None] = OrderedDict()

    async def engine(self, uow: FlowsUnitOfWork, flow_id: UUID, version: int) -> FlowEngine | None:
        key = (flow_id, version)
        if key in self._engines:
            self._engines.move_to_end(key)
            return self._engines[key]
        stored = await uow.flows.version(flow_id, version)
        engine = None
        if stored is not None:
            graph = parse_flow(stored.document).graph
            engine = FlowEngine(graph) if len(graph.triggers) == 1 else None
        self._engines[key] = engine
        if len(self._engines) > self._size:
            self._engines.popitem(last=False)
        return engine


class FlowRunner:
    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory[FlowsUnitOfWork],
        clock: Clock,
        queue: MessageQueue,
        http: FlowHttpClient | None = None,
        engines: EngineCache | None = None,
        queues: QueueRouting | None = None,
    ) -> None:
        self._uow = unit_of_work
        self._clock = clock
        self._queue = queue
        self._http = http
        self._engines = engines or EngineCache()
        self._queues = queues
        self._http_listeners: list[Callable[[], None]] = []

    def on_http_requested(self, listener: Callable[[], None]) -> None:
        """Told after a commit that left an HTTP call to make, so a worker makes it at once."""
        self._http_listeners.append(listener)

    async def message_received(
        self,
        uow: FlowsUnitOfWork,
        conversation: Conversation,
        contact: Contact,
        message_type: str,
        content: Mapping[str, Any],
        message_id: UUID | None = None,
    ) -> Conversation:
        """Answers a customer message just stored; returns the conversation as it now is."""
        said = customer_message(message_type, content)
        if said is None:
            return conversation
        if message_id is not None:
            said = replace(said, message_id=str(message_id))
        try:
            async with uow.savepoint():
                return await self._answer(uow, conversation, contact, said)
        except ServiceUnavailable:
            raise
        except Exception:
            logger.exception("no flow answered in conversation %s", conversation.id)
            return conversation

    async def may_answer(
        self, uow: FlowsUnitOfWork, conversations: Sequence[Conversation]
    ) -> set[UUID]:
        """Those of these conversations where a customer message can start or continue a
        flow: on a number with published flows, or with a live session. Asked once for a
        batch of messages, it spares the others `message_received`'s reads and savepoint."""
        numbers_with_flows = {
            number_id
            for number_id in {conversation.number_id for conversation in conversations}
            if await uow.flows.runnable_on(number_id)
        }
        with_sessions = await uow.flow_sessions.active_in(
            [c.id for c in conversations if c.number_id not in numbers_with_flows]
        )
        return {
            conversation.id
            for conversation in conversations
            if conversation.number_id in numbers_with_flows or conversation.id in with_sessions
        }

    async def template_sent(
        self, uow: FlowsUnitOfWork, conversation: Conversation, contact: Contact, template: str
    ) -> Conversation:
        """Starts the template flow of this template on the conversation's number, if any: the
        session then waits for the customer's quick reply."""
        try:
            async with uow.savepoint():
                return await self._start_template_flow(uow, conversation, contact, template)
        except ServiceUnavailable:
            raise
        except Exception:
            logger.exception("no template flow started in conversation %s", conversation.id)
            return conversation

    async def signals_read(
        self, uow: FlowsUnitOfWork, read: Mapping[UUID, Mapping[str, SignalsRead]]
    ) -> None:
        """The signals worker read these conversations' messages (by message id): sessions
        waiting for one of them go on, in the worker's transaction."""
        sessions = await uow.flow_sessions.active_in(list(read))
        for conversation_id, session in sessions.items():
            waiting = session.state.waiting
            if waiting is None or waiting.kind is not WaitingFor.SIGNALS:
                continue
            stimulus = read[conversation_id].get(waiting.message_id or "")
            if stimulus is None:
                continue
            try:
                async with uow.savepoint():
                    locked = await uow.flow_sessions.get(session.id, lock=True)
                    if locked is not None and locked.status is SessionStatus.ACTIVE:
                        await self._resume(uow, locked, stimulus)
            except ServiceUnavailable:
                raise
            except Exception:
                logger.exception("flow session %s did not go on by its signals", session.id)

    async def wake(self, organization_id: UUID, session_id: UUID) -> None:
        """A worker claimed a due session: makes its HTTP call, or fires its timers."""
        call: PendingCall | None = None
        async with self._uow(organization_id) as uow:
            session = await uow.flow_sessions.get(session_id, lock=True)
            if session is None or session.status is not SessionStatus.ACTIVE:
                return
            now = self._clock.now()
            pending = session.pending_http
            if pending is not None and (
                pending.claimed_until is None or pending.claimed_until <= now
            ):
                timeout = timedelta(seconds=pending.call.timeout_seconds)
                call = replace(pending, claimed_until=now + timeout + HTTP_CLAIM_MARGIN)
                await uow.flow_sessions.save(replace(session, pending_http=call))
            else:
                await self._resume(uow, session, Tick())
            await uow.commit()
        if call is not None:
            await self._make_call(organization_id, session_id, call)

    async def _make_call(self, organization_id: UUID, session_id: UUID, call: PendingCall) -> None:
        if self._http is None:
            response = HttpOutcome(None, error="this process cannot make HTTP requests")
        else:
            response = await self._http.call(call.call)
        async with self._uow(organization_id) as uow:
            session = await uow.flow_sessions.get(session_id, lock=True)
            still_waiting = (
                session is not None
                and session.status is SessionStatus.ACTIVE
                and session.pending_http is not None
                and session.pending_http.id == call.id
            )
            if session is None or not still_waiting:
                return
            await self._resume(uow, replace(session, pending_http=None), response)
            await uow.commit()

    async def _resume(
        self,
        uow: FlowsUnitOfWork,
        session: FlowSession,
        stimulus: Tick | HttpOutcome | SignalsRead,
    ) -> None:
        conversation = await uow.conversations.get(session.conversation_id)
        contact = await uow.contacts.get(session.contact_id)
        engine = await self._engines.engine(uow, session.flow_id, session.flow_version)
        if conversation is None or contact is None or engine is None:
            await self._end(uow, session, SessionStatus.ERROR, "its conversation or flow is gone")
            return
        read = (await uow.signals.for_conversations([conversation.id])).get(conversation.id)
        context = replace(
            self._context(conversation, contact, session.expiry),
            sentiment=read.current.label.value if read else None,
            intent=read.intent.name if read and read.intent else None,
            intent_confidence=read.intent.confidence if read and read.intent else 0.0,
        )
        outcome = engine.resume(session.state, stimulus, context)
        await self._apply(uow, session, outcome, conversation, contact, is_new=False)

    async def _answer(
        self,
        uow: FlowsUnitOfWork,
        conversation: Conversation,
        contact: Contact,
        said: CustomerMessage,
    ) -> Conversation:
        now = self._clock.now()
        session = await uow.flow_sessions.active_for(conversation.id)
        flows = await uow.flows.runnable_on(conversation.number_id)
        keyword_flows = []
        for flow in flows:
            if flow.kind is FlowKind.KEYWORD:
                engine = await self._engines.engine(uow, flow.flow_id, flow.version)
                if engine is not None and isinstance(engine.trigger.data, KeywordTrigger):
                    keyword_flows.append(KeywordFlow(flow.flow_id, engine.trigger.data))
        universal = next((flow for flow in flows if flow.kind is FlowKind.UNIVERSAL), None)
        universal_route = None
        if universal is not None:
            universal_route = UniversalFlow(
                universal.flow_id,
                timedelta(minutes=universal.expiry_minutes),
                await uow.flow_sessions.last_started(conversation.id, universal.flow_id),
            )
        active = None
        if session is not None:
            active = ActiveSession(
                session.id,
                session.flow_id,
                session.kind,
                session.waiting_for_reply,
                session.state.expires_at,
            )
        decision = route(
            said.text, now, active, keyword_flows, universal_route, conversation.owned_by_people
        )
        match decision:
            case NoReply():
                return conversation
            case Continue():
                assert session is not None
                engine = await self._engines.engine(uow, session.flow_id, session.flow_version)
                if engine is None:
                    await self._end(uow, session, SessionStatus.ERROR, "its flow version is gone")
                    return conversation
                context = self._context(conversation, contact, session.expiry)
                outcome = engine.resume(session.state, said, context)
                return await self._apply(uow, session, outcome, conversation, contact, is_new=False)
            case Start():
                if session is not None:
                    live = session.state.expires_at > now
                    ending = SessionStatus.REPLACED if live else SessionStatus.EXPIRED
                    await self._end(uow, session, ending, None)
                flow = next(flow for flow in flows if flow.flow_id == decision.flow_id)
                return await self._start(uow, flow, conversation, contact, said)

    async def _start_template_flow(
        self, uow: FlowsUnitOfWork, conversation: Conversation, contact: Contact, template: str
    ) -> Conversation:
        for flow in await uow.flows.runnable_on(conversation.number_id):
            if flow.kind is not FlowKind.TEMPLATE:
                continue
            engine = await self._engines.engine(uow, flow.flow_id, flow.version)
            trigger = engine.trigger.data if engine is not None else None
            if isinstance(trigger, TemplateTrigger) and trigger.template == template:
                session = await uow.flow_sessions.active_for(conversation.id)
                if session is not None:
                    await self._end(uow, session, SessionStatus.REPLACED, None)
                return await self._start(uow, flow, conversation, contact, None)
        return conversation

    async def _start(
        self,
        uow: FlowsUnitOfWork,
        flow: RunnableFlow,
        conversation: Conversation,
        contact: Contact,
        said: CustomerMessage | None,
    ) -> Conversation:
        engine = await self._engines.engine(uow, flow.flow_id, flow.version)
        if engine is None:
            return conversation
        now = self._clock.now()
        expiry = timedelta(minutes=flow.expiry_minutes)
        outcome = engine.start(self._context(conversation, contact, expiry), said)
        session = FlowSession(
            id=uuid.uuid4(),
            organization_id=conversation.organization_id,
            flow_id=flow.flow_id,
            flow_version=flow.version,
            kind=flow.kind,
            conversation_id=conversation.id,
            contact_id=contact.id,
            number_id=conversation.number_id,
            expiry=expiry,
            state=outcome.state,
            started_at=now,
            updated_at=now,
        )
        return await self._apply(uow, session, outcome, conversation, contact, is_new=True)

    def _context(
        self, conversation: Conversation, contact: Contact, expiry: timedelta
    ) -> RunContext:
        now = self._clock.now()
        return RunContext(
            now,
            contact.wa_id or "",
            contact.profile_name,
            conversation.window_open(now),
            expiry,
        )

    async def _end(
        self, uow: FlowsUnitOfWork, session: FlowSession, status: SessionStatus, error: str | None
    ) -> None:
        state = replace(session.state, status=status, waiting=None, error=error)
        await self._store(uow, session, state, None, [], is_new=False)

    async def _apply(
        self,
        uow: FlowsUnitOfWork,
        session: FlowSession,
        outcome: Outcome,
        conversation: Conversation,
        contact: Contact,
        *,
        is_new: bool,
    ) -> Conversation:
        """Carries the engine's effects out in this transaction and stores the session."""
        now = self._clock.now()
        state = outcome.state
        logged: dict[int, dict[str, object]] = {}
        pending = None
        for effect in outcome.effects:
            match effect:
                case Send():
                    try:
                        message, conversation = await self._queue.queue(
                            uow, conversation, contact, effect.content
                        )
                    except DomainError as refused:
                        error = f"node '{effect.node_id}' could not send: {refused.message}"
                        state = replace(state, status=SessionStatus.ERROR, waiting=None)
                        state = replace(state, error=error)
                        break
                    logged[id(effect)] = effect_log(effect, message.id)
                case CallHttp():
                    pending = PendingCall(uuid.uuid4(), effect)
                case TransferToQueue():
                    conversation, problem = await self._transfer(
                        uow, conversation, contact, effect, now
                    )
                    if problem is not None:
                        state = replace(state, error=problem)
                case LabelConversation():
                    conversation = await self._label(uow, conversation, effect.label)
        steps = [
            FlowStep(
                session_id=session.id,
                sequence=session.step_count + index,
                node_id=record.node_id,
                node_type=record.node_type,
                input=record.input,
                effects=tuple(logged.get(id(e)) or effect_log(e) for e in record.effects),
                variables_changed=dict(record.variables_changed),
                duration_ms=record.duration_ms,
                at=now,
                way=record.way,
                error=record.error,
            )
            for index, record in enumerate(outcome.steps, start=1)
        ]
        if state.status is not SessionStatus.ACTIVE:
            pending = None
        await self._store(uow, session, state, pending, steps, is_new=is_new)
        if pending is not None:
            for listener in self._http_listeners:
                uow.after_commit(listener)
        return conversation

    async def _store(
        self,
        uow: FlowsUnitOfWork,
        session: FlowSession,
        state: SessionState,
        pending: PendingCall | None,
        steps: list[FlowStep],
        *,
        is_new: bool,
    ) -> None:
        now = self._clock.now()
        ended = state.status is not SessionStatus.ACTIVE
        stored = replace(
            session,
            state=state,
            pending_http=pending if pending is not None else session.pending_http,
            updated_at=now,
            ended_at=now if ended else None,
            last_node_id=steps[-1].node_id if steps else session.last_node_id,
            step_count=session.step_count + len(steps),
        )
        if ended:
            stored = replace(stored, pending_http=None)
        if is_new:
            await uow.flow_sessions.add(stored)
        else:
            await uow.flow_sessions.save(stored)
        await uow.flow_sessions.add_steps(steps)
        uow.emit(
            FlowSessionUpdated(
                organization_id=stored.organization_id,
                session_id=stored.id,
                flow_id=stored.flow_id,
                conversation_id=stored.conversation_id,
                status=stored.status.value,
                step_count=stored.step_count,
            )
        )

    async def _transfer(
        self,
        uow: FlowsUnitOfWork,
        conversation: Conversation,
        contact: Contact,
        transfer: TransferToQueue,
        now: datetime,
    ) -> tuple[Conversation, str | None]:
        """Puts the conversation in the node's queue; the bot stays quiet in it from then on.
        A queue that is gone, full or closed still leaves it with people, unassigned."""
        try:
            queue_id: UUID | None = UUID(transfer.queue_id)
        except ValueError:
            queue_id = None
        if self._queues is None or queue_id is None or await uow.queues.get(queue_id) is None:
            problem = f"there is no queue '{transfer.queue_id}': any agent may take it"
            return await hand_to_people(uow, conversation, now), problem
        entered, conversation = await self._queues.enqueue(
            uow,
            conversation,
            contact,
            queue_id,
            transfer.priority,
            transfer.wait_timeout_minutes,
            FallbackAction(transfer.fallback_action),
            {"flowNodeId": transfer.node_id},
        )
        return conversation, entered.reason if isinstance(entered, Refused) else None

    async def _label(
        self, uow: FlowsUnitOfWork, conversation: Conversation, label: str
    ) -> Conversation:
        cleaned = " ".join(label.split())[:MAX_LABEL]
        if not cleaned or cleaned in conversation.labels or len(conversation.labels) >= MAX_LABELS:
            return conversation
        updated = replace(conversation, labels=(*conversation.labels, cleaned))
        await uow.conversations.save(updated)
        uow.emit(conversation_updated(updated, ("labels",)))
        return updated
