"""Schemas validate shape at the HTTP boundary; the model guards the business rules.

Both kinds of failure reach the client as 422 with the one error shape. The
tests also show `extra="forbid"` on request schemas and `from_attributes` on
response schemas, which is how a route turns the model a service returned
into the response body.
"""

from typing import Any

import pytest
from httpx import AsyncClient
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.order import Order
from app.repos.order import OrderRepo
from app.schemas.order import OrderCancelCommand, OrderCreate, OrderGet

LINE = {"sku": "SKU-1", "quantity": 1, "unit_price_cents": 100}


def test_request_schemas_refuse_unknown_fields() -> None:
    # A typo such as "reasn" must fail loudly instead of being dropped silently.
    with pytest.raises(ValidationError, match="extra_forbidden"):
        OrderCancelCommand.model_validate({"reasn": "typo"})


def test_request_schemas_normalise_text() -> None:
    data = OrderCreate.model_validate({"customer_ref": "  cust-1  ", "lines": [LINE]})
    assert data.customer_ref == "cust-1"
    with pytest.raises(ValidationError):
        OrderCreate.model_validate({"customer_ref": "bad\x00ref"})


async def test_response_schemas_read_the_model(session: AsyncSession) -> None:
    order = Order.draft(customer_ref="cust-1")
    order.add_line("SKU-1", quantity=3, unit_price_cents=100)
    repo = OrderRepo(session)
    repo.add(order)
    await repo.flush()  # fills id, version and timestamps

    body = OrderGet.model_validate(order)  # from_attributes=True, properties included

    assert (body.id, body.version) == (order.id, 1)
    assert (body.total_cents, body.lines[0].subtotal_cents) == (300, 300)


@pytest.mark.parametrize(
    ("body", "rule_layer"),
    [
        ({"customer_ref": "c", "lines": [{**LINE, "quantity": 0}]}, "schema"),
        ({"customer_ref": "c", "lines": [LINE], "note": "x"}, "schema"),
        ({"customer_ref": "c", "lines": [LINE, LINE]}, "model"),
    ],
)
async def test_both_layers_answer_422_in_one_shape(
    client: AsyncClient, body: dict[str, Any], rule_layer: str
) -> None:
    response = await client.post("/orders", json=body)

    assert response.status_code == 422
    error = response.json()["error"]
    assert set(error) == {"code", "message", "details"}
    assert error["code"] == "invalid_input"
    if rule_layer == "schema":
        assert error["details"]  # pydantic says which field broke
    else:
        assert "SKU-1" in error["message"]  # the model's InvalidInputError says which rule


async def test_a_state_rule_is_409_not_422(client: AsyncClient) -> None:
    created = (await client.post("/orders", json={"customer_ref": "c", "lines": []})).json()

    response = await client.post(f"/orders/{created['id']}/place")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
