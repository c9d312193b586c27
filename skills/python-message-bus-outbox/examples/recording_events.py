"""Events are facts, stored in the same transaction as the change that caused them.

Shows: an event is a frozen, past-tense dataclass that is registered by class
name and survives the JSON trip through the outbox table; `OrderService.place`
stores `OrderPlaced` inside its own unit of work; a refused or failed use case
leaves no event behind. Everything runs in the rolled-back `session` fixture,
so nothing here commits for real and no relay is needed.
"""

import uuid
from dataclasses import FrozenInstanceError, dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.clients.carrier import CarrierClient
from app.common.exceptions import ConflictError
from app.events import Event
from app.events.orders import OrderPlaced
from app.models.outbox import OutboxEvent, OutboxStatus
from app.outbox.codec import decode, encode
from app.outbox.store import Outbox
from app.repos.order import OrderRepo
from app.schemas.order import OrderCreate, OrderLineCreate
from app.services.orders import OrderService


@dataclass(frozen=True, kw_only=True)
class ExampleRefundIssued(Event):
    """Past tense, ids and plain values only: no ORM object, no Pydantic model."""

    order_id: uuid.UUID
    amount_cents: int


async def events_about(session: AsyncSession, order_id: uuid.UUID) -> list[OutboxEvent]:
    # Reads go inside a transaction block, so the next service call can begin its own.
    async with session.begin():
        rows = (await session.scalars(select(OutboxEvent))).all()
    return [row for row in rows if row.payload.get("order_id") == str(order_id)]


def test_an_event_is_a_registered_frozen_fact_that_round_trips() -> None:
    event = ExampleRefundIssued(order_id=uuid.uuid4(), amount_cents=250)

    assert Event.registry["ExampleRefundIssued"] is ExampleRefundIssued
    with pytest.raises(FrozenInstanceError):
        event.amount_cents = 0  # ty: ignore[invalid-assignment]
    # The relay rebuilds the event from the stored type name and JSON payload.
    assert decode("ExampleRefundIssued", encode(event)) == event


async def test_placing_an_order_stores_order_placed_in_the_same_transaction(
    session: AsyncSession, carrier_client: CarrierClient
) -> None:
    service = OrderService(session, OrderRepo(session), carrier_client)
    lines = [OrderLineCreate(sku="SKU-1", quantity=3, unit_price_cents=200)]
    order = await service.create(OrderCreate(customer_ref="ex-rec-1", lines=lines))
    assert await events_about(session, order.id) == []  # a draft is not news yet

    await service.place(order.id)

    (row,) = await events_about(session, order.id)
    assert (row.event_type, row.status, row.attempts) == ("OrderPlaced", OutboxStatus.PENDING, 0)
    event = decode(row.event_type, row.payload)
    assert isinstance(event, OrderPlaced)
    assert (event.event_id, event.line_count, event.total_cents) == (row.id, 1, 600)


async def test_a_refused_placement_stores_no_event(
    session: AsyncSession, carrier_client: CarrierClient
) -> None:
    service = OrderService(session, OrderRepo(session), carrier_client)
    order_id = (await service.create(OrderCreate(customer_ref="ex-rec-2", lines=[]))).id

    with pytest.raises(ConflictError):
        await service.place(order_id)  # the model refuses before the event is built

    assert await events_about(session, order_id) == []


async def test_an_event_recorded_in_a_failed_transaction_is_rolled_back_with_it(
    session: AsyncSession,
) -> None:
    event = ExampleRefundIssued(order_id=uuid.uuid4(), amount_cents=100)

    async def refund_that_fails() -> None:
        async with session.begin():
            Outbox(session).add(event)
            await session.flush()  # the row reached PostgreSQL ...
            raise RuntimeError("the use case failed after recording its event")

    with pytest.raises(RuntimeError):
        await refund_that_fails()

    # ... and left with the rest of the transaction: nobody will ever be told.
    assert await events_about(session, event.order_id) == []
