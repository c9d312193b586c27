"""One JSON error shape for every failure, produced only by `app/api/errors.py`.

Code below the API raises typed `AppException` subclasses; the handlers installed by
`create_app` turn each into `{"error": {"code", "message", "details"}}`. A new kind of
error is a new subclass with its own status and code; no handler or route changes.
"""

import uuid

import httpx
from fastapi import APIRouter, FastAPI

from app.common.exceptions import AppException, ConflictError
from app.schemas.common import ErrorResponse


# Illustration: a new error kind lives in app/common/exceptions.py next to the others.
class QuotaExceededError(AppException):
    status_code = 429
    code = "quota_exceeded"


router = APIRouter(prefix="/examples")


@router.post("/quota")
async def use_quota() -> None:
    # Stands in for a service method that refuses the request.
    raise QuotaExceededError("the daily order quota is used up", details=[{"limit": 100}])


@router.post("/crash")
async def crash() -> None:
    raise RuntimeError("database password was hunter2")


async def test_a_new_error_subclass_needs_no_new_handler(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    app.include_router(router)

    response = await client.post("/examples/quota")

    assert response.status_code == 429
    assert response.json() == {
        "error": {
            "code": "quota_exceeded",
            "message": "the daily order quota is used up",
            "details": [{"limit": 100}],
        }
    }


async def test_domain_errors_from_the_slice_share_the_shape(client: httpx.AsyncClient) -> None:
    missing = await client.get(f"/orders/{uuid.uuid4()}")
    empty = (await client.post("/orders", json={"customer_ref": "c", "lines": []})).json()
    refused = await client.post(f"/orders/{empty['id']}/place")

    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "not_found")
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, ConflictError.code)
    for response in (missing, refused):
        ErrorResponse.model_validate(response.json())


async def test_validation_errors_list_every_problem(client: httpx.AsyncClient) -> None:
    response = await client.post("/orders", json={"customer_ref": "", "extra": 1})

    error = ErrorResponse.model_validate(response.json()).error
    assert response.status_code == 422
    assert error.code == "invalid_input"
    assert {tuple(detail["loc"]) for detail in error.details} == {
        ("body", "customer_ref"),
        ("body", "extra"),
    }


async def test_an_unexpected_exception_is_a_500_in_the_same_shape(app: FastAPI) -> None:
    app.include_router(router)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.post("/examples/crash", headers={"X-Correlation-ID": "c-1"})

    assert response.status_code == 500
    assert response.headers["X-Correlation-ID"] == "c-1"
    assert response.json()["error"]["code"] == "internal_error"
    assert "hunter2" not in response.text
