"""What the runner hands an API module, and what the module answers with."""

import json
from dataclasses import dataclass
from typing import Any

DONE = {"text": "done"}


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: Any  # parsed JSON, or the text when it is not JSON


@dataclass(frozen=True)
class Reply:
    status: int
    content_type: str
    body: bytes


class Script:
    """The conversation's turns, taken one per conversation request."""

    def __init__(self, turns: list[dict[str, Any]]) -> None:
        self.turns = turns
        self.used = 0

    def next_turn(self) -> dict[str, Any]:
        """The next scripted turn; `{"text": "done"}` once the script is used up."""
        if self.used >= len(self.turns):
            self.used += 1
            return DONE
        turn = self.turns[self.used]
        self.used += 1
        return turn


def sse(events: list[tuple[str | None, Any]]) -> Reply:
    """A text/event-stream reply: each (event name or None, JSON data) as one event."""
    lines = []
    for name, data in events:
        if name is not None:
            lines.append(f"event: {name}")
        lines.append(f"data: {data if isinstance(data, str) else json.dumps(data)}")
        lines.append("")
    return Reply(200, "text/event-stream", ("\n".join(lines) + "\n").encode())


def json_reply(data: Any, status: int = 200) -> Reply:
    return Reply(status, "application/json", json.dumps(data).encode())
