"""Codex (`codex`, @openai/codex: a Rust binary in the npm package) against the scripted model.

Pointed at the server by a custom model provider in `$HOME/.codex/config.toml`
(`base_url` = the server's `/v1`, `wire_api = "responses"`, a dummy key through
`env_key`); it then speaks the Responses API (`tests.scripted_model.openai_responses`).
The model is `gpt-5.5`, a slug from Codex's bundled model catalogue: an unknown name
gets fallback metadata without the `apply_patch` tool. The same file trusts the
project (Codex ignores an untrusted project's `.codex/` folder, hooks included) and
switches off what would try the network: analytics, plugin sync and apps.
`codex exec` runs one prompt without a terminal; `--sandbox danger-full-access`
because the namespace is the sandbox (Codex's own needs privileges it may lack as
root in `unshare`); `--dangerously-bypass-hook-trust` stands in for the one-time
review (`/hooks`) a person gives a project's hooks: without it, hooks nobody has
reviewed are skipped without a word.

Where the first request carries what (0.169.0): the system prompt and the skill
listing in developer messages of `input` (the listing in `<skills_instructions>`,
one "- name: description (file: ...)" line per skill); AGENTS.md in a user message
("# AGENTS.md instructions for <cwd>" then `<INSTRUCTIONS>`). A skill is loaded by
reading its SKILL.md with the shell tool (`exec_command`): the body comes back as
that call's `function_call_output`. A PostToolUse hook's `decision: block` reason
replaces the tool's output; a Stop hook's reason arrives as a user message in
`<hook_prompt>`.
"""

import json
from pathlib import Path
from typing import Any

from tests.agents import Record, run_agent
from tests.scripted_model import BASE_URL

API = "openai_responses"
MODEL = "gpt-5.5"
KEY_VARIABLE = "SCRIPTED_API_KEY"
SKILL_LISTING = "<skills_instructions>"


def config(project: Path) -> str:
    """`config.toml` for a throw-away CODEX_HOME: the scripted provider, `project` trusted."""
    return f"""\
model = "{MODEL}"
model_provider = "scripted"

[model_providers.scripted]
name = "Scripted model"
base_url = "{BASE_URL}/v1"
wire_api = "responses"
env_key = "{KEY_VARIABLE}"

[analytics]
enabled = false

[features]
plugins = false
remote_plugin = false
apps = false

[projects.{json.dumps(str(project.resolve()))}]
trust_level = "trusted"
"""


def run(
    agent_bin: Path,
    project: Path,
    home: Path,
    turns: list[dict[str, Any]],
    prompt: str = "Follow the project's instructions.",
    timeout: float = 120,
) -> Record:
    (home / ".codex").mkdir(parents=True, exist_ok=True)
    (home / ".codex" / "config.toml").write_text(config(project))
    command = [str(agent_bin / "codex"), "exec", "--sandbox", "danger-full-access"]
    command += ["--skip-git-repo-check", "--dangerously-bypass-hook-trust", prompt]
    env = {KEY_VARIABLE: "sk-test"}
    return run_agent(API, command, cwd=project, home=home, turns=turns, env=env, timeout=timeout)


def item_texts(item: dict[str, Any]) -> list[str]:
    """What the model reads in one `input` item: message text, tool call and tool output."""
    if item.get("type") == "message":
        content = item.get("content") or []
        if isinstance(content, str):
            return [content]
        return [part.get("text", "") for part in content]
    if item.get("type") in {"function_call_output", "custom_tool_call_output"}:
        output = item.get("output")
        return [output if isinstance(output, str) else json.dumps(output)]
    if item.get("type") == "function_call":
        return [item.get("arguments", "")]
    if item.get("type") == "custom_tool_call":
        return [item.get("input", "")]
    return []


def all_text(request: dict[str, Any]) -> str:
    """Every text the model reads in a request: instructions, input items, tool descriptions."""
    body = request["body"]
    parts = [body.get("instructions") or ""]
    parts += [tool.get("description", "") for tool in body.get("tools", [])]
    for item in body["input"]:
        parts += item_texts(item)
    return "\n".join(parts)


def skill_listing(request: dict[str, Any]) -> str:
    """The skill listing the model reads (from its opening tag), or ''."""
    for item in request["body"]["input"]:
        for text in item_texts(item):
            if SKILL_LISTING in text:
                return text[text.index(SKILL_LISTING) :]
    return ""


def since_last_answer(request: dict[str, Any]) -> str:
    """What the CLI added after the model's last answer: tool output, hook feedback."""
    items = request["body"]["input"]
    answers = [i for i, item in enumerate(items) if is_answer(item)]
    after = items[answers[-1] + 1 :] if answers else items
    return "\n".join(text for item in after for text in item_texts(item))


def is_answer(item: dict[str, Any]) -> bool:
    """An item the model produced: a message of its own or a tool call."""
    calls = {"function_call", "custom_tool_call"}
    return item.get("role") == "assistant" or item.get("type") in calls
