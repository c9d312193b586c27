"""GitHub Copilot CLI against the scripted model: what it sends, loads and hears back.

Copilot is not among the default agents, so the checks run on the everything render
(tests/agents/copilot.py says how the CLI is pointed at 127.0.0.1 and where each thing
sits in its requests).
"""

import html
import json
from pathlib import Path
from typing import Any

import pytest

from tests.agents import BAD_REPOSITORY, CLEAN_REPOSITORY, RULE, Record, rendered_skills
from tests.agents import copilot as agent
from tests.conftest import restore
from tests.scripted_model import anthropic

pytestmark = pytest.mark.agents

SKILL_FOLDERS = (".agents/skills", ".claude/skills", ".github/skills")
LOADED_SKILL = "python-aggregate-and-repo"


@pytest.fixture(scope="module")
def copilot_project(everything_project: Path) -> Path:
    """Copilot is not in the default answers: everything on (Claude Code's hooks too,
    which Copilot also reads and which stay silent under Copilot)."""
    return everything_project


@pytest.fixture(scope="module")
def skill_session(
    agent_bin: Path, copilot_project: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Record]:
    """The model's first act is to load a skill with the `skill` tool, then it answers."""
    project = copilot_project
    home = tmp_path_factory.mktemp("copilot-skills") / "home"
    turns = [{"tool": "skill", "input": {"skill": LOADED_SKILL}}, {"text": "ok"}]
    record = agent.run(agent_bin, project, home, turns)
    assert len(record.conversation()) == 2, record.explain()
    return project, record


def test_first_request_carries_instructions_and_skill_listing_but_no_body(
    skill_session: tuple[Path, Record],
) -> None:
    project, record = skill_session
    first = record.conversation()[0]
    system = anthropic.system_prompt(first)
    for instructions in ("AGENTS.md", ".github/copilot-instructions.md"):
        line = (project / instructions).read_text().splitlines()[0]
        assert line in system, f"{instructions} ({line!r}) not in the system prompt"
    listing = agent.available_skills(first)
    skills = rendered_skills(project, SKILL_FOLDERS)
    assert len(skills) >= 10
    for name, (description, _) in skills.items():
        assert f"<name>{name}</name>" in listing, f"skill {name} not advertised"
        assert f"<description>{description}</description>" in listing, name
    everything = html.unescape(anthropic.all_text(first))
    leaked = [name for name, (_, line) in skills.items() if line in everything]
    assert not leaked, f"skill bodies in the first request: {leaked}"
    # Beside Claude Code, Copilot also resolves CLAUDE.md's `@AGENTS.md`: AGENTS.md arrives
    # twice (bench/context_budget.py counts it so).
    title = (project / "AGENTS.md").read_text().splitlines()[0]
    assert system.count(title) == 2


def test_skill_tool_delivers_the_body(skill_session: tuple[Path, Record]) -> None:
    project, record = skill_session
    _, body_line = rendered_skills(project, SKILL_FOLDERS)[LOADED_SKILL]
    first, second = record.conversation()
    assert body_line not in anthropic.all_text(first)
    added = anthropic.since_last_answer(second)
    assert f'<skill-context name="{LOADED_SKILL}">' in added, added[:2000]
    assert body_line in added


def test_hook_file_calls_the_adapter_for_each_event(copilot_project: Path) -> None:
    config = json.loads((copilot_project / ".github/hooks/guard.json").read_text())
    assert config["version"] == 1
    assert set(config["hooks"]) == {"postToolUse", "agentStop"}
    for event, entries in config["hooks"].items():
        (entry,) = entries
        assert entry["type"] == "command"
        assert entry["bash"] == f"uv run --offline --quiet python -m scripts.hooks.copilot {event}"
    assert (copilot_project / "scripts/hooks/copilot.py").is_file()


@pytest.fixture(scope="module")
def hook_session(
    agent_bin: Path, copilot_project: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Record, str]:
    """The model writes a repository that commits, then a clean one, tries to finish, fixes
    the first and finishes. Returns the record and the fixed file as it ended up on disk."""
    bad = copilot_project / "app/repos/ledger.py"
    clean = copilot_project / "app/repos/journal.py"
    turns: list[dict[str, Any]] = [
        {"tool": "create", "input": {"path": str(bad), "file_text": BAD_REPOSITORY}},
        {"tool": "create", "input": {"path": str(clean), "file_text": CLEAN_REPOSITORY}},
        {"text": "Both repositories are written."},
        {"tool": "edit", "input": {"path": str(bad), "old_str": "commit", "new_str": "flush"}},
        {"text": "Fixed."},
    ]
    home = tmp_path_factory.mktemp("copilot-hooks") / "home"
    try:
        record = agent.run(agent_bin, copilot_project, home, turns, prompt="Add two repositories.")
        return record, bad.read_text() if bad.is_file() else ""
    finally:
        restore(copilot_project)


def test_bad_write_hears_the_guard(hook_session: tuple[Record, str]) -> None:
    record, _ = hook_session
    conversation = record.conversation()
    assert len(conversation) >= 2, record.explain()
    after_bad = anthropic.since_last_answer(conversation[1])
    assert "Additional guidance from postToolUse hooks" in after_bad, after_bad
    assert f"app/repos/ledger.py:12: [{RULE}]" in after_bad


def test_clean_write_hears_nothing(hook_session: tuple[Record, str]) -> None:
    record, _ = hook_session
    conversation = record.conversation()
    assert len(conversation) >= 3, record.explain()
    after_clean = anthropic.since_last_answer(conversation[2])
    assert "Created file" in after_clean
    assert "journal.py" in after_clean
    assert "postToolUse" not in after_clean, after_clean
    assert RULE not in after_clean


def test_stop_hook_blocks_once_then_lets_the_fixed_file_through(
    hook_session: tuple[Record, str],
) -> None:
    record, fixed = hook_session
    conversation = record.conversation()
    # The stop after turn 2 is refused: the guard's report comes back as the next prompt.
    assert len(conversation) >= 4, record.explain()
    (prompt,) = conversation[3]["body"]["messages"][-1]["content"]
    assert prompt["type"] == "text", prompt
    assert f"[{RULE}]" in prompt["text"]
    # After the fix the stop is accepted: no further answer was asked for.
    assert "session.flush()" in fixed
    assert "commit" not in fixed
    assert len(conversation) == 5, record.explain()
    assert RULE not in anthropic.since_last_answer(conversation[4])
    assert record.returncode == 0, record.explain()
