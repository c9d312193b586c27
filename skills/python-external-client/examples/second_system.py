"""Illustration: a client for a second external system, shaped like CarrierClient.

The rates API is invented for this example. Reading a rate is a GET, which is
idempotent, so it is retried without a key. What to copy: the `httpx.AsyncClient`
is passed in (the lifespan makes and closes it), attempts are bounded with
backoff, only transport errors and retryable statuses are retried, the answer is
parsed into a frozen model, every failure leaves as a typed UpstreamError, and
the test double is an `httpx.MockTransport` handler that plays the provider.
"""

import asyncio
from collections import deque
from collections.abc import AsyncIterator
from decimal import Decimal

import httpx
import pytest
from pydantic import BaseModel, ValidationError

from app.common.exceptions import UpstreamError, UpstreamUnavailableError

RETRYABLE = frozenset({429, 500, 502, 503, 504})


class Rate(BaseModel, frozen=True):
    currency: str
    per_euro: Decimal


class RatesClient:
    def __init__(
        self, http: httpx.AsyncClient, *, max_attempts: int = 3, backoff_s: float = 0.2
    ) -> None:
        self._http = http
        self._max_attempts = max_attempts
        self._backoff_s = backoff_s

    async def rate(self, currency: str) -> Rate:
        for attempt in range(1, self._max_attempts + 1):
            last = attempt == self._max_attempts
            try:
                response = await self._http.get(f"/rates/{currency}")
            except httpx.TransportError as exc:
                if last:
                    raise UpstreamUnavailableError("rates API could not be reached") from exc
            else:
                if response.is_success:
                    try:
                        return Rate.model_validate_json(response.content)
                    except ValidationError as exc:
                        raise UpstreamError("rates API sent a rate we could not read") from exc
                if response.status_code not in RETRYABLE:
                    raise UpstreamError(f"rates API refused with status {response.status_code}")
                if last:
                    raise UpstreamUnavailableError(
                        f"rates API kept answering {response.status_code}"
                    )
            await asyncio.sleep(self._backoff_s * 2 ** (attempt - 1))
        raise AssertionError("unreachable: the loop returns or raises")


class FakeRates:
    """The provider as a transport handler: known rates, plus scripted failures."""

    def __init__(self, rates: dict[str, str]) -> None:
        self.rates = rates
        self.requests: list[httpx.Request] = []
        self.failures: deque[int | str] = deque()

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.failures:
            failure = self.failures.popleft()
            if isinstance(failure, str):
                return httpx.Response(200, text=failure)
            return httpx.Response(failure)
        currency = request.url.path.removeprefix("/rates/")
        if currency not in self.rates:
            return httpx.Response(404, json={"error": "unknown currency"})
        return httpx.Response(200, json={"currency": currency, "per_euro": self.rates[currency]})


@pytest.fixture
def fake_rates() -> FakeRates:
    return FakeRates({"USD": "1.08"})


@pytest.fixture
async def rates(fake_rates: FakeRates) -> AsyncIterator[RatesClient]:
    async with httpx.AsyncClient(
        transport=fake_rates.transport(), base_url="http://rates.test"
    ) as http:
        yield RatesClient(http, backoff_s=0)


async def test_reads_a_rate(rates: RatesClient) -> None:
    assert await rates.rate("USD") == Rate(currency="USD", per_euro=Decimal("1.08"))


async def test_a_busy_provider_is_asked_again(rates: RatesClient, fake_rates: FakeRates) -> None:
    fake_rates.failures.extend([503, 429])
    assert (await rates.rate("USD")).per_euro == Decimal("1.08")
    assert [request.method for request in fake_rates.requests] == ["GET"] * 3


async def test_an_unknown_currency_is_final(rates: RatesClient, fake_rates: FakeRates) -> None:
    with pytest.raises(UpstreamError, match="404"):
        await rates.rate("XXX")
    assert len(fake_rates.requests) == 1


async def test_an_unreadable_answer_is_an_upstream_error(
    rates: RatesClient, fake_rates: FakeRates
) -> None:
    fake_rates.failures.append("<html>maintenance</html>")
    with pytest.raises(UpstreamError, match="could not read"):
        await rates.rate("USD")
