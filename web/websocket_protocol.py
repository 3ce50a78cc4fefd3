"""The WebSocket protocol PyTake serves with: uvicorn's sans-I/O implementation, shut down
safely when a client's close frame has just been answered, and holding no handshake headers
once the connection is accepted.

Between answering a client's close frame (which closes the transport) and the event loop
reporting the connection lost, uvicorn 0.54 still lists the connection; a server shutdown in
that moment sends a second close frame, which `websockets` refuses with `InvalidState`, and the
exception ends the shutdown before the application's lifespan shutdown runs."""

from uvicorn._types import ASGISendEvent
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol


class WebSocketProtocol(WebSocketsSansIOProtocol):
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
