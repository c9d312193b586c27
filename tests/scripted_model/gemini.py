"""Gemini API (`POST /v1beta/models/<model>:streamGenerateContent?alt=sse`), as Gemini CLI calls it.

The agent's conversation streams and declares its tools. Everything else is a side
call answered without taking a turn: `countTokens`, and the `generateContent` calls
that ask for JSON (model routing, the next-speaker check, loop detection), which get
the least eventful answer their response schema allows.
"""

import json
from typing import Any

from tests.scripted_model.wire import Reply, Request, Script, json_reply, sse

# Side-call answers that keep the CLI on its plain path: the user speaks next, the
# cheaper model is fine, no loop was detected.
PREFERRED = {"next_speaker": "user", "model_choice": "flash"}


def is_conversation(request: Request) -> bool:
    """A streamed `generateContent` that declares function tools is the agent's turn."""
    body = request.body if isinstance(request.body, dict) else {}
    return ":streamGenerateContent" in request.path and bool(body.get("tools"))


def respond(request: Request, script: Script) -> Reply:
    body = request.body if isinstance(request.body, dict) else {}
    if ":countTokens" in request.path:
        return json_reply({"totalTokens": 1000})
    if ":streamGenerateContent" not in request.path and ":generateContent" not in request.path:
        return json_reply(
            {"error": {"code": 404, "message": "not found", "status": "NOT_FOUND"}}, 404
        )
    if is_conversation(request):
        turn = script.next_turn()
    else:
        turn = {"text": _side_answer(body.get("generationConfig") or {})}
    if "tool" in turn:
        part: dict[str, Any] = {"functionCall": {"name": turn["tool"], "args": turn["input"]}}
    else:
        part = {"text": turn["text"]}
    chunk = {
        "candidates": [
            {"content": {"role": "model", "parts": [part]}, "finishReason": "STOP", "index": 0}
        ],
        "usageMetadata": {"promptTokenCount": 1, "candidatesTokenCount": 1, "totalTokenCount": 2},
        "modelVersion": request.path.split("/models/")[-1].split(":")[0],
    }
    if ":streamGenerateContent" in request.path:
        return sse([(None, chunk)])
    return json_reply(chunk)


def _side_answer(config: dict[str, Any]) -> str:
    schema = config.get("responseJsonSchema") or config.get("responseSchema")
    if config.get("responseMimeType") != "application/json" and not schema:
        return "ok"
    return json.dumps(_example(schema or {}, None))


def _example(schema: dict[str, Any], key: str | None) -> Any:
    """A small value that satisfies `schema` (enough of JSON Schema for the CLI's own calls)."""
    kind = str(schema.get("type", "object")).lower()
    if "enum" in schema:
        options = schema["enum"]
        preferred = PREFERRED.get(key or "")
        matches = [o for o in options if preferred and preferred in str(o)]
        return (matches or options)[0]
    if kind == "object":
        props = schema.get("properties", {})
        return {name: _example(sub, name) for name, sub in props.items()}
    if kind == "array":
        return []
    if kind == "boolean":
        return False
    if kind in {"integer", "number"}:
        return schema.get("minimum", 1)
    return PREFERRED.get(key or "", "ok")
