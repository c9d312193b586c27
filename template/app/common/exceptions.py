"""Typed application errors.

Code below the API raises these; `app/api/errors.py` turns every one of them
into the same JSON error shape. Each class fixes its HTTP status and a stable
machine-readable `code`.
"""

from collections.abc import Mapping
from typing import Any, ClassVar


class AppException(Exception):
    status_code: ClassVar[int] = 500
    code: ClassVar[str] = "internal_error"

    def __init__(
        self,
        message: str,
        *,
        details: list[dict[str, Any]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []
        self.headers = dict(headers or {})  # sent with the error response


class NotFoundError(AppException):
    status_code = 404
    code = "not_found"


class ConflictError(AppException):
    """The request is valid but clashes with the current state (a guarded transition, a race)."""

    status_code = 409
    code = "conflict"


class InvalidInputError(AppException):
    """Input that passed schema validation but breaks a business rule."""

    status_code = 422
    code = "invalid_input"


class UpstreamError(AppException):
    """An external system failed or answered something we cannot use."""

    status_code = 502
    code = "upstream_error"


class UpstreamUnavailableError(UpstreamError):
    """An external system timed out or could not be reached; trying later may work."""

    status_code = 503
    code = "upstream_unavailable"

    def __init__(self, message: str, *, details: list[dict[str, Any]] | None = None) -> None:
        # Every 503 says when a client may retry, in seconds.
        super().__init__(message, details=details, headers={"Retry-After": "5"})
