"""The principal memory trusts only what it can hear change: a read that raced a change is not
kept, and an organization it stopped hearing is read again."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from domain.accounts.events import UserUpdated
from domain.accounts.model import Role, User
from domain.events import StoredEvent
from tests.support import eventually
from web.broadcast import EventBus
from web.principals import BusPrincipalCache

ORGANIZATION = uuid.uuid4()
NOW = datetime(2026, 12, 3, tzinfo=UTC)


def a_user() -> User:
    return User(
        id=uuid.uuid4(),
        organization_id=ORGANIZATION,
        email="ana@example.com",
        name="Ana",
        role=Role.AGENT,
        password_hash="x",
        is_active=True,
        is_superuser=False,
        created_at=NOW,
        updated_at=NOW,
    )


@pytest.fixture
async def bus() -> AsyncIterator[EventBus]:
    bus = EventBus("memory://", channel_prefix=f"principals-{uuid.uuid4().hex[:6]}")
    await bus.start()
    yield bus
    await bus.stop()


async def listening(cache: BusPrincipalCache, user: User) -> None:
    cache.remember(user, cache.version())

    async def heard() -> bool:
        return cache.listening_to(user.organization_id)

    await eventually(heard, within=2, what="the cache listening")


async def test_a_user_is_kept_once_the_organization_is_heard(bus: EventBus) -> None:
    cache = BusPrincipalCache(bus)
    user = a_user()

    cache.remember(user, cache.version())
    before_listening = cache.get(ORGANIZATION, user.id)
    await listening(cache, user)
    cache.remember(user, cache.version())

    assert before_listening is None
    assert cache.get(ORGANIZATION, user.id) == user
    await cache.close()


async def test_a_read_that_began_before_a_change_is_not_kept(bus: EventBus) -> None:
    cache = BusPrincipalCache(bus)
    user = a_user()
    await listening(cache, user)

    version = cache.version()
    cache.forget(uuid.uuid4())
    cache.remember(replace(user, role=Role.SUPERVISOR), version)

    assert cache.get(ORGANIZATION, user.id) is None
    await cache.close()


async def test_a_change_published_by_any_process_is_forgotten(bus: EventBus) -> None:
    cache = BusPrincipalCache(bus)
    user = a_user()
    await listening(cache, user)
    cache.remember(user, cache.version())
    change = UserUpdated(organization_id=ORGANIZATION, user_id=user.id, changed_fields=("role",))

    await bus.publish([StoredEvent(ORGANIZATION, 1, change.type, NOW, change.payload())])

    async def forgotten() -> bool:
        return cache.get(ORGANIZATION, user.id) is None

    assert await eventually(forgotten, within=2, what="the user forgotten")
    await cache.close()


async def test_an_organization_no_longer_heard_is_read_again(bus: EventBus) -> None:
    cache = BusPrincipalCache(bus)
    user = a_user()
    await listening(cache, user)
    cache.remember(user, cache.version())

    await cache.close()

    assert not cache.listening_to(ORGANIZATION)
    assert cache.get(ORGANIZATION, user.id) is None
