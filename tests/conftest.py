"""Real PostgreSQL and SQLite, migrated once per session and cleaned before each test."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from persistence import migrate
from persistence.database import Database
from tests.support import (
    POSTGRES_URL,
    WEBHOOK_APP_SECRET,
    GraphQLClient,
    RunningServer,
    clean,
    make_settings,
    running_server,
    serving,
)
from web.whatsapp.simulator import Simulator, SimulatorConfig

pytest_plugins = ["tests.hang_watchdog"]


async def recreate_postgres_database(url: str) -> None:
    target = make_url(url)
    admin = Database(target.set(database="postgres").render_as_string(hide_password=False))
    try:
        async with admin.engine.connect() as plain:
            connection = await plain.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(
                text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)')
            )
            await connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    finally:
        await admin.dispose()


async def fresh_postgres_database(url: str) -> str:
    """A dedicated, migrated PostgreSQL database for tests that need one of their own."""
    await recreate_postgres_database(url)
    database = Database(url)
    try:
        await migrate.upgrade(database)
    finally:
        await database.dispose()
    return url


@pytest.fixture(scope="session")
def sqlite_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sqlite") / "pytake.db"


def template_of(sqlite_path: Path) -> Path:
    return sqlite_path.with_name("migrated.db")


@pytest.fixture(scope="session", params=["postgresql", "sqlite"])
async def database_url(request: pytest.FixtureRequest, sqlite_path: Path) -> str:
    """Each test that uses the database runs once on PostgreSQL and once on SQLite."""
    if request.param == "postgresql":
        url = POSTGRES_URL
        await recreate_postgres_database(url)
    else:
        url = f"sqlite+aiosqlite:///{sqlite_path}"
    database = Database(url)
    try:
        await migrate.upgrade(database)
    finally:
        await database.dispose()
    if request.param == "sqlite":
        # With every connection closed, the write-ahead log is folded into the file.
        shutil.copyfile(sqlite_path, template_of(sqlite_path))
    return url


def write_lock_held(path: Path) -> bool:
    probe = sqlite3.connect(path, timeout=0)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


async def restore_sqlite(path: Path, test: str) -> None:
    """Puts a copy of the freshly migrated file in place. An earlier test's connection still
    holding the write lock a moment later is a leak (a transaction that outlived its server),
    reported here rather than as a "database is locked" in some later test."""
    for _ in range(40):
        if not write_lock_held(path):
            break
        await asyncio.sleep(0.05)
    else:
        pytest.fail(
            f"SQLite's write lock was still held when {test} started: a connection of "
            "an earlier test outlived it"
        )
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    fresh = path.with_name("fresh.db")
    shutil.copyfile(template_of(path), fresh)
    os.replace(fresh, path)


@pytest.fixture
async def database(database_url: str, request: pytest.FixtureRequest) -> AsyncIterator[Database]:
    database = Database(database_url)
    if database.is_sqlite and database.url.database:
        await restore_sqlite(Path(database.url.database), request.node.nodeid)
    else:
        await clean(database)
    yield database
    await database.dispose()


@pytest.fixture
async def simulator() -> AsyncIterator[tuple[Simulator, str]]:
    """The Graph API simulator every test server calls instead of Meta."""
    fake = Simulator(SimulatorConfig(app_secret=WEBHOOK_APP_SECRET, status_delays=(None,) * 3))
    async with serving(fake.app()) as url:
        yield fake, url


@pytest.fixture
async def server(
    database: Database, simulator: tuple[Simulator, str]
) -> AsyncIterator[RunningServer]:
    fake, simulator_url = simulator
    async with running_server(
        make_settings(
            str(database.url.render_as_string(hide_password=False)),
            whatsapp_graph_url=simulator_url,
        )
    ) as running:
        fake.config.webhook_url = f"{running.url}/api/v1/whatsapp/webhook"
        yield running


@pytest.fixture
async def client(server: RunningServer) -> AsyncIterator[GraphQLClient]:
    graphql = GraphQLClient(server.url)
    yield graphql
    await graphql.close()


@pytest.fixture
def dialect(database_url: str) -> str:
    return make_url(database_url).get_backend_name()
