"""Careless or hostile requests are refused cheaply, before anything parses them."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from starlette.types import Message, Receive, Scope, Send

from app.api.middleware import CorrelationIdMiddleware
from app.common.settings import HttpSettings
from app.config import Settings
from app.main import create_app

LIMIT = 1024
JSON = {"Content-Type": "application/json"}
PLAIN_TEXT = {"Content-Type": "text/plain"}  # what a cross-site fetch may send unchecked
SAFETY_HEADERS = {"x-content-type-options": "nosniff", "cache-control": "no-store"}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"http": HttpSettings(max_body_bytes=LIMIT)})


@pytest.fixture
def parsed(app: FastAPI) -> list[dict[str, str]]:
    """A JSON route for these tests; it records every body it was given."""
    bodies: list[dict[str, str]] = []

    async def echo(body: dict[str, str]) -> dict[str, str]:
        bodies.append(body)
        return body

    app.add_api_route("/echo", echo, methods=["POST"])
    return bodies


def assert_refused(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    assert {k: response.headers[k] for k in SAFETY_HEADERS} == SAFETY_HEADERS


async def test_a_json_post_within_the_limit_passes(
    client: httpx.AsyncClient, parsed: list[dict[str, str]]
) -> None:
    response = await client.post("/echo", json={"note": "hello"})
    assert (response.status_code, parsed) == (200, [{"note": "hello"}])


async def test_a_declared_body_over_the_limit_is_413_unread(
    client: httpx.AsyncClient, parsed: list[dict[str, str]]
) -> None:
    body = b'{"note": "' + b"x" * LIMIT + b'"}'
    response = await client.post("/echo", content=body, headers=JSON)
    assert_refused(response, 413, "payload_too_large")
    assert parsed == []


async def test_a_streamed_body_over_the_limit_is_413(
    client: httpx.AsyncClient, parsed: list[dict[str, str]]
) -> None:
    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"note": "'
        for _ in range(4):
            yield b"x" * (LIMIT // 2)
        yield b'"}'

    response = await client.post("/echo", content=chunks(), headers=JSON)
    assert_refused(response, 413, "payload_too_large")
    assert parsed == []


async def test_a_post_that_is_not_json_is_415(
    client: httpx.AsyncClient, parsed: list[dict[str, str]]
) -> None:
    refused = [
        await client.post("/echo", data={"note": "from a cross-site form"}),
        await client.post("/echo", content=b'{"note": "x"}', headers=PLAIN_TEXT),
        await client.post("/echo"),  # a POST without a body must still say it is JSON
    ]
    for response in refused:
        assert_refused(response, 415, "unsupported_media_type")
    assert parsed == []


async def test_every_response_carries_the_safety_headers(client: httpx.AsyncClient) -> None:
    for response in (await client.get("/healthz"), await client.get("/no-such-route")):
        assert {k: response.headers[k] for k in SAFETY_HEADERS} == SAFETY_HEADERS


async def test_a_correlation_id_must_match_in_full() -> None:
    """A trailing newline (a header-injection attempt) is not echoed: a new id is made."""
    started: list[Message] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 204, "headers": []})

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(message: Message) -> None:
        started.append(message)

    headers = [(b"x-correlation-id", b"id-1\n")]
    scope: Scope = {"type": "http", "method": "GET", "path": "/", "headers": headers}
    await CorrelationIdMiddleware(app)(scope, receive, send)

    echoed = dict(started[0]["headers"])[b"x-correlation-id"]
    assert echoed != b"id-1\n"
    assert len(echoed) == 32


async def test_the_interactive_docs_are_served_in_development_only(settings: Settings) -> None:
    for environment, docs_status in (("development", 200), ("production", 404)):
        app = create_app(settings.model_copy(update={"environment": environment}))
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://test"
        ) as client:
            assert (await client.get("/docs")).status_code == docs_status
            assert (await client.get("/openapi.json")).status_code == 200
