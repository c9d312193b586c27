"""The transactional outbox: events stored with the change that caused them, then relayed.

- `store.py`: `Outbox.add(event)` writes an event in the caller's transaction.
- `bus.py`: `MessageBus` maps event types to handlers.
- `relay.py`: `OutboxRelay` claims stored events, runs their handlers once
  each, and retries or dead-letters failures. It runs in its own process:
  `python -m app.worker`.
"""
