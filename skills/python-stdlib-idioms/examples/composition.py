"""Composition over inheritance, functools and contextlib around the carrier client.

`CountingTransport` adds behaviour by wrapping another transport: it
subclasses only httpx's abstract extension point and holds the real
transport inside, the same way `CarrierClient` holds an `httpx.AsyncClient`
instead of being one. `partial` pre-binds configuration, `cache` memoises a
pure function, and `AsyncExitStack` closes every resource it opened, even
when opening a later one fails.
"""

import uuid
from collections import Counter
from contextlib import AsyncExitStack
from functools import cache, partial

import httpx
import pytest

from app.clients.carrier import CarrierClient
from app.common.exceptions import UpstreamUnavailableError
from app.models.order import OrderStatus
from tests.doubles import FakeCarrier


class CountingTransport(httpx.AsyncBaseTransport):
    """Counts requests per path and hands each one to the wrapped transport."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner
        self.calls: Counter[str] = Counter()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls[request.url.path] += 1
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


# One attempt and no sleeping: a configured constructor, not a subclass.
single_attempt_client = partial(CarrierClient, max_attempts=1, backoff_s=0)


@cache
def may_follow(status: OrderStatus) -> frozenset[OrderStatus]:
    """Pure, keyed by a small hashable argument: safe to cache for the whole process."""
    following = {
        OrderStatus.DRAFT: {OrderStatus.PLACED, OrderStatus.CANCELLED},
        OrderStatus.PLACED: {OrderStatus.SHIPPED, OrderStatus.CANCELLED},
    }
    return frozenset(following.get(status, set()))


async def test_a_wrapper_adds_behaviour_without_subclassing_the_client(
    fake_carrier: FakeCarrier,
) -> None:
    counting = CountingTransport(fake_carrier.transport())
    fake_carrier.fail_next(503)
    async with httpx.AsyncClient(transport=counting, base_url="http://carrier.test") as http:
        await CarrierClient(http, backoff_s=0).book_shipment(uuid.uuid4(), parcels=1)

    assert counting.calls == Counter({"/shipments": 2})


async def test_partial_pre_binds_configuration(fake_carrier: FakeCarrier) -> None:
    fake_carrier.fail_next(503)
    async with httpx.AsyncClient(
        transport=fake_carrier.transport(), base_url="http://carrier.test"
    ) as http:
        with pytest.raises(UpstreamUnavailableError):
            await single_attempt_client(http).book_shipment(uuid.uuid4(), parcels=1)

    assert len(fake_carrier.requests) == 1


def test_cache_computes_a_pure_answer_once() -> None:
    may_follow.cache_clear()

    for _ in range(3):
        assert may_follow(OrderStatus.PLACED) == {OrderStatus.SHIPPED, OrderStatus.CANCELLED}
    assert may_follow(OrderStatus.SHIPPED) == frozenset()

    info = may_follow.cache_info()
    assert (info.hits, info.misses) == (2, 2)


async def open_clients(fake_carrier: FakeCarrier, opened: list[httpx.AsyncClient]) -> None:
    async with AsyncExitStack() as stack:
        for name in ("carrier", "payments"):
            http = httpx.AsyncClient(
                transport=fake_carrier.transport(), base_url=f"http://{name}.test"
            )
            opened.append(await stack.enter_async_context(http))
        raise RuntimeError("the third system could not be configured")


async def test_an_exit_stack_closes_what_it_opened_when_a_later_step_fails(
    fake_carrier: FakeCarrier,
) -> None:
    opened: list[httpx.AsyncClient] = []

    with pytest.raises(RuntimeError, match="third system"):
        await open_clients(fake_carrier, opened)

    assert [http.is_closed for http in opened] == [True, True]
