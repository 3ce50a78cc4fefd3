"""PyTake's WebSocket protocol: a server stops cleanly whatever its clients are doing at that
moment, and the lighter stand-ins for uvicorn's queue and event lose and reorder nothing."""

from __future__ import annotations

import asyncio
from typing import Any

import uvicorn
import websockets
from websockets.frames import Close, CloseCode, Frame, Opcode

from tests.support import free_port
from web.websocket_protocol import ReceivedMessages, WebSocketProtocol, Writable


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


async def test_received_messages_come_out_in_order_and_a_waiting_reader_wakes() -> None:
    messages = ReceivedMessages()
    reading = asyncio.create_task(messages.get())
    await asyncio.sleep(0)
    assert not reading.done()

    messages.put_nowait({"type": "websocket.connect"})
    messages.put_nowait({"type": "websocket.receive", "text": "first"})
    messages.put_nowait({"type": "websocket.receive", "text": "second"})

    assert await reading == {"type": "websocket.connect"}
    assert await messages.get() == {"type": "websocket.receive", "text": "first"}
    assert not messages.empty()
    assert await messages.get() == {"type": "websocket.receive", "text": "second"}
    assert messages.empty()


async def test_a_reader_cancelled_while_waiting_loses_no_message() -> None:
    messages = ReceivedMessages()
    reading = asyncio.create_task(messages.get())
    await asyncio.sleep(0)
    reading.cancel()
    await asyncio.gather(reading, return_exceptions=True)

    messages.put_nowait({"type": "websocket.disconnect", "code": 1000})

    assert await messages.get() == {"type": "websocket.disconnect", "code": 1000}


async def test_a_sender_waits_while_the_transport_is_full_and_resumes_when_it_drains() -> None:
    writable = Writable()
    await asyncio.wait_for(writable.wait(), 1)

    writable.clear()
    sending = asyncio.create_task(writable.wait())
    await asyncio.sleep(0.01)
    assert not sending.done()

    writable.set()
    await asyncio.wait_for(sending, 1)
    assert writable.is_set()
