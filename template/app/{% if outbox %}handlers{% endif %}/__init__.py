"""Event handlers: one module per area, each wiring its handlers in `subscribe(bus, resources)`.

A handler is `async def handler(event, session)` (often a frozen dataclass holding
the clients it needs). The relay calls it inside a transaction that also records
(handler name, event id), so its database changes commit exactly once. The name a
handler is subscribed under keys those records: never change it once it has run.

`build_bus` calls `subscribe` of every module in this package, so a new module of
handlers needs no registration elsewhere.
"""

from app.common.modules import import_submodules
from app.outbox.bus import MessageBus
from app.resources import Resources


def build_bus(resources: Resources) -> MessageBus:
    bus = MessageBus()
    for module in import_submodules(__name__):
        subscribe = getattr(module, "subscribe", None)
        if subscribe is None:
            raise TypeError(f"{module.__name__} defines no subscribe(bus, resources)")
        subscribe(bus, resources)
    return bus
