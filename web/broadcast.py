"""The event bus: broadcaster backends (memory:// or our Redis one) behind a fan-out that keeps
each subscriber's buffer bounded and ends subscriptions with an error instead of hanging.

broadcaster's own Broadcast queues without bound and its listener task dies silently when the
backend fails, so the fan-out lives here; broadcaster supplies the backend protocol.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from urllib.parse import urlparse

from broadcaster import BroadcastBackend, Event
from broadcaster._backends.memory import MemoryBackend

from domain.errors import EventStreamInterrupted, ServiceUnavailable
from domain.events import StoredEvent
from web.redis_backend import RedisPubSubBackend

logger = logging.getLogger(__name__)

RECONNECT_FIRST_DELAY = 0.2
RECONNECT_MAX_DELAY = 5.0
LISTENER_STOP_SECONDS = 5.0


def make_backend(url: str, heartbeat_seconds: float) -> BroadcastBackend:
    scheme = urlparse(url).scheme
    if scheme == "memory":
        return MemoryBackend(url)
    if scheme in ("redis", "rediss"):
        return RedisPubSubBackend(url, heartbeat_seconds=heartbeat_seconds)
    raise ValueError(f"unsupported broadcast URL scheme {scheme!r}: use memory:// or redis://")


def encode_event(event: StoredEvent) -> str:
    return json.dumps(
        {
            "organizationId": str(event.organization_id),
            "sequence": event.sequence,
            "type": event.type,
            "occurredAt": event.occurred_at.isoformat(),
            "payload": event.payload,
        },
        separators=(",", ":"),
    )


def decode_event(message: str) -> StoredEvent:
    data = json.loads(message)
    return StoredEvent(
        organization_id=uuid.UUID(data["organizationId"]),
        sequence=int(data["sequence"]),
        type=str(data["type"]),
        occurred_at=datetime.fromisoformat(data["occurredAt"]),
        payload=dict(data["payload"]),
    )


_COMPACT_AFTER = 64


class _Subscriber:
    """One subscription's buffer. An idle subscription waits here for as long as a dashboard
    stays open, so it holds no more than a list and, while waiting, one future."""

    __slots__ = ("_error", "_items", "_limit", "_read", "_waiter")

    def __init__(self, limit: int) -> None:
        self._items: list[StoredEvent] = []
        self._read = 0
        self._limit = limit
        self._waiter: asyncio.Future[None] | None = None
        self._error: EventStreamInterrupted | None = None

    def offer(self, event: StoredEvent) -> None:
        if self._error is not None:
            return
        if len(self._items) - self._read >= self._limit:
            self.fail(f"this subscriber fell more than {self._limit} events behind")
            return
        self._items.append(event)
        self._wake()

    def fail(self, reason: str) -> None:
        if self._error is None:
            self._error = EventStreamInterrupted(reason, last_event_id=None)
            self._wake()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def __aiter__(self) -> _Subscriber:
        return self

    async def __anext__(self) -> StoredEvent:
        while self._read == len(self._items):
            if self._error is not None:
                raise self._error
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        event = self._items[self._read]
        self._read += 1
        if self._read == len(self._items):
            self._items.clear()
            self._read = 0
        elif self._read >= _COMPACT_AFTER:
            # A subscriber that never quite catches up must not keep what it has read.
            del self._items[: self._read]
            self._read = 0
        return event


class _Channel:
    def __init__(self) -> None:
        self.subscribers: set[_Subscriber] = set()
        self.ready = asyncio.Event()


class EventBus:
    def __init__(
        self,
        url: str,
        *,
        channel_prefix: str = "pytake",
        buffer_size: int = 1000,
        heartbeat_seconds: float = 2.0,
    ) -> None:
        self.url = url
        self._prefix = channel_prefix
        self._buffer_size = buffer_size
        self._heartbeat_seconds = heartbeat_seconds
        self._backend = make_backend(url, heartbeat_seconds)
        self._channels: dict[str, _Channel] = {}
        self._connected = asyncio.Event()
        self._listener: asyncio.Task[None] | None = None
        self._stopping = False

    @property
    def is_connected(self) -> bool:
        return self._connected.is_set()

    async def start(self) -> None:
        await self._backend.connect()
        self._connected.set()
        self._listener = asyncio.create_task(self._listen(), name="event-bus-listener")

    async def stop(self) -> None:
        """Ends the listener, the subscriptions and the connection. redis-py can lose a
        cancellation that meets its read timeout and read on, so a listener still running
        after its cancellation is ended by closing the connection it reads from."""
        self._stopping = True
        listener = self._listener
        if listener is not None:
            listener.cancel()
            await asyncio.wait({listener}, timeout=LISTENER_STOP_SECONDS)
        self._fail_all("the server is shutting down")
        self._connected.clear()
        with contextlib.suppress(Exception):
            await self._backend.disconnect()
        if listener is None:
            return
        if not listener.done():
            logger.warning(
                "the event bus listener ignored its cancellation: its connection is closed"
            )
            await asyncio.wait({listener}, timeout=LISTENER_STOP_SECONDS)
        if not listener.done():
            logger.error("the event bus listener did not stop; it is left behind")
        elif not listener.cancelled() and listener.exception() is not None:
            logger.error("the event bus listener failed", exc_info=listener.exception())

    async def wait_connected(self) -> None:
        await self._connected.wait()

    async def ping(self) -> None:
        if not self._connected.is_set():
            raise ServiceUnavailable("event bus", "reconnecting to the broadcast backend")
        if isinstance(self._backend, RedisPubSubBackend):
            try:
                await self._backend.ping()
            except Exception as error:
                raise ServiceUnavailable("event bus", str(error)) from error

    async def publish(self, events: Sequence[StoredEvent]) -> None:
        for event in events:
            await self._backend.publish(self._channel(event.organization_id), encode_event(event))

    @asynccontextmanager
    async def subscribe(
        self, organization_id: uuid.UUID
    ) -> AsyncIterator[AsyncIterator[StoredEvent]]:
        if not self._connected.is_set():
            raise EventStreamInterrupted("the event bus is reconnecting", last_event_id=None)
        name = self._channel(organization_id)
        channel = self._channels.get(name)
        subscriber = _Subscriber(self._buffer_size)
        if channel is None:
            channel = self._channels[name] = _Channel()
            channel.subscribers.add(subscriber)
            try:
                await self._backend.subscribe(name)
            except Exception as error:
                self._drop(name, channel, subscriber)
                raise EventStreamInterrupted(f"could not subscribe: {error}", None) from error
            channel.ready.set()
        else:
            channel.subscribers.add(subscriber)
            await channel.ready.wait()
        try:
            yield aiter(subscriber)
        finally:
            await self._leave(name, channel, subscriber)

    def _channel(self, organization_id: uuid.UUID) -> str:
        return f"{self._prefix}:org:{organization_id}"

    def _drop(self, name: str, channel: _Channel, subscriber: _Subscriber) -> bool:
        channel.subscribers.discard(subscriber)
        if channel.subscribers or self._channels.get(name) is not channel:
            return False
        del self._channels[name]
        return True

    async def _leave(self, name: str, channel: _Channel, subscriber: _Subscriber) -> None:
        if self._drop(name, channel, subscriber) and self._connected.is_set():
            with contextlib.suppress(Exception):
                await self._backend.unsubscribe(name)

    async def _listen(self) -> None:
        while not self._stopping:
            try:
                published = await self._backend.next_published()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                if self._stopping:
                    return
                logger.warning("event bus connection lost: %s", error)
                self._connected.clear()
                self._fail_all(f"the connection to the event bus was lost ({error})")
                await self._reconnect()
                continue
            self._dispatch(published)

    def _dispatch(self, published: Event) -> None:
        channel = self._channels.get(published.channel)
        if channel is None:
            return
        try:
            event = decode_event(published.message)
        except (ValueError, KeyError, TypeError):
            logger.warning("ignored a malformed bus message on %s", published.channel)
            return
        for subscriber in list(channel.subscribers):
            subscriber.offer(event)

    def _fail_all(self, reason: str) -> None:
        channels, self._channels = self._channels, {}
        for channel in channels.values():
            for subscriber in channel.subscribers:
                subscriber.fail(reason)

    async def _reconnect(self) -> None:
        delay = RECONNECT_FIRST_DELAY
        while not self._stopping:
            with contextlib.suppress(Exception):
                await self._backend.disconnect()
            self._backend = make_backend(self.url, self._heartbeat_seconds)
            try:
                await self._backend.connect()
            except Exception as error:
                logger.info("event bus still unreachable (%s); retrying in %.1f s", error, delay)
                await asyncio.sleep(random.uniform(delay / 2, delay))  # noqa: S311 - jitter only
                delay = min(delay * 2, RECONNECT_MAX_DELAY)
                continue
            logger.warning("event bus reconnected")
            self._connected.set()
            return
