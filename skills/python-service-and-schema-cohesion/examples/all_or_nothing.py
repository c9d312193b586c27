import pytest
from pydantic import BaseModel
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.common.exceptions import ConflictError
from app.db.base import NAMING_CONVENTION


class ExampleBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Seat(ExampleBase):
    __tablename__ = "example_seat"
    number: Mapped[int] = mapped_column(primary_key=True)


class ReservationCreate(BaseModel, extra="forbid"):  # input: an unknown field is a 422
    seats: list[int]


class ReservationService:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def reserve(self, data: ReservationCreate) -> None:
        async with self._session.begin():  # one use case, one transaction: all seats or none
            for number in data.seats:
                if await self._session.get(Seat, number):  # in real code, through a repo
                    raise ConflictError(f"seat {number} is taken")
                self._session.add(Seat(number=number))


async def test_a_refused_reservation_leaves_nothing_behind(session: AsyncSession) -> None:
    await session.run_sync(lambda s: ExampleBase.metadata.create_all(s.get_bind()))
    with pytest.raises(ConflictError):  # the second 3 is refused after 3 and 4 were flushed
        await ReservationService(session).reserve(ReservationCreate(seats=[3, 4, 3]))
    assert await session.get(Seat, 3) is None  # the rollback took them back
