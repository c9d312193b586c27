"""Money as a frozen value object: integer cents plus a currency, equal by value.

`Money` is an illustration (the generated Order stores plain `*_cents` ints).
It shows the parts every value object here has: a stdlib frozen, slotted
dataclass; validation in `__post_init__` raising the project's typed
`InvalidInputError`; operations that return new instances; and equality and
hashing by value. The last test builds it from a real `Order` and checks that
it agrees with `Order.total_cents`.
"""

import dataclasses
from typing import Self

import pytest

from app.common.exceptions import InvalidInputError
from app.models.order import Order


@dataclasses.dataclass(frozen=True, slots=True)
class Money:
    cents: int
    currency: str = "EUR"

    def __post_init__(self) -> None:
        if self.cents < 0:
            raise InvalidInputError("an amount of money must not be negative")
        if len(self.currency) != 3 or not self.currency.isalpha() or not self.currency.isupper():
            raise InvalidInputError(f"{self.currency!r} is not a currency code")

    @classmethod
    def zero(cls, currency: str = "EUR") -> Self:
        return cls(0, currency)

    def __add__(self, other: Self) -> Self:
        if other.currency != self.currency:
            raise InvalidInputError(f"cannot add {other.currency} to {self.currency}")
        return dataclasses.replace(self, cents=self.cents + other.cents)

    def times(self, quantity: int) -> Self:
        return dataclasses.replace(self, cents=self.cents * quantity)


def test_equal_by_value_and_usable_as_a_key() -> None:
    a, b = Money(1250), Money(1250, "EUR")

    assert a == b
    assert a is not b
    assert len({a, b, Money(1250, "USD")}) == 2
    assert {a: "price"}[b] == "price"


def test_it_cannot_be_changed_in_place() -> None:
    price = Money(100)
    with pytest.raises(dataclasses.FrozenInstanceError):
        price.cents = 0  # ty: ignore[invalid-assignment]
    assert price + Money(50) == Money(150)
    assert price == Money(100)


@pytest.mark.parametrize(
    ("cents", "currency", "message"),
    [(-1, "EUR", "negative"), (100, "euro", "currency"), (100, "E1R", "currency")],
)
def test_an_invalid_value_cannot_exist(cents: int, currency: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        Money(cents, currency)


def test_every_copy_is_validated_too() -> None:
    with pytest.raises(InvalidInputError, match="negative"):
        dataclasses.replace(Money(100), cents=-100)


def test_currencies_do_not_mix() -> None:
    with pytest.raises(InvalidInputError, match="cannot add USD to EUR"):
        Money(100, "EUR") + Money(100, "USD")


def test_integer_cents_add_up_where_floats_drift() -> None:
    assert 0.1 + 0.2 != 0.3
    assert Money(10) + Money(20) == Money(30)


def test_built_from_an_order_it_agrees_with_the_model() -> None:
    order = Order.draft(customer_ref="cust-1")
    order.add_line("SKU-1", quantity=3, unit_price_cents=199)
    order.add_line("SKU-2", quantity=1, unit_price_cents=1000)

    total = sum(
        (Money(line.unit_price_cents).times(line.quantity) for line in order.lines),
        Money.zero(),
    )

    assert total == Money(order.total_cents) == Money(1597)
