"""Reading flows, checking drafts, dry runs, and the sessions flows ran (supervisors and up)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import strawberry

from domain.pagination import PageRequest
from graphql_api.context import Context
from graphql_api.flows.inputs import FlowFilter, FlowSessionFilter, FlowTestInput
from graphql_api.flows.types import (
    Flow,
    FlowLibraryEntry,
    FlowProblem,
    FlowSession,
    FlowStats,
    FlowTestResult,
)
from graphql_api.ids import parse_uuid
from graphql_api.languages import Language
from graphql_api.pagination import (
    AfterArgument,
    BeforeArgument,
    Connection,
    FirstArgument,
    LastArgument,
)
from graphql_api.segments import BusinessSegment

FlowId = Annotated[strawberry.ID, strawberry.argument(description="The flow's id.")]


@strawberry.type
class FlowQueries:
    @strawberry.field(
        description="The organization's flows, most recently changed first, at most 100 a page "
        "(supervisors, admins and owners)."
    )
    async def flows(
        self,
        info: strawberry.Info[Context, None],
        filter: Annotated[
            FlowFilter | None, strawberry.argument(description="Optional filters.")
        ] = None,
        first: FirstArgument = None,
        after: AfterArgument = None,
        last: LastArgument = None,
        before: BeforeArgument = None,
    ) -> Connection[Flow]:
        page = await info.context.services.flows.flows(
            info.context.actor,
            (filter or FlowFilter()).to_domain(),
            PageRequest(first, after, last, before),
        )
        return Connection.of(page, Flow.from_domain)

    @strawberry.field(description="A flow by id; null when the organization has none.")
    async def flow(self, info: strawberry.Info[Context, None], id: FlowId) -> Flow | None:
        return await find_flow(info, parse_uuid(id))

    @strawberry.field(
        description="Checks a flow's draft: every problem that would keep it from being "
        "published, each with its node; an empty list means it can be published."
    )
    async def flow_validate(
        self, info: strawberry.Info[Context, None], id: FlowId
    ) -> list[FlowProblem]:
        problems = await info.context.services.flows.validate(info.context.actor, parse_uuid(id))
        return [FlowProblem.from_domain(problem) for problem in problems]

    @strawberry.field(
        description="A dry run of the draft (or of a published version) against a scripted "
        "conversation. Nothing is sent, called or stored: the transcript shows each message as "
        "the Graph API payload that would be sent."
    )
    async def flow_test(
        self,
        info: strawberry.Info[Context, None],
        id: FlowId,
        input: Annotated[FlowTestInput, strawberry.argument(description="The conversation.")],
        version: Annotated[
            int | None,
            strawberry.argument(description="A published version to run; the draft when null."),
        ] = None,
    ) -> FlowTestResult:
        run = await info.context.services.flows.test(
            info.context.actor, parse_uuid(id), input.to_domain(), version
        )
        return FlowTestResult.from_domain(run)

    @strawberry.field(
        description="Ready-made flows to copy with flowCreate and adapt, in the organization's "
        "language, handing customers to the queue chosen here: for every business a welcome "
        "menu, opening hours, support triage and an order lookup, then a welcome per kind of "
        "business (`segments`)."
    )
    async def flow_library(
        self,
        info: strawberry.Info[Context, None],
        language: Annotated[
            Language | None,
            strawberry.argument(
                description="The language of their texts; the organization's when null."
            ),
        ] = None,
        queue_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="The queue their transfers hand customers to; when null, the "
                "organization's first queue by name. With no queue at all their transfers name "
                "none, and flowValidate asks for one."
            ),
        ] = None,
        segment: Annotated[
            BusinessSegment | None,
            strawberry.argument(
                description="Only the flows for every business and this kind of business's own."
            ),
        ] = None,
    ) -> list[FlowLibraryEntry]:
        flows = await info.context.services.flows.library(
            info.context.actor,
            language.code if language is not None else None,
            parse_uuid(queue_id, "queueId") if queue_id is not None else None,
            segment.code if segment is not None else None,
        )
        return [FlowLibraryEntry.from_domain(flow) for flow in flows]


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
        last: LastArgument = None,
        before: BeforeArgument = None,
    ) -> Connection[FlowSession]:
        page = await info.context.services.flow_activity.sessions(
            info.context.actor,
            (filter or FlowSessionFilter()).to_domain(),
            PageRequest(first, after, last, before),
        )
        return Connection.of(page, FlowSession.from_domain)

    @strawberry.field(description="A flow session by id, with its execution log.")
    async def flow_session(
        self,
        info: strawberry.Info[Context, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The session's id.")],
    ) -> FlowSession | None:
        return await find_flow_session(info, parse_uuid(id))

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


async def find_flow(info: strawberry.Info[Context, None], flow_id: UUID) -> Flow | None:
    flow = await info.context.services.flows.flow(info.context.actor, flow_id)
    return Flow.from_domain(flow) if flow else None


async def find_flow_session(
    info: strawberry.Info[Context, None], session_id: UUID
) -> FlowSession | None:
    session = await info.context.services.flow_activity.session(info.context.actor, session_id)
    return FlowSession.from_domain(session) if session else None
