"""The WebSocket protocol PyTake serves with: uvicorn's sans-I/O implementation, shut down
safely when a client's close frame has just been answered.

Between answering a client's close frame (which closes the transport) and the event loop
reporting the connection lost, uvicorn 0.54 still lists the connection; a server shutdown in
that moment sends a second close frame, which `websockets` refuses with `InvalidState`, and the
exception ends the shutdown before the application's lifespan shutdown runs."""

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol


class WebSocketProtocol(WebSocketsSansIOProtocol):
    def shutdown(self) -> None:
        if self.transport.is_closing():
            # The closing handshake already happened; the loop will report the connection lost.
            return
        super().shutdown()
