"""Alembic is the only way the schema is made: one head, reversible, and equal to the models."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from persistence import migrate
from persistence.database import Database
from persistence.models.base import Base
from tests.conftest import recreate_postgres_database
from tests.support import own_postgres_url

MIGRATION_TEST_POSTGRES = own_postgres_url("migrations")


@pytest.fixture(params=["postgresql", "sqlite"])
async def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    if request.param == "postgresql":
        await recreate_postgres_database(MIGRATION_TEST_POSTGRES)
        return Database(MIGRATION_TEST_POSTGRES)
    return Database(f"sqlite+aiosqlite:///{tmp_path / 'migrations.db'}")


def table_names(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names()) - {"alembic_version"}


def differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


def test_the_migrations_have_a_single_head() -> None:
    heads = ScriptDirectory.from_config(migrate.alembic_config()).get_heads()

    assert len(heads) == 1, f"several heads: {heads}; merge them"


async def test_upgrade_downgrade_upgrade_leaves_the_models_schema(empty_database: Database) -> None:
    database = empty_database
    try:
        await migrate.upgrade(database)
        await migrate.downgrade(database, "base")
        async with database.connect() as connection:
            assert await connection.run_sync(table_names) == set()
        await migrate.upgrade(database)

        async with database.connect() as connection:
            tables = await connection.run_sync(table_names)
            drift = await connection.run_sync(differences)
        assert tables == set(Base.metadata.tables)
        assert drift == [], f"models and migrations differ: {drift}"
        assert await migrate.current_revision(database) == migrate.head_revision()
    finally:
        await database.dispose()
