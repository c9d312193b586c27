"""Request and response shapes of the invoices API."""

import uuid
from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.models.invoice import InvoiceStatus
from app.schemas.common import PlainText


class InvoiceLineCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: Annotated[PlainText, StringConstraints(max_length=200)]
    amount_cents: int = Field(gt=0, le=100_000_000)


class InvoiceCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    customer_ref: Annotated[PlainText, StringConstraints(max_length=64)]
    lines: list[InvoiceLineCreate] = Field(default_factory=list, max_length=100)


class InvoiceLineGet(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    description: str
    amount_cents: int


class InvoiceGet(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    customer_ref: str
    status: InvoiceStatus
    due_on: date | None
    lines: list[InvoiceLineGet]
    total_cents: int
    version: int
