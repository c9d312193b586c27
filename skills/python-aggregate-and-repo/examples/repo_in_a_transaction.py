"""OrderRepo on real PostgreSQL: it adds, loads and flushes, and the caller owns the transaction.

Each test runs in the project's rolled-back `session`. The tests show that a
flush sends SQL without committing (another connection sees nothing), that
lines arrive with their order (selectin loading, so no lazy load in async code),
that a missing row is a NotFoundError, and that a write based on a stale read
becomes a ConflictError thanks to the `version` column.
"""

import uuid

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.common.exceptions import ConflictError, NotFoundError
from app.models.order import Order, OrderLine
from app.repos.order import OrderRepo


async def stored_draft(session: AsyncSession) -> Order:
    order = Order.draft(customer_ref="cust-7")
    order.add_line("SKU-1", quantity=2, unit_price_cents=100)
    order.add_line("SKU-2", quantity=1, unit_price_cents=500)
    repo = OrderRepo(session)
    repo.add(order)
    await repo.flush()
    return order


async def test_flush_writes_inside_the_callers_transaction(
    session: AsyncSession, engine: AsyncEngine
) -> None:
    order = await stored_draft(session)

    # The row exists for this session ...
    assert await session.scalar(select(func.count()).select_from(Order)) == 1
    assert session.in_transaction()
    # ... but nothing was committed: a separate connection cannot see it.
    async with engine.connect() as other:
        seen = await other.scalar(select(func.count()).where(Order.id == order.id))
    assert seen == 0


async def test_get_loads_the_whole_aggregate(session: AsyncSession) -> None:
    order = await stored_draft(session)
    session.expunge_all()  # forget the objects, so the next read really hits the database

    loaded = await OrderRepo(session).get(order.id)

    # `lines` is already loaded (lazy="selectin"); touching it does no hidden I/O.
    assert [line.sku for line in loaded.lines] == ["SKU-1", "SKU-2"]
    assert loaded.total_cents == 700
    assert loaded.version == 1


async def test_a_missing_order_is_a_typed_error(session: AsyncSession) -> None:
    with pytest.raises(NotFoundError):
        await OrderRepo(session).get(uuid.uuid4())


async def test_every_flushed_change_bumps_the_version(session: AsyncSession) -> None:
    order = await stored_draft(session)
    order.place()
    await OrderRepo(session).flush()
    assert order.version == 2


async def test_a_stale_write_becomes_a_conflict(session: AsyncSession) -> None:
    order = await stored_draft(session)
    # A concurrent writer moves the row to version 2 behind this session's back.
    await session.execute(text("UPDATE orders SET version = 2 WHERE id = :id"), {"id": order.id})

    order.place()
    with pytest.raises(ConflictError, match="reload and retry"):
        await OrderRepo(session).flush()


async def test_lines_live_and_die_with_their_order(session: AsyncSession) -> None:
    order = await stored_draft(session)

    await session.delete(order)
    await session.flush()

    assert await session.scalar(select(func.count()).select_from(OrderLine)) == 0
