"""Why the carrier POST may be retried: every attempt carries the same Idempotency-Key.

A timeout does not say whether the carrier acted. Here the carrier books the
shipment and the answer is lost on the way back; the client asks again with the
same key and gets the booking that already exists, so nothing is booked twice.
The key is the order id, so a caller who ships the same order again is safe too.
"""

import uuid

import httpx
import pytest

from app.clients.carrier import RETRYABLE_STATUSES, CarrierClient
from app.common.exceptions import UpstreamError, UpstreamUnavailableError
from tests.doubles import FakeCarrier

ORDER_ID = uuid.UUID("0b5e2f4a-0000-4000-8000-00000000c0de")


def answer_lost_once(fake: FakeCarrier) -> httpx.MockTransport:
    """The fake handles every request, but the first answer never reaches the client."""
    inner = fake.transport()
    lost: list[httpx.Request] = []

    async def handle(request: httpx.Request) -> httpx.Response:
        response = await inner.handle_async_request(request)
        if not lost:
            lost.append(request)
            raise httpx.ReadTimeout("the answer was lost", request=request)
        return response

    return httpx.MockTransport(handle)


async def test_a_lost_answer_is_retried_without_a_second_booking(fake_carrier: FakeCarrier) -> None:
    transport = answer_lost_once(fake_carrier)
    async with httpx.AsyncClient(transport=transport, base_url="http://carrier.test") as http:
        booking = await CarrierClient(http, backoff_s=0).book_shipment(ORDER_ID, parcels=2)

    keys = [request.headers["Idempotency-Key"] for request in fake_carrier.requests]
    assert keys == [str(ORDER_ID), str(ORDER_ID)]
    # Two requests reached the carrier, one booking exists.
    assert fake_carrier.bookings == {str(ORDER_ID): booking.tracking_number}


async def test_shipping_the_same_order_again_reuses_the_booking(
    carrier_client: CarrierClient, fake_carrier: FakeCarrier
) -> None:
    first = await carrier_client.book_shipment(ORDER_ID, parcels=1)
    second = await carrier_client.book_shipment(ORDER_ID, parcels=1)

    assert first == second
    assert len(fake_carrier.bookings) == 1


async def test_attempts_are_bounded(fake_carrier: FakeCarrier) -> None:
    fake_carrier.fail_next(*[httpx.ConnectTimeout("carrier is down")] * 5)
    async with httpx.AsyncClient(
        transport=fake_carrier.transport(), base_url="http://carrier.test"
    ) as http:
        client = CarrierClient(http, max_attempts=2, backoff_s=0)
        with pytest.raises(UpstreamUnavailableError):
            await client.book_shipment(ORDER_ID, parcels=1)

    assert len(fake_carrier.requests) == 2
    assert fake_carrier.bookings == {}


@pytest.mark.parametrize("status", [400, 401, 403, 409, 422])
async def test_a_refusal_is_final(
    carrier_client: CarrierClient, fake_carrier: FakeCarrier, status: int
) -> None:
    # Asking again would get the same refusal, so the client does not.
    assert status not in RETRYABLE_STATUSES
    fake_carrier.fail_next(status)

    with pytest.raises(UpstreamError) as raised:
        await carrier_client.book_shipment(ORDER_ID, parcels=1)

    assert not isinstance(raised.value, UpstreamUnavailableError)
    assert len(fake_carrier.requests) == 1
