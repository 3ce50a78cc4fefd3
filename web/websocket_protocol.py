"""The WebSocket protocol PyTake serves with: uvicorn's sans-I/O implementation, shut down
safely when a client's close frame has just been answered, and lighter per connection (an idle
subscriber is a connection: bench.subscription_memory shows where its memory goes).

Between answering a client's close frame (which closes the transport) and the event loop
reporting the connection lost, uvicorn 0.54 still lists the connection; a server shutdown in
that moment sends a second close frame, which `websockets` refuses with `InvalidState`, and the
exception ends the shutdown before the application's lifespan shutdown runs."""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn._types import ASGIReceiveEvent, ASGISendEvent
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol


class ReceivedMessages:
    """The connection's received messages, as uvicorn's protocol uses them (`put_nowait`,
    `get`, `empty`): a list and, while the application waits, one future. An `asyncio.Queue`
    holds four deques, 3 kB, for every connection however idle."""

    __slots__ = ("_messages", "_waiter")

    def __init__(self) -> None:
        self._messages: list[ASGIReceiveEvent] = []
        self._waiter: asyncio.Future[None] | None = None

    def put_nowait(self, message: ASGIReceiveEvent) -> None:
        self._messages.append(message)
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def empty(self) -> bool:
        return not self._messages

    async def get(self) -> ASGIReceiveEvent:
        while not self._messages:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._messages.pop(0)


class Writable:
    """Whether the transport takes more data, as uvicorn's protocol uses it (`set`, `clear`,
    `wait`): a flag and, while a sender waits, futures; an `asyncio.Event` holds a deque."""

    __slots__ = ("_set", "_waiters")

    def __init__(self) -> None:
        self._set = True
        self._waiters: list[asyncio.Future[None]] = []

    def set(self) -> None:
        self._set = True
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    def clear(self) -> None:
        self._set = False

    def is_set(self) -> bool:
        return self._set

    async def wait(self) -> None:
        if self._set:
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        await waiter


class WebSocketProtocol(WebSocketsSansIOProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Duck-typed stand-ins: uvicorn calls only the methods they have.
        self.queue = ReceivedMessages()  # type: ignore[assignment]
        self.writable = Writable()  # type: ignore[assignment]

    async def send(self, message: ASGISendEvent) -> None:
        accepting = not self.handshake_complete and message["type"] == "websocket.accept"
        await super().send(message)
        if accepting and self.handshake_complete:
            # uvicorn keeps the handshake's request and response, headers and all, for the
            # connection's life; the application has its own copy in the ASGI scope. An idle
            # subscriber's connection spends a tenth of its memory on them
            # (bench.subscription_memory).
            self.request.headers.clear()
            self.response.headers.clear()

    def shutdown(self) -> None:
        if self.transport.is_closing():
            # The closing handshake already happened; the loop will report the connection lost.
            return
        super().shutdown()
