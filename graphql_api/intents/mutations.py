"""Creating, changing and deleting intents, importing the starter set, and training."""

from __future__ import annotations

from typing import Annotated

import strawberry

from domain.signals.intents import IntentDraft
from graphql_api.context import Context
from graphql_api.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from graphql_api.ids import parse_uuid
from graphql_api.intents.inputs import (
    IntentCreateInput,
    IntentIdInput,
    IntentStarterSetImportInput,
    IntentUpdateInput,
)
from graphql_api.intents.types import Intent, IntentModel
from graphql_api.mutations import MUTATION_INPUT, mutation


@strawberry.type(description="The intent is saved.")
class IntentSaveSuccess:
    intent: Intent = strawberry.field(description="As it is now.")


@strawberry.type(description="The intent is deleted.")
class IntentDeleteSuccess:
    intent: Intent = strawberry.field(description="As it was.")


@strawberry.type(description="The starter set is imported.")
class IntentStarterSetImportSuccess:
    created: list[Intent] = strawberry.field(description="The intents added.")
    skipped: list[str] = strawberry.field(
        description="Names the organization already had, left as they were."
    )


@strawberry.type(description="A training is queued (or was already queued or under way).")
class IntentModelTrainSuccess:
    model: IntentModel = strawberry.field(
        description="The training; follow it with intentModelUpdated or intentModels."
    )


IntentSavePayload = Annotated[
    IntentSaveSuccess | ValidationError | ConflictError | NotFoundError | PermissionDeniedError,
    strawberry.union(
        "IntentSavePayload", description="The outcome of intentCreate and intentUpdate."
    ),
]
IntentDeletePayload = Annotated[
    IntentDeleteSuccess | NotFoundError | PermissionDeniedError,
    strawberry.union("IntentDeletePayload", description="The outcome of intentDelete."),
]
IntentStarterSetImportPayload = Annotated[
    IntentStarterSetImportSuccess | ValidationError | PermissionDeniedError,
    strawberry.union(
        "IntentStarterSetImportPayload", description="The outcome of intentStarterSetImport."
    ),
]
IntentModelTrainPayload = Annotated[
    IntentModelTrainSuccess | ValidationError | PermissionDeniedError,
    strawberry.union("IntentModelTrainPayload", description="The outcome of intentModelTrain."),
]


def _draft(input: IntentCreateInput | IntentUpdateInput) -> IntentDraft:
    return IntentDraft(input.name, input.description, tuple(input.examples))


@strawberry.type
class IntentsMutations:
    @mutation(
        description="Add an intent (supervisors and up); a name already taken is a "
        "ConflictError. Messages read it once the model is trained again."
    )
    async def intent_create(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[IntentCreateInput, MUTATION_INPUT],
    ) -> IntentSavePayload:
        intent = await info.context.services.intents.create(info.context.actor, _draft(input))
        return IntentSaveSuccess(intent=Intent.from_domain(intent))

    @mutation(description="Change an intent (supervisors and up).")
    async def intent_update(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[IntentUpdateInput, MUTATION_INPUT],
    ) -> IntentSavePayload:
        intent = await info.context.services.intents.update(
            info.context.actor, parse_uuid(input.id, "id"), _draft(input)
        )
        return IntentSaveSuccess(intent=Intent.from_domain(intent))

    @mutation(
        description="Delete an intent (supervisors and up); the current model reads it until "
        "the next training."
    )
    async def intent_delete(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[IntentIdInput, MUTATION_INPUT],
    ) -> IntentDeletePayload:
        intent = await info.context.services.intents.delete(
            info.context.actor, parse_uuid(input.id, "id")
        )
        return IntentDeleteSuccess(intent=Intent.from_domain(intent))

    @mutation(
        description="Add PyTake's starter intents for the organization's language (Brazilian "
        "Portuguese customer service: order status, cancellation, refund, payment, …) and, "
        "if asked, one per published keyword flow (supervisors and up). Names the "
        "organization has are left alone."
    )
    async def intent_starter_set_import(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[IntentStarterSetImportInput, MUTATION_INPUT],
    ) -> IntentStarterSetImportPayload:
        imported = await info.context.services.intents.import_starter(
            info.context.actor, input.include_keyword_flows
        )
        return IntentStarterSetImportSuccess(
            created=[Intent.from_domain(intent) for intent in imported.created],
            skipped=imported.skipped,
        )

    @mutation(
        description="Train the intent model on every intent's examples as they are now, in the "
        "intents worker (supervisors and up). Needs 2 intents with 5 examples each; while a "
        "training is queued or under way, that one is returned."
    )
    async def intent_model_train(
        self, info: strawberry.Info[Context, None]
    ) -> IntentModelTrainPayload:
        model = await info.context.services.intents.train(info.context.actor)
        return IntentModelTrainSuccess(model=IntentModel.from_domain(model))
