"""Events to JSON and back, for the outbox's `payload` column."""

from typing import Any

from pydantic import TypeAdapter

from app.events import Event


def encode(event: Event) -> dict[str, Any]:
    return TypeAdapter(type(event)).dump_python(event, mode="json")


def decode(event_type: str, payload: dict[str, Any]) -> Event:
    cls = Event.registry.get(event_type)
    if cls is None:
        raise LookupError(f"no event class is named {event_type!r}")
    return TypeAdapter(cls).validate_python(payload)
