"""structlog configuration: one JSON object per line, context from contextvars."""

import logging

import structlog


def configure_logging(level: str = "INFO", *, json_output: bool = True) -> None:
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer() if json_output else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelNamesMapping()[level]),
        # Not cached: module-level loggers follow every later configure() call
        # (a new app, structlog.testing.capture_logs). Costs microseconds a line.
        cache_logger_on_first_use=False,
    )
