"""Adding a use case end to end: service, provider, `Annotated` alias, thin route.

`OrderCountService`, its provider and its router are illustrations written the way
the real ones in `app/services/`, `app/deps/` and `app/api/` are: the service owns the
transaction, the provider only assembles, and the route parses, calls and shapes.
"""

import inspect
from typing import Annotated

import httpx
from fastapi import APIRouter, Depends, FastAPI
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.errors import ERROR_RESPONSES
from app.deps.db import SessionDep
from app.models.order import Order, OrderStatus
from tests.architecture.test_conventions import transaction_calls


# app/services/order_counts.py (illustration): one public method, one transaction.
class OrderCountService:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def count(self, status: OrderStatus | None) -> int:
        async with self._session.begin():
            query = select(func.count()).select_from(Order)
            if status is not None:
                query = query.where(Order.status == status)
            return await self._session.scalar(query) or 0


# app/deps/order_counts.py (illustration): assemble, nothing else.
async def get_order_count_service(session: SessionDep) -> OrderCountService:
    return OrderCountService(session)


OrderCountServiceDep = Annotated[OrderCountService, Depends(get_order_count_service)]


# app/schemas/order_count.py (illustration): the response shape.
class OrderCountGet(BaseModel):
    status: OrderStatus | None
    count: int


# app/api/order_counts.py (illustration); create_app would include_router(router).
router = APIRouter(prefix="/order-counts", tags=["orders"], responses=ERROR_RESPONSES)


@router.get("")
async def count_orders(
    service: OrderCountServiceDep, status: OrderStatus | None = None
) -> OrderCountGet:
    return OrderCountGet(status=status, count=await service.count(status))


NEW_ORDER = {
    "customer_ref": "cust-1",
    "lines": [{"sku": "SKU-1", "quantity": 1, "unit_price_cents": 100}],
}


async def test_the_new_route_runs_through_the_real_provider_chain(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    app.include_router(router)
    first = (await client.post("/orders", json=NEW_ORDER)).json()
    await client.post("/orders", json=NEW_ORDER)
    await client.post(f"/orders/{first['id']}/place")

    placed = await client.get("/order-counts", params={"status": "placed"})
    everything = await client.get("/order-counts")

    assert placed.json() == {"status": "placed", "count": 1}
    assert everything.json() == {"status": None, "count": 2}


async def test_a_bad_query_gets_the_shared_error_shape(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    app.include_router(router)

    response = await client.get("/order-counts", params={"status": "lost"})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"


async def test_a_provider_can_be_called_directly(session: AsyncSession) -> None:
    service = await get_order_count_service(session)

    assert await service.count(None) == 0


def test_the_route_leaves_transactions_to_the_service() -> None:
    route_source = inspect.getsource(count_orders)
    service_source = inspect.getsource(OrderCountService)

    # The same syntax-tree rule that tests/architecture/test_conventions.py runs on app/api.
    assert transaction_calls(route_source) == []
    assert transaction_calls(service_source) != []
