"""The two engines of `app/db/engine.py`: writes run in transactions, reads in autocommit."""

from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.common.settings import DatabaseSettings
from app.db.engine import create_engine

TRANSACTION_ID = text("SELECT pg_current_xact_id()::text")


@pytest.fixture
async def engines(database_url: str) -> AsyncIterator[tuple[AsyncEngine, AsyncEngine]]:
    settings = DatabaseSettings(url=SecretStr(database_url))
    writes, reads = create_engine(settings), create_engine(settings, autocommit=True)
    yield writes, reads
    await writes.dispose()
    await reads.dispose()


async def transaction_ids(connection: AsyncConnection) -> set[str]:
    return {str(await connection.scalar(TRANSACTION_ID)) for _ in range(2)}


async def test_a_read_connection_runs_each_statement_on_its_own(
    engines: tuple[AsyncEngine, AsyncEngine],
) -> None:
    _, reads = engines
    async with reads.connect() as connection:
        assert len(await transaction_ids(connection)) == 2  # no BEGIN: two transactions


async def test_a_write_connection_keeps_its_statements_in_one_transaction(
    engines: tuple[AsyncEngine, AsyncEngine],
) -> None:
    writes, _ = engines
    async with writes.begin() as connection:
        assert len(await transaction_ids(connection)) == 1
