"""Records events in the caller's transaction: they are stored if and only if it commits."""

from sqlalchemy.ext.asyncio import AsyncSession

from app.events import Event
from app.models.outbox import OutboxEvent
from app.outbox.codec import encode


class Outbox:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, event: Event) -> None:
        """Stage `event`; like a repository, this never commits."""
        self._session.add(
            OutboxEvent(
                id=event.event_id,
                event_type=type(event).__name__,
                payload=encode(event),
                occurred_at=event.occurred_at,
            )
        )
