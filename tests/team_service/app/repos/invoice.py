"""Loads and stores Invoice aggregates; flushes, never commits."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from app.common.exceptions import ConflictError, NotFoundError
from app.models.invoice import Invoice


class InvoiceRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, invoice: Invoice) -> None:
        self._session.add(invoice)

    async def get(self, invoice_id: uuid.UUID) -> Invoice:
        invoice = await self._session.get(Invoice, invoice_id, populate_existing=True)
        if invoice is None:
            raise NotFoundError(f"invoice {invoice_id} was not found")
        return invoice

    async def flush(self) -> None:
        try:
            await self._session.flush()
        except StaleDataError as exc:
            raise ConflictError("the invoice was changed meanwhile; reload and retry") from exc
