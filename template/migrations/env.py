"""Alembic environment: runs migrations over the app's async engine.

The URL is `config.attributes["database_url"]` when a caller (the tests, the
dev script) passes one, otherwise the app settings (`DATABASE_URL`).
"""

import asyncio

from alembic import context
from alembic.operations.ops import MigrationScript
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from app.common.logging import configure_logging
from app.config import get_settings
from app.models import Base

config = context.config
if config.attributes.get("configure_logger", True):  # the tests keep their own logging
    log_settings = get_settings().log
    configure_logging(log_settings.level, json_output=log_settings.json_output)

target_metadata = Base.metadata


def database_url() -> str:
    url = config.attributes.get("database_url")
    return url or get_settings().database.url.get_secret_value()


def run_migrations_offline() -> None:
    context.configure(
        url=database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def skip_empty_autogenerate(
    migration: MigrationContext, revision: object, directives: list[MigrationScript]
) -> None:
    """An autogenerate run that finds no difference writes no file."""
    upgrade_ops = directives[0].upgrade_ops
    if upgrade_ops is not None and upgrade_ops.is_empty():
        directives.clear()


def run_with_connection(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        process_revision_directives=skip_empty_autogenerate,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_migrations_online() -> None:
    engine = create_async_engine(database_url(), poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(run_with_connection)
    finally:
        await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_migrations_online())
