"""Creating, changing and deleting canned responses."""

from __future__ import annotations

from typing import Annotated

import strawberry

from domain.replies.model import CannedDraft
from graphql_api.context import Context
from graphql_api.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from graphql_api.ids import parse_uuid
from graphql_api.mutations import MUTATION_INPUT, mutation
from graphql_api.replies.inputs import (
    CannedResponseCreateInput,
    CannedResponseIdInput,
    CannedResponseUpdateInput,
)
from graphql_api.replies.types import CannedResponse


@strawberry.type(description="The canned response is saved.")
class CannedResponseSaveSuccess:
    canned_response: CannedResponse = strawberry.field(description="As it is now.")


@strawberry.type(description="The canned response is deleted.")
class CannedResponseDeleteSuccess:
    canned_response: CannedResponse = strawberry.field(description="As it was.")


CannedResponseSavePayload = Annotated[
    CannedResponseSaveSuccess
    | ValidationError
    | ConflictError
    | NotFoundError
    | PermissionDeniedError,
    strawberry.union(
        "CannedResponseSavePayload",
        description="The outcome of cannedResponseCreate and cannedResponseUpdate.",
    ),
]
CannedResponseDeletePayload = Annotated[
    CannedResponseDeleteSuccess | NotFoundError | PermissionDeniedError,
    strawberry.union(
        "CannedResponseDeletePayload", description="The outcome of cannedResponseDelete."
    ),
]


@strawberry.type
class RepliesMutations:
    @mutation(
        description="Add a canned response (supervisors and up); a shortcut already taken is "
        "a ConflictError."
    )
    async def canned_response_create(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[CannedResponseCreateInput, MUTATION_INPUT],
    ) -> CannedResponseSavePayload:
        canned = await info.context.services.replies.create(
            info.context.actor, CannedDraft(input.shortcut, input.title, input.body)
        )
        return CannedResponseSaveSuccess(canned_response=CannedResponse.from_domain(canned))

    @mutation(description="Change a canned response (supervisors and up).")
    async def canned_response_update(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[CannedResponseUpdateInput, MUTATION_INPUT],
    ) -> CannedResponseSavePayload:
        canned = await info.context.services.replies.update(
            info.context.actor,
            parse_uuid(input.id, "id"),
            CannedDraft(input.shortcut, input.title, input.body),
        )
        return CannedResponseSaveSuccess(canned_response=CannedResponse.from_domain(canned))

    @mutation(description="Delete a canned response (supervisors and up).")
    async def canned_response_delete(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[CannedResponseIdInput, MUTATION_INPUT],
    ) -> CannedResponseDeletePayload:
        canned = await info.context.services.replies.delete(
            info.context.actor, parse_uuid(input.id, "id")
        )
        return CannedResponseDeleteSuccess(canned_response=CannedResponse.from_domain(canned))
