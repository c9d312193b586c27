"""Sketch of a second aggregate that follows the same pattern as Order.

Illustration only: `Refund` lives on a private declarative base so it never
joins `app.db.base.Base.metadata` (that would make the project's migration test
see a table without a migration). In real code the model goes in
`app/models/refund.py`, subclasses `app.db.base.Base`, is imported in
`app/models/__init__.py`, and gets a migration from `alembic revision --autogenerate`.

What it shows: a typed factory, a guarded transition, a `version` column for
optimistic locking, and a reference to another aggregate by id only (no
relationship to Order, so loading a refund never drags an order along).
"""

import uuid
from enum import StrEnum
from typing import Self

import pytest
from sqlalchemy import ForeignKey, MetaData, String
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.common.exceptions import ConflictError, InvalidInputError, NotFoundError
from app.db.base import NAMING_CONVENTION
from app.models.order import Order
from app.repos.order import OrderRepo


class SketchBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class RefundStatus(StrEnum):
    REQUESTED = "requested"
    PAID = "paid"


class Refund(SketchBase):
    __tablename__ = "sketch_refunds"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    # Another aggregate is referenced by its id: a foreign key, but no relationship().
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(Order.id), index=True)
    amount_cents: Mapped[int]
    status: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    @classmethod
    def request(cls, order_id: uuid.UUID, amount_cents: int) -> Self:
        if amount_cents <= 0:
            raise InvalidInputError("a refund must be for a positive amount")
        return cls(order_id=order_id, amount_cents=amount_cents, status=RefundStatus.REQUESTED)

    def mark_paid(self) -> None:
        if self.status != RefundStatus.REQUESTED:
            raise ConflictError(f"cannot pay a refund that is {self.status}")
        self.status = RefundStatus.PAID


class RefundRepo:
    """Same shape as OrderRepo: add, get, flush. No commit, no begin."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, refund: Refund) -> None:
        self._session.add(refund)

    async def get(self, refund_id: uuid.UUID) -> Refund:
        refund = await self._session.get(Refund, refund_id, populate_existing=True)
        if refund is None:
            raise NotFoundError(f"refund {refund_id} was not found")
        return refund

    async def flush(self) -> None:
        await self._session.flush()


@pytest.fixture
async def refunds(session: AsyncSession) -> RefundRepo:
    # DDL is transactional in PostgreSQL: the table vanishes with the test's rollback.
    await session.run_sync(lambda s: SketchBase.metadata.create_all(s.connection()))
    return RefundRepo(session)


async def test_a_refund_points_at_its_order_by_id(
    session: AsyncSession, refunds: RefundRepo
) -> None:
    order = Order.draft(customer_ref="cust-7")
    orders = OrderRepo(session)
    orders.add(order)
    await orders.flush()  # the order gets its id here
    refund = Refund.request(order.id, amount_cents=500)
    refunds.add(refund)
    await refunds.flush()
    session.expunge_all()

    loaded = await refunds.get(refund.id)
    loaded.mark_paid()
    await refunds.flush()

    assert (loaded.order_id, loaded.status, loaded.version) == (order.id, "paid", 2)
    with pytest.raises(ConflictError):
        loaded.mark_paid()


def test_the_factory_guards_its_input() -> None:
    with pytest.raises(InvalidInputError):
        Refund.request(uuid.uuid4(), amount_cents=0)
