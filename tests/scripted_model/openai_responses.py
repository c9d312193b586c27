"""OpenAI Responses API (`POST /v1/responses`, streamed), as Codex calls it.

Codex reads the stream's `response.output_item.done` items and needs a final
`response.completed` with an id; `response.created` and the `.added` events
are there for completeness. A turn whose `input` is an object becomes a
`function_call` item (JSON `arguments` string); one whose `input` is text becomes
a `custom_tool_call` item, the form of free-form tools such as Codex's `apply_patch`.
A model list (`GET .../models`) gets an empty list.
"""

import json
from typing import Any

from tests.scripted_model.wire import Reply, Request, Script, json_reply, sse

USAGE = {
    "input_tokens": 1,
    "input_tokens_details": {"cached_tokens": 0},
    "output_tokens": 1,
    "output_tokens_details": {"reasoning_tokens": 0},
    "total_tokens": 2,
}


def is_conversation(request: Request) -> bool:
    """The agent's own turns carry its tools; compaction and other side calls do not."""
    body = request.body if isinstance(request.body, dict) else {}
    return request.path.split("?")[0].rstrip("/").endswith("/responses") and bool(body.get("tools"))


def respond(request: Request, script: Script) -> Reply:
    path = request.path.split("?")[0].rstrip("/")
    if path.endswith("/models"):
        return json_reply({"object": "list", "data": [], "models": []})
    if not path.endswith("/responses") or request.method != "POST":
        return json_reply({"error": {"message": "not found", "type": "not_found"}}, 404)
    turn = script.next_turn() if is_conversation(request) else {"text": "ok"}
    item = output_item(turn, script.used)
    response = {"id": f"resp_{script.used:04d}", "object": "response",
                "model": request.body.get("model", "scripted"), "output": []}  # fmt: skip
    added = {"type": "response.output_item.added", "output_index": 0, "item": item}
    events: list[tuple[str | None, Any]] = [
        ("response.created", {"type": "response.created",
                              "response": {**response, "status": "in_progress"}}),
        ("response.output_item.added", added),
    ]  # fmt: skip
    if item["type"] == "message":
        delta = {"type": "response.output_text.delta", "item_id": item["id"],
                 "output_index": 0, "content_index": 0, "delta": turn["text"]}  # fmt: skip
        events.append(("response.output_text.delta", delta))
    completed = {**response, "status": "completed", "output": [item], "usage": USAGE}
    events += [
        ("response.output_item.done", {**added, "type": "response.output_item.done"}),
        ("response.completed", {"type": "response.completed", "response": completed}),
    ]
    return sse(events)


def output_item(turn: dict[str, Any], n: int) -> dict[str, Any]:
    """The one output item that answers a turn: a message, a function call or a custom call."""
    if "tool" not in turn:
        text = {"type": "output_text", "text": turn["text"], "annotations": []}
        return {"type": "message", "id": f"msg_{n:04d}", "role": "assistant",
                "status": "completed", "content": [text]}  # fmt: skip
    call = {"call_id": f"call_{n:04d}", "name": turn["tool"], "status": "completed"}
    if isinstance(turn["input"], str):
        return {"type": "custom_tool_call", "id": f"ctc_{n:04d}", **call, "input": turn["input"]}
    return {"type": "function_call", "id": f"fc_{n:04d}", **call,
            "arguments": json.dumps(turn["input"])}  # fmt: skip
