import httpx
from fastapi import Depends, FastAPI
from sqlalchemy import MetaData, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.db.base import NAMING_CONVENTION


class ExampleBase(DeclarativeBase):  # private: needs no migration, unseen by the drift test
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Badge(ExampleBase):
    __tablename__ = "example_badges"
    label: Mapped[str] = mapped_column(primary_key=True)

    def __init__(self, label: str) -> None:  # the rule: single spaces, lower case
        super().__init__(label=" ".join(label.split()).lower())


class TestBadgeThroughTheLayers:
    def test_unit_a_label_is_tidied(self) -> None:  # a rule on a plain object: no fixtures
        assert Badge("  Night   OWL ").label == "night owl"

    async def test_db_a_badge_round_trips(self, session: AsyncSession) -> None:  # rolled back
        await session.run_sync(lambda s: ExampleBase.metadata.create_all(s.connection()))
        session.add(Badge("Helper"))
        assert await session.scalar(select(Badge.label)) == "helper"  # autoflush, then SQL

    async def test_api_with_a_double(self, app: FastAPI, client: httpx.AsyncClient) -> None:
        async def featured() -> str:  # a provider, as in app/deps/
            return "Early Bird"

        @app.get("/example/badge")  # a tiny route on the real app, for this test only
        async def badge(label: str = Depends(featured)) -> dict[str, str]:
            return {"badge": Badge(label).label}

        app.dependency_overrides[featured] = lambda: "Night Owl"
        assert (await client.get("/example/badge")).json() == {"badge": "night owl"}
