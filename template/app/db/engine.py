"""Engines and session factory (made once per process), and what a database outage looks like."""

from sqlalchemy import exc
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from app.common.settings import DatabaseSettings

# SQLSTATE classes of a server that cannot serve now: 08 connection exception,
# 53 insufficient resources, 57 operator intervention (statement timeout, shutdown).
OUTAGE_SQLSTATE_CLASSES = ("08", "53", "57")


def create_engine(settings: DatabaseSettings, *, autocommit: bool = False) -> AsyncEngine:
    """The engine for writes (sessions, transactions), or with `autocommit` the engine for
    reads that only show data (`app/db/reads.py`).

    Each has its own pool of `pool_size` connections. A read engine's connections are
    put in autocommit once, when opened: a read sends its one statement with no BEGIN
    and has nothing to roll back when its connection goes back to the pool.
    """
    modes = {"isolation_level": "AUTOCOMMIT", "pool_reset_on_return": None} if autocommit else {}
    return create_async_engine(
        settings.url.get_secret_value(),
        **modes,
        pool_size=settings.pool_size,
        max_overflow=settings.max_overflow,
        pool_timeout=settings.pool_timeout_s,
        pool_recycle=settings.pool_recycle_s,
        # No ping per checkout (a round trip on every request): a connection found dead
        # fails its request with a disconnect error, which invalidates the whole pool and
        # answers 503; the next request opens a fresh connection.
        pool_pre_ping=False,
        echo=settings.echo,
        connect_args={
            "timeout": settings.connect_timeout_s,
            # The server ends a long statement itself; a frozen server cannot, so the
            # client gives up one second later.
            "command_timeout": settings.statement_timeout_s + 1,
            "server_settings": {
                "statement_timeout": f"{round(settings.statement_timeout_s * 1000)}",
                "idle_in_transaction_session_timeout": (
                    f"{round(settings.idle_in_transaction_timeout_s * 1000)}"
                ),
            },
        },
    )


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # expire_on_commit=False: objects returned by a service stay readable after
    # the service's transaction has committed.
    # autobegin=False: a session touches the database only inside `session.begin()`
    # (anything else raises), so it holds a connection only while a service's
    # transaction runs, and a request's session needs no closing.
    return async_sessionmaker(engine, expire_on_commit=False, autobegin=False)


def is_database_outage(error: BaseException) -> bool:
    """Whether `error` means the database cannot serve now (try again later), not a bug.

    The driver reports an unreachable server as a plain `OSError`, a statement past the
    client's timeout as `TimeoutError`, and an exhausted pool as SQLAlchemy's TimeoutError.
    """
    if isinstance(error, exc.DBAPIError):
        sqlstate = str(getattr(error.orig, "sqlstate", None) or "")
        return (
            error.connection_invalidated
            or isinstance(error, exc.OperationalError | exc.InterfaceError)
            or sqlstate.startswith(OUTAGE_SQLSTATE_CLASSES)
        )
    return isinstance(error, exc.TimeoutError | OSError | TimeoutError)
