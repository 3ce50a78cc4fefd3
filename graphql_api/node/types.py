"""The Node interface every refetchable object implements."""

from __future__ import annotations

import strawberry


@strawberry.interface(
    description="An object PyTake can refetch by its id alone with `node(id:)` (Relay's Node): "
    "conversations, queue items, flow sessions, users, flows and queues."
)
class Node:
    id: strawberry.ID = strawberry.field(description="The object's id, unique across types.")
