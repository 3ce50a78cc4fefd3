"""`pytake`: serve, migrate, run background workers, export the schema, create users."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import secrets
import signal
import sys
import uuid
from collections.abc import Sequence
from pathlib import Path

import uvicorn

from domain.accounts.model import Role
from domain.errors import Conflict, DomainError, ServiceUnavailable
from graphql_api.schema import build_schema
from persistence import migrate
from persistence.database import Database, describe_url
from web.app import build_runtime
from web.collector import settle_for_serving
from web.settings import ConfigurationError, Settings, load_settings
from web.websocket_protocol import WebSocketProtocol
from web.whatsapp.simulator import Simulator, SimulatorConfig

WEBSOCKET_MAX_MESSAGE_BYTES = 256 * 1024


class CommandError(Exception):
    """A failure to report to the operator in one line, without a traceback."""


def say(message: str) -> None:
    print(f"pytake: {message}", flush=True)


def export_schema_text() -> str:
    return build_schema().as_str() + "\n"


async def prepare_database(settings: Settings, *, auto_migrate: bool) -> None:
    database = Database(settings.resolved_database_url)
    try:
        try:
            await database.ping()
        except ServiceUnavailable as outage:
            raise CommandError(
                f"cannot reach the database at {describe_url(settings.resolved_database_url)}: "
                f"{outage.message}"
            ) from outage
        current = await migrate.current_revision(database)
        head = migrate.head_revision()
        if current != head:
            if not auto_migrate:
                raise CommandError(
                    f"the database schema is at {current or 'nothing'}, the code needs {head}: "
                    "run 'pytake migrate' first"
                )
            say(f"migrating the database from {current or 'empty'} to {head}")
            await migrate.upgrade(database)
    finally:
        await database.dispose()


async def bootstrap_admin(settings: Settings) -> None:
    password = settings.admin_password or secrets.token_urlsafe(18)
    try:
        async with build_runtime(settings).started() as runtime:
            owner = await runtime.services.accounts.bootstrap_admin(
                settings.admin_organization, settings.admin_email, settings.admin_name, password
            )
    except Conflict:
        return  # another process starting at the same moment bootstrapped first
    if owner is None:
        return
    say(f"created the first administrator {owner.email} in '{settings.admin_organization}'")
    if settings.admin_password is None:
        say(f"its generated password, shown only this once: {password}")


def command_serve(args: argparse.Namespace) -> None:
    overrides = {
        k: v
        for k, v in (("host", args.host), ("port", args.port), ("workers", args.workers))
        if v is not None
    }
    settings = load_settings(**overrides).with_secret_key()
    asyncio.run(prepare_database(settings, auto_migrate=not settings.is_production))
    asyncio.run(bootstrap_admin(settings))
    if settings.resolved_database_url.startswith("sqlite") and settings.workers > 1:
        raise CommandError("the embedded SQLite database serves one worker; use PostgreSQL")
    where = f"http://{settings.host}:{settings.port}/graphql"
    say(
        f"serving GraphQL at {where}" + (" (GraphiQL enabled)" if settings.graphiql_enabled else "")
    )
    uvicorn.run(
        "web.app:app_from_environment",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        ws=WebSocketProtocol,
        ws_max_size=WEBSOCKET_MAX_MESSAGE_BYTES,
        ws_per_message_deflate=False,
        log_level="info",
        access_log=settings.access_log,
        timeout_graceful_shutdown=10,
    )


def command_migrate(_: argparse.Namespace) -> None:
    settings = load_settings()

    async def run() -> str:
        database = Database(settings.resolved_database_url)
        try:
            await database.ping()
            await migrate.upgrade(database)
            return await migrate.current_revision(database) or "empty"
        finally:
            await database.dispose()

    try:
        revision = asyncio.run(run())
    except ServiceUnavailable as outage:
        raise CommandError(
            f"cannot reach the database at {describe_url(settings.resolved_database_url)}: "
            f"{outage.message}"
        ) from outage
    say(f"database {describe_url(settings.resolved_database_url)} is at revision {revision}")


def command_worker(args: argparse.Namespace) -> None:
    settings = load_settings().with_secret_key()
    only = frozenset(name.strip() for name in args.only.split(",")) if args.only else None
    asyncio.run(prepare_database(settings, auto_migrate=False))

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        runtime = build_runtime(settings)
        settle_for_serving()
        if only is not None:
            unknown = only - {worker.name for worker in runtime.background_workers()}
            if unknown:
                raise CommandError(f"no background worker is named {', '.join(sorted(unknown))}")
        names = ", ".join(worker.name for worker in runtime.background_workers(only))
        async with runtime.started(), runtime.working(only):
            say(f"background workers running ({names}); Ctrl-C stops them")
            await stop.wait()

    asyncio.run(run())


def command_export_schema(args: argparse.Namespace) -> None:
    output = Path(args.output)
    output.write_text(export_schema_text())
    say(f"wrote {output}")


def command_simulator(args: argparse.Namespace) -> None:
    delays = tuple(
        None if part.strip() in {"", "off", "none"} else float(part)
        for part in args.status_delays.split(",")
    )
    if len(delays) != 3:
        raise CommandError("--status-delays takes three values: sent,delivered,read")
    simulator = Simulator(
        SimulatorConfig(
            webhook_url=args.webhook_url,
            app_secret=args.app_secret,
            access_token=args.access_token,
            status_delays=(delays[0], delays[1], delays[2]),
            messages_per_second=args.messages_per_second,
            enforce_window=not args.no_window,
        )
    )
    say(
        f"Graph API simulator on http://{args.host}:{args.port}; set "
        f"PYTAKE_WHATSAPP_GRAPH_URL=http://{args.host}:{args.port}"
    )
    uvicorn.run(simulator.app(), host=args.host, port=args.port, log_level="warning")


def command_create_user(args: argparse.Namespace) -> None:
    settings = load_settings().with_secret_key()
    password = args.password or getpass.getpass("Password for the new user: ")
    organization_id = uuid.UUID(args.organization) if args.organization else None

    async def run() -> str:
        await prepare_database(settings, auto_migrate=False)
        async with build_runtime(settings).started() as runtime:
            user = await runtime.services.accounts.create_user_as_operator(
                organization_id, args.email, args.name, Role(args.role), password
            )
        return f"created {user.role.value} {user.email} ({user.id})"

    say(asyncio.run(run()))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pytake",
        description="PyTake: WhatsApp Business automation served as one GraphQL API. "
        "Configuration comes from PYTAKE_* environment variables (see docs/configuration.md).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser(
        "serve",
        help="serve GraphQL (migrates and bootstraps the first admin in development)",
        description="Serve /graphql, /healthz and /readyz. In development the database is "
        "migrated automatically; in production run 'pytake migrate' first.",
    )
    serve.add_argument("--host", help="address to bind (PYTAKE_HOST, default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to bind (PYTAKE_PORT, default 8080)")
    serve.add_argument("--workers", type=int, help="server processes (PYTAKE_WORKERS, default 1)")
    serve.set_defaults(handler=command_serve)

    commands.add_parser(
        "migrate", help="upgrade the database schema to the newest revision"
    ).set_defaults(handler=command_migrate)
    worker = commands.add_parser(
        "worker",
        help="run the background workers alone (webhook processing, sending, retention)",
    )
    worker.add_argument(
        "--only",
        help="run only these workers, by name, comma-separated (e.g. 'signals' for a process "
        "that only reads customer texts)",
    )
    worker.set_defaults(handler=command_worker)

    simulator = commands.add_parser(
        "simulator",
        help="run a fake of Meta's Graph API to try PyTake with no Meta account",
        description="See docs/simulator.md. Point PYTAKE_WHATSAPP_GRAPH_URL at it.",
    )
    simulator.add_argument("--host", default="127.0.0.1")
    simulator.add_argument("--port", type=int, default=9090)
    simulator.add_argument(
        "--webhook-url",
        default="http://127.0.0.1:8080/api/v1/whatsapp/webhook",
        help="where to post signed webhooks (PyTake's webhook)",
    )
    simulator.add_argument(
        "--app-secret", help="signs webhooks; PyTake's PYTAKE_WHATSAPP_APP_SECRET or the number's"
    )
    simulator.add_argument(
        "--access-token", help="when given, calls must carry it (others get error 190)"
    )
    simulator.add_argument(
        "--status-delays",
        default="0.5,1,3",
        help="seconds after a send to report sent,delivered,read ('off' skips one)",
    )
    simulator.add_argument("--messages-per-second", type=int, default=80)
    simulator.add_argument(
        "--no-window", action="store_true", help="do not enforce the 24-hour window"
    )
    simulator.set_defaults(handler=command_simulator)

    export = commands.add_parser("export-schema", help="write the GraphQL schema (SDL) to a file")
    export.add_argument("--output", default="schema.graphql", help="default: schema.graphql")
    export.set_defaults(handler=command_export_schema)

    create = commands.add_parser("create-user", help="create a user in an organization")
    create.add_argument("--email", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--role", choices=[r.value for r in Role], default=Role.AGENT.value)
    create.add_argument("--organization", help="organization id; optional when there is one")
    create.add_argument("--password", help="prompted for when omitted (keeps it out of history)")
    create.set_defaults(handler=command_create_user)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    args = build_parser().parse_args(argv)
    try:
        args.handler(args)
    except (CommandError, ConfigurationError, DomainError) as error:
        print(f"pytake: error: {getattr(error, 'message', error)}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
