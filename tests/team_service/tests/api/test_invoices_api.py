"""The invoices API through the real app: create, issue with the configured terms, refuse twice."""

from datetime import UTC, datetime, timedelta

import httpx

from app.config import Settings

NEW_INVOICE = {"customer_ref": "cust-9", "lines": [{"description": "audit", "amount_cents": 900}]}
JSON = {"Content-Type": "application/json"}  # the service takes only JSON POSTs


async def test_an_invoice_is_issued_with_the_configured_payment_terms(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    created = await client.post("/invoices", json=NEW_INVOICE)
    assert created.status_code == 201, created.text

    issued = await client.post(f"/invoices/{created.json()['id']}/issue", headers=JSON)

    assert issued.status_code == 200, issued.text
    terms = timedelta(days=settings.invoices.payment_terms_days)
    assert issued.json()["due_on"] == (datetime.now(UTC).date() + terms).isoformat()
    again = await client.post(f"/invoices/{created.json()['id']}/issue", headers=JSON)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "conflict"
