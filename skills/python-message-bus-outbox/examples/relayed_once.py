from dataclasses import dataclass

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.events import Event
from app.outbox.bus import MessageBus
from app.outbox.relay import OutboxRelay
from app.outbox.store import Outbox
from app.resources import Resources, open_resources

pytestmark = [pytest.mark.committing, pytest.mark.usefixtures("clean_database")]
ALERTED: list[str] = []  # stands in for a client the handler would take from `resources`


@dataclass(frozen=True, kw_only=True)
class BeehiveInspectionLogged(Event):  # app/events/<area>.py: a fact, standard library only
    hive_code: str


def subscribe(bus: MessageBus, resources: Resources) -> None:  # app/handlers/<area>.py
    async def alert_keeper(event: BeehiveInspectionLogged, session: AsyncSession) -> None:
        ALERTED.append(event.hive_code)  # runs in the relay's transaction; never commits

    bus.subscribe(BeehiveInspectionLogged, "hives.alert_keeper", alert_keeper)


async def test_a_redelivered_event_does_not_run_its_handler_twice(settings: Settings) -> None:
    async with open_resources(settings) as resources:  # what app/worker.py does
        subscribe(bus := MessageBus(), resources)
        relay = OutboxRelay(resources.sessionmaker, bus, settings.outbox)
        async with resources.sessionmaker() as session, session.begin():  # a use case's commit
            Outbox(session).add(BeehiveInspectionLogged(hive_code="H-7"))
        assert await relay.run_once() == 1
        async with resources.sessionmaker() as session, session.begin():  # as if never settled
            await session.execute(text("UPDATE outbox_events SET status = 'pending'"))
        assert await relay.run_once() == 1
    assert ALERTED == ["H-7"]
