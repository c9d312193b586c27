"""With the tier on, services and routes are unchanged, and domain errors reach the API as is.

The rules raise `InvalidInputError` and `ConflictError` from plain Python;
the model's delegating methods pass them through, and the API's one error
handler renders them. `ensure_can_ship` is still checked before the carrier
is called, so a refused shipment costs no remote call.
"""

import httpx

from tests.doubles import FakeCarrier

LINE = {"sku": "SKU-1", "quantity": 2, "unit_price_cents": 150}


async def test_a_rule_only_the_domain_knows_becomes_a_422(client: httpx.AsyncClient) -> None:
    # The schema accepts each line on its own; a duplicate SKU is an aggregate rule.
    response = await client.post("/orders", json={"customer_ref": "c-1", "lines": [LINE, LINE]})

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert "SKU-1" in error["message"]


async def test_a_refused_transition_is_a_409_in_the_one_error_shape(
    client: httpx.AsyncClient,
) -> None:
    created = (await client.post("/orders", json={"customer_ref": "c-1"})).json()

    response = await client.post(f"/orders/{created['id']}/place")

    assert response.status_code == 409
    assert response.json() == {
        "error": {
            "code": "conflict",
            "message": "an order needs at least one line before it can be placed",
            "details": [],
        }
    }


async def test_the_check_runs_before_the_carrier_is_called(
    client: httpx.AsyncClient, fake_carrier: FakeCarrier
) -> None:
    created = (await client.post("/orders", json={"customer_ref": "c-1", "lines": [LINE]})).json()
    url = f"/orders/{created['id']}"

    refused = await client.post(f"{url}/ship")  # still a draft
    assert refused.status_code == 409
    assert fake_carrier.requests == []

    await client.post(f"{url}/place")
    shipped = (await client.post(f"{url}/ship")).json()
    assert (shipped["status"], shipped["version"]) == ("shipped", 3)
    assert len(fake_carrier.requests) == 1
    assert shipped["tracking_number"] in fake_carrier.bookings.values()
