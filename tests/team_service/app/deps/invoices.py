"""Provider that assembles the invoice use cases for a request."""

from typing import Annotated

from fastapi import Depends

from app.deps.db import SessionDep
from app.deps.settings import SettingsDep
from app.repos.invoice import InvoiceRepo
from app.services.invoices import InvoiceService


async def get_invoice_service(session: SessionDep, settings: SettingsDep) -> InvoiceService:
    return InvoiceService(
        session,
        InvoiceRepo(session),
        payment_terms_days=settings.invoices.payment_terms_days,
    )


InvoiceServiceDep = Annotated[InvoiceService, Depends(get_invoice_service)]
