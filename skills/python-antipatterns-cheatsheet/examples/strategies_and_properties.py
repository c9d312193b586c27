"""Strategy as a plain function, properties instead of getters, methods instead of setters.

`CarrierClient` has one implementation. Its behaviour under test changes by passing a
different httpx transport handler (a function), so no Protocol or subclass is needed.
`Order` exposes derived values as properties and changes state only through methods
named after the business action.
"""

import uuid
from collections.abc import Callable

import httpx
import pytest

from app.clients.carrier import CarrierClient
from app.common.exceptions import ConflictError, UpstreamError, UpstreamUnavailableError
from app.models.order import Order, OrderStatus

ORDER_ID = uuid.UUID("5f0c6a5e-0000-4000-8000-0000000000aa")

Handler = Callable[[httpx.Request], httpx.Response]


def books(request: httpx.Request) -> httpx.Response:
    return httpx.Response(201, json={"tracking_number": "TRK-1"})


def busy(request: httpx.Request) -> httpx.Response:
    return httpx.Response(503)


def refuses(request: httpx.Request) -> httpx.Response:
    return httpx.Response(400)


async def book_with(handler: Handler) -> str:
    transport = httpx.MockTransport(handler)
    async with httpx.AsyncClient(transport=transport, base_url="http://carrier.test") as http:
        client = CarrierClient(http, max_attempts=2, backoff_s=0)
        booking = await client.book_shipment(ORDER_ID, parcels=1)
        return booking.tracking_number


async def test_the_strategy_is_the_function_you_pass() -> None:
    assert await book_with(books) == "TRK-1"
    with pytest.raises(UpstreamUnavailableError):
        await book_with(busy)
    with pytest.raises(UpstreamError) as refused:
        await book_with(refuses)
    assert type(refused.value) is UpstreamError


def test_derived_values_are_properties_not_get_methods() -> None:
    order = Order.draft(customer_ref="cust-1")
    order.add_line("SKU-1", quantity=2, unit_price_cents=250)
    order.add_line("SKU-2", quantity=1, unit_price_cents=1000)

    assert order.total_cents == 1500
    assert [line.subtotal_cents for line in order.lines] == [500, 1000]


def test_a_read_only_property_refuses_assignment() -> None:
    order = Order.draft(customer_ref="cust-1")
    name = "total_cents"

    with pytest.raises(AttributeError):
        setattr(order, name, 99)


def test_state_changes_through_named_actions_that_guard_the_rules() -> None:
    order = Order.draft(customer_ref="cust-1")

    # A setter would let an empty order become "placed"; the action refuses.
    with pytest.raises(ConflictError, match="at least one line"):
        order.place()
    order.add_line("SKU-1", quantity=1, unit_price_cents=100)
    order.place()

    assert order.status is OrderStatus.PLACED
    with pytest.raises(ConflictError, match="add a line"):
        order.add_line("SKU-2", quantity=1, unit_price_cents=100)
