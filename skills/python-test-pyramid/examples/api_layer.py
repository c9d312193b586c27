"""The API layer: the real app through httpx.ASGITransport, inside the test's transaction.

The `client` fixture runs `create_app` with its lifespan and overrides two
providers: `get_session` yields the test's `session`, and `get_carrier` yields
a CarrierClient on the FakeCarrier transport. A request's writes are therefore
visible to the test and rolled back with it, and no network is touched. Assert
on what a caller sees (status, JSON, headers) and on the state left behind.
"""

import uuid

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.order import Order, OrderStatus
from tests.doubles import FakeCarrier

NEW_ORDER = {
    "customer_ref": "cust-9",
    "lines": [{"sku": "SKU-1", "quantity": 3, "unit_price_cents": 200}],
}


async def test_a_request_writes_into_the_tests_transaction(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    response = await client.post("/orders", json=NEW_ORDER)
    assert response.status_code == 201

    async with session.begin():
        stored = await session.get(Order, uuid.UUID(response.json()["id"]))
    assert stored is not None
    assert (stored.status, stored.total_cents) == (OrderStatus.DRAFT, 600)


async def test_a_broken_rule_comes_back_in_the_one_error_shape(client: httpx.AsyncClient) -> None:
    order = (await client.post("/orders", json=NEW_ORDER)).json()

    response = await client.post(f"/orders/{order['id']}/ship")

    assert response.status_code == 409
    assert response.json() == {
        "error": {
            "code": "conflict",
            "message": "cannot ship an order that is draft",
            "details": [],
        }
    }


async def test_shipping_goes_through_the_carrier_double(
    client: httpx.AsyncClient, fake_carrier: FakeCarrier
) -> None:
    order = (await client.post("/orders", json=NEW_ORDER)).json()
    await client.post(f"/orders/{order['id']}/place")

    response = await client.post(
        f"/orders/{order['id']}/ship", headers={"X-Correlation-ID": "ship-1"}
    )

    assert response.headers["X-Correlation-ID"] == "ship-1"
    assert response.json()["tracking_number"] == fake_carrier.bookings[order["id"]]
    (request,) = fake_carrier.requests
    assert request.headers["Idempotency-Key"] == order["id"]
