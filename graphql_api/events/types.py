"""Organization events as the API streams them."""

from __future__ import annotations

from datetime import datetime
from typing import cast

import strawberry
from strawberry.scalars import JSON

from domain.events import StoredEvent


@strawberry.type(description="Something that happened in the organization, in commit order.")
class OrganizationEvent:
    id: strawberry.ID = strawberry.field(
        description="Increases by one per event of the organization; pass the last one seen "
        "as `after` when resubscribing to receive exactly what was missed."
    )
    type: str = strawberry.field(description="What happened, e.g. `user.created`.")
    occurred_at: datetime = strawberry.field(description="When it was committed (UTC).")
    payload: JSON = strawberry.field(description="The facts of the event; shape depends on type.")

    @classmethod
    def from_domain(cls, event: StoredEvent) -> OrganizationEvent:
        return cls(
            id=strawberry.ID(str(event.sequence)),
            type=event.type,
            occurred_at=event.occurred_at,
            payload=cast(JSON, event.payload),
        )
