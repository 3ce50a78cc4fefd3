"""Makes people's notifications from their organizations' events (domain/notifications/
notifier.py): finds the organizations whose events it has not read, and reads each one's.
Woken by this process's commits of events that can make a notification; everything else
(other processes' events, and the events it passes over) is read by polling, in batches. Each
round first turns customers waiting past their queue's target into events, and the e-mail
digests go out from a worker of their own."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import timedelta

from domain.clock import Clock
from domain.events import StoredEvent
from domain.notifications.digests import EmailDigests
from domain.notifications.notifier import Notifier
from domain.queues.overdue import OverdueWaits
from domain.team.invitations import MailUnavailable
from domain.unit_of_work import EventPublisher
from persistence.database import Database
from persistence.repositories.notifications import (
    organizations_with_unread_events,
    people_with_due_digests,
    people_with_held_back,
)
from persistence.repositories.queues import organizations_with_overdue_items
from web.polling import PollingWorker

logger = logging.getLogger(__name__)

ORGANIZATIONS_PER_ROUND = 50
DIGESTS_PER_ROUND = 50
HELD_BACK_WINDOW = timedelta(minutes=1)
"""The frequency limit's window: a summary waits for it, so one comes a minute at most."""


class NotificationWorker(PollingWorker):
    name = "notifications"

    def __init__(
        self,
        database: Database,
        notifier: Notifier,
        overdue: OverdueWaits,
        clock: Clock,
        poll_seconds: float = 1.0,
    ):
        super().__init__(poll_seconds)
        self._database = database
        self._notifier = notifier
        self._overdue = overdue
        self._clock = clock

    async def round(self) -> bool:
        # Waits past their target become events first, read below in the same round.
        for organization_id in await organizations_with_overdue_items(
            self._database, self._clock.now()
        ):
            await self._overdue.sweep(organization_id)
        for organization_id, user_id in await people_with_held_back(
            self._database, self._clock.now() - HELD_BACK_WINDOW, ORGANIZATIONS_PER_ROUND
        ):
            await self._notifier.summarize_held_back(organization_id, user_id)
        organizations = await organizations_with_unread_events(
            self._database, ORGANIZATIONS_PER_ROUND
        )
        read = 0
        for organization_id in organizations:
            read += await self._notifier.catch_up(organization_id)
        return read > 0


class WakingPublisher:
    """The bus, and a wake-up for the workers that read the event log, after a commit whose
    events concern them."""

    def __init__(self, bus: EventPublisher) -> None:
        self._bus = bus
        self._wake: list[tuple[PollingWorker, Callable[[StoredEvent], bool]]] = []

    def wakes(self, worker: PollingWorker, when: Callable[[StoredEvent], bool]) -> None:
        self._wake.append((worker, when))

    async def publish(self, events: Sequence[StoredEvent]) -> None:
        try:
            await self._bus.publish(events)
        finally:
            for worker, concerned in self._wake:
                if any(concerned(event) for event in events):
                    worker.wake()


class EmailDigestWorker(PollingWorker):
    """Sends each person's e-mail digest once its oldest notification has waited long enough
    for others to join it. A mail server that fails leaves them waiting for the next round."""

    name = "email_digests"

    def __init__(
        self,
        database: Database,
        digests: EmailDigests,
        clock: Clock,
        wait: timedelta,
        poll_seconds: float,
    ) -> None:
        super().__init__(poll_seconds)
        self._database = database
        self._digests = digests
        self._clock = clock
        self._wait = wait

    async def round(self) -> bool:
        people = await people_with_due_digests(
            self._database, self._clock.now() - self._wait, DIGESTS_PER_ROUND
        )
        for organization_id, user_id in people:
            try:
                await self._digests.send(organization_id, user_id)
            except MailUnavailable as failed:
                logger.warning("e-mail digests wait for the mail server: %s", failed)
                return False
        return len(people) == DIGESTS_PER_ROUND
