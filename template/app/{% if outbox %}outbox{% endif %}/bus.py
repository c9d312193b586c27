"""The in-process message bus: which handlers run for which event type.

The bus only routes. The outbox relay (`app/outbox/relay.py`) calls it for
events read back from the outbox table, each handler in its own transaction.
"""

from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.events import Event

type Handler[E: Event] = Callable[[E, AsyncSession], Awaitable[None]]


@dataclass(frozen=True)
class Subscription:
    name: str  # stable: it keys the handler's idempotency records
    handler: Handler


class MessageBus:
    def __init__(self) -> None:
        self._subscriptions: dict[type[Event], list[Subscription]] = defaultdict(list)

    def subscribe[E: Event](self, event_type: type[E], name: str, handler: Handler[E]) -> None:
        if any(s.name == name for subs in self._subscriptions.values() for s in subs):
            raise ValueError(f"a handler named {name!r} is already subscribed")
        self._subscriptions[event_type].append(Subscription(name, handler))

    def subscriptions_for(self, event: Event) -> list[Subscription]:
        return list(self._subscriptions.get(type(event), []))
