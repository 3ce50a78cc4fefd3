"""Flows, their validation problems, dry-run transcripts and sessions as the API shows them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import Enum
from typing import Self, cast
from uuid import UUID

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.scalars import JSON

from domain.errors import DomainError, FlowInvalid
from domain.events import StoredEvent
from domain.flows import dry_run, engine, library, model, sessions
from domain.flows import sessions as domain
from domain.flows.events import FlowSessionUpdated
from graphql_api.context import Context
from graphql_api.errors import Error, ErrorCode
from graphql_api.node.types import Node
from graphql_api.segments import BusinessSegment


@strawberry.enum(description="How a flow starts.")
class FlowKind(Enum):
    UNIVERSAL = strawberry.enum_value(
        "universal",
        description="Answers any message on its numbers, at most once per session expiry.",
    )
    KEYWORD = strawberry.enum_value(
        "keyword",
        description="Starts when a message matches one of its keywords (case and accents "
        "ignored), replacing any other session of the contact.",
    )
    TEMPLATE = strawberry.enum_value(
        "template",
        description="Starts when the business sends its template, and continues with the "
        "customer's quick replies.",
    )


@strawberry.enum(description="Where a flow stands.")
class FlowStatus(Enum):
    DRAFT = strawberry.enum_value("draft", description="Never published; it answers nobody.")
    PUBLISHED = strawberry.enum_value(
        "published",
        description="Its latest published version starts new sessions; edits wait in the draft.",
    )
    ARCHIVED = strawberry.enum_value(
        "archived", description="Retired: it starts no session; running sessions finish."
    )


@strawberry.enum(description="Where a flow session stands, or how it ended.")
class FlowSessionStatus(Enum):
    ACTIVE = strawberry.enum_value("active", description="Running or waiting for the customer.")
    COMPLETED = strawberry.enum_value("completed", description="It reached its end.")
    EXPIRED = strawberry.enum_value(
        "expired", description="The customer went quiet for longer than the flow's expiry."
    )
    TRANSFERRED = strawberry.enum_value(
        "transferred", description="Handed to a queue of human agents."
    )
    REPLACED = strawberry.enum_value(
        "replaced", description="A keyword or template flow started in its place."
    )
    ERROR = strawberry.enum_value(
        "error", description="It stopped on a node it could not carry out; see the steps."
    )


@strawberry.type(description="Something that keeps a flow from being published.")
class FlowProblem:
    code: str = strawberry.field(
        description="NO_TRIGGER, SEVERAL_TRIGGERS, WRONG_TRIGGER, DANGLING_EDGE, "
        "AMBIGUOUS_BRANCH, MISSING_BRANCH, UNREACHABLE, LOOP_WITHOUT_WAIT, META_LIMIT, "
        "TEMPLATE_NOT_APPROVED, TEMPLATE_PARAMETERS, UNKNOWN_VARIABLE, UNKNOWN_QUEUE, "
        "INVALID_NODE_DATA, UNKNOWN_NODE_TYPE, INVALID_NODE, DUPLICATE_NODE, INVALID_EDGE or "
        "INVALID_GRAPH."
    )
    message: str = strawberry.field(description="What is wrong, in words fit to show a user.")
    node_id: str | None = strawberry.field(
        description="The node at fault, for the editor to point at; null for the whole flow."
    )

    @classmethod
    def from_domain(cls, problem: model.Problem) -> FlowProblem:
        return cls(code=problem.code, message=problem.message, node_id=problem.node_id)


@strawberry.type(description="A published version of a flow, frozen as it was published.")
class FlowVersion:
    version: int = strawberry.field(description="Its number, from 1.")
    published_at: datetime = strawberry.field(description="When it was published (UTC).")
    published_by_user_id: strawberry.ID | None = strawberry.field(
        description="The user who published it; null when it was not recorded."
    )
    graph: JSON = strawberry.field(description="The editor's document it froze.")

    @classmethod
    def from_domain(cls, version: model.FlowVersion) -> FlowVersion:
        return cls(
            version=version.version,
            published_at=version.published_at,
            published_by_user_id=(
                strawberry.ID(str(version.published_by)) if version.published_by else None
            ),
            graph=cast(JSON, dict(version.document)),
        )


@strawberry.type(description="An automation, as designed in the flow editor.")
class Flow(Node):
    id: strawberry.ID = strawberry.field(description="The flow's id.")
    name: str = strawberry.field(description="Its name, unique in the organization.")
    kind: FlowKind = strawberry.field(description="How it starts.")
    status: FlowStatus = strawberry.field(description="Draft, published or archived.")
    number_ids: list[strawberry.ID] = strawberry.field(
        description="The WhatsApp numbers it runs on."
    )
    expiry_minutes: int = strawberry.field(
        description="A session ends (expired) after this long without a customer message."
    )
    graph: JSON = strawberry.field(
        description="The draft as the editor saved it: React Flow's nodes (id, type, position, "
        "data) and edges (id, source, target, sourceHandle)."
    )
    published_version: int | None = strawberry.field(
        description="The version new sessions start on; null before the first publish."
    )
    has_unpublished_changes: bool = strawberry.field(
        description="True when the draft changed since it was last published."
    )
    created_at: datetime = strawberry.field(description="When it was created (UTC).")
    updated_at: datetime = strawberry.field(description="When anything of it last changed (UTC).")
    published_at: datetime | None = strawberry.field(description="Its last publish (UTC).")
    archived_at: datetime | None = strawberry.field(description="When it was archived (UTC).")

    @strawberry.field(
        description="Every published version, newest first, to read, dry-run or roll back to."
    )
    async def versions(self, info: strawberry.Info[Context, None]) -> list[FlowVersion]:
        versions = await info.context.services.flows.versions(
            info.context.actor, UUID(str(self.id))
        )
        return [FlowVersion.from_domain(version) for version in versions]

    @classmethod
    def from_domain(cls, flow: model.Flow) -> Flow:
        return cls(
            id=strawberry.ID(str(flow.id)),
            name=flow.name,
            kind=FlowKind(flow.kind.value),
            status=FlowStatus(flow.status.value),
            number_ids=[strawberry.ID(str(n)) for n in flow.number_ids],
            expiry_minutes=flow.expiry_minutes,
            graph=cast(JSON, dict(flow.draft)),
            published_version=flow.published_version,
            has_unpublished_changes=flow.has_unpublished_changes,
            created_at=flow.created_at,
            updated_at=flow.updated_at,
            published_at=flow.published_at,
            archived_at=flow.archived_at,
        )


@strawberry.enum(description="Who speaks in a dry-run transcript.")
class FlowTranscriptSender(Enum):
    CUSTOMER = strawberry.enum_value("customer", description="A scripted customer message.")
    BUSINESS = strawberry.enum_value("business", description="What the flow did in answer.")


@strawberry.type(description="One line of a dry run's conversation.")
class FlowTranscriptEntry:
    sender: FlowTranscriptSender = strawberry.field(description="Customer or business.")
    text: str | None = strawberry.field(description="The message's text, as read.")
    node_id: str | None = strawberry.field(description="The node that sent it.")
    payload: JSON | None = strawberry.field(
        description="The Graph API request body that would be POSTed to /messages."
    )
    note: str | None = strawberry.field(
        description="Anything else: an HTTP call, a transfer, a label, a message Meta would "
        "refuse, a customer message the ended session would not answer."
    )

    @classmethod
    def from_domain(cls, entry: dry_run.TranscriptEntry) -> FlowTranscriptEntry:
        return cls(
            sender=FlowTranscriptSender(entry.sender),
            text=entry.text,
            node_id=entry.node_id,
            payload=cast(JSON, dict(entry.payload)) if entry.payload is not None else None,
            note=entry.note,
        )


@strawberry.type(description="One node a session went through: its execution log entry.")
class FlowStep:
    sequence: int = strawberry.field(description="Its place in the session's log, from 1.")
    node_id: str = strawberry.field(description="The node.")
    node_type: str = strawberry.field(description="Its type, as in the editor.")
    input: str | None = strawberry.field(
        description="What it received: the customer's message, an HTTP outcome, a timeout."
    )
    way: str | None = strawberry.field(
        description="The handle the session left by (for example `open`, `true`, a choice id)."
    )
    effects: JSON = strawberry.field(
        description="What it did, each an object with a `kind`: `send` (with the `messageId` "
        "queued), `http` (method and URL; headers are never logged), `transfer` or `label`."
    )
    variables_changed: JSON = strawberry.field(description="Variables it set, by name.")
    duration_ms: float = strawberry.field(description="Time the engine spent on it.")
    error: str | None = strawberry.field(description="Why it stopped the session, if it did.")
    at: datetime | None = strawberry.field(
        description="When it ran (UTC); null in dry runs, where nothing runs for real."
    )

    @classmethod
    def from_domain(cls, step: engine.StepRecord, sequence: int) -> FlowStep:
        return cls(
            sequence=sequence,
            node_id=step.node_id,
            node_type=step.node_type,
            input=step.input,
            way=step.way,
            effects=cast(JSON, [sessions.effect_log(effect) for effect in step.effects]),
            variables_changed=cast(JSON, dict(step.variables_changed)),
            duration_ms=round(step.duration_ms, 3),
            error=step.error,
            at=None,
        )

    @classmethod
    def from_log(cls, step: sessions.FlowStep) -> FlowStep:
        return cls(
            sequence=step.sequence,
            node_id=step.node_id,
            node_type=step.node_type,
            input=step.input,
            way=step.way,
            effects=cast(JSON, list(step.effects)),
            variables_changed=cast(JSON, dict(step.variables_changed)),
            duration_ms=round(step.duration_ms, 3),
            error=step.error,
            at=step.at,
        )


@strawberry.type(description="The outcome of a dry run: nothing was sent or stored.")
class FlowTestResult:
    transcript: list[FlowTranscriptEntry] = strawberry.field(
        description="The conversation as it would go."
    )
    path: list[str] = strawberry.field(description="The ids of the nodes gone through, in order.")
    steps: list[FlowStep] = strawberry.field(description="Each node gone through, in detail.")
    variables: JSON = strawberry.field(description="The session's variables at the end.")
    session_status: FlowSessionStatus | None = strawberry.field(
        description="Where the session stands at the end; null when it could not start."
    )
    problems: list[FlowProblem] = strawberry.field(
        description="The validation problems of the version tested."
    )

    @classmethod
    def from_domain(cls, run: dry_run.DryRun) -> FlowTestResult:
        return cls(
            transcript=[FlowTranscriptEntry.from_domain(e) for e in run.transcript],
            path=list(run.path),
            steps=[FlowStep.from_domain(step, n) for n, step in enumerate(run.steps, start=1)],
            variables=cast(JSON, dict(run.variables)),
            session_status=FlowSessionStatus(run.status.value) if run.status else None,
            problems=[FlowProblem.from_domain(p) for p in run.problems],
        )


@strawberry.type(description="The flow cannot be published as it is; fix each problem first.")
class FlowInvalidError(Error):
    domain_error = FlowInvalid
    problems: list[FlowProblem] = strawberry.field(description="Every problem, with its node.")

    @classmethod
    def of(cls, error: DomainError) -> Self:
        problems = error.problems if isinstance(error, FlowInvalid) else []
        return cls(
            message=error.message,
            code=ErrorCode(error.code),
            problems=[FlowProblem.from_domain(problem) for problem in problems],
        )


@strawberry.type(description="A ready-made flow to copy: pass its graph and kind to flowCreate.")
class FlowLibraryEntry:
    key: str = strawberry.field(description="A stable name for it.")
    name: str = strawberry.field(description="What to call the copy.")
    description: str = strawberry.field(description="What it does, and what to adapt.")
    kind: FlowKind = strawberry.field(description="How it starts.")
    graph: JSON = strawberry.field(description="The editor's document to start from.")
    segments: list[BusinessSegment] = strawberry.field(
        description="The kinds of business it is made for; empty for every kind."
    )

    @classmethod
    def from_domain(cls, flow: library.LibraryFlow) -> FlowLibraryEntry:
        return cls(
            key=flow.key,
            name=flow.name,
            description=flow.description,
            kind=FlowKind(flow.kind.value),
            graph=cast(JSON, dict(flow.document)),
            segments=[BusinessSegment(segment) for segment in flow.segments],
        )


def step_loader(context: Context) -> DataLoader[UUID, list[domain.FlowStep]]:
    """Batches the logs of every session a response shows into one read. Uncached, so a
    long-lived subscription connection always reads a session's latest steps."""
    loader = context.loaders.get("flow_steps")
    if loader is None:

        async def load(session_ids: list[UUID]) -> Sequence[list[domain.FlowStep]]:
            found = await context.services.flow_activity.steps(context.actor, session_ids)
            return [found[session_id] for session_id in session_ids]

        loader = DataLoader(load, cache=False)
        context.loaders["flow_steps"] = loader
    return cast(DataLoader[UUID, list[domain.FlowStep]], loader)


@strawberry.type(description="A flow running, or having run, in one conversation.")
class FlowSession(Node):
    id: strawberry.ID = strawberry.field(description="The session's id.")
    flow_id: strawberry.ID = strawberry.field(description="The flow it runs.")
    flow_version: int = strawberry.field(
        description="The published version it runs on, to its end, whatever is published since."
    )
    kind: FlowKind = strawberry.field(description="How it started.")
    conversation_id: strawberry.ID = strawberry.field(description="Its conversation.")
    contact_id: strawberry.ID = strawberry.field(description="The customer.")
    number_id: strawberry.ID = strawberry.field(description="The WhatsApp number it answers on.")
    status: FlowSessionStatus = strawberry.field(description="Where it stands, or how it ended.")
    waiting_at_node_id: str | None = strawberry.field(
        description="The node waiting for the customer's reply or an HTTP response, while active."
    )
    variables: JSON = strawberry.field(description="Its variables, by name.")
    error: str | None = strawberry.field(description="Why it stopped, when it ended in error.")
    started_at: datetime = strawberry.field(description="When it started (UTC).")
    updated_at: datetime = strawberry.field(description="When it last moved (UTC).")
    expires_at: datetime = strawberry.field(
        description="When it expires if the customer stays quiet; each message moves it on."
    )
    ended_at: datetime | None = strawberry.field(description="When it ended (UTC).")
    step_count: int = strawberry.field(description="How many nodes it has gone through.")

    @strawberry.field(description="Its execution log, in order: every node it went through.")
    async def steps(self, info: strawberry.Info[Context, None]) -> list[FlowStep]:
        logged = await step_loader(info.context).load(UUID(str(self.id)))
        return [FlowStep.from_log(step) for step in logged]

    @classmethod
    def from_domain(cls, session: domain.FlowSession) -> FlowSession:
        state = session.state
        waiting = state.waiting
        return cls(
            id=strawberry.ID(str(session.id)),
            flow_id=strawberry.ID(str(session.flow_id)),
            flow_version=session.flow_version,
            kind=FlowKind(session.kind.value),
            conversation_id=strawberry.ID(str(session.conversation_id)),
            contact_id=strawberry.ID(str(session.contact_id)),
            number_id=strawberry.ID(str(session.number_id)),
            status=FlowSessionStatus(session.status.value),
            waiting_at_node_id=waiting.node_id if waiting else None,
            variables=cast(JSON, dict(state.variables)),
            error=state.error,
            started_at=session.started_at,
            updated_at=session.updated_at,
            expires_at=state.expires_at,
            ended_at=session.ended_at,
            step_count=session.step_count,
        )


@strawberry.type(description="How many sessions stopped at a node without finishing.")
class FlowNodeDropOff:
    node_id: str = strawberry.field(description="The node.")
    sessions: int = strawberry.field(description="Sessions that expired or failed there.")


@strawberry.type(
    description="What a flow's sessions did in a period; every count is of sessions that "
    "started in the period, by where they stand now."
)
class FlowStats:
    started: int = strawberry.field(description="Sessions started.")
    completed: int = strawberry.field(description="Of those, ended by reaching their end.")
    expired: int = strawberry.field(
        description="Ended because the customer stayed quiet past the flow's expiry (or a "
        "question's timeout that had no way on)."
    )
    transferred: int = strawberry.field(description="Handed over to human agents.")
    replaced: int = strawberry.field(description="Ended by a keyword or template flow starting.")
    failed: int = strawberry.field(description="Stopped on a node they could not carry out.")
    active: int = strawberry.field(description="Still running.")
    drop_off: list[FlowNodeDropOff] = strawberry.field(
        description="For the sessions that expired or failed, the node each stopped at, the "
        "node most stopped at first: where customers give up."
    )

    @classmethod
    def from_domain(cls, stats: domain.FlowStats) -> FlowStats:
        return cls(
            started=stats.started,
            completed=stats.completed,
            expired=stats.expired,
            transferred=stats.transferred,
            replaced=stats.replaced,
            failed=stats.failed,
            active=stats.active,
            drop_off=[
                FlowNodeDropOff(node_id=d.node_id, sessions=d.sessions) for d in stats.drop_off
            ],
        )


@strawberry.type(description="A flow session started, went through nodes, or ended.")
class FlowSessionEvent:
    event_id: strawberry.ID = strawberry.field(
        description="The event's id; pass the last one as `after` when resubscribing."
    )
    session_id: strawberry.ID = strawberry.field(description="The session.")
    flow_id: strawberry.ID = strawberry.field(description="Its flow.")
    conversation_id: strawberry.ID = strawberry.field(description="Its conversation.")
    status: FlowSessionStatus = strawberry.field(description="Where it stands after the change.")
    step_count: int = strawberry.field(description="Nodes gone through so far.")
    occurred_at: datetime = strawberry.field(description="When it was committed (UTC).")

    @strawberry.field(description="The session as it is now, with its steps if selected.")
    async def session(self, info: strawberry.Info[Context, None]) -> FlowSession | None:
        found = await info.context.services.flow_activity.session(
            info.context.actor, UUID(str(self.session_id))
        )
        return FlowSession.from_domain(found) if found else None

    @classmethod
    def from_event(cls, event: StoredEvent) -> FlowSessionEvent:
        fact = FlowSessionUpdated.read(event)
        return cls(
            event_id=strawberry.ID(str(event.sequence)),
            session_id=strawberry.ID(str(fact.session_id)),
            flow_id=strawberry.ID(str(fact.flow_id)),
            conversation_id=strawberry.ID(str(fact.conversation_id)),
            status=FlowSessionStatus(fact.status),
            step_count=fact.step_count,
            occurred_at=event.occurred_at,
        )
