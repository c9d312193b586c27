"""A value object crossing the persistence boundary as plain columns.

`composite()` maps a frozen dataclass onto two ordinary columns of one row:
no JSON blob, no table of its own, no Pydantic. The `PriceListEntry` table is
an illustration on its own metadata, created as a TEMPORARY table inside the
test's rolled-back transaction, so the project's Base and migrations never
see it. The other way, used by the generated Order, keeps primitive columns
and derives values from them (`OrderLine.subtotal_cents`).
"""

import dataclasses

from sqlalchemy import CheckConstraint, String, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, composite, mapped_column

from app.common.exceptions import InvalidInputError
from app.models.order import Order, OrderLine


@dataclasses.dataclass(frozen=True, slots=True)
class Money:
    cents: int
    currency: str

    def __post_init__(self) -> None:
        if self.cents < 0:
            raise InvalidInputError("an amount of money must not be negative")


class ExampleBase(DeclarativeBase):
    pass


class PriceListEntry(ExampleBase):
    __tablename__ = "example_price_list"
    __table_args__ = (
        CheckConstraint("price_cents >= 0", name="price_not_negative"),
        {"prefixes": ["TEMPORARY"]},
    )

    sku: Mapped[str] = mapped_column(String(32), primary_key=True)
    price: Mapped[Money] = composite(
        mapped_column("price_cents"), mapped_column("price_currency", String(3))
    )


def unit_price(line: OrderLine) -> Money:
    """The plain-column way: the model keeps an int, a helper or property builds the value."""
    return Money(line.unit_price_cents, "EUR")


async def create_example_table(session: AsyncSession) -> None:
    await session.run_sync(lambda sync: ExampleBase.metadata.create_all(sync.connection()))


async def test_a_composite_round_trips_through_postgres(session: AsyncSession) -> None:
    async with session.begin():
        await create_example_table(session)
        session.add(PriceListEntry(sku="TEE-1", price=Money(1999, "EUR")))
        await session.flush()
        session.expunge_all()

        loaded = await session.scalar(
            select(PriceListEntry).where(PriceListEntry.price == Money(1999, "EUR"))
        )
        columns = (await session.execute(select(PriceListEntry.__table__))).one()

    assert loaded is not None
    assert loaded.price == Money(1999, "EUR")
    assert tuple(columns) == ("TEE-1", 1999, "EUR")


async def test_changing_the_value_means_assigning_a_new_one(session: AsyncSession) -> None:
    async with session.begin():
        await create_example_table(session)
        entry = PriceListEntry(sku="TEE-1", price=Money(1999, "EUR"))
        session.add(entry)
        await session.flush()

        entry.price = dataclasses.replace(entry.price, cents=1499)
        await session.flush()
        cents = await session.scalar(select(PriceListEntry.__table__.c.price_cents))

    assert cents == 1499


def test_the_plain_column_way_builds_values_from_the_model() -> None:
    order = Order.draft(customer_ref="cust-1")
    line = order.add_line("SKU-1", quantity=2, unit_price_cents=350)

    assert unit_price(line) == Money(350, "EUR")
    assert line.subtotal_cents == unit_price(line).cents * line.quantity
