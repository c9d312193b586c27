"""Migrations and models agree, and the migration chain runs down to base and back up."""

import asyncio
import uuid

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from app.models import Base
from scripts.local_postgres import create_database, drop_database
from tests.conftest import alembic_config


def schema_differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_autogenerate_finds_nothing_to_do(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        assert await connection.run_sync(schema_differences) == []


def table_names(url: str) -> set[str]:
    async def read() -> set[str]:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
        finally:
            await engine.dispose()

    return asyncio.run(read())


def test_downgrade_to_base_and_upgrade_again(database_url: str) -> None:
    server = make_url(database_url)
    name = f"migrations_{uuid.uuid4().hex[:8]}"
    scratch = create_database(server, name, replace=True).render_as_string(hide_password=False)
    try:
        config = alembic_config(scratch)
        command.upgrade(config, "heads")
        tables_at_head = table_names(scratch)
        command.downgrade(config, "base")
        assert table_names(scratch) == {"alembic_version"}
        command.upgrade(config, "heads")
        assert table_names(scratch) == tables_at_head
    finally:
        drop_database(server, name)
