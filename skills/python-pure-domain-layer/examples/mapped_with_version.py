import pytest
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.common.exceptions import ConflictError, InvalidInputError
from app.db.base import NAMING_CONVENTION


class GiftCard:  # app/domain/<name>.py: no SQLAlchemy, Pydantic or settings
    def __init__(self, balance: int, version: int) -> None:
        self.balance, self.version = balance, version

    def redeem(self, amount: int) -> None:
        if not 0 < amount <= self.balance:
            raise InvalidInputError(f"cannot redeem {amount} of a balance of {self.balance}")
        self.balance -= amount


class ExampleBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class GiftCardRow(ExampleBase):  # app/models/<name>.py: the one place that knows both shapes
    __tablename__ = "example_gift_cards"
    id: Mapped[int] = mapped_column(primary_key=True)
    balance: Mapped[int]
    version: Mapped[int] = mapped_column()
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (each UPDATE bumps it)

    def to_domain(self) -> GiftCard:
        return GiftCard(self.balance, self.version)

    def apply(self, card: GiftCard) -> None:
        if card.version != self.version:
            raise ConflictError("the gift card changed since it was read; reload and retry")
        self.balance = card.balance


def test_a_rule_holds_and_a_change_from_a_stale_read_is_refused() -> None:
    card = GiftCardRow(balance=1000, version=1).to_domain()
    card.redeem(600)
    with pytest.raises(InvalidInputError):
        card.redeem(401)
    with pytest.raises(ConflictError):  # the row was written again since it was read
        GiftCardRow(balance=1000, version=2).apply(card)
