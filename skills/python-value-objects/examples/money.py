from dataclasses import dataclass, replace
from typing import Self

import pytest

from app.common.exceptions import InvalidInputError


@dataclass(frozen=True, slots=True)
class Money:
    minor: int  # cents or pence: an exact integer, never a float
    currency: str  # ISO 4217 code, such as "EUR"

    def __post_init__(self) -> None:
        if self.minor < 0 or len(self.currency) != 3 or not self.currency.isupper():
            raise InvalidInputError(f"not an amount of money: {self.minor} {self.currency!r}")

    def __add__(self, other: Self) -> Self:
        if other.currency != self.currency:
            raise InvalidInputError(f"cannot add {other.currency} to {self.currency}")
        return replace(self, minor=self.minor + other.minor)


def test_money_is_a_value_that_keeps_its_rules() -> None:
    fee = Money(1250, "EUR") + Money(250, "EUR")
    assert {fee, Money(1500, "EUR")} == {Money(1500, "EUR")}  # equal by content, hashable
    with pytest.raises(InvalidInputError):
        replace(fee, minor=-1)  # every copy is checked, not only the first
    with pytest.raises(InvalidInputError, match="GBP"):
        fee + Money(100, "GBP")
