"""Claude Code against the scripted model: what it sends, loads and hears back.

One session per render loads every skill with the Skill tool, one after another: its
first request shows the always-on context and the skill listing, and each later
request must carry the body of the skill loaded just before. A render with
`agent_hooks` shows the guard's findings reaching the model after a Write and at Stop.

Run alone with `uv run pytest tests/test_agent_claude_code.py -m agents`.
"""

from pathlib import Path
from typing import Any

import pytest

from tests.agents import BAD_REPOSITORY as BAD
from tests.agents import CLEAN_REPOSITORY as CLEAN
from tests.agents import RULE, Record, rendered_skills
from tests.agents import claude_code as claude
from tests.conftest import restore
from tests.scripted_model import anthropic

pytestmark = pytest.mark.agents

SKILL_DIRS = (".claude/skills",)  # the only folder Claude Code reads skills from

HOOK_SAID = "problem(s). Fix them"  # the last lines of every guard report


def load_every_skill(agent_bin: Path, project: Path, home: Path) -> Record:
    names = rendered_skills(project, SKILL_DIRS)
    turns = [{"tool": "Skill", "input": {"skill": name}} for name in names]
    record = claude.run(agent_bin, project, home, turns)  # loads skills only: writes nothing
    assert len(record.conversation()) == len(turns) + 1, record.explain()
    return record


@pytest.fixture(scope="module", params=["default", "everything"])
def session(
    request: pytest.FixtureRequest, agent_bin: Path, tmp_path_factory: pytest.TempPathFactory
) -> Any:
    project = request.getfixturevalue(f"{request.param}_project")
    home = tmp_path_factory.mktemp(f"claude-{request.param}") / "home"
    return project, load_every_skill(agent_bin, project, home)


def test_first_request_carries_agents_md_through_claude_md(session: Any) -> None:
    project, record = session
    first = record.conversation()[0]
    reminder = "\n".join(anthropic.texts(first["body"]["messages"][0]["content"]))
    assert (project / "CLAUDE.md").read_text().strip() == "@AGENTS.md"
    assert f"Contents of {project / 'CLAUDE.md'}" in reminder
    assert f"Contents of {project / 'AGENTS.md'}" in reminder
    assert (project / "AGENTS.md").read_text().strip() in reminder


def test_first_request_lists_every_skill_without_its_body(session: Any) -> None:
    project, record = session
    first = record.conversation()[0]
    listing, everything = claude.skill_listing(first), anthropic.all_text(first)
    skills = rendered_skills(project, SKILL_DIRS)
    assert len(skills) >= 10
    for name, (description, body_line) in skills.items():
        assert f"- {name}: {description}" in listing, name
        assert body_line not in everything, f"{name}'s body is in the first request"


def test_the_skill_tool_delivers_the_body_in_the_next_request(session: Any) -> None:
    project, record = session
    conversation = record.conversation()
    skills = rendered_skills(project, SKILL_DIRS)
    for index, (name, (_, body_line)) in enumerate(skills.items()):
        messages = conversation[index + 1]["body"]["messages"]
        answer = [m for m in messages if m["role"] == "assistant"][-1]
        assert answer["content"][-1]["input"] == {"skill": name}
        assert body_line in anthropic.since_last_answer(conversation[index + 1]), name
        assert body_line not in anthropic.all_text(conversation[index]), name


@pytest.fixture(scope="module")
def hooks_project(default_project: Path) -> Path:
    """The default answers: Claude Code among the agents, with the guardrail hooks."""
    assert (default_project / ".claude/settings.json").is_file()
    return default_project


def write(project: Path, name: str, content: str) -> dict[str, Any]:
    return {"tool": "Write", "input": {"file_path": str(project / name), "content": content}}


def test_hooks_tell_the_model_at_once_and_block_the_finish_once(
    agent_bin: Path, hooks_project: Path, tmp_path: Path
) -> None:
    turns = [
        write(hooks_project, "app/repos/invoice.py", BAD),
        {"text": "Finished."},  # the Stop hook refuses: the bad file is still there
        write(hooks_project, "app/repos/invoice.py", CLEAN),
        {"text": "Fixed."},  # let through (a repeated finish always is: stop_hook_active)
    ]
    try:
        record = claude.run(agent_bin, hooks_project, tmp_path / "home", turns)
    finally:
        restore(hooks_project)
    conversation = record.conversation()
    assert len(conversation) == 4, record.explain()
    after_write, after_finish, after_fix = map(anthropic.since_last_answer, conversation[1:])
    for said in ("PostToolUse:Write hook", f"[{RULE}]", HOOK_SAID):
        assert said in after_write, after_write
    for said in ("Stop hook", f"[{RULE}]", HOOK_SAID):
        assert said in after_finish, after_finish
    assert "successfully" in after_fix, after_fix
    assert HOOK_SAID not in after_fix, after_fix


def test_a_clean_write_hears_nothing_and_finishes_at_once(
    agent_bin: Path, hooks_project: Path, tmp_path: Path
) -> None:
    turns = [write(hooks_project, "app/repos/receipt.py", CLEAN), {"text": "Finished."}]
    try:
        record = claude.run(agent_bin, hooks_project, tmp_path / "home", turns)
    finally:
        restore(hooks_project)
    conversation = record.conversation()
    assert len(conversation) == 2, record.explain()  # the first finish was accepted
    after_write = anthropic.since_last_answer(conversation[1])
    assert "successfully" in after_write, after_write
    assert HOOK_SAID not in after_write, after_write
