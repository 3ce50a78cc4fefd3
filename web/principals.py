"""Authenticated requests without a database read: the users this process checked tokens for,
kept briefly, and forgotten the moment any process changes them.

A user is remembered only while this process listens to the user's organization on the event
bus, so that a role or password change or a deactivation committed anywhere reaches it
(`UserUpdated`, `UserDeactivated`); the process that commits a change forgets at commit. When
the listening ends (the bus went away, or the buffer overflowed), the organization's users are
dropped and read again until it listens again. A read that began before any change is not
remembered after it (`version`). Entries also expire after `lifetime_seconds`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from uuid import UUID

from domain.accounts.events import UserDeactivated, UserUpdated
from domain.accounts.model import User
from domain.events import StoredEvent
from web.broadcast import EventBus

logger = logging.getLogger(__name__)


class BusPrincipalCache:
    def __init__(
        self,
        bus: EventBus,
        lifetime_seconds: float = 60.0,
        capacity: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._bus = bus
        self._lifetime = lifetime_seconds
        self._capacity = capacity
        self._clock = clock
        self._users: dict[UUID, tuple[User, float]] = {}
        self._listening: set[UUID] = set()
        self._listeners: dict[UUID, asyncio.Task[None]] = {}
        self._version = 0

    def get(self, organization_id: UUID, user_id: UUID) -> User | None:
        if organization_id not in self._listening:
            return None
        entry = self._users.get(user_id)
        if entry is None:
            return None
        user, expires = entry
        if expires <= self._clock() or user.organization_id != organization_id:
            self._users.pop(user_id, None)
            return None
        return user

    def version(self) -> int:
        return self._version

    def remember(self, user: User, read_at_version: int) -> None:
        if self._lifetime <= 0 or read_at_version != self._version:
            return
        if user.organization_id not in self._listening:
            self._listen_to(user.organization_id)
            return
        if user.id not in self._users and len(self._users) >= self._capacity:
            # The oldest entry goes: dicts keep insertion order.
            self._users.pop(next(iter(self._users)))
        self._users[user.id] = (user, self._clock() + self._lifetime)

    def forget(self, user_id: UUID) -> None:
        self._version += 1
        self._users.pop(user_id, None)

    def listening_to(self, organization_id: UUID) -> bool:
        return organization_id in self._listening

    async def close(self) -> None:
        listeners = list(self._listeners.values())
        for task in listeners:
            task.cancel()
        for task in listeners:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _listen_to(self, organization_id: UUID) -> None:
        if organization_id not in self._listeners:
            self._listeners[organization_id] = asyncio.get_running_loop().create_task(
                self._listen(organization_id), name=f"principals {organization_id}"
            )

    async def _listen(self, organization_id: UUID) -> None:
        try:
            async with self._bus.subscribe(organization_id) as events:
                self._listening.add(organization_id)
                async for event in events:
                    self._apply(event)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            logger.info(
                "user changes of %s unheard (%s): reading users again", organization_id, error
            )
        finally:
            self._listening.discard(organization_id)
            self._listeners.pop(organization_id, None)
            self._version += 1
            for user_id in [
                key
                for key, (user, _) in self._users.items()
                if user.organization_id == organization_id
            ]:
                self._users.pop(user_id, None)

    def _apply(self, event: StoredEvent) -> None:
        if event.type == UserUpdated.type:
            self.forget(UserUpdated.read(event).user_id)
        elif event.type == UserDeactivated.type:
            self.forget(UserDeactivated.read(event).user_id)
