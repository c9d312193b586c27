from types import SimpleNamespace

import httpx
from fastapi import FastAPI

from app.api.errors import install_error_handlers
from app.common.auth import Principal, UnauthorizedError
from app.deps.auth import require


class TokensInMemory:  # stands in for the real authenticator: token -> caller
    def __init__(self, callers: dict[str, Principal]) -> None:
        self._callers = callers

    async def authenticate(self, token: str) -> Principal:
        if (caller := self._callers.get(token)) is None:
            raise UnauthorizedError
        return caller


app = FastAPI()
install_error_handlers(app)
app.state.resources = SimpleNamespace(
    authenticator=TokensInMemory(
        {
            "viewer-token": Principal(subject="v", permissions=frozenset({"reports:read"})),
            "writer-token": Principal(subject="w", permissions=frozenset({"reports:write"})),
        }
    )
)


@app.post("/reports", status_code=201, dependencies=[require("reports:write")])
async def create_report() -> dict[str, str]:
    return {"status": "created"}


async def post_report(token: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.post("/reports", headers=headers)


async def test_a_permission_is_asked_for_and_each_caller_hears_why() -> None:
    tokens = (None, "viewer-token", "writer-token")
    anonymous, viewer, writer = [await post_report(token) for token in tokens]
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"] == "Bearer"
    assert anonymous.json()["error"]["code"] == "unauthorized"
    assert viewer.status_code == 403
    assert viewer.json()["error"]["code"] == "forbidden"
    assert writer.status_code == 201
