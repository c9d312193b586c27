"""Liveness and readiness probes."""

import asyncio

from fastapi import APIRouter
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.api.errors import ERROR_RESPONSES
from app.common.exceptions import UpstreamUnavailableError
from app.deps.db import ResourcesDep

router = APIRouter(tags=["system"])

READINESS_TIMEOUT_S = 2.0


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """Liveness: the process is up and serving. Touches no dependency."""
    return {"status": "ok"}


@router.get("/readyz", responses={503: ERROR_RESPONSES[503]})
async def readyz(resources: ResourcesDep) -> dict[str, str]:
    """Readiness: the database answers, so requests can be served."""
    try:
        async with (
            asyncio.timeout(READINESS_TIMEOUT_S),
            resources.read_engine.connect() as connection,
        ):
            await connection.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError) as exc:
        raise UpstreamUnavailableError("the database is not reachable") from exc
    return {"status": "ready"}
