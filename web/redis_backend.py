"""A broadcaster backend on Redis pub/sub that cannot go silent.

broadcaster 0.3.1's own RedisBackend marks itself ready before SUBSCRIBE completes, which with
redis-py 8 parks its listener forever (ARCHITECTURE.md section 5). This one subscribes before it
reads, never lets redis-py reconnect the subscription behind its back (messages published
meanwhile would be lost unnoticed), and proves the whole path with a heartbeat it publishes to
itself: a half-open connection that PING cannot see still stops the heartbeat.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from typing import Any

from broadcaster import BroadcastBackend, Event
from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

MISSED_HEARTBEATS_BEFORE_STALL = 3


class BusStalled(ConnectionError):
    """The subscription connection stopped delivering, even our own heartbeats."""


class RedisPubSubBackend(BroadcastBackend):
    def __init__(self, url: str, heartbeat_seconds: float = 2.0) -> None:
        self._url = url
        self._heartbeat_seconds = heartbeat_seconds
        self._heartbeat_channel = f"pytake:heartbeat:{uuid.uuid4().hex}"
        self._publisher: Redis | None = None
        self._subscriber: Redis | None = None
        self._pubsub: PubSub | None = None
        self._heartbeat_task: asyncio.Task[None] | None = None
        self._last_seen = 0.0

    async def connect(self) -> None:
        self._publisher = Redis.from_url(self._url, socket_connect_timeout=5, socket_timeout=5)
        self._subscriber = Redis.from_url(
            self._url,
            socket_connect_timeout=5,
            retry=Retry(NoBackoff(), 0),
            retry_on_error=[],
        )
        self._pubsub = self._subscriber.pubsub(ignore_subscribe_messages=True)
        await self._pubsub.subscribe(self._heartbeat_channel)
        self._last_seen = asyncio.get_running_loop().time()
        self._heartbeat_task = asyncio.create_task(self._beat(), name="redis-bus-heartbeat")

    async def disconnect(self) -> None:
        if self._heartbeat_task is not None:
            self._heartbeat_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._heartbeat_task
        for closable in (self._pubsub, self._subscriber, self._publisher):
            if closable is not None:
                with contextlib.suppress(Exception):
                    await closable.aclose()

    async def subscribe(self, channel: str) -> None:
        await self._require_pubsub().subscribe(channel)

    async def unsubscribe(self, channel: str) -> None:
        await self._require_pubsub().unsubscribe(channel)

    async def publish(self, channel: str, message: Any) -> None:
        if self._publisher is None:
            raise ConnectionError("the Redis event bus is not connected")
        await self._publisher.publish(channel, message)

    async def ping(self) -> None:
        if self._publisher is None:
            raise ConnectionError("the Redis event bus is not connected")
        await self._publisher.ping()

    async def next_published(self) -> Event:
        pubsub = self._require_pubsub()
        loop = asyncio.get_running_loop()
        while True:
            message = await pubsub.get_message(
                ignore_subscribe_messages=True, timeout=self._heartbeat_seconds
            )
            now = loop.time()
            if message is None:
                silent_for = now - self._last_seen
                if silent_for > self._heartbeat_seconds * MISSED_HEARTBEATS_BEFORE_STALL:
                    raise BusStalled(f"no heartbeat from Redis for {silent_for:.1f} s")
                continue
            self._last_seen = now
            channel = message["channel"].decode()
            if channel == self._heartbeat_channel:
                continue
            return Event(channel=channel, message=message["data"].decode())

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(self._heartbeat_seconds)
            # A failed beat is not an error here: the listener notices the missing heartbeat.
            with contextlib.suppress(Exception):
                await self.publish(self._heartbeat_channel, "beat")

    def _require_pubsub(self) -> PubSub:
        if self._pubsub is None:
            raise ConnectionError("the Redis event bus is not connected")
        return self._pubsub
