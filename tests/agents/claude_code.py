"""Claude Code (`claude`, @anthropic-ai/claude-code) against the scripted model.

Pointed at the server with `ANTHROPIC_BASE_URL` and a dummy `ANTHROPIC_API_KEY`; it
then speaks the Anthropic Messages API (`tests.scripted_model.anthropic`). `-p` runs
one prompt without a terminal. Root may not use `--dangerously-skip-permissions`, so
`--allowedTools` approves just the tools the scripts call (the Skill tool needs no
approval). Project hooks in `.claude/settings.json` run in print mode too.

Where the first request carries what (2.1.330): CLAUDE.md and the files it imports
(`@AGENTS.md`) in a `<system-reminder>` of the first user message, each after
"Contents of <path>"; the skill listing ("- name: description") in a system-role
message in `messages`; a loaded skill's body as a text block after the Skill
tool's result.
"""

from pathlib import Path
from typing import Any

from tests.agents import Record, run_agent
from tests.scripted_model import BASE_URL
from tests.scripted_model.anthropic import texts

API = "anthropic"
ENV = {"ANTHROPIC_BASE_URL": BASE_URL, "ANTHROPIC_API_KEY": "sk-test"}
ALLOWED_TOOLS = "Read,Write,Edit,Skill"
SKILL_LISTING = "The following skills are available for use with the Skill tool:"


def run(
    agent_bin: Path,
    project: Path,
    home: Path,
    turns: list[dict[str, Any]],
    prompt: str = "Follow the project's instructions.",
    timeout: float = 120,
) -> Record:
    command = [str(agent_bin / "claude"), "-p", prompt, "--allowedTools", ALLOWED_TOOLS]
    return run_agent(API, command, cwd=project, home=home, turns=turns, env=ENV, timeout=timeout)


def skill_listing(request: dict[str, Any]) -> str:
    """The skill listing the model reads (the text after its heading), or ''."""
    for message in request["body"]["messages"]:
        for text in texts(message["content"]):
            if SKILL_LISTING in text:
                return text.split(SKILL_LISTING, 1)[1]
    return ""
