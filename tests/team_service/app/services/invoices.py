"""Invoice use cases; each public method owns its transaction."""

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from app.models.invoice import Invoice
from app.repos.invoice import InvoiceRepo
from app.schemas.invoice import InvoiceCreate


class InvoiceService:
    def __init__(
        self, session: AsyncSession, invoices: InvoiceRepo, *, payment_terms_days: int
    ) -> None:
        self._session = session
        self._invoices = invoices
        self._payment_terms_days = payment_terms_days

    async def create(self, data: InvoiceCreate) -> Invoice:
        async with self._session.begin():
            invoice = Invoice.draft(data.customer_ref)
            for line in data.lines:
                invoice.add_line(line.description, line.amount_cents)
            self._invoices.add(invoice)
            await self._invoices.flush()
        return invoice

    async def get(self, invoice_id: uuid.UUID) -> Invoice:
        async with self._session.begin():
            return await self._invoices.get(invoice_id)

    async def issue(self, invoice_id: uuid.UUID, today: date) -> Invoice:
        async with self._session.begin():
            invoice = await self._invoices.get(invoice_id)
            invoice.issue(today, self._payment_terms_days)
            await self._invoices.flush()
        return invoice
