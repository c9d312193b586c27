"""FastAPI `Depends` instead of a service locator, and callbacks instead of an Observer framework.

A provider is a plain function of its inputs, so it can be called directly; the app
wires providers by parameter, and a test swaps one provider per app through
`dependency_overrides`, with no global registry to reset afterwards.
"""

from collections.abc import Callable

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.clients.carrier import CarrierClient
from app.config import Settings
from app.deps.orders import get_carrier, get_order_service
from app.main import create_app
from app.schemas.order import OrderCreate, OrderLineCreate
from app.services.orders import OrderService
from tests.doubles import FakeCarrier


async def test_a_provider_is_called_like_any_function(
    session: AsyncSession, carrier_client: CarrierClient
) -> None:
    service = await get_order_service(session, carrier_client)

    order = await service.create(
        OrderCreate(
            customer_ref="cust-1",
            lines=[OrderLineCreate(sku="SKU-1", quantity=1, unit_price_cents=100)],
        )
    )

    assert isinstance(service, OrderService)
    assert order.total_cents == 100


async def test_an_override_replaces_one_provider_for_one_app(
    app: FastAPI, client: httpx.AsyncClient, fake_carrier: FakeCarrier
) -> None:
    body = {"customer_ref": "c", "lines": [{"sku": "SKU-1", "quantity": 1, "unit_price_cents": 1}]}
    order = (await client.post("/orders", json=body)).json()
    await client.post(f"/orders/{order['id']}/place")

    shipped = await client.post(f"/orders/{order['id']}/ship")

    assert get_carrier in app.dependency_overrides
    assert shipped.json()["tracking_number"] == fake_carrier.bookings[order["id"]]
    assert len(fake_carrier.requests) == 1


def test_overrides_do_not_leak_into_another_app(app: FastAPI, settings: Settings) -> None:
    other = create_app(settings)

    assert app.dependency_overrides
    assert other.dependency_overrides == {}


# Illustration: when one event really has several listeners, a list of callables is
# the whole Observer pattern. No subject base class, no registry singleton.
def notify_all(listeners: list[Callable[[str], None]], event: str) -> None:
    for listener in listeners:
        listener(event)


def test_observers_are_just_callables() -> None:
    seen: list[str] = []
    audit: list[str] = []

    notify_all([seen.append, lambda event: audit.append(event.upper())], "order.placed")

    assert seen == ["order.placed"]
    assert audit == ["ORDER.PLACED"]
