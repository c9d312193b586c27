"""Correlation ids: read or made by the middleware, echoed, and merged into every log line.

`CorrelationIdMiddleware` binds `correlation_id` with structlog contextvars for the
length of one request, so any logger called while the request runs carries it, and
clears it afterwards. The route below is an illustration that logs one business event.
"""

import httpx
import structlog
from fastapi import APIRouter, FastAPI
from structlog.contextvars import merge_contextvars
from structlog.testing import capture_logs

from app.api.middleware import CORRELATION_HEADER

router = APIRouter(prefix="/examples")


@router.post("/orders/{order_id}/touch")
async def touch_order(order_id: str) -> dict[str, str]:
    # Bind ids once; every later line of this request carries them.
    structlog.contextvars.bind_contextvars(order_id=order_id)
    # App modules keep `log = structlog.get_logger(__name__)` at module level. A logger
    # fetched here is resolved under the configuration the test is capturing.
    structlog.get_logger("app.examples").info("order.touched", source="example")
    return {"status": "ok"}


async def test_every_line_of_a_request_carries_its_id(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    app.include_router(router)

    with capture_logs(processors=[merge_contextvars]) as logs:
        response = await client.post(
            "/examples/orders/o-17/touch", headers={CORRELATION_HEADER: "trace-17"}
        )

    (line,) = [entry for entry in logs if entry["event"] == "order.touched"]
    assert line["correlation_id"] == "trace-17"
    assert line["order_id"] == "o-17"
    assert line["source"] == "example"
    assert response.headers[CORRELATION_HEADER] == "trace-17"


async def test_a_missing_id_is_made_and_echoed(app: FastAPI, client: httpx.AsyncClient) -> None:
    app.include_router(router)

    with capture_logs(processors=[merge_contextvars]) as logs:
        response = await client.post("/examples/orders/o-1/touch")

    (line,) = [entry for entry in logs if entry["event"] == "order.touched"]
    made = response.headers[CORRELATION_HEADER]
    assert len(made) == 32
    assert line["correlation_id"] == made


async def test_an_unsafe_id_is_never_logged(app: FastAPI, client: httpx.AsyncClient) -> None:
    app.include_router(router)
    forged = 'x", "level": "critical'

    with capture_logs(processors=[merge_contextvars]) as logs:
        response = await client.post(
            "/examples/orders/o-2/touch", headers={CORRELATION_HEADER: forged}
        )

    (line,) = [entry for entry in logs if entry["event"] == "order.touched"]
    assert line["correlation_id"] != forged
    assert line["correlation_id"] == response.headers[CORRELATION_HEADER]


async def test_the_context_is_cleared_when_the_request_ends(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    app.include_router(router)

    await client.post("/examples/orders/o-3/touch", headers={CORRELATION_HEADER: "trace-3"})

    # ASGITransport runs the app in this task: without the middleware's clear, the
    # request's ids would leak into whatever this task logs next.
    assert structlog.contextvars.get_contextvars() == {}
