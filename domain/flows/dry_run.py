"""A flow's dry run: the engine fed a scripted conversation, with nothing sent or stored.

The transcript shows each outgoing message as the Graph API payload that would be sent, so a
designer sees exactly what the customer would get; HTTP request nodes are not called: their
responses are given with the test (or the node takes its failure way).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from domain.ai.language import detected_language
from domain.ai.sentiment import SentimentAnalyzer
from domain.conversations.messaging import ReactionContent, TemplateContent, free_form_payload
from domain.errors import InvalidInput
from domain.flows.engine import (
    CallHttp,
    CustomerMessage,
    Effect,
    FlowEngine,
    HttpOutcome,
    LabelConversation,
    Outcome,
    RunContext,
    Send,
    SessionState,
    SessionStatus,
    StepRecord,
    TransferToQueue,
    WaitingFor,
)
from domain.flows.model import FlowGraph, FlowKind, Problem, TemplateTrigger
from domain.flows.ports import IntentReader
from domain.flows.validation import Catalog, validate
from domain.whatsapp.outbound import template_payload

NOT_CALLED = "not called in a dry run: give a response for this node to follow its success way"


@dataclass(frozen=True)
class TranscriptEntry:
    sender: str
    """`customer` or `business`."""
    text: str | None
    node_id: str | None = None
    payload: Mapping[str, Any] | None = None
    """For the business: the Graph API request body that would be sent."""
    note: str | None = None
    """What else happened: an HTTP call, a transfer, a label, a payload Meta would refuse."""


@dataclass(frozen=True)
class DryRunInput:
    messages: Sequence[CustomerMessage]
    contact_phone: str = "15550001234"
    contact_name: str | None = "Test Customer"
    window_open: bool = True
    variables: Mapping[str, Any] = field(default_factory=dict)
    http_responses: Mapping[str, HttpOutcome] = field(default_factory=dict)
    """Node id of an HTTP request node to the response it gets."""


@dataclass(frozen=True)
class DryRun:
    transcript: tuple[TranscriptEntry, ...]
    path: tuple[str, ...]
    steps: tuple[StepRecord, ...]
    variables: Mapping[str, Any]
    status: SessionStatus | None
    problems: tuple[Problem, ...]


class _Transcript:
    def __init__(self, to: str, template_texts: Mapping[tuple[str, str], str]) -> None:
        self.to = to
        self.template_texts = template_texts
        self.entries: list[TranscriptEntry] = []
        self.steps: list[StepRecord] = []

    def customer(self, message: CustomerMessage, note: str | None = None) -> None:
        self.entries.append(TranscriptEntry("customer", message.text, note=note))

    def add(self, outcome: Outcome) -> None:
        self.steps += outcome.steps
        for effect in outcome.effects:
            self.entries.append(self._entry(effect))

    def _entry(self, effect: Effect) -> TranscriptEntry:
        match effect:
            case Send():
                return self._sent(effect)
            case CallHttp():
                note = f"HTTP {effect.method} {effect.url}"
                return TranscriptEntry("business", None, effect.node_id, note=note)
            case TransferToQueue():
                note = f"transferred to queue {effect.queue_id} (priority {effect.priority})"
                return TranscriptEntry("business", None, effect.node_id, note=note)
            case LabelConversation():
                note = f"label '{effect.label}' added"
                return TranscriptEntry("business", None, effect.node_id, note=note)

    def _sent(self, send: Send) -> TranscriptEntry:
        content = send.content
        try:
            if isinstance(content, TemplateContent):
                body = self.template_texts.get((content.name, content.language))
                if body is None:
                    raise InvalidInput(f"'{content.name}' is not an approved template")
                payload = template_payload(
                    self.to, content.name, content.language, body, content.parameters
                )
                text: str | None = f"template {content.name}"
            elif isinstance(content, ReactionContent):
                raise InvalidInput("flows do not send reactions")
            else:
                payload = free_form_payload(self.to, content, None)
                text = getattr(content, "body", None) or getattr(content, "caption", None)
        except InvalidInput as refused:
            return TranscriptEntry(
                "business", None, send.node_id, note=f"would be refused: {refused.message}"
            )
        return TranscriptEntry("business", text, send.node_id, payload)


def dry_run(
    graph: FlowGraph,
    kind: FlowKind,
    catalog: Catalog,
    template_texts: Mapping[tuple[str, str], str],
    test: DryRunInput,
    now: datetime,
    expiry: timedelta,
    parse_problems: Sequence[Problem] = (),
    read_intent: IntentReader | None = None,
) -> DryRun:
    problems = (*parse_problems, *validate(graph, kind, catalog))
    if len(graph.triggers) != 1:
        return DryRun((), (), (), dict(test.variables), None, problems)
    engine = FlowEngine(graph)
    transcript = _Transcript(test.contact_phone, template_texts)
    context = RunContext(now, test.contact_phone, test.contact_name, test.window_open, expiry)

    messages = list(test.messages)
    if isinstance(engine.trigger.data, TemplateTrigger):
        outcome = engine.start(context, variables=test.variables)
    elif messages:
        first = messages.pop(0)
        transcript.customer(first)
        context = _read(context, first, read_intent)
        outcome = engine.start(context, first, test.variables)
    else:
        return DryRun((), (), (), dict(test.variables), None, problems)
    transcript.add(outcome)
    state = _answer_http(engine, outcome.state, test, context, transcript)
    for message in messages:
        if state.status is not SessionStatus.ACTIVE:
            transcript.customer(message, note=f"not answered: the session is {state.status}")
            continue
        transcript.customer(message)
        context = _read(context, message, read_intent)
        outcome = engine.resume(state, message, context)
        transcript.add(outcome)
        state = _answer_http(engine, outcome.state, test, context, transcript)
    return DryRun(
        tuple(transcript.entries),
        tuple(step.node_id for step in transcript.steps),
        tuple(transcript.steps),
        dict(state.variables),
        state.status,
        problems,
    )


@cache
def _analyzer() -> SentimentAnalyzer:
    return SentimentAnalyzer()


def _read(
    context: RunContext, message: CustomerMessage, read_intent: IntentReader | None
) -> RunContext:
    """The message's sentiment and intent read at once, as the signals worker would read them
    after the commit: a dry run's sentiment and intent nodes go on by them without waiting."""
    sentiment = _analyzer().score(message.text, detected_language(message.text)).label.value
    guess = read_intent(message.text) if read_intent else None
    return replace(
        context,
        sentiment=sentiment,
        intent=guess.name if guess else None,
        intent_confidence=guess.confidence if guess else 0.0,
    )


def _answer_http(
    engine: FlowEngine,
    state: SessionState,
    test: DryRunInput,
    context: RunContext,
    transcript: _Transcript,
) -> SessionState:
    while (
        state.status is SessionStatus.ACTIVE
        and state.waiting is not None
        and state.waiting.kind is WaitingFor.HTTP
    ):
        response = test.http_responses.get(state.waiting.node_id) or HttpOutcome(
            None, error=NOT_CALLED
        )
        outcome = engine.resume(state, response, context)
        transcript.add(outcome)
        state = outcome.state
    return state
