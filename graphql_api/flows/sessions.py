"""Flow sessions as they ran for real: read, streamed live, and counted (supervisors and up)."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Sequence
from datetime import datetime
from typing import Annotated, cast
from uuid import UUID

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.scalars import JSON

from domain.accounts.model import SUPERVISING_ROLES
from domain.errors import NotFound
from domain.events import StoredEvent
from domain.flows import engine
from domain.flows import sessions as domain
from domain.flows.events import FlowSessionUpdated
from domain.pagination import Page
from graphql_api.context import Context
from graphql_api.events.stream import events_of
from graphql_api.flows.types import FlowKind, FlowSessionStatus, FlowStep
from graphql_api.ids import parse_uuid
from graphql_api.pagination import AfterArgument, FirstArgument, PageInfo

FLOW_SESSION_UPDATED = frozenset({FlowSessionUpdated.type})


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
class FlowSession:
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


@strawberry.type(description="A session and the cursor to page on from it.")
class FlowSessionEdge:
    cursor: str = strawberry.field(description="Pass as `after` to start the next page here.")
    node: FlowSession = strawberry.field(description="The session.")


@strawberry.type(description="A page of flow sessions, most recently started first.")
class FlowSessionConnection:
    edges: list[FlowSessionEdge] = strawberry.field(description="The sessions of the page.")
    page_info: PageInfo = strawberry.field(description="How to fetch the next page.")

    @classmethod
    def from_page(cls, page: Page[domain.FlowSession]) -> FlowSessionConnection:
        return cls(
            edges=[
                FlowSessionEdge(cursor=e.cursor, node=FlowSession.from_domain(e.node))
                for e in page.edges
            ],
            page_info=PageInfo.of(page),
        )


@strawberry.input(description="Narrows `flowSessions`; every given field must match.")
class FlowSessionFilter:
    flow_id: strawberry.ID | None = strawberry.field(default=None, description="Of this flow.")
    contact_id: strawberry.ID | None = strawberry.field(
        default=None, description="With this customer."
    )
    conversation_id: strawberry.ID | None = strawberry.field(
        default=None, description="In this conversation."
    )
    status: FlowSessionStatus | None = strawberry.field(
        default=None, description="Standing there, or having ended so."
    )
    since: datetime | None = strawberry.field(default=None, description="Started at or after.")
    until: datetime | None = strawberry.field(default=None, description="Started before.")

    def to_domain(self) -> domain.FlowSessionFilter:
        return domain.FlowSessionFilter(
            flow_id=parse_uuid(self.flow_id, "flowId") if self.flow_id else None,
            contact_id=parse_uuid(self.contact_id, "contactId") if self.contact_id else None,
            conversation_id=(
                parse_uuid(self.conversation_id, "conversationId") if self.conversation_id else None
            ),
            status=engine.SessionStatus(self.status.name.lower()) if self.status else None,
            started_after=self.since,
            started_before=self.until,
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


@strawberry.type
class FlowSessionQueries:
    @strawberry.field(
        description="Flow sessions, most recently started first, at most 100 a page "
        "(supervisors, admins and owners)."
    )
    async def flow_sessions(
        self,
        info: strawberry.Info[Context, None],
        filter: Annotated[
            FlowSessionFilter | None, strawberry.argument(description="Optional filters.")
        ] = None,
        first: FirstArgument = None,
        after: AfterArgument = None,
    ) -> FlowSessionConnection:
        page = await info.context.services.flow_activity.sessions(
            info.context.actor, (filter or FlowSessionFilter()).to_domain(), first, after
        )
        return FlowSessionConnection.from_page(page)

    @strawberry.field(description="A flow session by id, with its execution log.")
    async def flow_session(
        self,
        info: strawberry.Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The session's id.")],
    ) -> FlowSession | None:
        session = await info.context.services.flow_activity.session(
            info.context.actor, parse_uuid(id)
        )
        return FlowSession.from_domain(session) if session else None

    @strawberry.field(description="A flow's sessions in numbers for a period.")
    async def flow_stats(
        self,
        info: strawberry.Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The flow's id.")],
        since: Annotated[
            datetime, strawberry.argument(description="Start of the period (sessions started).")
        ],
        until: Annotated[
            datetime | None,
            strawberry.argument(description="End of the period (excluded); now if null."),
        ] = None,
    ) -> FlowStats:
        stats = await info.context.services.flow_activity.stats(
            info.context.actor, parse_uuid(id), since, until
        )
        return FlowStats.from_domain(stats)


@strawberry.type
class FlowSessionSubscriptions:
    @strawberry.subscription(
        description="Flow sessions starting, moving and ending, live (supervisors, admins and "
        "owners); select `session { steps }` to read the log as it grows."
    )
    async def flow_session_updated(
        self,
        info: strawberry.Info[Context, None],
        flow_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only this flow's sessions; all when null."),
        ] = None,
        conversation_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only this conversation's sessions; all when null."),
        ] = None,
        after: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="The `eventId` of the last event received before reconnecting: "
                "every missed event is delivered once, then the stream goes on live."
            ),
        ] = None,
    ) -> AsyncGenerator[FlowSessionEvent, None]:
        info.context.actor.require_role(SUPERVISING_ROLES)
        flow = parse_uuid(flow_id, "flowId") if flow_id else None
        flows = info.context.services.flows
        if flow is not None and await flows.flow(info.context.actor, flow) is None:
            raise NotFound("Flow", flow_id)
        conversation = parse_uuid(conversation_id, "conversationId") if conversation_id else None
        async for event in events_of(info, FLOW_SESSION_UPDATED, after):
            fact = FlowSessionUpdated.read(event)
            if flow is not None and fact.flow_id != flow:
                continue
            if conversation is not None and fact.conversation_id != conversation:
                continue
            yield FlowSessionEvent.from_event(event)
