"""A handler's database effects happen once, however often the relay delivers its event.

Shows: a handler that reloads the aggregate and drives it through its own
method; the relay running it in one transaction with its (handler, event)
record, so a redelivery is skipped; a failure rolling back the change and the
record alike, then a retry; and why a handler's name must never change. The
relay commits, so these tests use their own sessionmaker on the `engine`
fixture, are marked `committing` and have `clean_database` empty the tables.
"""

import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.clients.carrier import CarrierClient
from app.config import OutboxSettings
from app.events import Event
from app.models.order import Order, OrderStatus
from app.models.outbox import OutboxEvent, OutboxStatus, ProcessedEvent
from app.outbox.bus import MessageBus
from app.outbox.relay import OutboxRelay
from app.outbox.store import Outbox
from app.repos.order import OrderRepo
from app.schemas.order import OrderCreate, OrderLineCreate
from app.services.orders import OrderService

pytestmark = [pytest.mark.committing, pytest.mark.usefixtures("clean_database")]

Sessions = async_sessionmaker[AsyncSession]
NAME = "payments.cancel_unpaid_order"  # keys the handler's records: never change it
CANCELLED = (OrderStatus.CANCELLED, OutboxStatus.DONE, [NAME])


@dataclass(frozen=True, kw_only=True)
class ExamplePaymentDeclined(Event):
    order_id: uuid.UUID


class ExampleCancelUnpaidOrder:
    """Cancels a placed order whose payment was declined; counts its runs for the tests."""

    def __init__(self, *, fail_first: bool = False) -> None:
        self.runs = 0
        self.fail_first = fail_first

    async def __call__(self, event: ExamplePaymentDeclined, session: AsyncSession) -> None:
        self.runs += 1
        orders = OrderRepo(session)  # repos and clients; never a service, never a commit
        order = await orders.get(event.order_id)
        if order.status is not OrderStatus.PLACED:
            return  # handled before, or overtaken by another change: nothing to do
        order.cancel("payment declined")
        await orders.flush()
        if self.fail_first and self.runs == 1:
            raise RuntimeError("lost the connection before commit")


@pytest.fixture
def sessions(engine: AsyncEngine) -> Sessions:
    return async_sessionmaker(engine, expire_on_commit=False)


async def decline_a_placed_order(
    sessions: Sessions, carrier: CarrierClient
) -> ExamplePaymentDeclined:
    async with sessions() as session:
        service = OrderService(session, OrderRepo(session), carrier)
        lines = [OrderLineCreate(sku="SKU-9", quantity=1, unit_price_cents=900)]
        order = await service.create(OrderCreate(customer_ref="ex-pay", lines=lines))
        await service.place(order.id)
    declined = ExamplePaymentDeclined(order_id=order.id)
    async with sessions() as session, session.begin():
        Outbox(session).add(declined)  # as a payment use case would, in its own transaction
    return declined


async def deliver(sessions: Sessions, name: str, handler: ExampleCancelUnpaidOrder) -> None:
    bus = MessageBus()
    bus.subscribe(ExamplePaymentDeclined, name, handler)
    await OutboxRelay(sessions, bus, OutboxSettings(backoff_base_s=0)).run_once()


async def look_then_requeue(
    sessions: Sessions, event: ExamplePaymentDeclined
) -> tuple[OrderStatus, OutboxStatus, list[str]]:
    """Read the outcome, then put the event back to pending as if the relay died unsettled."""
    async with sessions() as session, session.begin():
        order = await session.get_one(Order, event.order_id)
        row_status = (await session.get_one(OutboxEvent, event.event_id)).status
        query = select(ProcessedEvent.handler).where(ProcessedEvent.event_id == event.event_id)
        records = sorted((await session.scalars(query)).all())
        requeue = update(OutboxEvent).where(OutboxEvent.id == event.event_id)
        await session.execute(requeue.values(status=OutboxStatus.PENDING))
    return order.status, row_status, records


async def test_the_record_keyed_by_handler_name_skips_a_redelivery(
    sessions: Sessions, carrier_client: CarrierClient
) -> None:
    declined = await decline_a_placed_order(sessions, carrier_client)
    handler = ExampleCancelUnpaidOrder()

    await deliver(sessions, NAME, handler)
    assert await look_then_requeue(sessions, declined) == CANCELLED
    await deliver(sessions, NAME, handler)  # redelivered
    assert handler.runs == 1  # skipped: the record for this name and event exists
    assert await look_then_requeue(sessions, declined) == CANCELLED

    # Renamed: no record carries the new name, so the handler runs again. Only its state
    # check keeps the effect single here; a call to another system would go out twice.
    await deliver(sessions, "payments.cancel_declined_order", handler)
    assert handler.runs == 2
    _, _, records = await look_then_requeue(sessions, declined)
    assert records == ["payments.cancel_declined_order", NAME]


async def test_a_failed_run_rolls_back_its_change_and_its_record_then_retries(
    sessions: Sessions, carrier_client: CarrierClient
) -> None:
    declined = await decline_a_placed_order(sessions, carrier_client)
    handler = ExampleCancelUnpaidOrder(fail_first=True)

    await deliver(sessions, NAME, handler)
    failed = await look_then_requeue(sessions, declined)
    assert failed == (OrderStatus.PLACED, OutboxStatus.PENDING, [])  # change and record undone

    await deliver(sessions, NAME, handler)  # the retry runs the handler again, in full
    assert await look_then_requeue(sessions, declined) == CANCELLED
    assert handler.runs == 2
