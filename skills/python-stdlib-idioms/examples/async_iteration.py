"""Async generators, TaskGroup and asyncio.timeout against the real parts.

An async generator streams order ids from PostgreSQL in batches, consumed
inside the transaction that opened the cursor and closed with `aclosing`
when the consumer stops early. A TaskGroup books shipments concurrently
through the shared `CarrierClient` (independent HTTP calls; no session is
touched inside the tasks) and reports failures as an ExceptionGroup.
`asyncio.timeout` bounds a slow call and the deadline becomes a typed error.
"""

import asyncio
import uuid
from collections.abc import AsyncGenerator
from contextlib import aclosing

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.clients.carrier import CarrierClient
from app.common.exceptions import UpstreamError, UpstreamUnavailableError
from app.models.order import Order
from app.repos.order import OrderRepo
from tests.doubles import FakeCarrier


async def order_ids_in_batches(session: AsyncSession, size: int) -> AsyncGenerator[list[uuid.UUID]]:
    """Typed AsyncGenerator, not AsyncIterator, so callers may `aclose()` it."""
    query = select(Order.id).order_by(Order.customer_ref).execution_options(yield_per=size)
    result = await session.stream_scalars(query)
    async for batch in result.partitions():
        yield list(batch)


async def add_orders(session: AsyncSession, count: int) -> None:
    repo = OrderRepo(session)
    for n in range(count):
        repo.add(Order.draft(customer_ref=f"cust-{n:02}"))
    await repo.flush()


async def test_an_async_generator_streams_inside_the_transaction(session: AsyncSession) -> None:
    async with session.begin():
        await add_orders(session, 5)
        sizes = [len(batch) async for batch in order_ids_in_batches(session, size=2)]
        async with aclosing(order_ids_in_batches(session, size=2)) as batches:
            first_batch = await anext(batches)
        # Leaving `aclosing` closed the generator and its cursor inside the transaction.

    assert sizes == [2, 2, 1]
    assert len(first_batch) == 2


async def book_all(client: CarrierClient, order_ids: list[uuid.UUID]) -> list[str]:
    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(client.book_shipment(i, parcels=1)) for i in order_ids]
    return [task.result().tracking_number for task in tasks]


async def test_a_task_group_runs_independent_calls_together(
    carrier_client: CarrierClient, fake_carrier: FakeCarrier
) -> None:
    order_ids = [uuid.uuid4() for _ in range(4)]

    tracking = await book_all(carrier_client, order_ids)

    assert tracking == [fake_carrier.bookings[str(i)] for i in order_ids]
    assert len(fake_carrier.requests) == 4


async def test_a_failed_task_surfaces_in_an_exception_group(
    carrier_client: CarrierClient, fake_carrier: FakeCarrier
) -> None:
    fake_carrier.fail_next(400)

    with pytest.raises(ExceptionGroup) as raised:
        await book_all(carrier_client, [uuid.uuid4() for _ in range(3)])

    assert raised.group_contains(UpstreamError)


async def book_within(client: CarrierClient, order_id: uuid.UUID, seconds: float) -> str:
    try:
        async with asyncio.timeout(seconds):
            booking = await client.book_shipment(order_id, parcels=1)
    except TimeoutError as exc:
        raise UpstreamUnavailableError(f"no booking within {seconds}s") from exc
    return booking.tracking_number


async def test_a_deadline_becomes_a_typed_error() -> None:
    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(5)
        return httpx.Response(201, json={"tracking_number": "TOO-LATE"})

    transport = httpx.MockTransport(slow)
    async with httpx.AsyncClient(transport=transport, base_url="http://carrier.test") as http:
        with pytest.raises(UpstreamUnavailableError, match="within"):
            await book_within(CarrierClient(http, backoff_s=0), uuid.uuid4(), seconds=0.05)
