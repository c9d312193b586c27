"""The outbox relay: delivers stored events to their handlers, at least once, effects once.

One pass (`run_once`) does three things:

1. **claim** a batch with `SELECT ... FOR UPDATE SKIP LOCKED` and give it a
   lease (`lease_id`, `leased_until`), then commit: relays running side by
   side never claim the same event, and no row lock is held while handlers run;
2. **handle** each event: its lease is renewed first (an event whose lease ran
   out while it waited in the batch has gone to another relay and is skipped),
   then every subscribed handler runs in its own transaction that first inserts
   a `processed_events` row for (handler, event); if that row already exists the
   handler is skipped, so a redelivery changes nothing. Handlers run under a
   timeout shorter than the lease, so a lease never runs out under a handler
   that is still working;
3. **settle**: mark the event done, or record the failure and retry later with
   exponential backoff, or after `max_attempts` failures move it to `dead`.
   Only failures count as attempts: an event delivered again after a relay
   stopped mid-batch spends none.
"""

import asyncio
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import structlog
from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.common.settings import OutboxSettings
from app.models.outbox import OutboxEvent, OutboxStatus, ProcessedEvent
from app.outbox.bus import MessageBus
from app.outbox.codec import decode

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class ClaimedEvent:
    id: uuid.UUID
    event_type: str
    payload: dict[str, Any]
    attempts: int  # failed deliveries before this one
    lease_id: uuid.UUID


class OutboxRelay:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        bus: MessageBus,
        settings: OutboxSettings,
    ) -> None:
        self._sessions = sessions
        self._bus = bus
        self._settings = settings

    async def run_once(self) -> int:
        """Claim one batch and deliver it; return how many events were claimed."""
        batch = await self.claim()
        for claimed in batch:
            if not await self.renew(claimed):
                log.info("outbox.lease_lost", event_id=str(claimed.id))
                continue
            try:
                async with asyncio.timeout(self._settings.handler_timeout_s):
                    handlers = await self.handle(claimed)
            except Exception as exc:
                await self.settle(claimed, error=exc)
            else:
                await self.settle(claimed)
                log.info(
                    "outbox.delivered",
                    event_id=str(claimed.id),
                    event_type=claimed.event_type,
                    handlers=handlers,
                )
        return len(batch)

    async def claim(self) -> list[ClaimedEvent]:
        lease_id = uuid.uuid4()
        async with self._sessions() as session, session.begin():
            now = func.now()
            rows = (
                await session.scalars(
                    select(OutboxEvent)
                    .where(
                        OutboxEvent.status == OutboxStatus.PENDING,
                        OutboxEvent.available_at <= now,
                        or_(OutboxEvent.leased_until.is_(None), OutboxEvent.leased_until < now),
                    )
                    .order_by(OutboxEvent.available_at, OutboxEvent.id)
                    .limit(self._settings.batch_size)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            claimed = []
            for row in rows:
                row.lease_id = lease_id
                row.leased_until = now + timedelta(seconds=self._settings.lease_s)
                claimed.append(
                    ClaimedEvent(row.id, row.event_type, row.payload, row.attempts, lease_id)
                )
        return claimed

    async def renew(self, claimed: ClaimedEvent) -> bool:
        """Extend the event's lease from now; False if another relay has claimed it since."""
        async with self._sessions() as session, session.begin():
            renewed = await session.scalar(
                update(OutboxEvent)
                .where(OutboxEvent.id == claimed.id, OutboxEvent.lease_id == claimed.lease_id)
                .values(leased_until=func.now() + timedelta(seconds=self._settings.lease_s))
                .returning(OutboxEvent.id)
            )
        return renewed is not None

    async def handle(self, claimed: ClaimedEvent) -> int:
        """Run every handler of the event once; raise if one of them fails."""
        event = decode(claimed.event_type, claimed.payload)
        subscriptions = self._bus.subscriptions_for(event)
        for subscription in subscriptions:
            async with self._sessions() as session, session.begin():
                first_time = await session.scalar(
                    insert(ProcessedEvent)
                    .values(handler=subscription.name, event_id=event.event_id)
                    .on_conflict_do_nothing()
                    .returning(ProcessedEvent.event_id)
                )
                if first_time is None:
                    log.info(
                        "outbox.duplicate_skipped",
                        handler=subscription.name,
                        event_id=str(event.event_id),
                    )
                    continue
                await subscription.handler(event, session)
        return len(subscriptions)

    async def settle(self, claimed: ClaimedEvent, error: Exception | None = None) -> None:
        values: dict[str, Any] = {"lease_id": None, "leased_until": None}
        if error is None:
            values["status"] = OutboxStatus.DONE
        else:
            attempts = claimed.attempts + 1
            values["attempts"] = attempts
            values["last_error"] = f"{type(error).__name__}: {error}"[:2000]
            if attempts >= self._settings.max_attempts:
                values["status"] = OutboxStatus.DEAD
                log.error("outbox.dead_lettered", event_id=str(claimed.id), attempts=attempts)
            else:
                values["available_at"] = func.now() + self.backoff(attempts)
                log.warning(
                    "outbox.delivery_failed",
                    event_id=str(claimed.id),
                    attempts=attempts,
                    error=type(error).__name__,
                )
        async with self._sessions() as session, session.begin():
            # Only the holder of the lease settles; a relay whose lease ran out changes nothing.
            await session.execute(
                update(OutboxEvent)
                .where(OutboxEvent.id == claimed.id, OutboxEvent.lease_id == claimed.lease_id)
                .values(**values)
            )

    def backoff(self, attempts: int) -> timedelta:
        seconds = self._settings.backoff_base_s * 2 ** (attempts - 1)
        return timedelta(seconds=min(seconds, self._settings.backoff_max_s))
