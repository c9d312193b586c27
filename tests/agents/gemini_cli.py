"""Gemini CLI (`gemini`, @google/gemini-cli) against the scripted model.

Pointed at the server with `GOOGLE_GEMINI_BASE_URL` and a dummy `GEMINI_API_KEY`. The
base-URL variable alone makes the CLI pick its "gateway" auth type, which the
non-interactive start refuses ("Invalid auth method selected."), so the throw-away
HOME's user settings select the API-key auth explicitly; the base URL still applies to
it. `-p` runs one prompt without a terminal and `--yolo` approves every tool call
(writes and `activate_skill` included). `GEMINI_CLI_NO_RELAUNCH` skips the second
Node process the CLI otherwise starts to raise its heap limit.
"""

import json
from pathlib import Path
from typing import Any

from tests.agents import Record, run_agent
from tests.scripted_model import BASE_URL

API = "gemini"
ENV = {
    "GOOGLE_GEMINI_BASE_URL": BASE_URL,
    "GEMINI_API_KEY": "dummy",
    "GEMINI_CLI_NO_RELAUNCH": "true",
}
USER_SETTINGS = {"security": {"auth": {"selectedType": "gemini-api-key"}}}


def run(
    agent_bin: Path,
    project: Path,
    home: Path,
    turns: list[dict[str, Any]],
    prompt: str = "Follow the project's instructions.",
    timeout: float = 120,
) -> Record:
    settings = home / ".gemini" / "settings.json"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(json.dumps(USER_SETTINGS))
    command = [str(agent_bin / "gemini"), "--prompt", prompt, "--yolo"]
    return run_agent(API, command, cwd=project, home=home, turns=turns, env=ENV, timeout=timeout)


def says(request: dict[str, Any], text: str) -> bool:
    """Whether `text` appears anywhere in a request body (instructions, turns, tool results)."""
    return json.dumps(text)[1:-1] in json.dumps(request["body"])


def tool_results(request: dict[str, Any]) -> list[str]:
    """The text of each function response in the last turn of a request."""
    contents = request["body"]["contents"]
    parts = contents[-1].get("parts", []) if contents else []
    responses = [
        p["functionResponse"].get("response", {}) for p in parts if "functionResponse" in p
    ]
    return [str(r.get("output") or r.get("error") or json.dumps(r)) for r in responses]


def last_user_text(request: dict[str, Any]) -> str:
    """The plain text the last turn of a request carries (a prompt, not a tool result)."""
    contents = request["body"]["contents"]
    parts = contents[-1].get("parts", []) if contents else []
    return "\n".join(p["text"] for p in parts if "text" in p)
