import pytest
from sqlalchemy import MetaData, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, exc, mapped_column

from app.common.exceptions import ConflictError
from app.db.base import NAMING_CONVENTION


class ExampleBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Workshop(ExampleBase):
    __tablename__ = "example_workshop"
    id: Mapped[int] = mapped_column(primary_key=True)
    seats_left: Mapped[int]
    version: Mapped[int] = mapped_column()
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    def book(self) -> None:
        if self.seats_left == 0:  # check first, then change
            raise ConflictError("the workshop is full")
        self.seats_left -= 1


async def test_a_booking_from_a_stale_copy_is_a_conflict(session: AsyncSession) -> None:
    async def flush() -> None:  # the heart of a repo's flush
        try:
            await session.flush()
        except exc.StaleDataError as error:
            raise ConflictError("changed by another request; reload and retry") from error

    await session.run_sync(lambda s: ExampleBase.metadata.create_all(s.connection()))
    session.add(workshop := Workshop(seats_left=1))
    await flush()
    await session.execute(text("UPDATE example_workshop SET seats_left = 0, version = 2"))
    workshop.book()  # this copy still shows a free seat, so the rule lets it through ...
    with pytest.raises(ConflictError):  # ... and the version check refuses the write
        await flush()
