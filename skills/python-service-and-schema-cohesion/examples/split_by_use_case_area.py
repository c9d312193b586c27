"""Growing a new use case without growing OrderService into a god class.

Illustration: "reorder" (copy a past order's lines into a new draft) belongs
to a customer-facing area, so it gets its own small service instead of a new
method on OrderService. In real code it would live in `app/services/reorders.py`
with a provider in `app/deps/`. It follows the same rules:

- few constructor dependencies (a session and the repository it needs);
- one public method = one use case = one `session.begin()`;
- it reuses the repository and the aggregate's own methods, never another
  service's public method (those open their own transaction and cannot nest);
- it takes a command schema and returns the model.
"""

import inspect
import uuid

import pytest
from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.clients.carrier import CarrierClient
from app.common.exceptions import NotFoundError
from app.models.order import Order, OrderStatus
from app.repos.order import OrderRepo
from app.schemas.common import PlainText
from app.schemas.order import OrderCreate, OrderLineCreate
from app.services.orders import OrderService


class ReorderCommand(BaseModel):
    """Would live in app/schemas/order.py next to OrderCancelCommand."""

    model_config = ConfigDict(extra="forbid")

    source_order_id: uuid.UUID
    customer_ref: PlainText


class ReorderService:
    def __init__(self, session: AsyncSession, orders: OrderRepo) -> None:
        self._session = session
        self._orders = orders

    async def reorder(self, command: ReorderCommand) -> Order:
        async with self._session.begin():
            source = await self._orders.get(command.source_order_id)
            order = Order.draft(customer_ref=command.customer_ref)
            for line in source.lines:
                order.add_line(line.sku, line.quantity, line.unit_price_cents)
            self._orders.add(order)
            await self._orders.flush()
        return order


@pytest.fixture
def reorders(session: AsyncSession) -> ReorderService:
    return ReorderService(session, OrderRepo(session))


async def shipped_order(session: AsyncSession, carrier: CarrierClient) -> Order:
    # Set-up through the real use cases, called one after another, never nested.
    orders = OrderService(session, OrderRepo(session), carrier)
    line = OrderLineCreate(sku="SKU-1", quantity=2, unit_price_cents=400)
    order = await orders.create(OrderCreate(customer_ref="cust-1", lines=[line]))
    await orders.place(order.id)
    return await orders.ship(order.id)


async def test_reorder_copies_lines_into_a_new_draft(
    session: AsyncSession, carrier_client: CarrierClient, reorders: ReorderService
) -> None:
    source = await shipped_order(session, carrier_client)

    copy = await reorders.reorder(ReorderCommand(source_order_id=source.id, customer_ref="cust-2"))

    assert copy.id != source.id
    assert (copy.status, copy.customer_ref, copy.total_cents) == (
        OrderStatus.DRAFT,
        "cust-2",
        800,
    )
    assert source.status is OrderStatus.SHIPPED  # the source aggregate was only read
    assert not session.in_transaction()


async def test_a_failed_reorder_writes_nothing(
    session: AsyncSession, reorders: ReorderService
) -> None:
    with pytest.raises(NotFoundError):
        await reorders.reorder(ReorderCommand(source_order_id=uuid.uuid4(), customer_ref="c"))

    assert await session.scalar(select(func.count()).select_from(Order)) == 0


def test_the_split_service_stays_small() -> None:
    # A rough review guard: one area, few dependencies, few public use cases.
    public = [name for name in vars(ReorderService) if not name.startswith("_")]
    dependencies = list(inspect.signature(ReorderService).parameters)
    assert public == ["reorder"]
    assert dependencies == ["session", "orders"]
