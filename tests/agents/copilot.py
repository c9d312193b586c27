"""GitHub Copilot CLI (`copilot`, @github/copilot) against the scripted model.

Copilot CLI has a documented "bring your own key" mode (`copilot help providers`): with
`COPILOT_PROVIDER_BASE_URL` set it talks to that provider instead of GitHub, and needs no
GitHub login. `COPILOT_PROVIDER_TYPE=anthropic` makes it speak the Anthropic Messages API
(`tests.scripted_model.anthropic`, the same wire format as Claude Code) and `COPILOT_OFFLINE`
turns off everything else that would reach the network (auth, telemetry, updates, GitHub
MCP). `-p` runs one prompt; `--allow-all-tools` is required in that mode; `--trust-folder`
trusts the project for this one session, which is what makes `-p` load the repository's
`.github/hooks/*.json`.

The npm package is a launcher for a native binary that unpacks its JavaScript (about
240 MB) into `~/.cache/copilot/pkg` on first run; `COPILOT_PKG_CACHE_HOME` keeps that copy
next to the installed CLIs, so a throw-away HOME does not unpack it again.

Where the first request carries what (1.0.102): `.github/copilot-instructions.md` and
AGENTS.md each in a `<custom_instruction>` block of the system prompt; the skills in an
`<available_skills>` block of the system prompt (name and description, XML-escaped);
the `.github/instructions/*.instructions.md` files as a table of `applyTo` patterns and
paths to `view`. The `skill` tool (input `{"skill": NAME}`) loads a skill: its body comes
back in a `<skill-context>` user message after the tool result.
"""

import html
from pathlib import Path
from typing import Any

from tests.agents import Record, run_agent
from tests.scripted_model import BASE_URL
from tests.scripted_model.anthropic import system_prompt

API = "anthropic"
ENV = {
    "COPILOT_PROVIDER_BASE_URL": BASE_URL,
    "COPILOT_PROVIDER_TYPE": "anthropic",
    "COPILOT_PROVIDER_API_KEY": "sk-test",
    "COPILOT_MODEL": "claude-sonnet-4.5",
    "COPILOT_OFFLINE": "true",
    "COPILOT_AUTO_UPDATE": "false",
}
FLAGS = ["--allow-all-tools", "--trust-folder", "--no-auto-update"]


def run(
    agent_bin: Path,
    project: Path,
    home: Path,
    turns: list[dict[str, Any]],
    prompt: str = "Follow the project's instructions.",
    timeout: float = 120,
) -> Record:
    command = [str(agent_bin / "copilot"), "-p", prompt, *FLAGS]
    env = {**ENV, "COPILOT_PKG_CACHE_HOME": str(agent_bin.parents[1] / "copilot-pkg-cache")}
    return run_agent(API, command, cwd=project, home=home, turns=turns, env=env, timeout=timeout)


def available_skills(request: dict[str, Any]) -> str:
    """The `<available_skills>` listing of the system prompt, XML entities decoded, or ''."""
    prompt = system_prompt(request)
    start, end = prompt.find("<available_skills>"), prompt.find("</available_skills>")
    return html.unescape(prompt[start:end]) if 0 <= start < end else ""
