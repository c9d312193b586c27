"""The carrier is called while no database transaction is open, and its errors stay typed.

`OrderService.ship` checks the order in one transaction, books with the carrier
with no transaction open, then records the tracking number in a second one. A
probe transport records whether the session was inside a transaction at the
moment the request left. Through the API, a refusal from the carrier becomes
the service's own error shape and the order is left as it was.
"""

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from app.clients.carrier import CarrierClient
from app.models.order import Order, OrderStatus
from app.repos.order import OrderRepo
from app.schemas.order import OrderCreate, OrderLineCreate
from app.services.orders import OrderService
from tests.doubles import FakeCarrier


def probing(fake: FakeCarrier, session: AsyncSession, seen: list[bool]) -> httpx.MockTransport:
    """Forward to the fake, noting `session.in_transaction()` for each request."""
    inner = fake.transport()

    async def handle(request: httpx.Request) -> httpx.Response:
        seen.append(session.in_transaction())
        return await inner.handle_async_request(request)

    return httpx.MockTransport(handle)


async def placed_order(service: OrderService) -> Order:
    line = OrderLineCreate(sku="SKU-1", quantity=1, unit_price_cents=500)
    order = await service.create(OrderCreate(customer_ref="cust-7", lines=[line]))
    return await service.place(order.id)


async def test_ship_calls_the_carrier_with_no_transaction_open(
    session: AsyncSession, fake_carrier: FakeCarrier
) -> None:
    seen: list[bool] = []
    transport = probing(fake_carrier, session, seen)
    async with httpx.AsyncClient(transport=transport, base_url="http://carrier.test") as http:
        service = OrderService(session, OrderRepo(session), CarrierClient(http, backoff_s=0))
        order = await placed_order(service)

        shipped = await service.ship(order.id)

    assert seen == [False]
    assert shipped.status is OrderStatus.SHIPPED
    assert shipped.tracking_number == fake_carrier.bookings[str(order.id)]


async def test_the_probe_catches_a_call_made_inside_a_transaction(
    session: AsyncSession, fake_carrier: FakeCarrier
) -> None:
    # What the probe reports for the wrong shape: booking inside `session.begin()`.
    seen: list[bool] = []
    transport = probing(fake_carrier, session, seen)
    async with httpx.AsyncClient(transport=transport, base_url="http://carrier.test") as http:
        service = OrderService(session, OrderRepo(session), CarrierClient(http, backoff_s=0))
        order = await placed_order(service)
        async with session.begin():
            await CarrierClient(http, backoff_s=0).book_shipment(order.id, parcels=1)

    assert seen == [True]


async def test_a_carrier_refusal_reaches_the_caller_as_upstream_error(
    client: httpx.AsyncClient, fake_carrier: FakeCarrier
) -> None:
    body = {
        "customer_ref": "cust-7",
        "lines": [{"sku": "SKU-1", "quantity": 1, "unit_price_cents": 1}],
    }
    order = (await client.post("/orders", json=body)).json()
    await client.post(f"/orders/{order['id']}/place")
    fake_carrier.fail_next(422)

    response = await client.post(f"/orders/{order['id']}/ship")

    assert response.status_code == 502
    assert response.json()["error"]["code"] == "upstream_error"
    assert len(fake_carrier.requests) == 1
    assert (await client.get(f"/orders/{order['id']}")).json()["status"] == "placed"
