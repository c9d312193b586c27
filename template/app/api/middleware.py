"""Plain ASGI middleware: what every request goes through before and after the routes.

`CorrelationIdMiddleware` (outermost) binds the correlation id, writes one access line
per request, adds the headers every response carries, and answers exceptions that
nothing else handled with the usual 500 shape, so even a 500 has `X-Correlation-ID`.
`RequestGuardMiddleware` refuses, before anything parses them, bodies over the size
limit (413) and POSTs that are not JSON (415): a cross-site HTML form or `text/plain`
request can only ever be a POST without a JSON content type.
"""

import re
import time
import uuid

import structlog
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.errors import error_response

CORRELATION_HEADER = "X-Correlation-ID"
# Accept a caller's id only if it is short and plain, so it is safe to log and echo.
_VALID_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# Every response: never sniff a content type, never store an answer in a shared cache.
RESPONSE_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}

log = structlog.get_logger("app.access")


class CorrelationIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        incoming = (
            dict(scope["headers"]).get(CORRELATION_HEADER.lower().encode(), b"").decode("latin-1")
        )
        correlation_id = incoming if _VALID_ID.fullmatch(incoming) else uuid.uuid4().hex
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(correlation_id=correlation_id)
        status_code = 500
        response_started = False
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status_code, response_started
            if message["type"] == "http.response.start":
                status_code = message["status"]
                response_started = True
                headers = MutableHeaders(scope=message)
                headers[CORRELATION_HEADER] = correlation_id
                for name, value in RESPONSE_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            log.exception("request.unhandled_error")
            if response_started:
                raise
            response = error_response(500, "internal_error", "an unexpected error occurred")
            await response(scope, receive, send_with_id)
        finally:
            log.info(
                "request",
                method=scope["method"],
                path=scope["path"],
                status=status_code,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
            )
            structlog.contextvars.clear_contextvars()


class RequestGuardMiddleware:
    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        media_type = headers.get("content-type", "").partition(";")[0].strip().lower()
        too_large = f"the request body is over {self.max_body_bytes} bytes"
        if scope["method"] == "POST" and media_type != "application/json":
            refusal = error_response(415, "unsupported_media_type", "send application/json")
            await refusal(scope, receive, send)
            return
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            await error_response(413, "payload_too_large", too_large)(scope, receive, send)
            return

        received = 0

        async def counting_receive() -> Message:
            # A body sent without a length (chunked) is counted as it arrives; the route's
            # body parsing lets this HTTPException through to the error handlers.
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_body_bytes:
                raise HTTPException(413, too_large)
            return message

        await self.app(scope, counting_receive, send)
