"""Invoices routes: parse, call one service method, shape the response."""

import uuid
from datetime import UTC, datetime

from fastapi import APIRouter, status

from app.api.errors import ERROR_RESPONSES
from app.deps.invoices import InvoiceServiceDep
from app.schemas.invoice import InvoiceCreate, InvoiceGet

router = APIRouter(prefix="/invoices", tags=["invoices"], responses=ERROR_RESPONSES)


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_invoice(data: InvoiceCreate, service: InvoiceServiceDep) -> InvoiceGet:
    return InvoiceGet.model_validate(await service.create(data))


@router.get("/{invoice_id}")
async def get_invoice(invoice_id: uuid.UUID, service: InvoiceServiceDep) -> InvoiceGet:
    return InvoiceGet.model_validate(await service.get(invoice_id))


@router.post("/{invoice_id}/issue")
async def issue_invoice(invoice_id: uuid.UUID, service: InvoiceServiceDep) -> InvoiceGet:
    today = datetime.now(UTC).date()
    return InvoiceGet.model_validate(await service.issue(invoice_id, today))
