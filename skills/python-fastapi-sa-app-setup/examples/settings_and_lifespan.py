"""Settings from the environment, the app factory, and resources owned by the lifespan.

Shows that environment names map onto the nested settings models, that secrets stay
hidden, that every `create_app` call builds an independent app, and that the lifespan
puts one `Resources` bundle on `app.state` for the providers to hand out.
"""

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import text

import app.main
from app.config import DatabaseSettings, Settings, get_settings
from app.deps.resources import Resources
from app.main import create_app
from app.models import Base


def test_env_names_are_resource_then_field(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://svc:hunter2@db:5432/svc")
    monkeypatch.setenv("DATABASE_POOL_SIZE", "7")
    monkeypatch.setenv("LOG_JSON_OUTPUT", "false")
    monkeypatch.setenv("CARRIER_TIMEOUT_S", "1.5")

    settings = Settings(_env_file=None)

    assert settings.database.pool_size == 7
    assert settings.log.json_output is False
    assert settings.carrier.timeout_s == 1.5
    # The secret is readable on purpose only, never by printing the settings.
    assert settings.database.url.get_secret_value().endswith("@db:5432/svc")
    assert "hunter2" not in repr(settings)
    assert "hunter2" not in str(settings.model_dump())


def test_settings_are_read_once_per_process() -> None:
    assert get_settings() is get_settings()


def test_each_factory_call_builds_its_own_app(settings: Settings) -> None:
    first = create_app(settings)
    second = create_app(settings.model_copy(update={"service_name": "other-service"}))

    assert first is not second
    assert (first.title, second.title) == (settings.service_name, "other-service")
    # No app object is made at import time; uvicorn calls the factory.
    assert not hasattr(app.main, "app")


async def test_the_lifespan_owns_the_resources(settings: Settings) -> None:
    service = create_app(settings)

    async with service.router.lifespan_context(service):
        resources = service.state.resources
        assert isinstance(resources, Resources)
        async with resources.engine.connect() as connection:
            assert await connection.scalar(text("SELECT 1")) == 1
        transport = httpx.ASGITransport(app=service)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            ready = await client.get("/readyz")

    assert ready.json() == {"status": "ready"}


async def test_readiness_fails_softly_without_a_database() -> None:
    unreachable = SecretStr("postgresql+asyncpg://svc:hunter2@127.0.0.1:1/none")
    service = create_app(Settings(_env_file=None, database=DatabaseSettings(url=unreachable)))

    async with service.router.lifespan_context(service):
        transport = httpx.ASGITransport(app=service)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            live, ready = await client.get("/healthz"), await client.get("/readyz")

    assert live.status_code == 200
    assert ready.status_code == 503
    assert ready.json()["error"]["code"] == "upstream_unavailable"
    assert "hunter2" not in ready.text


def test_constraints_get_predictable_names() -> None:
    names = {c.name for c in Base.metadata.tables["order_lines"].constraints}

    assert {
        "pk_order_lines",
        "uq_order_lines_order_id_sku",
        "fk_order_lines_order_id_orders",
        "ck_order_lines_quantity_positive",
    } <= names
