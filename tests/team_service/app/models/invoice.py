"""Invoices: an invoice and its lines, changed only through the invoice's methods."""

import uuid
from datetime import date, timedelta
from enum import StrEnum
from typing import Self

from sqlalchemy import CheckConstraint, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common.exceptions import ConflictError, InvalidInputError
from app.db.base import Base


class InvoiceStatus(StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"


class InvoiceLine(Base):
    __tablename__ = "invoice_lines"
    __table_args__ = (CheckConstraint("amount_cents > 0", name="amount_positive"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    invoice_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("invoices.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(String(200))
    amount_cents: Mapped[int]


class Invoice(Base):
    __tablename__ = "invoices"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    customer_ref: Mapped[str] = mapped_column(String(64))
    status: Mapped[InvoiceStatus] = mapped_column(
        Enum(
            InvoiceStatus,
            native_enum=False,
            length=16,
            values_callable=lambda statuses: [s.value for s in statuses],
        )
    )
    due_on: Mapped[date | None]
    version: Mapped[int] = mapped_column()
    lines: Mapped[list[InvoiceLine]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by=InvoiceLine.description
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    @classmethod
    def draft(cls, customer_ref: str) -> Self:
        if not customer_ref.strip():
            raise InvalidInputError("customer_ref must not be blank")
        return cls(customer_ref=customer_ref, status=InvoiceStatus.DRAFT, lines=[])

    @property
    def total_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines)

    def add_line(self, description: str, amount_cents: int) -> None:
        if self.status is not InvoiceStatus.DRAFT:
            raise ConflictError(f"cannot add a line to an invoice that is {self.status}")
        if amount_cents <= 0:
            raise InvalidInputError("amount_cents must be positive")
        self.lines.append(InvoiceLine(description=description, amount_cents=amount_cents))

    def issue(self, today: date, payment_terms_days: int) -> None:
        if self.status is not InvoiceStatus.DRAFT:
            raise ConflictError(f"cannot issue an invoice that is {self.status}")
        if not self.lines:
            raise ConflictError("an invoice needs a line before it can be issued")
        self.status = InvoiceStatus.ISSUED
        self.due_on = today + timedelta(days=payment_terms_days)
