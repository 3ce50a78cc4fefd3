"""Customers waiting longer than their queue's target answer time: each such wait becomes one
`queue_item.overdue` event, for supervisors to be told (docs/notifications.md)."""

from __future__ import annotations

from uuid import UUID

from domain.clock import Clock
from domain.queues.events import QueueItemOverdue
from domain.queues.ports import QueuesUnitOfWork
from domain.unit_of_work import UnitOfWorkFactory

OVERDUE_PER_ROUND = 200


class OverdueWaits:
    def __init__(self, unit_of_work: UnitOfWorkFactory[QueuesUnitOfWork], clock: Clock) -> None:
        self._uow = unit_of_work
        self._clock = clock

    async def sweep(self, organization_id: UUID) -> int:
        """Announces the organization's waits that passed their target since the last sweep;
        how many."""
        now = self._clock.now()
        async with self._uow(organization_id) as uow:
            items = await uow.queue_items.overdue(now, OVERDUE_PER_ROUND)
            if not items:
                return 0
            for item in items:
                target = item.target_deadline or now
                uow.emit(
                    QueueItemOverdue(
                        organization_id=organization_id,
                        item_id=item.id,
                        queue_id=item.queue_id,
                        conversation_id=item.conversation_id,
                        target_seconds=round((target - item.entered_at).total_seconds()),
                    )
                )
            await uow.queue_items.target_told([item.id for item in items])
            await uow.commit()
        return len(items)
