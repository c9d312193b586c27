"""OpenAI Chat Completions (`POST /v1/chat/completions`), as OpenCode's custom providers call it."""

import json
from typing import Any

from tests.scripted_model.wire import Reply, Request, Script, json_reply, sse


def is_conversation(request: Request) -> bool:
    """The agent's own turns carry its tools; titles and other side calls do not."""
    body = request.body if isinstance(request.body, dict) else {}
    return request.path.endswith("/chat/completions") and bool(body.get("tools"))


def respond(request: Request, script: Script) -> Reply:
    if request.path.endswith("/models"):
        return json_reply({"object": "list", "data": []})
    if not request.path.endswith("/chat/completions"):
        return json_reply({"error": {"message": "not found", "type": "not_found"}}, 404)
    turn = script.next_turn() if is_conversation(request) else {"text": "ok"}
    model = request.body.get("model", "scripted")
    if "tool" in turn:
        call = {
            "index": 0,
            "id": f"call_{script.used:04d}",
            "type": "function",
            "function": {"name": turn["tool"], "arguments": json.dumps(turn["input"])},
        }
        delta: dict[str, Any] = {"role": "assistant", "content": None, "tool_calls": [call]}
        finish = "tool_calls"
    else:
        delta = {"role": "assistant", "content": turn["text"]}
        finish = "stop"
    usage = {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}
    if not request.body.get("stream"):
        message = {k: v for k, v in delta.items() if k != "tool_calls" or v}
        return json_reply({"id": f"chatcmpl-{script.used:04d}", "object": "chat.completion",
                           "created": 0, "model": model, "usage": usage,
                           "choices": [{"index": 0, "message": message,
                                        "finish_reason": finish}]})  # fmt: skip
    chunk = {"id": f"chatcmpl-{script.used:04d}", "object": "chat.completion.chunk",
             "created": 0, "model": model}  # fmt: skip
    return sse([
        (None, {**chunk, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]}),
        (None, {**chunk, "choices": [{"index": 0, "delta": {}, "finish_reason": finish}]}),
        (None, {**chunk, "choices": [], "usage": usage}),
        (None, "[DONE]"),
    ])  # fmt: skip
