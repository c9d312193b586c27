"""Events: facts that already happened, named in the past tense.

Each module here holds one area's events (`app/events/<area>.py`).

An event is a frozen dataclass. It records what changed, not what should
happen next; handlers decide that. This package uses the standard library
only, so any layer (a pure domain layer included) may import it.
"""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import ClassVar


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, kw_only=True)
class Event:
    """Base of every event. Subclasses are registered by class name for decoding."""

    registry: ClassVar[dict[str, type["Event"]]] = {}

    event_id: uuid.UUID = field(default_factory=uuid.uuid4)
    occurred_at: datetime = field(default_factory=_now)

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__name__ in Event.registry:
            raise TypeError(f"two events are named {cls.__name__}")
        Event.registry[cls.__name__] = cls
