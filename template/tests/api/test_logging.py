"""Request logs: one line per request, with the request's correlation id."""

import json
import logging

import httpx
import pytest
import structlog
from structlog.contextvars import merge_contextvars
from structlog.testing import capture_logs

from app.common.logging import configure_logging


async def test_each_request_logs_one_line_with_its_correlation_id(
    client: httpx.AsyncClient,
) -> None:
    with capture_logs(processors=[merge_contextvars]) as logs:
        await client.get("/healthz", headers={"X-Correlation-ID": "trace-1"})

    (line,) = [entry for entry in logs if entry["event"] == "request"]
    assert line["correlation_id"] == "trace-1"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)
    assert line["duration_ms"] >= 0


def test_json_output_is_one_object_per_line(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", json_output=True)
    structlog.get_logger("example").info("report.generated", report_id="r-1")

    (line,) = capsys.readouterr().out.splitlines()
    entry = json.loads(line)
    assert entry["event"] == "report.generated"
    assert entry["report_id"] == "r-1"
    assert entry["level"] == "info"
    assert "timestamp" in entry


def test_standard_library_loggers_write_json_with_the_request_context(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("INFO", json_output=True)
    with structlog.contextvars.bound_contextvars(correlation_id="trace-9"):
        logging.getLogger("uvicorn.error").warning("worker timeout")
        logging.getLogger("sqlalchemy.engine").info("a statement nobody asked to see")

    (line,) = capsys.readouterr().out.splitlines()
    entry = json.loads(line)
    assert (entry["event"], entry["logger"], entry["level"]) == (
        "worker timeout",
        "uvicorn.error",
        "warning",
    )
    assert entry["correlation_id"] == "trace-9"
