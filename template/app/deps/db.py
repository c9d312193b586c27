"""Providers for the request's resources, database session and read connections."""

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.reads import ReadConnections
from app.resources import Resources


# Providers are `async def` even when they do not await: FastAPI runs a plain `def`
# dependency in a worker thread, a hand-off per request for no benefit.
async def get_resources(request: Request) -> Resources:
    return request.app.state.resources


ResourcesDep = Annotated[Resources, Depends(get_resources)]


async def get_session(resources: ResourcesDep) -> AsyncSession:
    """The request's session. It never autobegins, so it holds a connection only inside a
    service's `session.begin()`, and needs no closing (a `yield` provider costs more)."""
    return resources.sessionmaker()


SessionDep = Annotated[AsyncSession, Depends(get_session)]


async def get_read_connections(resources: ResourcesDep) -> ReadConnections:
    """Connections for reads that only show data; writes use `get_session` and a service."""
    return resources.read_engine.connect


ReadConnectionsDep = Annotated[ReadConnections, Depends(get_read_connections)]
