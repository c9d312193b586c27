"""OrderPlaced reaches BookShipment through the relay; retries never book twice.

Shows: the bus from `build_bus` routing `OrderPlaced` to `BookShipment`; a
carrier outage leaving the event pending with its error, then a later pass
shipping the order; a worker that dies after the carrier call but before its
transaction commits, whose retry gets the same booking back because the call is
keyed by the order id. Real commits: own sessionmaker, `committing`, `clean_database`.
"""

from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.clients.carrier import CarrierClient
from app.config import OutboxSettings
from app.events.orders import OrderPlaced
from app.handlers import build_bus
from app.handlers.orders import BookShipment
from app.models.order import Order, OrderStatus
from app.models.outbox import OutboxEvent, OutboxStatus
from app.outbox.bus import MessageBus
from app.outbox.relay import OutboxRelay
from app.repos.order import OrderRepo
from app.schemas.order import OrderCreate, OrderLineCreate
from app.services.orders import OrderService
from tests.doubles import FakeCarrier

pytestmark = [pytest.mark.committing, pytest.mark.usefixtures("clean_database")]

Sessions = async_sessionmaker[AsyncSession]
DUE_AT_ONCE = OutboxSettings(backoff_base_s=0)


@dataclass
class ExampleDiesAfterTheCall:
    """Wraps the real handler and fails once after it, like a worker killed before commit."""

    inner: BookShipment
    died: bool = False

    async def __call__(self, event: OrderPlaced, session: AsyncSession) -> None:
        await self.inner(event, session)  # booked, and the order flushed as shipped ...
        if not self.died:
            self.died = True
            raise RuntimeError("worker killed before commit")  # ... but never committed


@pytest.fixture
def sessions(engine: AsyncEngine) -> Sessions:
    return async_sessionmaker(engine, expire_on_commit=False)


async def place_an_order(sessions: Sessions, carrier: CarrierClient) -> Order:
    async with sessions() as session:
        service = OrderService(session, OrderRepo(session), carrier)
        lines = [OrderLineCreate(sku="SKU-7", quantity=2, unit_price_cents=500)]
        order = await service.create(OrderCreate(customer_ref="ex-ship", lines=lines))
        return await service.place(order.id)  # stores OrderPlaced with the placement


async def reload(sessions: Sessions, order: Order) -> tuple[Order, OutboxEvent]:
    async with sessions() as session:
        (event,) = (await session.scalars(select(OutboxEvent))).all()  # the test's only event
        return await session.get_one(Order, order.id), event


async def test_a_carrier_outage_is_retried_by_the_relay_and_books_once(
    sessions: Sessions, carrier_client: CarrierClient, fake_carrier: FakeCarrier
) -> None:
    order = await place_an_order(sessions, carrier_client)
    relay = OutboxRelay(sessions, build_bus(carrier_client), DUE_AT_ONCE)
    fake_carrier.fail_next(503, 503, 503)  # the client's own three attempts all fail

    await relay.run_once()
    stored, event = await reload(sessions, order)
    assert (stored.status, event.status, event.attempts) == (
        OrderStatus.PLACED,
        OutboxStatus.PENDING,
        1,
    )
    assert (event.last_error or "").startswith("UpstreamUnavailableError")

    await relay.run_once()
    stored, event = await reload(sessions, order)
    assert (stored.status, event.status) == (OrderStatus.SHIPPED, OutboxStatus.DONE)
    assert stored.tracking_number == fake_carrier.bookings[str(order.id)]
    keys = {r.headers["Idempotency-Key"] for r in fake_carrier.requests}
    assert (len(fake_carrier.requests), keys) == (4, {str(order.id)})


async def test_a_crash_after_the_carrier_call_gets_the_same_booking_on_retry(
    sessions: Sessions, carrier_client: CarrierClient, fake_carrier: FakeCarrier
) -> None:
    order = await place_an_order(sessions, carrier_client)
    bus = MessageBus()
    handler = ExampleDiesAfterTheCall(BookShipment(carrier_client))
    bus.subscribe(OrderPlaced, "orders.book_shipment", handler)
    relay = OutboxRelay(sessions, bus, DUE_AT_ONCE)

    await relay.run_once()
    stored, _ = await reload(sessions, order)
    assert stored.status is OrderStatus.PLACED  # the ship() was rolled back ...
    assert list(fake_carrier.bookings) == [str(order.id)]  # ... the booking was not

    await relay.run_once()
    stored, _ = await reload(sessions, order)
    assert stored.status is OrderStatus.SHIPPED
    assert stored.tracking_number == fake_carrier.bookings[str(order.id)]
    assert len(fake_carrier.requests) == 2  # two calls, one booking: the key is the order id
    assert list(fake_carrier.bookings) == [str(order.id)]
