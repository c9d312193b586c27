"""Named events with fields, one JSON object per line, and nothing secret in either.

The carrier client logs `carrier.retryable_status` and `carrier.request_failed` with
the attempt number and a status or exception type: enough to diagnose, no payload,
no headers. Secrets stay `SecretStr`, which renders masked if it ever reaches a log.
"""

import json
import uuid

import httpx
import pytest
import structlog
from pydantic import SecretStr
from structlog.testing import capture_logs

from app.clients.carrier import CarrierClient
from app.common.logging import configure_logging
from app.config import DatabaseSettings
from tests.doubles import FakeCarrier

ORDER_ID = uuid.UUID("00000000-0000-4000-8000-00000000beef")


@pytest.fixture
def app_logging() -> None:
    # Start from the app's own configuration, whatever an earlier test left behind.
    configure_logging("INFO", json_output=True)


@pytest.mark.usefixtures("app_logging")
async def test_retries_log_named_events_with_small_fields(
    carrier_client: CarrierClient, fake_carrier: FakeCarrier
) -> None:
    fake_carrier.fail_next(503, httpx.ConnectError("refused"))

    with capture_logs() as logs:
        await carrier_client.book_shipment(ORDER_ID, parcels=1)

    assert [(e["event"], e["log_level"], e["attempt"]) for e in logs] == [
        ("carrier.retryable_status", "warning", 1),
        ("carrier.request_failed", "warning", 2),
    ]
    assert logs[0]["status"] == 503
    assert logs[1]["error"] == "ConnectError"
    # No request body, no headers: the idempotency key and auth never reach the log.
    assert all(set(entry) <= {"event", "log_level", "attempt", "status", "error"} for entry in logs)


def test_json_lines_are_machine_readable(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", json_output=True)
    log = structlog.get_logger("app.examples")

    log.info("order.placed", order_id="o-1", lines=2)
    log.debug("order.debug_detail", order_id="o-1")  # below INFO: filtered out

    (line,) = capsys.readouterr().out.splitlines()
    entry = json.loads(line)
    assert {k: entry[k] for k in ("event", "order_id", "lines", "level")} == {
        "event": "order.placed",
        "order_id": "o-1",
        "lines": 2,
        "level": "info",
    }
    assert entry["timestamp"].endswith("Z")


def test_exceptions_are_rendered_into_the_line(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", json_output=True)
    log = structlog.get_logger("app.examples")

    try:
        raise ValueError("bad carrier answer")
    except ValueError:
        log.exception("carrier.answer_unreadable")

    entry = json.loads(capsys.readouterr().out)
    assert entry["level"] == "error"
    assert "ValueError: bad carrier answer" in entry["exception"]


def test_a_secret_that_slips_into_a_log_stays_masked(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", json_output=True)
    database = DatabaseSettings(url=SecretStr("postgresql+asyncpg://svc:hunter2@db/svc"))

    structlog.get_logger("app.examples").info("settings.loaded", database_url=database.url)

    out = capsys.readouterr().out
    assert "hunter2" not in out
    assert "**********" in out
