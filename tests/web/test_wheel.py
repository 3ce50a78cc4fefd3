"""A wheel of PyTake carries the built console, so a server installed from it serves the console
with no Node: every file of the build is in the wheel, and the installed package serves it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from web.console import CONSOLE_BUILD

ROOT = Path(__file__).parents[2]
PACKAGES = ("domain", "persistence", "graphql_api", "web", "migrations")

SERVE_FROM_INSTALLED = """
import asyncio, sys
import httpx
from starlette.applications import Starlette
import web
from web.console import console_routes

async def main():
    app = Starlette(routes=console_routes())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://pytake") as client:
        page = await client.get("/")
        asset = page.text.split('src="', 1)[1].split('"', 1)[0]
        script = await client.get(asset)
    print(web.__file__, page.status_code, script.status_code, script.headers["content-type"])

asyncio.run(main())
"""


def build_wheel(into: Path) -> Path:
    """Builds from a copy of the sources, so the checkout gains no build/ or egg-info."""
    source = into / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps"]
    subprocess.run(
        [*pip_wheel, "--no-build-isolation", "--wheel-dir", str(into / "dist"), str(source)],
        check=True,
        timeout=120,
    )
    (wheel,) = (into / "dist").glob("pytake-*.whl")
    return wheel


def test_a_wheel_carries_every_file_of_the_console_and_its_install_serves_them(
    tmp_path: Path,
) -> None:
    if not (CONSOLE_BUILD / "index.html").is_file():
        pytest.fail("The console is not built: `make test` builds it (or `.ci/console.sh build`)")
    wheel = build_wheel(tmp_path)

    built = {
        f"web/console_build/{path.relative_to(CONSOLE_BUILD).as_posix()}"
        for path in CONSOLE_BUILD.rglob("*")
        if path.is_file()
    }
    assert built - set(zipfile.ZipFile(wheel).namelist()) == set()

    installed = tmp_path / "installed"
    zipfile.ZipFile(wheel).extractall(installed)
    served = subprocess.run(
        [sys.executable, "-c", SERVE_FROM_INSTALLED],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(installed)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.split()
    assert served[0].startswith(str(installed)), "the test served the checkout, not the wheel"
    assert served[1:] == ["200", "200", "text/javascript;", "charset=utf-8"]
