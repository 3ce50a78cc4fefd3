"""The `pytake` command as an operator runs it: real processes, real files, real ports."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path

import httpx

from domain.accounts.model import Role
from persistence import migrate
from tests.support import answering, free_port
from web.app import build_runtime
from web.settings import Settings

PYTAKE = str(Path(sys.executable).with_name("pytake"))
ROOT = Path(__file__).resolve().parents[2]


SIGN_IN_ADMIN = (
    'mutation($p: String!) { tokenCreate(input: {email: "admin@example.com", password: $p}) '
    "{ ... on TokenCreateSuccess { tokens { accessToken } } } }"
)


def clean_environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTAKE_")}
    env.update(extra)
    return env


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTAKE, *args],
        cwd=cwd,
        env=clean_environment(**env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_help_lists_every_command(tmp_path: Path) -> None:
    result = run(["--help"], tmp_path)

    assert result.returncode == 0
    for command in ("serve", "migrate", "worker", "export-schema", "create-user"):
        assert command in result.stdout


def test_serve_refuses_an_unreachable_database_in_one_clear_line(tmp_path: Path) -> None:
    result = run(
        ["serve"], tmp_path, PYTAKE_DATABASE_URL="postgresql+asyncpg://postgres@127.0.0.1:1/x"
    )

    assert result.returncode == 1
    assert (
        "pytake: error: cannot reach the database at postgresql+asyncpg://postgres@127.0.0.1:1/x"
        in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_serve_refuses_an_unreachable_event_bus_in_one_clear_line(tmp_path: Path) -> None:
    result = run(["serve"], tmp_path, PYTAKE_BROADCAST_URL="redis://127.0.0.1:1/0")

    assert result.returncode == 1
    assert (
        "pytake: error: The event bus is unavailable: cannot connect to redis://127.0.0.1:1/0"
        in (result.stderr)
    )
    assert "Traceback" not in result.stderr


def test_production_refuses_the_embedded_defaults(tmp_path: Path) -> None:
    result = run(["serve"], tmp_path, PYTAKE_ENV="production")

    assert result.returncode == 1
    assert "production mode refuses" in result.stderr
    assert "PYTAKE_SECRET_KEY is required" in result.stderr


def test_production_serve_asks_for_an_explicit_migration(tmp_path: Path) -> None:
    result = run(
        ["serve"],
        tmp_path,
        PYTAKE_ENV="production",
        PYTAKE_ALLOW_EMBEDDED_IN_PRODUCTION="true",
        PYTAKE_SECRET_KEY="k" * 40,
    )

    assert result.returncode == 1
    assert "run 'pytake migrate' first" in result.stderr


def test_migrate_then_create_user_in_the_only_organization(tmp_path: Path) -> None:
    migrated = run(["migrate"], tmp_path)
    no_organization = run(
        [
            "create-user",
            "--email",
            "ana@example.com",
            "--name",
            "Ana",
            "--password",
            "x" * 6 + "yz1234",
        ],
        tmp_path,
    )

    assert migrated.returncode == 0
    assert f"is at revision {migrate.head_revision()}" in migrated.stdout
    assert no_organization.returncode == 1
    assert "There are 0 organizations" in no_organization.stderr


def test_export_schema_writes_the_committed_contract(tmp_path: Path) -> None:
    result = run(["export-schema", "--output", str(tmp_path / "schema.graphql")], tmp_path)

    assert result.returncode == 0
    assert (tmp_path / "schema.graphql").read_text() == (ROOT / "schema.graphql").read_text()


async def test_serve_on_the_embedded_default_signs_in_the_bootstrap_admin(tmp_path: Path) -> None:
    """The README's run command on a fresh folder: migrate, bootstrap, serve, sign in, me."""
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        PYTAKE,
        "serve",
        cwd=tmp_path,
        env=clean_environment(PYTAKE_PORT=str(port)),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    assert process.stdout is not None
    output = ""
    try:
        while "serving GraphQL" not in output:
            line = await asyncio.wait_for(process.stdout.readline(), 60)
            assert line, f"pytake serve stopped:\n{output}"
            output += line.decode()
        password_match = re.search(r"shown only this once: (\S+)", output)
        assert password_match, output
        await answering(f"http://127.0.0.1:{port}", "/healthz", process)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            signed_in = await http.post(
                "/graphql",
                json={
                    "query": SIGN_IN_ADMIN,
                    "variables": {"p": password_match.group(1)},
                },
            )
            token = signed_in.json()["data"]["tokenCreate"]["tokens"]["accessToken"]
            me = await http.post(
                "/graphql",
                json={"query": "{ me { email role isSuperuser } }"},
                headers={"authorization": f"Bearer {token}"},
            )
            graphiql = await http.get("/graphql", headers={"accept": "text/html"})
    finally:
        process.terminate()
        await process.wait()

    assert "Traceback" not in output
    assert "ERROR" not in output
    assert me.json() == {
        "data": {"me": {"email": "admin@example.com", "role": "OWNER", "isSuperuser": True}}
    }
    assert graphiql.status_code == 200
    assert "graphiql" in graphiql.text.lower()
    assert (tmp_path / "data" / "pytake.db").exists()
    assert (tmp_path / "data" / "secret_key").exists()


async def test_create_user_adds_a_user_who_can_sign_in(tmp_path: Path) -> None:
    env = {"PYTAKE_ADMIN_PASSWORD": "bootstrap password 1"}
    bootstrap = subprocess.run(
        [
            sys.executable,
            "-c",
            "import asyncio; from web.cli import prepare_database, bootstrap_admin; "
            "from web.settings import load_settings; s = load_settings().with_secret_key(); "
            "asyncio.run(prepare_database(s, auto_migrate=True)); asyncio.run(bootstrap_admin(s))",
        ],
        cwd=tmp_path,
        env=clean_environment(**env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    created = run(
        [
            "create-user",
            "--email",
            "Sam@Example.com",
            "--name",
            "Sam",
            "--role",
            "supervisor",
            "--password",
            "sam's long password",
        ],
        tmp_path,
    )

    assert bootstrap.returncode == 0, bootstrap.stderr
    assert "created the first administrator admin@example.com" in bootstrap.stdout
    assert created.returncode == 0, created.stderr
    assert re.search(r"created supervisor sam@example.com \([0-9a-f-]{36}\)", created.stdout)
    runtime = build_runtime(Settings(_env_file=None, data_dir=tmp_path / "data"))  # type: ignore[call-arg]
    try:
        pair = await runtime.services.accounts.authenticate(
            "sam@example.com", "sam's long password", None
        )
    finally:
        await runtime.database.dispose()
    assert pair.user.role is Role.SUPERVISOR


async def test_worker_runs_until_asked_to_stop(tmp_path: Path) -> None:
    assert run(["migrate"], tmp_path).returncode == 0
    process = await asyncio.create_subprocess_exec(
        PYTAKE,
        "worker",
        cwd=tmp_path,
        env=clean_environment(),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    assert process.stdout is not None
    output = ""
    while "background workers running" not in output:
        line = await asyncio.wait_for(process.stdout.readline(), 60)
        assert line, output
        output += line.decode()

    process.terminate()
    code = await asyncio.wait_for(process.wait(), 20)

    assert code == 0


async def test_a_worker_process_runs_only_the_workers_it_is_given(tmp_path: Path) -> None:
    assert run(["migrate"], tmp_path).returncode == 0
    unknown = run(["worker", "--only", "signals,nosuch"], tmp_path)
    process = await asyncio.create_subprocess_exec(
        PYTAKE,
        "worker",
        "--only",
        "signals",
        cwd=tmp_path,
        env=clean_environment(),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), 60)
    while b"background workers running" not in line:
        line = await asyncio.wait_for(process.stdout.readline(), 60)
    process.terminate()
    code = await asyncio.wait_for(process.wait(), 20)

    assert unknown.returncode != 0
    assert "no background worker is named nosuch" in unknown.stderr
    assert b"background workers running (signals);" in line
    assert code == 0
