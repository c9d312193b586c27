"""The Order aggregate keeps its own rules: no database, no session, just the model.

Shows that every change goes through a method of the root (`Order.draft`,
`add_line`, `place`, `cancel`, `ship`), that a refused change leaves the
aggregate exactly as it was, and that the errors are typed application errors
whose HTTP status is fixed by the error class, not by the caller.
"""

import pytest

from app.common.exceptions import AppException, ConflictError, InvalidInputError
from app.models.order import MAX_LINES, Order, OrderStatus


def draft_with_one_line() -> Order:
    order = Order.draft(customer_ref="cust-7")
    order.add_line("SKU-1", quantity=3, unit_price_cents=200)
    return order


def test_the_factory_starts_a_valid_draft() -> None:
    order = Order.draft(customer_ref="cust-7")

    assert order.status is OrderStatus.DRAFT
    assert order.lines == []
    assert order.total_cents == 0


def test_children_are_created_by_the_root() -> None:
    order = draft_with_one_line()
    line = order.add_line("SKU-2", quantity=1, unit_price_cents=50)

    # The root builds the child and links it; callers never construct OrderLine themselves.
    assert line in order.lines
    assert line.order is order
    assert order.total_cents == 3 * 200 + 50


@pytest.mark.parametrize(
    ("sku", "quantity", "price"),
    [("SKU-1", 1, 10), ("SKU-9", 0, 10), ("SKU-9", 1, -1)],
)
def test_a_refused_line_changes_nothing(sku: str, quantity: int, price: int) -> None:
    order = draft_with_one_line()

    with pytest.raises(InvalidInputError):
        order.add_line(sku, quantity=quantity, unit_price_cents=price)

    assert [(line.sku, line.quantity) for line in order.lines] == [("SKU-1", 3)]


def test_the_line_limit_is_an_invariant_of_the_root() -> None:
    order = Order.draft(customer_ref="cust-7")
    for n in range(MAX_LINES):
        order.add_line(f"SKU-{n}", quantity=1, unit_price_cents=1)

    with pytest.raises(InvalidInputError):
        order.add_line("SKU-EXTRA", quantity=1, unit_price_cents=1)
    assert len(order.lines) == MAX_LINES


def test_transitions_are_guarded_by_the_current_status() -> None:
    order = draft_with_one_line()
    order.place()

    with pytest.raises(ConflictError, match="cannot add a line to an order that is placed"):
        order.add_line("SKU-2", quantity=1, unit_price_cents=1)
    with pytest.raises(ConflictError, match="cannot place an order that is placed"):
        order.place()

    order.ship("TRK-1")
    with pytest.raises(ConflictError, match="cannot cancel an order that is shipped"):
        order.cancel("too late")
    assert (order.status, order.tracking_number, order.cancel_reason) == (
        OrderStatus.SHIPPED,
        "TRK-1",
        None,
    )


def test_the_precondition_check_can_run_before_a_side_effect() -> None:
    # ensure_can_ship lets a service refuse early, before it talks to the carrier.
    order = draft_with_one_line()
    with pytest.raises(ConflictError):
        order.ensure_can_ship()
    assert order.status is OrderStatus.DRAFT


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [(ConflictError, 409, "conflict"), (InvalidInputError, 422, "invalid_input")],
)
def test_error_classes_carry_their_http_meaning(
    error: type[AppException], status: int, code: str
) -> None:
    # The model raises; app/api/errors.py renders. The model never imports FastAPI.
    assert (error.status_code, error.code) == (status, code)
