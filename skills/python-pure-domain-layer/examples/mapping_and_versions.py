"""The mapping on the persistence model, and the version that travels with it.

`Order.to_domain` hands out a detached plain copy, `Order.apply` copies a
changed copy back only if it was computed from the version the row still has,
and the `version` column guards the UPDATE itself (`OrderRepo.flush` turns the
lost race into a `ConflictError`). Runs on real PostgreSQL in a rolled-back
transaction.
"""

import uuid

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.common.exceptions import ConflictError, InvalidInputError
from app.domain import order as domain
from app.models.order import Order, OrderStatus
from app.repos.order import OrderRepo


async def stored(session: AsyncSession) -> Order:
    record = Order.draft(customer_ref="cust-9")
    record.add_line("SKU-1", quantity=1, unit_price_cents=400)
    repo = OrderRepo(session)
    repo.add(record)
    await repo.flush()
    assert record.version == 1
    return record


async def test_to_domain_is_a_detached_plain_copy(session: AsyncSession) -> None:
    record = await stored(session)

    rules = record.to_domain()
    rules.place()

    assert inspect(rules, raiseerr=False) is None  # no SQLAlchemy state at all
    assert rules.lines == [domain.OrderLine("SKU-1", 1, 400)]  # lines come back as values
    assert record.status is OrderStatus.DRAFT  # the row has not changed...
    assert record not in session.dirty  # ...and nothing is queued for the next flush


async def test_several_rules_then_one_apply_one_version_step(session: AsyncSession) -> None:
    record = await stored(session)

    rules = record.to_domain()
    rules.add_line("SKU-2", 3, 100)
    with pytest.raises(InvalidInputError):
        rules.add_line("SKU-2", 1, 100)  # refused in memory; the row never saw it
    rules.place()
    record.apply(rules)
    await OrderRepo(session).flush()

    assert (record.status, record.total_cents, record.version) == (OrderStatus.PLACED, 700, 2)
    assert sorted(line.sku for line in record.lines) == ["SKU-1", "SKU-2"]


async def test_model_methods_delegate_and_a_refusal_changes_nothing(
    session: AsyncSession,
) -> None:
    record = await stored(session)

    # Services call the model as before; `_change` maps, runs the rule, applies.
    with pytest.raises(ConflictError, match="cannot ship an order that is draft"):
        record.ship("TRK-1")
    assert (record.status, record.tracking_number) == (OrderStatus.DRAFT, None)
    assert record not in session.dirty

    record.place()
    assert record.status is OrderStatus.PLACED


async def test_apply_refuses_a_stale_copy_instead_of_merging_it(session: AsyncSession) -> None:
    record = await stored(session)
    stale = record.to_domain()  # read at version 1
    record.cancel("customer called")  # another change wins: version 1 -> 2
    await OrderRepo(session).flush()

    stale.place()  # valid against what it saw, wrong against what is stored
    with pytest.raises(ConflictError, match="changed since it was read"):
        record.apply(stale)

    fresh = record.to_domain()  # the only fix: reload, rerun the rule
    with pytest.raises(ConflictError, match="cannot place an order that is cancelled"):
        fresh.place()


async def test_apply_refuses_another_orders_copy(session: AsyncSession) -> None:
    record = await stored(session)
    other = domain.Order.draft("cust-9", order_id=uuid.uuid4())
    other.version = record.version

    with pytest.raises(ConflictError):
        record.apply(other)


async def test_the_version_column_guards_the_update(session: AsyncSession) -> None:
    record = await stored(session)
    # Another transaction commits first (simulated with SQL the ORM does not see).
    await session.execute(
        text("UPDATE orders SET version = version + 1 WHERE id = :id"), {"id": record.id}
    )

    record.place()  # apply passes: the in-memory row still says version 1
    with pytest.raises(ConflictError, match="changed by another request"):
        await OrderRepo(session).flush()  # UPDATE ... WHERE version = 1 matches no row
