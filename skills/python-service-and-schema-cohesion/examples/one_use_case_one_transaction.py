"""OrderService: each public method is one use case that owns exactly one transaction.

Runs against real PostgreSQL in the project's rolled-back `session` (the
service's `session.begin()` becomes a SAVEPOINT there, so commit and rollback
behave as in production). Shows that a use case leaves no transaction open,
that a failed use case writes nothing, that use cases do not nest, and that
the carrier call in `ship` sits between two transactions.
"""

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.ext.asyncio import AsyncSession

from app.clients.carrier import CarrierClient
from app.common.exceptions import ConflictError, InvalidInputError, UpstreamUnavailableError
from app.models.order import Order, OrderStatus
from app.repos.order import OrderRepo
from app.schemas.order import OrderCancelCommand, OrderCreate, OrderGet, OrderLineCreate
from app.services.orders import OrderService
from tests.doubles import FakeCarrier

ONE_LINE = OrderCreate(
    customer_ref="cust-9",
    lines=[OrderLineCreate(sku="SKU-1", quantity=2, unit_price_cents=150)],
)


@pytest.fixture
def service(session: AsyncSession, carrier_client: CarrierClient) -> OrderService:
    # Built the way app/deps/orders.py builds it: one session shared by service and repo.
    return OrderService(session, OrderRepo(session), carrier_client)


async def orders_in_db(session: AsyncSession) -> int:
    return await session.scalar(select(func.count()).select_from(Order)) or 0


async def test_a_use_case_takes_a_schema_and_returns_a_model(
    service: OrderService, session: AsyncSession
) -> None:
    order = await service.create(ONE_LINE)

    assert isinstance(order, Order)
    assert not session.in_transaction()  # the method committed its own unit of work
    # Only the route turns the model into a response schema.
    body = OrderGet.model_validate(order)
    assert (body.status, body.total_cents, body.version) == (OrderStatus.DRAFT, 300, 1)


async def test_a_failed_use_case_writes_nothing(
    service: OrderService, session: AsyncSession
) -> None:
    line = OrderLineCreate(sku="SKU-1", quantity=1, unit_price_cents=1)
    with pytest.raises(InvalidInputError):
        await service.create(OrderCreate(customer_ref="cust-9", lines=[line, line]))

    assert await orders_in_db(session) == 0


async def test_commands_carry_the_input_of_a_transition(service: OrderService) -> None:
    order = await service.create(ONE_LINE)

    cancelled = await service.cancel(order.id, OrderCancelCommand(reason="  no longer needed "))

    assert cancelled.status is OrderStatus.CANCELLED
    assert cancelled.cancel_reason == "no longer needed"  # PlainText trimmed it


async def test_use_cases_do_not_nest(service: OrderService, session: AsyncSession) -> None:
    order = await service.create(ONE_LINE)

    # Calling a public service method inside someone else's transaction is refused:
    # compose use cases in the caller, one after the other, never inside each other.
    with pytest.raises(InvalidRequestError):
        async with session.begin():
            await service.place(order.id)


async def test_ship_refuses_early_and_survives_a_carrier_outage(
    service: OrderService, fake_carrier: FakeCarrier
) -> None:
    order_id = (await service.create(ONE_LINE)).id
    with pytest.raises(ConflictError):
        await service.ship(order_id)
    assert fake_carrier.requests == []  # checked in transaction one, before any remote call
    # That rollback expired every object the session held: carry ids between use
    # cases, not loaded objects, and let the next use case load what it needs.

    await service.place(order_id)
    fake_carrier.fail_next(503, 503, 503)
    with pytest.raises(UpstreamUnavailableError):
        await service.ship(order_id)
    assert (await service.get(order_id)).status is OrderStatus.PLACED

    shipped = await service.ship(order_id)  # same Idempotency-Key, so one booking
    assert shipped.tracking_number == fake_carrier.bookings[str(order_id)]
