"""The unit layer: an aggregate's rules checked in memory, with no database and no fixtures.

A rule that lives on the model is tested through the model's own methods. Each
order is brought into its starting state by the same calls production makes;
nothing sets `status` directly. These tests are plain sync functions that run
in microseconds, so the whole table of transitions is cheap to check. What the
unit layer cannot see (ids, versions, constraints, SQL) belongs one layer up.
"""

from collections.abc import Callable

import pytest

from app.common.exceptions import ConflictError
from app.models.order import Order, OrderStatus


def order_in(status: OrderStatus) -> Order:
    """An order in `status`, reached only through the aggregate's methods."""
    order = Order.draft(customer_ref="cust-1")
    order.add_line("SKU-1", quantity=1, unit_price_cents=100)
    if status is OrderStatus.CANCELLED:
        order.cancel("changed my mind")
    elif status in (OrderStatus.PLACED, OrderStatus.SHIPPED):
        order.place()
        if status is OrderStatus.SHIPPED:
            order.ship("TRK-1")
    return order


ACTIONS: dict[str, Callable[[Order], None]] = {
    "place": lambda order: order.place(),
    "cancel": lambda order: order.cancel("a reason"),
    "ship": lambda order: order.ship("TRK-2"),
}

ALLOWED = {
    (OrderStatus.DRAFT, "place"): OrderStatus.PLACED,
    (OrderStatus.DRAFT, "cancel"): OrderStatus.CANCELLED,
    (OrderStatus.PLACED, "cancel"): OrderStatus.CANCELLED,
    (OrderStatus.PLACED, "ship"): OrderStatus.SHIPPED,
}


@pytest.mark.parametrize("start", list(OrderStatus))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_transition_is_allowed_or_refused(start: OrderStatus, action: str) -> None:
    order = order_in(start)
    expected = ALLOWED.get((start, action))

    if expected is None:
        with pytest.raises(ConflictError, match=f"cannot {action}"):
            ACTIONS[action](order)
        assert order.status is start  # a refused transition changes nothing
    else:
        ACTIONS[action](order)
        assert order.status is expected


def test_database_values_are_not_there_yet() -> None:
    # Defaults such as the id and the version are filled in on flush. A test
    # about them needs the `session` fixture, not this layer.
    order = order_in(OrderStatus.DRAFT)
    assert order.id is None
    assert order.version is None
