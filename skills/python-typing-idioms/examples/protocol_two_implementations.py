"""A Protocol earns its place only when there are two real implementations.

Illustration: a shop ships some orders through the carrier's HTTP API
(`CarrierClient`, used unchanged) and hands single parcels to its own pickup
desk, which issues tracking numbers locally. The consumer declares the one
method it calls; both classes satisfy it structurally and neither imports or
inherits it. The carrier's test double needs no Protocol at all: it replaces
the HTTP transport under the real client (see `carrier_client`).
"""

import uuid
from typing import Protocol

from app.clients.carrier import CarrierClient, ShipmentBooking
from tests.doubles import FakeCarrier

ORDER_ID = uuid.UUID("0b5e0000-0000-4000-8000-00000000000a")


class BooksShipments(Protocol):
    """Owned by the consumer: only the method it needs, nothing more."""

    async def book_shipment(self, order_id: uuid.UUID, parcels: int) -> ShipmentBooking: ...


class PickupDesk:
    """The second implementation. Note: no base class, no import of the Protocol."""

    def __init__(self, desk: str) -> None:
        self._desk = desk
        self.handed_over: list[uuid.UUID] = []

    async def book_shipment(self, order_id: uuid.UUID, parcels: int) -> ShipmentBooking:
        self.handed_over.append(order_id)
        return ShipmentBooking(tracking_number=f"DESK-{self._desk}-{order_id.hex[:6].upper()}")


def choose_booker(parcels: int, carrier: CarrierClient, desk: PickupDesk) -> BooksShipments:
    return desk if parcels == 1 else carrier


async def ship(booker: BooksShipments, order_id: uuid.UUID, parcels: int) -> str:
    booking = await booker.book_shipment(order_id, parcels=parcels)
    return booking.tracking_number


async def test_a_single_parcel_goes_to_the_desk_without_any_http(
    carrier_client: CarrierClient, fake_carrier: FakeCarrier
) -> None:
    desk = PickupDesk("A1")

    tracking = await ship(choose_booker(1, carrier_client, desk), ORDER_ID, parcels=1)

    assert tracking == "DESK-A1-0B5E00"
    assert desk.handed_over == [ORDER_ID]
    assert fake_carrier.requests == []


async def test_larger_shipments_use_the_unchanged_carrier_client(
    carrier_client: CarrierClient, fake_carrier: FakeCarrier
) -> None:
    desk = PickupDesk("A1")

    tracking = await ship(choose_booker(3, carrier_client, desk), ORDER_ID, parcels=3)

    assert tracking == fake_carrier.bookings[str(ORDER_ID)]
    assert desk.handed_over == []
    (request,) = fake_carrier.requests
    assert request.headers["Idempotency-Key"] == str(ORDER_ID)


def test_structural_typing_needs_no_inheritance() -> None:
    assert BooksShipments not in CarrierClient.__mro__
    assert BooksShipments not in PickupDesk.__mro__
