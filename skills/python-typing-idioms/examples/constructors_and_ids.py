"""Typed constructors that return Self, and NewType ids.

`Order.draft` is the one way to start an Order: a classmethod that checks its
input and returns `Self`. The small `Window` dataclass below is an
illustration of the same shape outside SQLAlchemy, including why `Self` beats
naming the class: a subclass keeps its own type through every copy.
`OrderId` is a NewType: the type checker tells it apart from other UUIDs, at
run time it is the very same UUID object. `assert_type` lines are verified by
`ty check` and do nothing when the test runs.
"""

import dataclasses
import uuid
from typing import Self, assert_type

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.common.exceptions import InvalidInputError
from app.models.order import Order, OrderId, OrderStatus
from app.repos.order import OrderRepo


@dataclasses.dataclass(frozen=True, slots=True)
class Window:
    """Illustration: a paging window with a named constructor and a copy method."""

    limit: int
    offset: int = 0

    @classmethod
    def first_page(cls, limit: int) -> Self:
        if not 1 <= limit <= 100:
            raise InvalidInputError("limit must be between 1 and 100")
        return cls(limit=limit)

    def next_page(self) -> Self:
        return dataclasses.replace(self, offset=self.offset + self.limit)


@dataclasses.dataclass(frozen=True, slots=True)
class LabelledWindow(Window):
    label: str = "orders"


def describe(order_id: OrderId) -> str:
    """Accepts only an OrderId: passing a bare uuid.UUID here is a ty error."""
    return f"order {order_id}"


def test_draft_is_the_typed_way_to_start_an_order() -> None:
    order = Order.draft(customer_ref="cust-1")

    assert_type(order, Order)
    assert order.status is OrderStatus.DRAFT
    assert order.lines == []


def test_the_constructor_guards_its_input() -> None:
    with pytest.raises(InvalidInputError, match="blank"):
        Order.draft(customer_ref="  ")


def test_self_keeps_the_subclass_type_through_copies() -> None:
    window = LabelledWindow.first_page(20).next_page()

    assert_type(window, LabelledWindow)
    assert window == LabelledWindow(limit=20, offset=20, label="orders")
    with pytest.raises(InvalidInputError):
        Window.first_page(0)


def test_a_newtype_costs_nothing_at_run_time() -> None:
    raw = uuid.uuid4()
    order_id = OrderId(raw)

    assert_type(order_id, OrderId)
    assert order_id is raw
    assert describe(order_id) == f"order {raw}"


async def test_an_order_id_goes_wherever_a_uuid_is_expected(session: AsyncSession) -> None:
    repo = OrderRepo(session)
    async with session.begin():
        order = Order.draft(customer_ref="cust-1")
        order.add_line("SKU-1", quantity=1, unit_price_cents=100)
        repo.add(order)
        await repo.flush()

        # A NewType is a subtype of its base: OrderRepo.get takes uuid.UUID.
        loaded = await repo.get(OrderId(order.id))

    assert loaded is order
    assert describe(OrderId(loaded.id)).startswith("order ")
