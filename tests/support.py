"""Shared test helpers: a real server in the test's event loop, GraphQL over HTTP and WebSocket."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import uuid
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
import uvicorn
import websockets
from sqlalchemy import event, select, text
from sqlalchemy.engine import make_url
from starlette.applications import Starlette

from domain.accounts.model import Actor, Role, User
from domain.clock import Clock
from domain.whatsapp.inbound import MessageStatus
from domain.whatsapp.model import WhatsAppNumber
from domain.whatsapp.numbers import NumberDetails
from persistence.database import Database
from persistence.models.base import Base
from persistence.models.conversations import ContactRow, ConversationRow, MessageRow
from web.app import Runtime, create_app
from web.settings import Settings
from web.tls import client_tls_context
from web.wakeup import woken_or_timed_out
from web.websocket_protocol import WebSocketProtocol
from web.whatsapp.simulator import Simulator, SimulatorConfig
from web.workers import BACKGROUND_WORKER

POSTGRES_URL = os.environ.get(
    "PYTAKE_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/pytake_test"
)


def own_postgres_url(purpose: str) -> str:
    """A database of its own for a test that needs one, named after the configured test
    database, so that two runs configured with different databases never share one."""
    url = make_url(POSTGRES_URL)
    return url.set(database=f"{url.database}_{purpose}").render_as_string(hide_password=False)


REDIS_URL = os.environ.get("PYTAKE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
TEST_SECRET = "test-secret-key-with-at-least-32-characters!"
PASSWORD = "correct horse battery staple"
WEBHOOK_APP_SECRET = "test-meta-app-secret"
WEBHOOK_VERIFY_TOKEN = "test-verify-token"
SIMULATOR_TOKEN = "simulator-access-token"
T = TypeVar("T")
TABLES = [table.name for table in reversed(Base.metadata.sorted_tables)]
"""Every table of the models, dependents first: a new table is cleaned without being listed."""


def make_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "broadcast_url": "memory://",
        "broadcast_channel_prefix": f"test-{uuid.uuid4().hex[:8]}",
        "secret_key": TEST_SECRET,
        "password_hash_time_cost": 1,
        "password_hash_memory_kib": 8192,
        "maintenance_interval_seconds": 3600,
        "bus_heartbeat_seconds": 0.2,
        "whatsapp_app_secret": WEBHOOK_APP_SECRET,
        "whatsapp_verify_token": WEBHOOK_VERIFY_TOKEN,
        # The tests' push services listen on plain http, on this machine.
        "push_allow_http": True,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


async def clean(database: Database) -> None:
    """Empties a PostgreSQL database (SQLite tests start from a fresh copy of the file)."""
    async with database.engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {', '.join(TABLES)} CASCADE"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class RunningServer:
    app: Starlette
    url: str

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = self.app.state.runtime
        return runtime

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/graphql"


@asynccontextmanager
async def running_server(
    settings: Settings, clock: Clock | None = None, port: int | None = None
) -> AsyncIterator[RunningServer]:
    app = create_app(settings, clock)
    async with serving(app, port) as base_url:
        yield RunningServer(app, base_url)


class PromptServer(uvicorn.Server):
    """uvicorn notices `should_exit` on its next 0.1 s tick and then waits 0.1 s for the
    connections it asked to close; the suite starts and stops two servers in most of its
    tests, so this one stops the moment it is asked, and waits only when connections remain."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self._exit_requested = asyncio.Event()

    def request_exit(self) -> None:
        self.should_exit = True
        self._exit_requested.set()

    async def main_loop(self) -> None:
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + 1) % 864_000
            await woken_or_timed_out(self._exit_requested, 0.1)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        if self.server_state.connections or self.server_state.tasks:
            await super().shutdown(sockets)
            return
        for server in self.servers:
            server.close()
        for server in self.servers:
            await server.wait_closed()
        await self.lifespan.shutdown()


@asynccontextmanager
async def serving(app: Any, port: int | None = None) -> AsyncIterator[str]:
    """Serve an ASGI app with uvicorn on a free port (or the one given, to restart a server
    where its clients expect it) of this event loop; yields its URL."""
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port or free_port(),
        lifespan="on",
        log_level="warning",
        ws=WebSocketProtocol,
    )
    server = PromptServer(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("the test server stopped during start-up")
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.request_exit()
        await stop_within(server, task, STOP_SECONDS)


STOP_SECONDS = 10.0
"""A server whose requests and WebSockets have ended stops in milliseconds; one still waiting
after this long has a request handler that ignored its client going away."""


class SlowShutdownWarning(UserWarning):
    """A connection's handler outlived the server's grace period and had to be cancelled."""


def await_chain(task: asyncio.Task[Any]) -> str:
    """Where a task is waiting: each coroutine it awaits, down to the innermost one (a task's
    own stack stops at its outermost coroutine)."""
    lines = [f"--- {task.get_name()}"]
    awaitable: Any = task.get_coro()
    frame: Any = None
    while awaitable is not None:
        outer, frame = (
            frame,
            getattr(awaitable, "cr_frame", None) or getattr(awaitable, "ag_frame", None),
        )
        if frame is None:
            # An `async with` of an @asynccontextmanager awaits its generator's asend(), which
            # does not say what it runs: the context manager's generator does.
            generator = getattr(outer.f_locals.get("self"), "gen", None) if outer else None
            if getattr(generator, "ag_frame", None) is not None and generator is not awaitable:
                awaitable = generator
                continue
            lines.append(f"    awaiting {awaitable!r}")
            break
        lines.append(f"    {frame.f_code.co_filename}:{frame.f_lineno} in {frame.f_code.co_name}")
        awaitable = getattr(awaitable, "cr_await", None) or getattr(awaitable, "ag_await", None)
    return "\n".join(lines) + "\n"


async def stop_within(server: uvicorn.Server, serve: asyncio.Task[None], seconds: float) -> None:
    """Wait for the server to stop. Connections still running after `seconds` are cancelled,
    as `pytake serve` does after its graceful-shutdown timeout, and reported in a warning with
    where every task was waiting; a handler that ignores even the cancellation fails the test."""
    done, _ = await asyncio.wait({serve}, timeout=seconds)
    if done:
        serve.result()
        return
    stacks = "".join(
        await_chain(task) for task in asyncio.all_tasks() if task is not asyncio.current_task()
    )
    report = f"the test server's connections had not ended {seconds} s after its shutdown:\n"
    for connection_task in list(server.server_state.tasks):
        connection_task.cancel()
    for connection in list(server.server_state.connections):
        connection.transport.abort()
    if (await asyncio.wait({serve}, timeout=seconds))[0]:
        warnings.warn(SlowShutdownWarning(report + stacks), stacklevel=1)
        return
    server.force_exit = True
    await serve
    raise AssertionError(report + "and ignored their cancellation:\n" + stacks)


@dataclass
class Channel:
    """PyTake and the Graph API simulator wired to each other over real HTTP, with one
    connected number."""

    server: RunningServer
    simulator: Simulator
    simulator_url: str
    client: GraphQLClient
    tenant: Tenant
    number: WhatsAppNumber
    http: httpx.AsyncClient

    async def customer_says(self, wa_id: str, **message: Any) -> str:
        response = await self.http.post(
            f"{self.simulator_url}/_simulator/customers/{wa_id}/messages",
            json={"phone_number_id": self.number.phone_number_id, **message},
        )
        assert response.status_code == 200, response.text
        assert response.json()["delivered"], "PyTake did not acknowledge the webhook"
        return str(response.json()["wamid"])

    async def fault(self, **spec: Any) -> None:
        response = await self.http.post(f"{self.simulator_url}/_simulator/faults", json=spec)
        assert response.status_code == 200


@asynccontextmanager
async def whatsapp_channel(
    database_url: str,
    *,
    simulator_config: SimulatorConfig | None = None,
    clock: Clock | None = None,
    **settings: Any,
) -> AsyncIterator[Channel]:
    config = simulator_config or SimulatorConfig(status_delays=(0.0, 0.02, None))
    config.app_secret = WEBHOOK_APP_SECRET
    config.access_token = SIMULATOR_TOKEN
    simulator = Simulator(config)
    async with serving(simulator.app()) as simulator_url:
        server_settings = make_settings(database_url, whatsapp_graph_url=simulator_url, **settings)
        async with running_server(server_settings, clock) as server:
            config.webhook_url = f"{server.url}/api/v1/whatsapp/webhook"
            client = GraphQLClient(server.url)
            tenant = await create_tenant(server, client, "Outbound Co")
            number = await server.runtime.services.numbers.create(
                Actor.of(tenant.owner, None),
                "106540352242922",
                "102290129340398",
                NumberDetails(access_token=SIMULATOR_TOKEN, messages_per_second=80),
            )
            async with httpx.AsyncClient(timeout=30, verify=client_tls_context()) as http:
                yield Channel(server, simulator, simulator_url, client, tenant, number, http)


class GraphQLClient:
    def __init__(self, base_url: str) -> None:
        self.http = httpx.AsyncClient(base_url=base_url, timeout=30, verify=client_tls_context())

    async def post(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> httpx.Response:
        headers = {"content-type": "application/json"}
        if token:
            headers["authorization"] = f"Bearer {token}"
        # ASCII JSON, as many clients send it: it can carry what UTF-8 cannot, such as a lone
        # surrogate's \\u escape, which the server must refuse rather than fail on.
        body = json.dumps({"query": query, "variables": variables or {}})
        return await self.http.post("/graphql", content=body, headers=headers)

    async def execute(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        response = await self.post(query, variables, token)
        body: dict[str, Any] = response.json()
        return body

    async def data(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        body = await self.execute(query, variables, token)
        assert "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data

    async def sign_in(self, email: str, password: str = PASSWORD) -> str:
        data = await self.data(TOKEN_CREATE, {"email": email, "password": password})
        assert data["tokenCreate"]["__typename"] == "TokenCreateSuccess", data
        token: str = data["tokenCreate"]["tokens"]["accessToken"]
        return token

    async def close(self) -> None:
        await self.http.aclose()


TOKEN_CREATE = """
mutation SignIn($email: String!, $password: String!) {
  tokenCreate(input: {email: $email, password: $password}) {
    __typename
    ... on TokenCreateSuccess {
      tokens { accessToken refreshToken accessTokenExpiresAt refreshTokenExpiresAt tokenType }
      user { id email role }
    }
    ... on Error { message code }
    ... on RateLimitedError { retryAfterSeconds }
  }
}
"""


@dataclass
class Tenant:
    organization_id: uuid.UUID
    owner: User
    token: str


async def create_tenant(
    server: RunningServer, client: GraphQLClient, name: str, superuser: bool = False
) -> Tenant:
    accounts = server.runtime.services.accounts
    email = f"owner-{uuid.uuid4().hex[:8]}@{name.lower().replace(' ', '-')}.example"
    if superuser:
        owner = await accounts.bootstrap_admin(name, email, f"{name} owner", PASSWORD)
        assert owner is not None, "bootstrap only works on an empty database"
    else:
        platform = Actor(
            client_ip=None,
            user_id=uuid.uuid4(),
            organization_id=uuid.uuid4(),
            role=Role.OWNER,
            is_superuser=True,
        )
        _, owner = await accounts.create_organization(
            platform, name, email, f"{name} owner", PASSWORD
        )
    return Tenant(owner.organization_id, owner, await client.sign_in(email))


async def add_user(
    server: RunningServer,
    client: GraphQLClient,
    tenant: Tenant,
    role: Role,
    name: str | None = None,
) -> tuple[User, str]:
    owner = Actor.of(tenant.owner, None)
    email = f"{role.value}-{uuid.uuid4().hex[:8]}@example.com"
    user = await server.runtime.services.accounts.create_user(
        owner, email, name or role.value.title(), role, PASSWORD
    )
    return user, await client.sign_in(email)


class Subscription:
    """A graphql-transport-ws client speaking the protocol frame by frame."""

    def __init__(self, connection: websockets.ClientConnection) -> None:
        self.connection = connection

    async def send(self, message: dict[str, Any]) -> None:
        await self.connection.send(json.dumps(message))

    async def receive(self, timeout: float = 5) -> dict[str, Any]:  # noqa: ASYNC109
        raw = await asyncio.wait_for(self.connection.recv(), timeout)
        message: dict[str, Any] = json.loads(raw)
        return message

    async def next_data(self, timeout: float = 5) -> dict[str, Any]:  # noqa: ASYNC109
        message = await self.receive(timeout)
        assert message["type"] == "next", message
        payload: dict[str, Any] = message["payload"]
        return payload


@asynccontextmanager
async def websocket(url: str, init_payload: dict[str, Any] | None) -> AsyncIterator[Subscription]:
    async with websockets.connect(
        url, subprotocols=[websockets.Subprotocol("graphql-transport-ws")]
    ) as connection:
        subscription = Subscription(connection)
        if init_payload is not None:
            await subscription.send({"type": "connection_init", "payload": init_payload})
        yield subscription


@asynccontextmanager
async def subscribed(
    url: str, token: str, query: str, variables: dict[str, Any] | None = None
) -> AsyncIterator[Subscription]:
    async with websocket(url, {"authorization": f"Bearer {token}"}) as subscription:
        ack = await subscription.receive()
        assert ack["type"] == "connection_ack", ack
        await subscription.send(
            {
                "id": "1",
                "type": "subscribe",
                "payload": {"query": query, "variables": variables or {}},
            }
        )
        yield subscription


class AdjustableClock:
    """Injected time for expiry tests; the database and bus stay real."""

    def __init__(self) -> None:
        from datetime import UTC, datetime

        self.current = datetime.now(UTC)

    def now(self) -> Any:
        return self.current

    def advance(self, **delta: float) -> None:
        from datetime import timedelta

        self.current += timedelta(**delta)


async def eventually(
    probe: Callable[[], Awaitable[T | None]], within: float = 15.0, what: str = "condition"
) -> T:
    deadline = asyncio.get_running_loop().time() + within
    while True:
        value = await probe()
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def answering(
    url: str,
    path: str,
    process: asyncio.subprocess.Process | None = None,
    within: float = 30.0,
) -> None:
    """Wait until a server started as a process of its own answers `path` successfully; fail at
    once if that process exits first."""
    async with httpx.AsyncClient(base_url=url) as http:

        async def answers() -> bool:
            if process is not None and process.returncode is not None:
                raise RuntimeError(f"the process serving {url} exited with {process.returncode}")
            try:
                return (await http.get(path)).is_success
            except httpx.TransportError:
                return False

        await eventually(answers, within=within, what=f"{url}{path} to answer")


async def conversation_with(channel: Channel, wa_id: str) -> uuid.UUID:
    await channel.customer_says(wa_id, text="Hello, is anyone there?", profile_name="Ana")

    async def opened() -> uuid.UUID | None:
        async with channel.server.runtime.database.engine.connect() as connection:
            return await connection.scalar(
                select(ConversationRow.id)
                .join(ContactRow, ContactRow.id == ConversationRow.contact_id)
                .where(ContactRow.wa_id == wa_id)
            )

    return await eventually(opened, what="the customer's conversation")


async def message_row(database: Database, message_id: uuid.UUID) -> Any:
    async with database.engine.connect() as connection:
        result = await connection.execute(select(MessageRow).where(MessageRow.id == message_id))
        return result.mappings().one()


async def reaches(
    database: Database, message_id: uuid.UUID, status: MessageStatus, within: float = 15.0
) -> Any:
    async def probe() -> Any:
        row = await message_row(database, message_id)
        return row if row["status"] == status.value else None

    return await eventually(probe, within, what=f"message {message_id} to be {status.value}")


@contextmanager
def counting_statements(database: Database) -> Iterator[list[str]]:
    """Every statement on both of the database's engines (reads use the autocommit one), but
    those of the server's background workers, which run when they are woken, not when asked."""
    statements: list[str] = []

    def record(*args: Any) -> None:
        if BACKGROUND_WORKER.get() is None:
            statements.append(str(args[2]))

    engines = [database.engine.sync_engine, database.autocommit_engine.sync_engine]
    for engine in engines:
        event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", record)
