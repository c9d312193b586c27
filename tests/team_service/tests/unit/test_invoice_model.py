"""Invoice rules, without a database."""

from datetime import date

import pytest

from app.common.exceptions import ConflictError, InvalidInputError
from app.models.invoice import Invoice, InvoiceStatus


def test_issuing_sets_the_due_date_from_the_payment_terms() -> None:
    invoice = Invoice.draft("cust-1")
    invoice.add_line("consulting", 12_000)

    invoice.issue(date(2026, 1, 31), payment_terms_days=30)

    assert (invoice.status, invoice.due_on) == (InvoiceStatus.ISSUED, date(2026, 3, 2))
    assert invoice.total_cents == 12_000


def test_an_issued_invoice_takes_no_more_lines() -> None:
    invoice = Invoice.draft("cust-1")
    invoice.add_line("consulting", 12_000)
    invoice.issue(date(2026, 1, 1), payment_terms_days=14)

    with pytest.raises(ConflictError):
        invoice.add_line("extra", 100)
    assert len(invoice.lines) == 1


def test_a_line_needs_a_positive_amount() -> None:
    with pytest.raises(InvalidInputError):
        Invoice.draft("cust-1").add_line("free", 0)
