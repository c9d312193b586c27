"""Anthropic Messages API (`POST /v1/messages`), as Claude Code calls it."""

import json
from typing import Any

from tests.scripted_model.wire import Reply, Request, Script, json_reply, sse


def is_conversation(request: Request) -> bool:
    """The agent's own turns carry its tools; titles and other side calls do not."""
    body = request.body if isinstance(request.body, dict) else {}
    return request.path.startswith("/v1/messages") and bool(body.get("tools"))


def respond(request: Request, script: Script) -> Reply:
    if not request.path.startswith("/v1/messages"):
        return json_reply({"type": "error", "error": {"type": "not_found_error"}}, 404)
    if "count_tokens" in request.path:
        return json_reply({"input_tokens": 1000})
    turn = script.next_turn() if is_conversation(request) else {"text": "ok"}
    if "tool" in turn:
        block: dict[str, Any] = {"type": "tool_use", "id": f"toolu_{script.used:04d}",
                                 "name": turn["tool"], "input": turn["input"]}  # fmt: skip
        stop = "tool_use"
    else:
        block = {"type": "text", "text": turn["text"]}
        stop = "end_turn"
    message = {"id": f"msg_{script.used:04d}", "type": "message", "role": "assistant",
               "model": request.body.get("model", "scripted"), "stop_sequence": None,
               "usage": {"input_tokens": 1, "output_tokens": 1}}  # fmt: skip
    if not request.body.get("stream"):
        return json_reply({**message, "content": [block], "stop_reason": stop})
    if block["type"] == "tool_use":
        start = {**block, "input": {}}
        delta = {"type": "input_json_delta", "partial_json": json.dumps(block["input"])}
    else:
        start = {"type": "text", "text": ""}
        delta = {"type": "text_delta", "text": block["text"]}
    return sse([
        ("message_start", {"type": "message_start",
                           "message": {**message, "content": [], "stop_reason": None}}),
        ("content_block_start", {"type": "content_block_start", "index": 0,
                                 "content_block": start}),
        ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": delta}),
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        ("message_delta", {"type": "message_delta",
                           "delta": {"stop_reason": stop, "stop_sequence": None},
                           "usage": {"output_tokens": 1}}),
        ("message_stop", {"type": "message_stop"}),
    ])  # fmt: skip


# ---- reading the requests: what the model is shown ----


def texts(content: Any) -> list[str]:
    """The text of a message's content: a string, or its text blocks (tool results too)."""
    if isinstance(content, str):
        return [content]
    found = []
    for block in content:
        if block.get("type") == "text":
            found.append(block["text"])
        elif block.get("type") == "tool_result":
            found += texts(block.get("content") or [])
    return found


def system_prompt(request: dict[str, Any]) -> str:
    return "\n".join(block["text"] for block in request["body"].get("system", []))


def all_text(request: dict[str, Any]) -> str:
    """Every text the model reads in a request: system prompt, messages, tool descriptions."""
    body = request["body"]
    parts = [system_prompt(request)]
    parts += [tool.get("description", "") for tool in body.get("tools", [])]
    for message in body["messages"]:
        parts += texts(message["content"])
    return "\n".join(parts)


def since_last_answer(request: dict[str, Any]) -> str:
    """What the agent added after the model's last answer: tool results, hook feedback,
    skill bodies, a stop hook's prompt."""
    messages = request["body"]["messages"]
    last = max((i for i, m in enumerate(messages) if m["role"] == "assistant"), default=-1)
    return "\n".join(text for m in messages[last + 1 :] for text in texts(m["content"]))
