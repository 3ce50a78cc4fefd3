"""Designing flows: create, edit the draft, duplicate, archive and publish (supervisors, admins
and owners)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from domain.errors import InvalidInput
from domain.flows import model, services
from graphql_api.context import Context
from graphql_api.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from graphql_api.flows.inputs import (
    FlowCreateInput,
    FlowDuplicateInput,
    FlowIdInput,
    FlowRollbackInput,
    FlowUpdateInput,
)
from graphql_api.flows.types import Flow, FlowInvalidError
from graphql_api.ids import parse_uuid
from graphql_api.mutations import MUTATION_INPUT, mutation


def _graph(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidInput(
            "a flow graph is an object with `nodes` and `edges` lists", field="graph"
        )
    return value


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
    strawberry.union(
        "FlowPublishPayload", description="The outcome of flowPublish and flowRollback."
    ),
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

    @mutation(
        description="Publish an earlier version again as the next version, which becomes the "
        "draft too (unpublished edits are replaced). It is validated again: templates and "
        "queues it names may have changed since."
    )
    async def flow_rollback(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[FlowRollbackInput, MUTATION_INPUT],
    ) -> FlowPublishPayload:
        flow = await info.context.services.flows.roll_back(
            info.context.actor, parse_uuid(input.id), input.version
        )
        return FlowPublishSuccess(flow=Flow.from_domain(flow))
