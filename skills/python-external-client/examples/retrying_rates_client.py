import asyncio

import httpx
import pytest
from pydantic import BaseModel, ValidationError

from app.common.exceptions import UpstreamError, UpstreamUnavailableError


class Rate(BaseModel, frozen=True):  # what callers get; the provider's wire format stays here
    per_euro: float


class RatesClient:  # one per process, a field of Resources, on the AsyncClient opened there
    def __init__(self, http: httpx.AsyncClient, delays: tuple[float, ...] = (0, 0.5, 1)) -> None:
        self.http, self.delays = http, delays  # one attempt per delay: bounded, backing off

    async def rate(self, currency: str, deadline_s: float = 5) -> Rate:
        try:  # the whole call, every attempt and pause, ends by the deadline
            async with asyncio.timeout(deadline_s):
                return await self._rate(currency)
        except TimeoutError as exc:
            raise UpstreamUnavailableError(f"rates API took over {deadline_s} s") from exc

    async def _rate(self, currency: str) -> Rate:  # a GET: asking twice is harmless
        for delay in self.delays:
            await asyncio.sleep(delay)
            try:
                answer = await self.http.get(f"/rates/{currency}")
                if answer.status_code not in (429, 500, 502, 503, 504):
                    return Rate.model_validate_json(answer.raise_for_status().content)
            except httpx.TransportError:  # timed out or unreachable: try again
                continue
            except (httpx.HTTPStatusError, ValidationError) as exc:  # refused, or unreadable
                raise UpstreamError("rates API refused the request or sent no rate") from exc
        raise UpstreamUnavailableError(f"rates API failed {len(self.delays)} times")


async def test_retries_are_bounded_and_end_in_typed_errors() -> None:
    script = [503, 200, 503, 503, 404]  # the double's answers; one request too many crashes it
    api = httpx.MockTransport(lambda _: httpx.Response(script.pop(0), json={"per_euro": 0.9}))
    async with httpx.AsyncClient(transport=api, base_url="http://rates.test") as http:
        assert await RatesClient(http, (0, 0)).rate("USD") == Rate(per_euro=0.9)  # 503, retried
        with pytest.raises(UpstreamUnavailableError):  # two attempts, two 503s: no third
            await RatesClient(http, (0, 0)).rate("USD")
        with pytest.raises(UpstreamError, match="refused"):  # a 404 is final: never repeated
            await RatesClient(http, (0, 0, 0)).rate("USD")
        with pytest.raises(UpstreamUnavailableError, match="took over"):  # the deadline cuts in
            await RatesClient(http, (1,)).rate("USD", deadline_s=0.05)
