"""Logging: one JSON object per line, with the request's context, for every logger.

structlog renders the service's own lines. The standard library's loggers (uvicorn,
SQLAlchemy, Alembic, asyncio) go through the same processors, so their lines are
JSON too and carry the correlation id when a request is being served.
"""

import logging
import sys

import structlog

_HANDLER_NAME = "app.json"
# Loggers that configure handlers of their own; theirs go, ours apply.
_STDLIB_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "alembic", "sqlalchemy")


def configure_logging(level: str = "INFO", *, json_output: bool = True) -> None:
    shared: list[structlog.typing.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer() if json_output else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        processors=[*shared, structlog.processors.format_exc_info, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelNamesMapping()[level]),
        # Not cached: module-level loggers follow every later configure() call
        # (a new app, structlog.testing.capture_logs). Costs microseconds a line.
        cache_logger_on_first_use=False,
    )

    handler = logging.StreamHandler(sys.stdout)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[*shared, structlog.stdlib.add_logger_name],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    # Replace only our own handler: others (a test runner's capture) stay.
    root.handlers = [h for h in root.handlers if h.get_name() != _HANDLER_NAME] + [handler]
    root.setLevel(level)
    for name in _STDLIB_LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    # At INFO SQLAlchemy logs every statement (DATABASE_ECHO asks for that) and httpx
    # every request, which the clients log themselves with more context.
    for name in ("sqlalchemy", "httpx"):
        logging.getLogger(name).setLevel(logging.WARNING)
