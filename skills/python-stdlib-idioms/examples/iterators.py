"""Generators and itertools on real Order aggregates, without a database.

Shows: a generator pipeline that only does the work that is consumed;
`batched` for fixed-size chunks, always with an explicit `strict` (ruff's
B911 asks for it; `strict=True` when a short last chunk is a bug);
`groupby`, which only groups neighbours, so it needs sorted input;
`pairwise` for consecutive steps; `chain.from_iterable` to flatten the lines
of many orders.
"""

from collections.abc import Iterable, Iterator
from itertools import batched, chain, groupby, islice, pairwise

import pytest

from app.models.order import Order, OrderLine, OrderStatus


def make_order(customer_ref: str, *skus: str) -> Order:
    order = Order.draft(customer_ref=customer_ref)
    for sku in skus:
        order.add_line(sku, quantity=2, unit_price_cents=100)
    return order


def priced_lines(orders: Iterable[Order], seen: list[str]) -> Iterator[OrderLine]:
    """A lazy stage: records each line it produces, so the test can see the laziness."""
    for line in chain.from_iterable(order.lines for order in orders):
        seen.append(line.sku)
        yield line


def test_a_generator_does_only_the_work_that_is_consumed() -> None:
    orders = [make_order("a", "A-1", "A-2"), make_order("b", "B-1")]
    seen: list[str] = []

    first_two = list(islice(priced_lines(orders, seen), 2))

    assert [line.sku for line in first_two] == ["A-1", "A-2"]
    assert seen == ["A-1", "A-2"]


def test_batched_cuts_fixed_size_chunks() -> None:
    skus = [f"SKU-{n}" for n in range(7)]

    chunks = list(batched(skus, 3, strict=False))

    assert [len(chunk) for chunk in chunks] == [3, 3, 1]
    with pytest.raises(ValueError, match="incomplete batch"):
        list(batched(skus, 3, strict=True))


def test_groupby_only_groups_neighbours() -> None:
    skus = ["TEE-1", "CAP-1", "TEE-2", "CAP-2"]

    def family(sku: str) -> str:
        return sku.split("-")[0]

    unsorted = [key for key, _ in groupby(skus, key=family)]
    grouped = {key: list(group) for key, group in groupby(sorted(skus, key=family), key=family)}

    assert unsorted == ["TEE", "CAP", "TEE", "CAP"]
    assert grouped == {"CAP": ["CAP-1", "CAP-2"], "TEE": ["TEE-1", "TEE-2"]}


def test_pairwise_checks_consecutive_steps() -> None:
    allowed = {
        (OrderStatus.DRAFT, OrderStatus.PLACED),
        (OrderStatus.PLACED, OrderStatus.SHIPPED),
        (OrderStatus.DRAFT, OrderStatus.CANCELLED),
        (OrderStatus.PLACED, OrderStatus.CANCELLED),
    }
    order = make_order("a", "A-1")
    history = [order.status]
    order.place()
    history.append(order.status)
    order.ship("TRK-1")
    history.append(order.status)

    assert all(step in allowed for step in pairwise(history))
    assert list(pairwise(history))[-1] == (OrderStatus.PLACED, OrderStatus.SHIPPED)


def test_chain_flattens_the_lines_of_many_orders() -> None:
    orders = [make_order("a", "A-1", "A-2"), make_order("b", "B-1")]

    all_lines = list(chain.from_iterable(order.lines for order in orders))

    assert [line.sku for line in all_lines] == ["A-1", "A-2", "B-1"]
    assert sum(line.subtotal_cents for line in all_lines) == sum(o.total_cents for o in orders)
