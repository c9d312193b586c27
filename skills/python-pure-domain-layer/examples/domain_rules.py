"""The pure Order rules tested as plain Python: no database, no session, no fixtures.

Shows the payoff of the tier: the whole status-by-action table is checked
exhaustively in microseconds, lines are self-validating value objects, domain
errors are the application's own typed errors, and `app/domain/` imports
nothing but the standard library and `app.common`.
"""

import ast
import dataclasses
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

import app.domain
from app.common.exceptions import AppException, ConflictError, InvalidInputError
from app.domain.order import Order, OrderLine, OrderStatus

ACTIONS: dict[str, Callable[[Order], object]] = {
    "add_line": lambda order: order.add_line("SKU-NEW", 1, 100),
    "place": lambda order: order.place(),
    "cancel": lambda order: order.cancel("no longer needed"),
    "ship": lambda order: order.ship("TRK-1"),
}

# The transition table the rules must implement: which action is allowed in which status.
ALLOWED = {
    OrderStatus.DRAFT: {"add_line", "place", "cancel"},
    OrderStatus.PLACED: {"cancel", "ship"},
    OrderStatus.SHIPPED: set(),
    OrderStatus.CANCELLED: set(),
}


def order_in(status: OrderStatus) -> Order:
    # Any state is one constructor call away (as `to_domain` rebuilds stored orders):
    # no rows to insert, no flush, no transaction to roll back.
    return Order(uuid.uuid4(), "cust-1", status=status, lines=[OrderLine("SKU-1", 2, 250)])


@pytest.mark.parametrize("status", list(OrderStatus))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_status_and_action(status: OrderStatus, action: str) -> None:
    order = order_in(status)
    before = dataclasses.replace(order, lines=list(order.lines))

    if action in ALLOWED[status]:
        ACTIONS[action](order)
        assert order != before
    else:
        with pytest.raises(ConflictError, match=f"that is {status}"):
            ACTIONS[action](order)
        assert order == before  # a refused change leaves no trace


def test_rules_never_touch_the_version() -> None:
    order = Order.draft("cust-1")
    order.add_line("SKU-1", 1, 100)
    order.place()
    order.ship("TRK-1")
    # The store bumps the version on every write; the rules only carry it.
    assert order.version == 0


def test_a_line_is_a_value_that_checks_itself() -> None:
    line = OrderLine("SKU-1", 2, 250)

    assert line == OrderLine("SKU-1", 2, 250)
    assert {line, OrderLine("SKU-1", 2, 250)} == {line}  # hashable, equal by value
    assert line.subtotal_cents == 500
    with pytest.raises(InvalidInputError, match="unit_price_cents"):
        dataclasses.replace(line, unit_price_cents=-1)  # every copy is validated too


def test_domain_errors_are_the_application_errors() -> None:
    with pytest.raises(AppException) as blank:
        Order.draft("   ")
    with pytest.raises(AppException) as empty:
        Order.draft("cust-1").place()

    # The API's single error handler already knows these: 422 and 409.
    assert (blank.value.status_code, blank.value.code) == (422, "invalid_input")
    assert (empty.value.status_code, empty.value.code) == (409, "conflict")


def test_slots_mean_no_stray_attributes() -> None:
    assert not hasattr(Order.draft("cust-1"), "__dict__")
    assert not hasattr(OrderLine("SKU-1", 1, 1), "__dict__")


def imported_modules(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_domain_imports_only_the_stdlib_and_app_common() -> None:
    folder = Path(app.domain.__file__).parent
    imports = set().union(*(imported_modules(p.read_text()) for p in folder.rglob("*.py")))

    outside = {
        name
        for name in imports
        if name.split(".")[0] not in sys.stdlib_module_names
        and not name.startswith(("app.common", "app.domain"))
    }
    assert outside == set()
