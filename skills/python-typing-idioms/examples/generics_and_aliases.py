"""PEP 695 generics, `type` aliases and Annotated constraints.

`Page[T]` is an illustration of what `OrderPage` becomes once a second
resource is listed: one generic response shape, specialised per item type.
`first` and `index_by` are small generic functions in the 3.12+ syntax; no
TypeVar is declared anywhere. `type` names static-only aliases, while
Annotated aliases read by Pydantic or FastAPI (`Sku` in the schemas) stay
plain assignments, as the project spells them.
"""

from collections.abc import Callable, Iterable
from typing import Annotated, assert_type

import pytest
from pydantic import BaseModel, Field, TypeAdapter, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.order import Order, OrderStatus
from app.repos.order import OrderRepo
from app.schemas.order import OrderGet, Sku

type Predicate[T] = Callable[[T], bool]
type StatusCounts = dict[OrderStatus, int]

# A reusable constraint, read by Pydantic at run time: a plain assignment.
Quantity = Annotated[int, Field(gt=0, le=10_000)]


class Page[T](BaseModel):
    items: list[T]
    limit: int
    offset: int


def first[T](items: Iterable[T], matches: Predicate[T]) -> T | None:
    return next((item for item in items if matches(item)), None)


def index_by[K, V](items: Iterable[V], key: Callable[[V], K]) -> dict[K, V]:
    return {key(item): item for item in items}


def count_statuses(orders: Iterable[Order]) -> StatusCounts:
    counts: StatusCounts = dict.fromkeys(OrderStatus, 0)
    for order in orders:
        counts[order.status] += 1
    return counts


def draft_with_line(customer_ref: str, sku: str) -> Order:
    order = Order.draft(customer_ref=customer_ref)
    order.add_line(sku, quantity=1, unit_price_cents=500)
    return order


def test_generic_functions_keep_the_item_type() -> None:
    orders = [draft_with_line("alice", "SKU-1"), draft_with_line("bob", "SKU-2")]
    orders[1].place()

    placed = first(orders, lambda order: order.status is OrderStatus.PLACED)
    by_customer = index_by(orders, key=lambda order: order.customer_ref)

    assert_type(placed, Order | None)
    assert_type(by_customer, dict[str, Order])
    assert placed is orders[1]
    assert by_customer["alice"] is orders[0]
    assert count_statuses(orders)[OrderStatus.DRAFT] == 1


async def test_a_generic_page_wraps_any_response_schema(session: AsyncSession) -> None:
    repo = OrderRepo(session)
    async with session.begin():
        for customer in ("alice", "bob"):
            repo.add(draft_with_line(customer, "SKU-1"))
        await repo.flush()
        orders = await repo.find(limit=10)

    page = Page[OrderGet](
        items=[OrderGet.model_validate(order) for order in orders], limit=10, offset=0
    )

    assert_type(page.items, list[OrderGet])
    assert {item.customer_ref for item in page.items} == {"alice", "bob"}
    assert page.model_dump(mode="json")["items"][0]["total_cents"] == 500


def test_annotated_aliases_carry_their_constraints() -> None:
    assert TypeAdapter(Sku).validate_python("SKU-9") == "SKU-9"
    assert TypeAdapter(Quantity).validate_python(3) == 3
    with pytest.raises(ValidationError):
        TypeAdapter(Sku).validate_python("lower case")
    with pytest.raises(ValidationError):
        TypeAdapter(Quantity).validate_python(0)
