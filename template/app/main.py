"""Application factory. Run with `uvicorn app.main:create_app --factory`."""

from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from app.api.errors import install_error_handlers
from app.api.middleware import CorrelationIdMiddleware, RequestGuardMiddleware
from app.common.logging import configure_logging
from app.common.modules import import_submodules
from app.config import Settings, get_settings
from app.resources import open_resources


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log.level, json_output=settings.log.json_output)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncGenerator[None]:
        async with open_resources(settings) as resources:
            app.state.resources = resources
            yield

    # The interactive docs load scripts from a CDN: development only. /openapi.json stays.
    docs = settings.environment == "development"
    app = FastAPI(
        title=settings.service_name,
        lifespan=lifespan,
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
    )
    app.state.settings = settings
    app.add_middleware(RequestGuardMiddleware, max_body_bytes=settings.http.max_body_bytes)
    app.add_middleware(CorrelationIdMiddleware)  # added last: the outermost
    install_error_handlers(app)
    # Every module of app/api/ that defines a `router` is served (see app/api/__init__.py).
    for module in import_submodules("app.api"):
        router = getattr(module, "router", None)
        if isinstance(router, APIRouter):
            app.include_router(router)
    return app
