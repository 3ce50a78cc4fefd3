"""A server stops cleanly whatever its WebSocket clients are doing at that moment."""

from __future__ import annotations

import asyncio
from typing import Any

import uvicorn
import websockets
from websockets.frames import Close, CloseCode, Frame, Opcode

from tests.support import free_port
from web.websocket_protocol import WebSocketProtocol


def holding_open(accepted: asyncio.Event) -> Any:
    """An app that accepts a WebSocket, says so, and keeps it until the client leaves."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        accepted.set()
        while (await receive())["type"] != "websocket.disconnect":
            pass

    return app


async def test_a_server_stops_cleanly_just_after_answering_a_clients_close_frame() -> None:
    accepted = asyncio.Event()
    app = holding_open(accepted)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=free_port(), lifespan="off", ws=WebSocketProtocol
    )
    server = uvicorn.Server(config)
    config.load()
    server.lifespan = config.lifespan_class(config)
    await server.startup()
    async with websockets.connect(f"ws://127.0.0.1:{config.port}/") as client:
        await accepted.wait()
        (connection,) = server.server_state.connections
        # The client's close frame arrives and is answered; the loop has not yet reported the
        # connection lost when the server is told to stop.
        closing = Frame(Opcode.CLOSE, Close(CloseCode.NORMAL_CLOSURE, "").serialize())
        connection.data_received(closing.serialize(mask=True))

        await server.shutdown()

        await client.wait_closed()
    assert server.server_state.connections == set()
    assert client.close_code == CloseCode.NORMAL_CLOSURE
