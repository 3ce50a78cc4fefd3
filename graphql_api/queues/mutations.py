"""Setting up queues and agents and moving items through them."""

from __future__ import annotations

from typing import Annotated

import strawberry

from domain.errors import Conflict, InvalidInput, NotFound
from domain.queues import model, services
from domain.queues.routing import Refused
from graphql_api.context import Context
from graphql_api.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from graphql_api.ids import parse_uuid
from graphql_api.mutations import MUTATION_INPUT, mutation
from graphql_api.queues.inputs import (
    AgentStatusUpdateInput,
    AgentUpdateInput,
    QueueIdInput,
    QueueInput,
    QueueItemAssignInput,
    QueueItemCompleteInput,
    QueueItemCreateInput,
    QueueItemIdInput,
    QueueItemTransferInput,
    opening_hours_of,
)
from graphql_api.queues.types import (
    Agent,
    Queue,
    QueueItem,
)


@strawberry.type(description="The queue is saved.")
class QueueSaveSuccess:
    queue: Queue = strawberry.field(description="The queue as it is now.")


@strawberry.type(description="The queue is deleted.")
class QueueDeleteSuccess:
    id: strawberry.ID = strawberry.field(description="The deleted queue's id.")


@strawberry.type(description="The item is changed.")
class QueueItemSuccess:
    item: QueueItem = strawberry.field(description="The item as it is now.")
    kept: bool = strawberry.field(
        default=False,
        description="queueItemCreate: true when the conversation already waited or was being "
        "served, and its existing item is returned unchanged (nothing was queued again).",
    )


@strawberry.type(description="The agent is changed.")
class AgentSuccess:
    agent: Agent = strawberry.field(description="The agent as they are now.")


QueueSavePayload = Annotated[
    QueueSaveSuccess | ValidationError | NotFoundError | ConflictError | PermissionDeniedError,
    strawberry.union("QueueSavePayload", description="The outcome of queueCreate/queueUpdate."),
]
QueueDeletePayload = Annotated[
    QueueDeleteSuccess | ValidationError | NotFoundError | ConflictError | PermissionDeniedError,
    strawberry.union("QueueDeletePayload", description="The outcome of queueDelete."),
]
QueueItemPayload = Annotated[
    QueueItemSuccess | ValidationError | NotFoundError | ConflictError | PermissionDeniedError,
    strawberry.union(
        "QueueItemPayload",
        description="The outcome of queueItemCreate, queueItemAssign, queueItemTransfer, "
        "queueItemComplete and queueItemAbandon.",
    ),
]
AgentPayload = Annotated[
    AgentSuccess | ValidationError | NotFoundError | ConflictError | PermissionDeniedError,
    strawberry.union("AgentPayload", description="The outcome of agentStatusUpdate/agentUpdate."),
]


@strawberry.type
class QueueMutations:
    @mutation(description="Create a queue (supervisors and up).")
    async def queue_create(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[QueueInput, MUTATION_INPUT],
    ) -> QueueSavePayload:
        if not input.name:
            raise InvalidInput("a queue needs a name", field="name")
        queue = await info.context.services.queues.create(info.context.actor, input.settings(None))
        return QueueSaveSuccess(queue=Queue.from_domain(queue))

    @mutation(description="Change a queue's settings (supervisors and up).")
    async def queue_update(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[QueueInput, MUTATION_INPUT],
    ) -> QueueSavePayload:
        queues = info.context.services.queues
        if input.id is None:
            raise InvalidInput("give the queue's id", field="id")
        queue = await queues.update(info.context.actor, parse_uuid(input.id), input.settings)
        return QueueSaveSuccess(queue=Queue.from_domain(queue))

    @mutation(
        description="Delete a queue; refused while conversations are in it or another queue "
        "overflows into it."
    )
    async def queue_delete(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[QueueIdInput, MUTATION_INPUT],
    ) -> QueueDeletePayload:
        await info.context.services.queues.delete(info.context.actor, parse_uuid(input.id))
        return QueueDeleteSuccess(id=input.id)

    @mutation(
        description="Put a conversation in a queue, where it waits for an agent like a flow's "
        "transfer: the customer hears the queue's welcome; a full queue, or a closed one that "
        "refuses, answers with a ConflictError (the customer has heard the queue's message and "
        "the conversation stays with people, unassigned). A conversation already waiting or "
        "served keeps its item, unchanged, even when two calls arrive at once: the answer says "
        "so with `kept`."
    )
    async def queue_item_create(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[QueueItemCreateInput, MUTATION_INPUT],
    ) -> QueueItemPayload:
        outcome = await info.context.services.queues.enqueue(
            info.context.actor,
            parse_uuid(input.conversation_id, "conversationId"),
            parse_uuid(input.queue_id, "queueId"),
            input.priority,
        )
        if isinstance(outcome, Refused):
            raise Conflict(outcome.reason, field="queueId")
        return QueueItemSuccess(item=QueueItem.from_domain(outcome.item), kept=outcome.kept)

    @mutation(description="Give an item to an online agent with room (supervisors and up).")
    async def queue_item_assign(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[QueueItemAssignInput, MUTATION_INPUT],
    ) -> QueueItemPayload:
        item = await info.context.services.queues.assign(
            info.context.actor, parse_uuid(input.id), parse_uuid(input.agent_id, "agentId")
        )
        return QueueItemSuccess(item=QueueItem.from_domain(item))

    @mutation(
        description="Move an item to another queue or to an agent (its agent, or supervisors)."
    )
    async def queue_item_transfer(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[QueueItemTransferInput, MUTATION_INPUT],
    ) -> QueueItemPayload:
        item = await info.context.services.queues.transfer(
            info.context.actor,
            parse_uuid(input.id),
            parse_uuid(input.queue_id, "queueId") if input.queue_id else None,
            parse_uuid(input.agent_id, "agentId") if input.agent_id else None,
        )
        return QueueItemSuccess(item=QueueItem.from_domain(item))

    @mutation(description="Finish an item, with the customer's rating; resolves the conversation.")
    async def queue_item_complete(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[QueueItemCompleteInput, MUTATION_INPUT],
    ) -> QueueItemPayload:
        item = await info.context.services.queues.complete(
            info.context.actor, parse_uuid(input.id), input.rating, input.feedback
        )
        return QueueItemSuccess(item=QueueItem.from_domain(item))

    @mutation(
        description="The customer left: take the item out and resolve the conversation "
        "(supervisors and up)."
    )
    async def queue_item_abandon(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[QueueItemIdInput, MUTATION_INPUT],
    ) -> QueueItemPayload:
        item = await info.context.services.queues.abandon(info.context.actor, parse_uuid(input.id))
        return QueueItemSuccess(item=QueueItem.from_domain(item))

    @mutation(description="Set an agent's status; ONLINE lets them take conversations.")
    async def agent_status_update(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[AgentStatusUpdateInput, MUTATION_INPUT],
    ) -> AgentPayload:
        queues = info.context.services.queues
        user_id = (
            parse_uuid(input.user_id, "userId")
            if input.user_id
            else info.context.actor.require_user()[0]
        )
        await queues.set_status(
            info.context.actor, user_id, model.AgentStatus(input.status.name.lower())
        )
        view = await queues.agent(info.context.actor, user_id)
        if view is None:
            raise NotFound("User", user_id)
        return AgentSuccess(agent=Agent.from_view(view))

    @mutation(description="Change an agent's capacity, skills, queues or hours.")
    async def agent_update(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[AgentUpdateInput, MUTATION_INPUT],
    ) -> AgentPayload:
        queues = info.context.services.queues
        user_id = parse_uuid(input.user_id, "userId")
        await queues.update_agent(
            info.context.actor,
            user_id,
            services.AgentChanges(
                capacity=input.capacity,
                skills=tuple(input.skills) if input.skills is not None else None,
                departments=tuple(input.departments) if input.departments is not None else None,
                queue_ids=tuple(parse_uuid(q, "queueIds") for q in input.queue_ids)
                if input.queue_ids is not None
                else None,
                hours=opening_hours_of(input.working_hours, "workingHours"),
                clear_hours=input.any_hours,
            ),
        )
        view = await queues.agent(info.context.actor, user_id)
        if view is None:
            raise NotFound("User", user_id)
        return AgentSuccess(agent=Agent.from_view(view))
