"""A validated Sku value object next to a NewType id, and where each one fits.

`Sku` (an illustration) checks its format once, in `__post_init__`, and has a
lenient named constructor `parse` that normalises what a person typed. Its
rule is the same one the HTTP schema enforces (`app.schemas.order.Sku`), so
the value object and the wire format agree. `OrderId` (from the model) is a
NewType: no check and no wrapper at run time, only a distinct name for the
type checker. Use it for ids; use a dataclass when the value has rules.
"""

import dataclasses
import re
import uuid
from collections import Counter
from typing import Self

import pytest
from pydantic import TypeAdapter
from sqlalchemy.ext.asyncio import AsyncSession

from app.common.exceptions import InvalidInputError
from app.models.order import Order, OrderId
from app.repos.order import OrderRepo
from app.schemas.order import Sku as WireSku

_SKU = re.compile(r"[A-Z0-9][A-Z0-9-]{0,31}")


@dataclasses.dataclass(frozen=True, slots=True)
class Sku:
    code: str

    def __post_init__(self) -> None:
        if not _SKU.fullmatch(self.code):
            raise InvalidInputError(f"{self.code!r} is not a valid SKU")

    @classmethod
    def parse(cls, text: str) -> Self:
        """Lenient entry point: trims and upper-cases, then the strict check runs."""
        return cls(text.strip().upper())

    def __str__(self) -> str:
        return self.code


def test_parse_normalises_and_the_constructor_stays_strict() -> None:
    assert Sku.parse("  sku-7 ") == Sku("SKU-7")
    with pytest.raises(InvalidInputError, match="not a valid SKU"):
        Sku("sku-7")
    with pytest.raises(InvalidInputError):
        Sku.parse("SKU 7")


def test_values_count_and_group_by_equality() -> None:
    scanned = [Sku.parse(code) for code in ("a-1", "A-1", " a-1", "B-2")]

    assert Counter(scanned) == {Sku("A-1"): 3, Sku("B-2"): 1}


def test_the_value_object_and_the_schema_agree() -> None:
    sku = Sku.parse("tee-blk-m")
    assert TypeAdapter(WireSku).validate_python(str(sku)) == "TEE-BLK-M"


def test_the_model_takes_the_primitive_at_its_edge() -> None:
    order = Order.draft(customer_ref="cust-1")
    line = order.add_line(str(Sku.parse("tee-1")), quantity=2, unit_price_cents=900)

    assert Sku(line.sku) == Sku("TEE-1")


def test_a_newtype_id_is_the_plain_value_at_run_time() -> None:
    raw = uuid.uuid4()
    order_id = OrderId(raw)

    assert order_id is raw
    assert type(order_id) is uuid.UUID
    # No validation happens: the id is only as good as where it came from.


async def test_ids_from_the_database_can_be_named_at_the_boundary(
    session: AsyncSession,
) -> None:
    repo = OrderRepo(session)
    async with session.begin():
        order = Order.draft(customer_ref="cust-1")
        order.add_line("SKU-1", quantity=1, unit_price_cents=100)
        repo.add(order)
        await repo.flush()
        order_id = OrderId(order.id)
        assert await repo.get(order_id) is order
