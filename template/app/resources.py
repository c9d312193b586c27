"""Long-lived resources of this service: made once when a process starts, closed when it stops.

This file is yours: the template writes it once and never changes it. What the
template's parts need (the engine, the session factory, their clients) comes from
`ServiceResources` in `app/common/resources.py`, which template updates keep current.
A long-lived client of your own becomes a field of `Resources`; open it in
`open_resources` and pass it on: `Resources.open(settings, rates=rates)`.
"""

from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from app.common.resources import ServiceResources
from app.config import Settings


@dataclass(frozen=True, kw_only=True)
class Resources(ServiceResources):
    """The service's resources: the template's plus yours."""


@asynccontextmanager
async def open_resources(settings: Settings) -> AsyncGenerator[Resources]:
    async with Resources.open(settings) as resources:
        yield resources
