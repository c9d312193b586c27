from typing import Annotated

import httpx
from fastapi import APIRouter, Depends

from app.api.errors import ERROR_RESPONSES
from app.common.exceptions import NotFoundError
from app.config import Settings
from app.main import create_app


def seats_in(rooms: dict[str, int], room: str) -> int:  # below the API: typed errors only
    if room not in rooms:
        raise NotFoundError(f"no room {room}")
    return rooms[room]


async def get_rooms() -> dict[str, int]:  # a provider: async def, only assembles
    return {"red": 8}


router = APIRouter(prefix="/rooms", responses=ERROR_RESPONSES)


@router.get("/{room}")
async def room_seats(room: str, rooms: Annotated[dict[str, int], Depends(get_rooms)]) -> int:
    return seats_in(rooms, room)


async def test_one_error_shape_and_a_replaced_provider(settings: Settings) -> None:
    app = create_app(settings)  # an app of its own, built from its own Settings
    app.include_router(router)  # a module of app/api/ with a `router` needs no such line
    app.dependency_overrides[get_rooms] = lambda: {"green": 4}
    async with (
        app.router.lifespan_context(app),  # open_resources runs once here, closes on exit
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client,
    ):
        missing, found = await client.get("/rooms/red"), await client.get("/rooms/green")
    assert (missing.status_code, found.json()) == (404, 4)
    assert missing.json()["error"] == {"code": "not_found", "message": "no room red", "details": []}
