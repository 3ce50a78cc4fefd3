"""The flow engine: a pure function from (flow graph, session state, what happened, when) to the
next state, the effects to carry out and a record of every node it went through.

It performs nothing itself. Sends are handed back as message contents for the outbox, an HTTP
request as a call to make outside the database transaction whose outcome is fed back in with
`resume`, a transfer as a request to the queues. Time comes from the context, so expiries and
question timeouts are timers the caller schedules from `SessionState.wakes_at`.
"""

from __future__ import annotations

import time as clock
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from domain.ai.intents import UNSURE
from domain.conversations.messaging import (
    ButtonsContent,
    ListContent,
    MediaContent,
    OutgoingContent,
    TemplateContent,
    TextContent,
)
from domain.flows.model import (
    OUT,
    AddLabel,
    Condition,
    End,
    FlowGraph,
    HttpRequest,
    IntentBranch,
    KeywordTrigger,
    Node,
    Operator,
    Question,
    SendInteractive,
    SendMedia,
    SendTemplate,
    SendText,
    SentimentBranch,
    SetVariable,
    TemplateRef,
    TemplateTrigger,
    Transfer,
    UniversalTrigger,
    WindowCheck,
    normalize,
)
from domain.flows.patterns import found
from domain.flows.variables import Scope, check_answer, interpolate, json_path
from domain.schedules import OpeningHours
from domain.whatsapp.outbound import ListRow, ListSection, ReplyButton

MAX_STEPS_PER_RUN = 200
"""A run that goes this far without waiting is looping: validation refuses such flows, and
this stops one that slipped through."""


class SessionStatus(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    EXPIRED = "expired"
    TRANSFERRED = "transferred"
    REPLACED = "replaced"
    ERROR = "error"


class WaitingFor(StrEnum):
    REPLY = "reply"
    """A customer message: the answer to a question, a choice, a template's quick reply."""
    HTTP = "http"
    """The outcome of the HTTP request the node asked for."""
    SIGNALS = "signals"
    """What the signals worker read in the customer's message (its sentiment or intent)."""


@dataclass(frozen=True)
class Waiting:
    node_id: str
    kind: WaitingFor = WaitingFor.REPLY
    attempts: int = 0
    """Invalid answers given so far to a question."""
    deadline: datetime | None = None
    """When a question stops waiting and takes its `timeout` way (a sentiment node, its
    `neutral` way)."""
    message_id: str | None = None
    """The customer message whose signals a sentiment node waits for."""


@dataclass(frozen=True)
class SessionState:
    status: SessionStatus
    expires_at: datetime
    """Inactivity expiry: moved forward by every customer message."""
    variables: Mapping[str, Any] = field(default_factory=dict)
    waiting: Waiting | None = None
    error: str | None = None

    @property
    def wakes_at(self) -> datetime | None:
        """When the caller must `resume` the session with a `Tick`, if it is still active."""
        if self.status is not SessionStatus.ACTIVE:
            return None
        deadline = self.waiting.deadline if self.waiting else None
        return min(self.expires_at, deadline) if deadline else self.expires_at


@dataclass(frozen=True)
class CustomerMessage:
    text: str
    reply_id: str | None = None
    """The id of the button or list row chosen, or a template quick reply's payload."""
    message_id: str | None = None
    """PyTake's id of the message, whose signals a sentiment node waits for."""


@dataclass(frozen=True)
class Tick:
    """A timer fired: the session's expiry or a question's timeout may have come."""


@dataclass(frozen=True)
class HttpOutcome:
    status_code: int | None
    body: Any = None
    error: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.error is None and self.status_code is not None and 200 <= self.status_code < 300


@dataclass(frozen=True)
class SignalsRead:
    """The signals worker scored a customer message."""

    message_id: str
    sentiment: str
    """negative, neutral or positive."""
    intent: str | None = None
    """By the organization's intent model; None without a trained one."""
    intent_confidence: float = 0.0


Stimulus = CustomerMessage | Tick | HttpOutcome | SignalsRead


@dataclass(frozen=True)
class RunContext:
    now: datetime
    contact_phone: str
    contact_name: str | None = None
    window_open: bool = True
    """Whether the 24-hour customer-service window is open, counted from the customer's last
    message as Meta timestamped it: a message delivered late can find it already closed."""
    expiry: timedelta = timedelta(minutes=10)
    sentiment: str | None = None
    """The customer's sentiment as last read, for a sentiment node reached without a new
    customer message (after a timer or an HTTP call); None when none has been read."""
    intent: str | None = None
    """The customer's intent as last read, likewise for an intent node."""
    intent_confidence: float = 0.0


@dataclass(frozen=True)
class Send:
    node_id: str
    content: OutgoingContent


@dataclass(frozen=True)
class CallHttp:
    node_id: str
    method: str
    url: str
    headers: Mapping[str, str]
    body: str | None
    timeout_seconds: float


@dataclass(frozen=True)
class TransferToQueue:
    node_id: str
    queue_id: str
    priority: int
    wait_timeout_minutes: int | None
    fallback_action: str


@dataclass(frozen=True)
class LabelConversation:
    node_id: str
    label: str


Effect = Send | CallHttp | TransferToQueue | LabelConversation


@dataclass(frozen=True)
class StepRecord:
    """One node gone through: the execution log entry."""

    node_id: str
    node_type: str
    input: str | None
    effects: tuple[Effect, ...]
    variables_changed: Mapping[str, Any]
    duration_ms: float
    error: str | None = None
    way: str | None = None
    """The handle the run left the node by, for branching nodes."""


@dataclass(frozen=True)
class Outcome:
    state: SessionState
    effects: tuple[Effect, ...]
    steps: tuple[StepRecord, ...]


class FlowEngine:
    """Runs one flow version's graph; validate the graph before running it."""

    def __init__(self, graph: FlowGraph) -> None:
        self._graph = graph
        triggers = graph.triggers
        if len(triggers) != 1:
            raise ValueError("a flow needs exactly one trigger to run")
        self._trigger = triggers[0]

    @property
    def trigger(self) -> Node:
        return self._trigger

    def start(
        self,
        context: RunContext,
        message: CustomerMessage | None = None,
        variables: Mapping[str, Any] | None = None,
    ) -> Outcome:
        """A new session. A customer message started it (universal and keyword flows), or the
        business's template did (template flows: the session waits for the quick reply)."""
        state = SessionState(SessionStatus.ACTIVE, context.now + context.expiry, variables or {})
        run = _Run(self._graph, state, context, message)
        if isinstance(self._trigger.data, TemplateTrigger):
            run.record(self._trigger, "template sent", way=None)
            run.state = replace(run.state, waiting=Waiting(self._trigger.id))
            return run.outcome()
        run.advance(self._trigger.id, described=_describe(message))
        return run.outcome()

    def resume(self, state: SessionState, stimulus: Stimulus, context: RunContext) -> Outcome:
        if state.status is not SessionStatus.ACTIVE:
            raise ValueError(f"the session is {state.status}, not active")
        message = stimulus if isinstance(stimulus, CustomerMessage) else None
        if message is not None:
            state = replace(state, expires_at=context.now + context.expiry)
        run = _Run(self._graph, state, context, message)
        waiting = state.waiting
        if isinstance(stimulus, Tick):
            if waiting and waiting.deadline and context.now >= waiting.deadline:
                if waiting.kind is WaitingFor.SIGNALS:
                    waited = self._node(waiting.node_id).data
                    if isinstance(waited, IntentBranch):
                        run.leave(waiting.node_id, UNSURE, "no intent read in time")
                    else:
                        run.leave(waiting.node_id, "neutral", "no sentiment read in time")
                else:
                    run.leave(waiting.node_id, "timeout", "no reply in time")
            elif context.now >= state.expires_at:
                run.finish(SessionStatus.EXPIRED)
            return run.outcome()
        if waiting is None:
            raise ValueError("the session is not waiting for anything")
        node = self._node(waiting.node_id)
        if isinstance(stimulus, SignalsRead):
            if waiting.kind is WaitingFor.SIGNALS and waiting.message_id == stimulus.message_id:
                run.context = replace(
                    context,
                    sentiment=stimulus.sentiment,
                    intent=stimulus.intent,
                    intent_confidence=stimulus.intent_confidence,
                )
                if isinstance(node.data, IntentBranch):
                    way = node.data.way(stimulus.intent, stimulus.intent_confidence)
                    run.leave(
                        node.id, way, _intent_read(stimulus.intent, stimulus.intent_confidence)
                    )
                else:
                    run.leave(node.id, stimulus.sentiment, f"sentiment {stimulus.sentiment}")
            return run.outcome()
        if isinstance(stimulus, HttpOutcome):
            if waiting.kind is not WaitingFor.HTTP or not isinstance(node.data, HttpRequest):
                raise ValueError("the session is not waiting for an HTTP response")
            run.http_answered(node, node.data, stimulus)
            return run.outcome()
        if waiting.kind is not WaitingFor.REPLY:
            # A message that arrives while an HTTP call is out keeps the session's place.
            return run.outcome()
        assert message is not None
        run.replied(node, waiting, message)
        return run.outcome()

    def _node(self, node_id: str) -> Node:
        node = self._graph.node(node_id)
        if node is None:
            raise ValueError(f"the flow has no node '{node_id}'")
        return node


def _describe(message: CustomerMessage | None) -> str | None:
    if message is None:
        return None
    return f"{message.text} [{message.reply_id}]" if message.reply_id else message.text


class _Run:
    """The mutable state of one call to the engine."""

    def __init__(
        self,
        graph: FlowGraph,
        state: SessionState,
        context: RunContext,
        message: CustomerMessage | None,
    ) -> None:
        self.graph = graph
        self.state = state
        self.context = context
        self.message = message
        self.window_open = context.window_open
        self.effects: list[Effect] = []
        self.steps: list[StepRecord] = []

    def outcome(self) -> Outcome:
        return Outcome(self.state, tuple(self.effects), tuple(self.steps))

    @property
    def scope(self) -> Scope:
        return Scope(
            self.context.contact_name,
            self.context.contact_phone,
            self.state.variables,
            self.message.text if self.message else None,
        )

    def record(
        self,
        node: Node,
        described: str | None,
        *,
        way: str | None,
        effects: tuple[Effect, ...] = (),
        changed: Mapping[str, Any] | None = None,
        started: float | None = None,
        error: str | None = None,
    ) -> None:
        elapsed = (clock.perf_counter() - started) * 1000 if started is not None else 0.0
        self.steps.append(
            StepRecord(
                node.id, node.type.value, described, effects, changed or {}, elapsed, error, way
            )
        )

    def finish(self, status: SessionStatus, error: str | None = None) -> None:
        self.state = replace(self.state, status=status, waiting=None, error=error)

    def set_variables(self, values: Mapping[str, Any]) -> None:
        self.state = replace(self.state, variables={**self.state.variables, **values})

    def leave(
        self,
        node_id: str,
        way: str,
        described: str | None,
        changed: Mapping[str, Any] | None = None,
    ) -> None:
        """Goes on from a waiting node by one of its ways; a way with no edge ends the session."""
        node = self.graph.node(node_id)
        if node is not None:
            self.record(node, described, way=way, changed=changed)
        self.state = replace(self.state, waiting=None)
        target = self.graph.next(node_id, way)
        if target is None:
            self.finish(SessionStatus.EXPIRED if way == "timeout" else SessionStatus.COMPLETED)
            return
        self.advance(target, described=None)

    def replied(self, node: Node, waiting: Waiting, message: CustomerMessage) -> None:
        data = node.data
        described = _describe(message)
        if isinstance(data, Question):
            answer = check_answer(data, message.text, self.context.contact_phone)
            if answer is not None:
                self.set_variables({data.variable: answer})
                self.leave(node.id, OUT, described, {data.variable: answer})
                return
            attempts = waiting.attempts + 1
            if attempts >= data.max_attempts:
                self.leave(node.id, "invalid", described)
                return
            effects = self.send(node, TextContent(interpolate(data.invalid_message, self.scope)))
            self.record(node, described, way=None, effects=effects, error="invalid answer")
            self.state = replace(self.state, waiting=replace(waiting, attempts=attempts))
            return
        if isinstance(data, SendInteractive):
            chosen = _chosen(data, message)
            if chosen is not None:
                self.leave(node.id, chosen, described)
            elif self.graph.next(node.id, "other") is not None:
                self.leave(node.id, "other", described)
            else:
                effects = self.send(node, self.interactive_content(data))
                self.record(node, described, way=None, effects=effects, error="no choice made")
            return
        if isinstance(data, TemplateTrigger):
            payload = message.reply_id
            way = payload if payload in data.payloads else OUT
            self.leave(node.id, way, described)
            return
        raise ValueError(f"node '{node.id}' does not wait for replies")

    def http_answered(self, node: Node, data: HttpRequest, outcome: HttpOutcome) -> None:
        described = f"HTTP {outcome.status_code}" if outcome.error is None else outcome.error
        changed: dict[str, Any] = {}
        if outcome.succeeded:
            changed = {
                name: json_path(outcome.body, path)
                for name, path in data.response_variables.items()
            }
            self.set_variables(changed)
        self.leave(node.id, "success" if outcome.succeeded else "failure", described, changed)

    def send(self, node: Node, content: OutgoingContent) -> tuple[Effect, ...]:
        effect = Send(node.id, content)
        self.effects.append(effect)
        return (effect,)

    def template_content(self, template: TemplateRef) -> TemplateContent:
        return TemplateContent(
            template.name,
            template.language,
            [interpolate(parameter, self.scope) for parameter in template.parameters],
        )

    def interactive_content(self, data: SendInteractive) -> ButtonsContent | ListContent:
        body = interpolate(data.body, self.scope)
        if data.list_button is None:
            return ButtonsContent(
                body,
                [ReplyButton(choice.id, choice.title) for choice in data.choices],
                data.header,
                data.footer,
            )
        rows = [ListRow(choice.id, choice.title, choice.description) for choice in data.choices]
        return ListContent(
            body, data.list_button, [ListSection(None, rows)], data.header, data.footer
        )

    def free_form(
        self, node: Node, content: OutgoingContent, fallback: TemplateRef | None
    ) -> tuple[tuple[Effect, ...], str | None]:
        """Sends free-form content inside the window, the fallback template outside it; with
        neither, sends nothing rather than let Meta refuse it (131047)."""
        if self.window_open:
            return self.send(node, content), None
        if fallback is not None:
            return self.send(node, self.template_content(fallback)), None
        return (), "the 24-hour window is closed and the node has no fallback template"

    def advance(self, node_id: str, described: str | None) -> None:
        """Runs from this node until the session waits or ends."""
        current: str | None = node_id
        for _ in range(MAX_STEPS_PER_RUN):
            if current is None:
                self.finish(SessionStatus.COMPLETED)
                return
            node = self.graph.node(current)
            if node is None:
                self.finish(SessionStatus.ERROR, f"the flow has no node '{current}'")
                return
            current = self.execute(node, described)
            described = None
            if self.state.status is not SessionStatus.ACTIVE or self.state.waiting is not None:
                return
        self.finish(SessionStatus.ERROR, f"the flow ran {MAX_STEPS_PER_RUN} steps without waiting")

    def execute(self, node: Node, described: str | None) -> str | None:
        """Carries one node out; returns the next node, or None when the run stops here."""
        started = clock.perf_counter()
        done = self.branch(node) or self.act(node)
        if done.error is not None:
            self.finish(SessionStatus.ERROR, done.error)
        way = done.way if done.error is None else None
        self.record(
            node,
            described,
            way=way,
            effects=done.effects,
            changed=done.changed,
            started=started,
            error=done.error,
        )
        return self.graph.next(node.id, way) if way is not None else None

    def branch(self, node: Node) -> _Done | None:
        """Triggers and logic nodes: which way the run goes on."""
        data = node.data
        match data:
            case UniversalTrigger() | KeywordTrigger() | TemplateTrigger():
                return _Done(OUT)
            case WindowCheck():
                return _Done("open" if self.window_open else "closed")
            case SentimentBranch():
                return self.awaiting_signals(node, data.wait_seconds) or _Done(
                    self.context.sentiment or "neutral"
                )
            case IntentBranch():
                return self.awaiting_signals(node, data.wait_seconds) or _Done(
                    data.way(self.context.intent, self.context.intent_confidence)
                )
            case Condition():
                return _Done("true" if _holds(data, self.scope) else "false")
            case OpeningHours():
                return _Done("open" if data.is_open(self.context.now) else "closed")
            case SetVariable():
                changed = {data.variable: interpolate(data.value, self.scope)}
                self.set_variables(changed)
                return _Done(OUT, changed=changed)
            case End():
                self.finish(SessionStatus.COMPLETED)
                return _Done(None)
            case _:
                return None

    def awaiting_signals(self, node: Node, wait_seconds: int) -> _Done | None:
        """Sentiment and intent nodes go on by the message that brought the run here, once the
        signals worker has read it; reached without one (after a timer or an HTTP call), they
        go on by what was last read (None here)."""
        message = self.message
        if message is None or message.message_id is None:
            return None
        deadline = self.context.now + timedelta(seconds=wait_seconds)
        self.state = replace(
            self.state,
            waiting=Waiting(
                node.id, WaitingFor.SIGNALS, deadline=deadline, message_id=message.message_id
            ),
        )
        return _Done(None)

    def act(self, node: Node) -> _Done:
        """Message and action nodes: what they hand back to carry out."""
        data = node.data
        match data:
            case SendText():
                text = TextContent(interpolate(data.text, self.scope), data.preview_url)
                return _Done(OUT, *self.free_form(node, text, data.fallback_template))
            case SendTemplate():
                return _Done(OUT, self.send(node, self.template_content(data.template)))
            case SendMedia():
                caption = interpolate(data.caption, self.scope) if data.caption else None
                media = MediaContent(data.kind, data.media_id, data.link, caption, data.filename)
                return _Done(OUT, *self.free_form(node, media, None))
            case SendInteractive():
                effects, error = self.free_form(
                    node, self.interactive_content(data), data.fallback_template
                )
                if error is None:
                    self.state = replace(self.state, waiting=Waiting(node.id))
                return _Done(None, effects, error=error)
            case Question():
                question = TextContent(interpolate(data.text, self.scope))
                effects, error = self.free_form(node, question, None)
                if error is None:
                    deadline = (
                        self.context.now + timedelta(minutes=data.timeout_minutes)
                        if data.timeout_minutes
                        else None
                    )
                    self.state = replace(self.state, waiting=Waiting(node.id, deadline=deadline))
                return _Done(None, effects, error=error)
            case HttpRequest():
                call = CallHttp(
                    node.id,
                    data.method,
                    interpolate(data.url, self.scope),
                    {name: interpolate(v, self.scope) for name, v in data.headers.items()},
                    interpolate(data.body, self.scope) if data.body else None,
                    data.timeout_seconds,
                )
                self.effects.append(call)
                self.state = replace(self.state, waiting=Waiting(node.id, WaitingFor.HTTP))
                return _Done(None, (call,))
            case Transfer():
                sent: tuple[Effect, ...] = ()
                if data.message and self.window_open:
                    sent = self.send(node, TextContent(interpolate(data.message, self.scope)))
                transfer = TransferToQueue(
                    node.id,
                    data.queue_id,
                    data.priority,
                    data.wait_timeout_minutes,
                    data.fallback_action.value,
                )
                self.effects.append(transfer)
                self.finish(SessionStatus.TRANSFERRED)
                return _Done(None, (*sent, transfer))
            case AddLabel():
                label = LabelConversation(node.id, interpolate(data.label, self.scope))
                self.effects.append(label)
                return _Done(OUT, (label,))
            case _:
                raise ValueError(f"node '{node.id}' ({node.type}) cannot be carried out")


@dataclass(frozen=True)
class _Done:
    way: str | None
    effects: tuple[Effect, ...] = ()
    error: str | None = None
    changed: Mapping[str, Any] = field(default_factory=dict)


def _intent_read(intent: str | None, confidence: float) -> str:
    return f"intent {intent} ({confidence:.0%})" if intent else "no intent model"


def _chosen(data: SendInteractive, message: CustomerMessage) -> str | None:
    """The choice a reply made: by the id WhatsApp sends back, or by its title typed out."""
    ids = {choice.id for choice in data.choices}
    if message.reply_id in ids:
        return message.reply_id
    said = normalize(message.text)
    for choice in data.choices:
        if normalize(choice.title) == said:
            return choice.id
    return None


def _number(value: Any) -> float | None:
    try:
        return float(str(value).replace(",", "."))
    except ValueError:
        return None


def _holds(condition: Condition, scope: Scope) -> bool:
    value = scope.value(condition.subject)
    text = "" if value is None else str(value)
    expected = interpolate(condition.value, scope)
    match condition.operator:
        case Operator.EQUALS:
            return normalize(text) == normalize(expected)
        case Operator.NOT_EQUALS:
            return normalize(text) != normalize(expected)
        case Operator.CONTAINS:
            return normalize(expected) in normalize(text)
        case Operator.STARTS_WITH:
            return normalize(text).startswith(normalize(expected))
        case Operator.IS_EMPTY:
            return not text.strip()
        case Operator.IS_NOT_EMPTY:
            return bool(text.strip())
        case Operator.MATCHES:
            return found(expected, text)
        case Operator.GREATER_THAN | Operator.LESS_THAN:
            left, right = _number(text), _number(expected)
            if left is None or right is None:
                return False
            return left > right if condition.operator is Operator.GREATER_THAN else left < right
