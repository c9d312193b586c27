"""Bound context lands on every line; a SecretStr that slips into a line stays masked."""

import structlog
from pydantic import BaseModel, SecretStr
from structlog.contextvars import bound_contextvars, merge_contextvars
from structlog.processors import JSONRenderer
from structlog.testing import capture_logs

log = structlog.get_logger(__name__)


class MailSettings(BaseModel):  # a settings section of one's own
    sender: str = "digest@example.com"
    api_key: SecretStr = SecretStr("s3cr3t-token")


def report_retry(mail: MailSettings, attempt: int) -> None:
    # Recoverable, so a warning with the attempt; `mail` here is a slip that SecretStr forgives.
    log.warning("digest.send_retried", attempt=attempt, mail=mail)


def test_context_is_merged_and_the_secret_stays_masked() -> None:
    with (
        capture_logs(processors=[merge_contextvars]) as logs,
        bound_contextvars(correlation_id="req-42"),
    ):
        report_retry(MailSettings(), attempt=2)

    (line,) = logs
    assert (line["event"], line["log_level"]) == ("digest.send_retried", "warning")
    assert (line["correlation_id"], line["attempt"]) == ("req-42", 2)
    rendered = JSONRenderer()(None, "warning", dict(line))  # as configure_logging renders it
    assert isinstance(rendered, str)
    assert "s3cr3t-token" not in rendered
    assert "**********" in rendered
