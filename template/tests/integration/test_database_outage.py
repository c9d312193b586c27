"""Database faults answer 503 quickly, in the one error shape, and the service recovers.

The app runs against a throw-away PostgreSQL (`tests/fixtures/throwaway_postgres.py`)
that these tests stop, starve and slow down. Routes added for the test go through the
request's session (`/probe`), as every write does, and through a read connection
(`/probe-read`), as every read that only shows data does.
"""

import asyncio
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.exc import InvalidRequestError
from structlog.testing import capture_logs

from app.common.settings import DatabaseSettings
from app.config import Settings
from app.deps.db import ReadConnectionsDep, SessionDep
from app.main import create_app
from tests.fixtures.throwaway_postgres import ThrowawayPostgres

# Tight bounds so a fault shows in well under a second; production defaults are larger.
BOUNDS = {"pool_timeout_s": 0.5, "connect_timeout_s": 1.0, "statement_timeout_s": 0.5}
BOUNDED_S = 5.0  # no request may take longer than this during a fault


async def count_migrations(session: SessionDep) -> int:
    async with session.begin():
        return await session.scalar(text("SELECT count(*) FROM alembic_version")) or 0


async def count_migrations_read(connections: ReadConnectionsDep) -> int:
    async with connections() as connection:
        return await connection.scalar(text("SELECT count(*) FROM alembic_version")) or 0


async def sleep_in_the_database(session: SessionDep) -> None:
    async with session.begin():
        await session.execute(text("SELECT pg_sleep(5)"))


@pytest.fixture
async def app(throwaway_postgres: ThrowawayPostgres) -> AsyncIterator[FastAPI]:
    database = DatabaseSettings(
        url=SecretStr(throwaway_postgres.url), pool_size=1, max_overflow=0, **BOUNDS
    )
    app = create_app(Settings(_env_file=None, database=database))
    app.add_api_route("/probe", count_migrations)
    app.add_api_route("/probe-read", count_migrations_read)
    app.add_api_route("/slow", sleep_in_the_database)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as client:
        yield client


async def timed_get(client: httpx.AsyncClient, path: str) -> tuple[httpx.Response, float]:
    started = time.perf_counter()
    response = await client.get(path)
    return response, time.perf_counter() - started


def assert_unavailable(response: httpx.Response, seconds: float) -> None:
    assert response.status_code == 503, response.text
    assert response.json()["error"]["code"] == "upstream_unavailable"
    assert response.headers["Retry-After"] == "5"
    assert seconds < BOUNDED_S


async def test_a_stopped_database_is_503_then_the_service_recovers(
    client: httpx.AsyncClient, throwaway_postgres: ThrowawayPostgres
) -> None:
    assert (await client.get("/probe")).status_code == 200
    throwaway_postgres.stop()
    try:
        with capture_logs() as logs:
            during = [await timed_get(client, "/probe") for _ in range(5)]
    finally:
        throwaway_postgres.start()
    restarted = time.perf_counter()
    while (await client.get("/probe")).status_code != 200:
        assert time.perf_counter() - restarted < 10, "the service did not recover"
        await asyncio.sleep(0.1)

    for response, seconds in during:
        assert_unavailable(response, seconds)
    # One warning line per failed request, and no traceback.
    assert [entry["event"] for entry in logs].count("database.unavailable") == len(during)
    assert not [entry for entry in logs if entry["log_level"] in ("error", "critical")]
    slowest, recovery = max(s for _, s in during), time.perf_counter() - restarted
    print(f"\n503 at most {slowest:.3f} s; recovered in {recovery:.3f} s")


@pytest.mark.parametrize("path", ["/probe", "/probe-read"])
async def test_after_a_restart_one_request_finds_the_dead_connection(
    client: httpx.AsyncClient, throwaway_postgres: ThrowawayPostgres, path: str
) -> None:
    """No ping per checkout: the request that uses a dead pooled connection learns of it."""
    assert (await client.get(path)).status_code == 200  # the pool now holds a connection
    throwaway_postgres.stop()
    throwaway_postgres.start()

    first, seconds = await timed_get(client, path)

    assert_unavailable(first, seconds)  # the connection died with the server: pool invalidated
    assert (await client.get(path)).status_code == 200  # a fresh connection serves the next


async def test_no_request_keeps_a_connection(app: FastAPI, client: httpx.AsyncClient) -> None:
    """Sessions are not closed: they hold a connection only inside `session.begin()`."""
    for path in ("/probe", "/probe-read", "/slow", "/probe"):
        await client.get(path)  # /slow fails (statement timeout) inside its transaction
        pools = (app.state.resources.engine.pool, app.state.resources.read_engine.pool)
        assert [pool.checkedout() for pool in pools] == [0, 0], path


async def test_a_session_refuses_a_query_outside_begin(app: FastAPI) -> None:
    session = app.state.resources.sessionmaker()
    with pytest.raises(InvalidRequestError, match="utobegin"):
        await session.execute(text("SELECT 1"))
    assert app.state.resources.engine.pool.checkedout() == 0


async def test_a_frozen_database_is_503_not_a_hang(
    client: httpx.AsyncClient, throwaway_postgres: ThrowawayPostgres
) -> None:
    assert (await client.get("/probe")).status_code == 200
    with throwaway_postgres.frozen():
        response, seconds = await timed_get(client, "/probe")
    assert_unavailable(response, seconds)
    assert (await client.get("/probe")).status_code == 200
    print(f"\nfrozen: 503 after {seconds:.2f} s")


async def test_a_statement_past_its_timeout_is_503(client: httpx.AsyncClient) -> None:
    response, seconds = await timed_get(client, "/slow")
    assert_unavailable(response, seconds)
    assert (await client.get("/probe")).status_code == 200  # the connection is usable again


async def test_an_exhausted_pool_is_503(app: FastAPI, client: httpx.AsyncClient) -> None:
    async with app.state.resources.engine.connect():  # holds the pool's only connection
        response, seconds = await timed_get(client, "/probe")
    assert_unavailable(response, seconds)
    assert (await client.get("/probe")).status_code == 200
