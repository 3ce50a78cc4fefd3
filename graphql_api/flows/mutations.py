"""Designing flows: create, edit the draft, duplicate, archive and publish (supervisors, admins
and owners)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON

from domain.errors import InvalidInput
from domain.flows import model, services
from graphql_api.context import Context
from graphql_api.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from graphql_api.flows.types import Flow, FlowInvalidError, FlowKind
from graphql_api.ids import parse_uuid
from graphql_api.mutations import MUTATION_INPUT, mutation


def _graph(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidInput(
            "a flow graph is an object with `nodes` and `edges` lists", field="graph"
        )
    return value


@strawberry.input(description="A new flow, saved as a draft.")
class FlowCreateInput:
    name: str = strawberry.field(description="Its name, unique in the organization.")
    kind: FlowKind = strawberry.field(description="How it starts; it cannot change later.")
    number_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="The WhatsApp numbers it runs on."
    )
    expiry_minutes: int = strawberry.field(
        default=model.DEFAULT_EXPIRY_MINUTES,
        description="Session inactivity expiry, 1 to 10080 minutes; 10 when omitted.",
    )
    graph: JSON | None = strawberry.field(
        default=None, description="The editor's document ({nodes, edges}); empty when omitted."
    )


@strawberry.input(description="Change a flow. Omitted fields stay as they are.")
class FlowUpdateInput:
    id: strawberry.ID = strawberry.field(description="The flow.")
    name: str | None = strawberry.field(default=None, description="A new name.")
    number_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="The numbers it runs on, replacing the current ones."
    )
    expiry_minutes: int | None = strawberry.field(
        default=None, description="A new session expiry, 1 to 10080 minutes."
    )
    graph: JSON | None = strawberry.field(
        default=None,
        description="A new draft; the published version keeps running until the next publish.",
    )


@strawberry.input(description="Copy a flow into a new draft.")
class FlowDuplicateInput:
    id: strawberry.ID = strawberry.field(description="The flow to copy.")
    name: str | None = strawberry.field(
        default=None, description="The copy's name; the original's with ' (copy)' when omitted."
    )


@strawberry.input(description="Identifies the flow to archive or publish.")
class FlowIdInput:
    id: strawberry.ID = strawberry.field(description="The flow.")


@strawberry.type(description="The flow is saved.")
class FlowSaveSuccess:
    flow: Flow = strawberry.field(description="The flow as it is now.")


@strawberry.type(description="The draft is published as the flow's next version.")
class FlowPublishSuccess:
    flow: Flow = strawberry.field(description="The flow, with its new published version.")


FlowSavePayload = Annotated[
    FlowSaveSuccess | ValidationError | NotFoundError | ConflictError | PermissionDeniedError,
    strawberry.union(
        "FlowSavePayload",
        description="The outcome of flowCreate, flowUpdate, flowDuplicate and flowArchive.",
    ),
]
FlowPublishPayload = Annotated[
    FlowPublishSuccess
    | FlowInvalidError
    | ValidationError
    | NotFoundError
    | ConflictError
    | PermissionDeniedError,
    strawberry.union("FlowPublishPayload", description="The outcome of flowPublish."),
]


@strawberry.type
class FlowMutations:
    @mutation(description="Create a flow as a draft; publish it to put it to work.")
    async def flow_create(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[FlowCreateInput, MUTATION_INPUT],
    ) -> FlowSavePayload:
        flow = await info.context.services.flows.create(
            info.context.actor,
            services.FlowDraft(
                name=input.name,
                kind=model.FlowKind(input.kind.name.lower()),
                number_ids=tuple(parse_uuid(n) for n in input.number_ids),
                expiry_minutes=input.expiry_minutes,
                document=_graph(input.graph) if input.graph is not None else None,
            ),
        )
        return FlowSaveSuccess(flow=Flow.from_domain(flow))

    @mutation(
        description="Change a flow's settings or its draft; running sessions are not affected."
    )
    async def flow_update(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[FlowUpdateInput, MUTATION_INPUT],
    ) -> FlowSavePayload:
        numbers = (
            tuple(parse_uuid(n) for n in input.number_ids) if input.number_ids is not None else None
        )
        flow = await info.context.services.flows.update(
            info.context.actor,
            parse_uuid(input.id),
            services.FlowChanges(
                name=input.name,
                number_ids=numbers,
                expiry_minutes=input.expiry_minutes,
                document=_graph(input.graph) if input.graph is not None else None,
            ),
        )
        return FlowSaveSuccess(flow=Flow.from_domain(flow))

    @mutation(description="Copy a flow's draft and settings into a new draft.")
    async def flow_duplicate(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[FlowDuplicateInput, MUTATION_INPUT],
    ) -> FlowSavePayload:
        flow = await info.context.services.flows.duplicate(
            info.context.actor, parse_uuid(input.id), input.name
        )
        return FlowSaveSuccess(flow=Flow.from_domain(flow))

    @mutation(
        description="Retire a flow: it starts no more sessions; sessions already running finish."
    )
    async def flow_archive(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[FlowIdInput, MUTATION_INPUT],
    ) -> FlowSavePayload:
        flow = await info.context.services.flows.archive(info.context.actor, parse_uuid(input.id))
        return FlowSaveSuccess(flow=Flow.from_domain(flow))

    @mutation(
        description="Validate the draft and publish it as the next version: new sessions start "
        "on it, running sessions finish on theirs. A number has one published universal flow."
    )
    async def flow_publish(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[FlowIdInput, MUTATION_INPUT],
    ) -> FlowPublishPayload:
        flow = await info.context.services.flows.publish(info.context.actor, parse_uuid(input.id))
        return FlowPublishSuccess(flow=Flow.from_domain(flow))
