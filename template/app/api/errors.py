"""The one place where errors become HTTP responses.

Every error leaves the service as `{"error": {"code", "message", "details"}}`
(see `app/schemas/common.py`): typed application errors, request validation
failures, unknown routes and database outages here; refused requests and
unexpected exceptions in `app/api/middleware.py`, where the request's
correlation id is still bound. A 503 always says when to retry (`Retry-After`).
"""

from collections.abc import Mapping
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.common.exceptions import AppException, UpstreamUnavailableError
from app.db.engine import is_database_outage
from app.schemas.common import ErrorBody, ErrorResponse

log = structlog.get_logger(__name__)

# For route decorators: documents the error shape in the OpenAPI schema.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse} for status in (400, 404, 409, 413, 415, 422, 502, 503)
}
HTTP_ERROR_CODES = {404: "not_found", 413: "payload_too_large"}


def error_response(
    status_code: int,
    code: str,
    message: str,
    details: list[dict[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = ErrorResponse(error=ErrorBody(code=code, message=message, details=details or []))
    return JSONResponse(
        status_code=status_code, content=body.model_dump(mode="json"), headers=headers
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppException)
    async def handle_app_exception(request: Request, exc: AppException) -> JSONResponse:
        if exc.status_code >= 500:
            log.warning("request.server_error", code=exc.code, message=exc.message)
        return error_response(exc.status_code, exc.code, exc.message, exc.details, exc.headers)

    async def handle_database_outage(request: Request, exc: Exception) -> JSONResponse:
        if not is_database_outage(exc):
            raise exc  # a bug, not an outage: the middleware logs it and answers 500
        # One line per failed request, without a traceback: an outage fails every request.
        log.warning("database.unavailable", error=type(exc).__name__)
        outage = UpstreamUnavailableError("the database is not available; retry later")
        return error_response(
            outage.status_code, outage.code, outage.message, headers=outage.headers
        )

    for error_type in (sa_exc.DBAPIError, sa_exc.TimeoutError, OSError, TimeoutError):
        app.add_exception_handler(error_type, handle_database_outage)

    @app.exception_handler(RequestValidationError)
    async def handle_validation_error(
        request: Request, exc: RequestValidationError
    ) -> JSONResponse:
        details = [
            {"loc": list(error["loc"]), "message": error["msg"], "type": error["type"]}
            for error in exc.errors()
        ]
        return error_response(422, "invalid_input", "the request is not valid", details)

    @app.exception_handler(StarletteHTTPException)
    async def handle_http_exception(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = HTTP_ERROR_CODES.get(exc.status_code, "http_error")
        # Keep Starlette's headers, such as `Allow` on a 405.
        return error_response(exc.status_code, code, str(exc.detail), headers=exc.headers)
