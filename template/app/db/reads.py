"""Connections for reads that only show data: no session, no transaction.

A views class (see `app/repos/`) takes `ReadConnections` and opens one connection per
read: `async with connections() as connection`. In production that is
`read_engine.connect` (see `app/deps/db.py`): a pooled connection of the read engine,
which is in autocommit mode, so a read is one statement and one round trip, with no
BEGIN or COMMIT around it. Writes use a session and a service's transaction.
"""

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from sqlalchemy.ext.asyncio import AsyncConnection

type ReadConnections = Callable[[], AbstractAsyncContextManager[AsyncConnection]]
