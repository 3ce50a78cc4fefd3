"""The event bus on real Redis: delivery, bounded buffers, outages that end streams, reconnects."""

from __future__ import annotations

import asyncio
import shutil
import signal
import subprocess
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import pytest
import redis
from broadcaster import Event

from domain.errors import EventStreamInterrupted, ServiceUnavailable
from domain.events import StoredEvent
from tests.support import REDIS_URL, free_port
from web.broadcast import EventBus
from web.redis_backend import RedisPubSubBackend


class PrivateRedis:
    """A redis-server of this test's own, so killing it disturbs nobody else."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                subprocess.run(["sleep", "0.05"], check=True)
        raise RuntimeError("the private redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed: run the README's test command")
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


def an_event(organization_id: uuid.UUID, sequence: int) -> StoredEvent:
    return StoredEvent(
        organization_id, sequence, "test.happened", datetime.now(UTC), {"n": sequence}
    )


@pytest.fixture
async def redis_bus() -> AsyncIterator[EventBus]:
    bus = EventBus(
        REDIS_URL, channel_prefix=f"bus-test-{uuid.uuid4().hex[:8]}", heartbeat_seconds=0.2
    )
    await bus.start()
    yield bus
    await bus.stop()


async def test_a_published_event_reaches_every_subscriber_of_its_organization(
    redis_bus: EventBus,
) -> None:
    organization_id = uuid.uuid4()
    async with (
        redis_bus.subscribe(organization_id) as first,
        redis_bus.subscribe(organization_id) as second,
    ):
        await redis_bus.publish([an_event(organization_id, 1), an_event(uuid.uuid4(), 9)])

        received = [
            await asyncio.wait_for(anext(first), 5),
            await asyncio.wait_for(anext(second), 5),
        ]

    assert [e.sequence for e in received] == [1, 1]
    assert received[0].payload == {"n": 1}


async def test_a_subscriber_that_falls_behind_is_ended_not_buffered_forever() -> None:
    bus = EventBus("memory://", buffer_size=10)
    await bus.start()
    organization_id = uuid.uuid4()
    try:
        async with bus.subscribe(organization_id) as slow:
            await bus.publish([an_event(organization_id, n) for n in range(1, 30)])
            await asyncio.sleep(0.05)
            delivered = []
            with pytest.raises(EventStreamInterrupted, match="fell more than 10 events behind"):
                async for event in slow:
                    delivered.append(event.sequence)
    finally:
        await bus.stop()

    assert delivered == list(range(1, 11))


async def test_a_subscriber_that_always_lags_a_little_receives_everything_in_order() -> None:
    bus = EventBus("memory://", buffer_size=10)
    await bus.start()
    organization_id = uuid.uuid4()
    delivered: list[int] = []
    try:
        async with bus.subscribe(organization_id) as lagging:
            events = aiter(lagging)
            await bus.publish([an_event(organization_id, 1)])
            for sequence in range(2, 501):
                await bus.publish([an_event(organization_id, sequence)])
                await asyncio.sleep(0)
                # One event stays unread: the subscriber's buffer is never empty.
                delivered.append((await anext(events)).sequence)
            delivered.append((await anext(events)).sequence)
    finally:
        await bus.stop()

    assert delivered == list(range(1, 501))


async def test_losing_redis_ends_subscriptions_and_the_bus_reconnects(
    private_redis: PrivateRedis,
) -> None:
    bus = EventBus(private_redis.url, heartbeat_seconds=0.2)
    await bus.start()
    organization_id = uuid.uuid4()
    try:
        async with bus.subscribe(organization_id) as stream:
            await bus.publish([an_event(organization_id, 1)])
            assert (await asyncio.wait_for(anext(stream), 5)).sequence == 1

            private_redis.stop()
            with pytest.raises(
                EventStreamInterrupted, match="connection to the event bus was lost"
            ):
                await asyncio.wait_for(anext(stream), 10)

        with pytest.raises(EventStreamInterrupted, match="reconnecting"):
            async with bus.subscribe(organization_id):
                pass
        with pytest.raises(ServiceUnavailable, match="event bus"):
            await bus.ping()

        private_redis.start()
        await asyncio.wait_for(bus.wait_connected(), 15)
        async with bus.subscribe(organization_id) as again:
            await bus.publish([an_event(organization_id, 2)])
            assert (await asyncio.wait_for(anext(again), 5)).sequence == 2
    finally:
        await bus.stop()


async def test_a_frozen_redis_is_detected_by_the_missing_heartbeat(
    private_redis: PrivateRedis,
) -> None:
    bus = EventBus(private_redis.url, heartbeat_seconds=0.2)
    await bus.start()
    assert private_redis.process is not None
    try:
        async with bus.subscribe(uuid.uuid4()) as stream:
            private_redis.process.send_signal(signal.SIGSTOP)
            try:
                with pytest.raises(EventStreamInterrupted, match="no heartbeat"):
                    await asyncio.wait_for(anext(stream), 10)
            finally:
                private_redis.process.send_signal(signal.SIGCONT)
    finally:
        await bus.stop()


class CancellationLosingBackend(RedisPubSubBackend):
    """Reads on when cancelled, as redis-py can when a cancellation meets its read timeout
    (a server once waited forever at shutdown for a listener that did)."""

    async def next_published(self) -> Event:
        while True:
            try:
                return await super().next_published()
            except asyncio.CancelledError:
                task = asyncio.current_task()
                assert task is not None
                task.uncancel()


async def test_the_bus_stops_even_when_its_listener_loses_the_cancellation() -> None:
    bus = EventBus(REDIS_URL, heartbeat_seconds=0.2)
    bus._backend = CancellationLosingBackend(REDIS_URL, heartbeat_seconds=0.2)
    await bus.start()
    listener = bus._listener
    assert listener is not None
    async with bus.subscribe(uuid.uuid4()) as stream:
        await asyncio.wait_for(bus.stop(), 30)

        assert listener.done()
        with pytest.raises(EventStreamInterrupted, match="shutting down"):
            await anext(stream)
