"""Probes, the error shape for unknown routes, and correlation ids."""

import httpx
from fastapi import FastAPI
from pydantic import SecretStr
from structlog.contextvars import merge_contextvars
from structlog.testing import capture_logs

from app.common.settings import DatabaseSettings
from app.config import Settings
from app.main import create_app


async def test_healthz(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_checks_the_database(client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


async def test_readyz_reports_an_unreachable_database() -> None:
    # Port 1 on loopback: nothing listens there, so the connection is refused at once.
    url = "postgresql+asyncpg://nobody:secret@127.0.0.1:1/none"
    app = create_app(Settings(_env_file=None, database=DatabaseSettings(url=SecretStr(url))))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client,
    ):
        response = await client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "upstream_unavailable"
    assert "secret" not in response.text


async def test_unknown_routes_use_the_error_shape(client: httpx.AsyncClient) -> None:
    response = await client.get("/no-such-route")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "Not Found", "details": []}
    }


async def test_a_correlation_id_is_made_when_missing(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert len(response.headers["X-Correlation-ID"]) == 32


async def test_a_correlation_id_is_echoed(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz", headers={"X-Correlation-ID": "abc-123"})
    assert response.headers["X-Correlation-ID"] == "abc-123"


async def test_an_unsafe_correlation_id_is_replaced(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz", headers={"X-Correlation-ID": "bad id\twith spaces"})
    assert response.headers["X-Correlation-ID"] != "bad id\twith spaces"
    assert len(response.headers["X-Correlation-ID"]) == 32


async def test_an_unexpected_error_is_a_500_that_keeps_the_correlation_id(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    async def broken() -> None:
        raise RuntimeError("secret internals")

    app.add_api_route("/broken", broken)
    with capture_logs(processors=[merge_contextvars]) as logs:
        response = await client.get("/broken", headers={"X-Correlation-ID": "trace-500"})

    assert response.status_code == 500
    error = response.json()["error"]
    assert (error["code"], error["message"]) == ("internal_error", "an unexpected error occurred")
    assert response.headers["X-Correlation-ID"] == "trace-500"
    assert "secret internals" not in response.text
    (line,) = [entry for entry in logs if entry["event"] == "request.unhandled_error"]
    assert line["correlation_id"] == "trace-500"


async def test_a_wrong_method_is_405_and_says_what_is_allowed(client: httpx.AsyncClient) -> None:
    response = await client.delete("/healthz")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET"
    assert response.json()["error"]["code"] == "http_error"
