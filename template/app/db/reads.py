"""Connections for reads that only show data: no session, no transaction.

A views class (see `app/repos/`) takes `ReadConnections` and opens one connection per
read: `async with connections() as connection`. In production each is a pooled
connection in autocommit mode, so a read is one statement and one round trip, with
no BEGIN or COMMIT around it. Writes use a session and a service's transaction.
"""

from collections.abc import AsyncGenerator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

type ReadConnections = Callable[[], AbstractAsyncContextManager[AsyncConnection]]


@asynccontextmanager
async def autocommit_connection(engine: AsyncEngine) -> AsyncGenerator[AsyncConnection]:
    async with engine.connect() as connection:
        yield await connection.execution_options(isolation_level="AUTOCOMMIT")
