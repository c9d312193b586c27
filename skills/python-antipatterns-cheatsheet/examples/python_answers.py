from typing import Annotated

import httpx
from fastapi import Depends, FastAPI

from app.config import Settings, get_settings


async def get_rate() -> int:  # a provider: routes ask for it by parameter, never look it up
    return 100


def test_singleton_strategy_and_builder_need_no_classes() -> None:
    assert get_settings() is get_settings()  # Singleton: a cached function, no __new__ tricks
    assert sorted(["bo", "Al", "cy"], key=str.casefold) == ["Al", "bo", "cy"]  # Strategy: key=fn
    assert Settings(service_name="billing").service_name == "billing"  # Builder: keyword arguments


async def test_depends_replaces_a_service_locator() -> None:
    api = FastAPI()

    @api.get("/price")
    async def price(rate: Annotated[int, Depends(get_rate)]) -> int:
        return 3 * rate

    api.dependency_overrides[get_rate] = lambda: 2  # swapped per app: no global to patch
    transport = httpx.ASGITransport(app=api)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        assert (await client.get("/price")).json() == 6
