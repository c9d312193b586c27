"""OpenCode against the scripted model: what it sends, loads and hears back (issue 11).

One session per render loads every skill with OpenCode's `skill` tool, one after another:
its first request shows the always-on context (AGENTS.md) and the skill listing, and each
later request must carry the body of the skill loaded just before. A render with
`agent_hooks` shows the guard's findings reaching the model through the project plugin
`.opencode/plugins/guard.js`, which appends them to the result of each edit.

OpenCode has no hook that can stop a finish: plugins only observe `session.idle` (the event
hook is called without waiting for it) and `opencode run` ends at that idle. The hooks test
shows that a finish with a failing file goes through.

Run alone with `uv run pytest tests/test_agent_opencode.py -m agents`.
"""

from pathlib import Path
from typing import Any

import pytest

from tests.agents import BAD_REPOSITORY as BAD
from tests.agents import CLEAN_REPOSITORY as CLEAN
from tests.agents import RULE, Record, opencode, rendered_skills
from tests.conftest import restore

pytestmark = pytest.mark.agents

SKILL_DIRS = (".agents/skills", ".claude/skills")  # where OpenCode finds project skills
GUARD_SAID = "problem(s). Fix them"  # the last lines of every guard report


def system_prompt(request: dict[str, Any]) -> str:
    return "\n".join(m["content"] for m in request["body"]["messages"] if m["role"] == "system")


def last_tool_result(request: dict[str, Any]) -> str:
    """What the model hears back from its latest tool call."""
    return [m for m in request["body"]["messages"] if m["role"] == "tool"][-1]["content"]


def everything_in(request: dict[str, Any]) -> str:
    return str(request["body"])


@pytest.fixture(scope="module", params=["default", "everything"])
def session(
    request: pytest.FixtureRequest, agent_bin: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Record]:
    project = request.getfixturevalue(f"{request.param}_project")
    home = tmp_path_factory.mktemp(f"opencode-{request.param}") / "home"
    names = rendered_skills(project, SKILL_DIRS)
    turns = [{"tool": "skill", "input": {"name": name}} for name in names]
    record = opencode.run(agent_bin, project, home, turns, "Load the skills.")  # writes nothing
    assert len(record.conversation()) == len(turns) + 1, record.explain()
    return project, record


def test_first_request_carries_agents_md(session: tuple[Path, Record]) -> None:
    project, record = session
    system = system_prompt(record.conversation()[0])
    assert f"Instructions from: {project / 'AGENTS.md'}" in system
    assert (project / "AGENTS.md").read_text().strip() in system


def test_first_request_lists_every_skill_without_its_body(session: tuple[Path, Record]) -> None:
    project, record = session
    first = record.conversation()[0]
    system, everything = system_prompt(first), everything_in(first)
    skills = rendered_skills(project, SKILL_DIRS)
    assert len(skills) >= 10
    for name, (description, body_line) in skills.items():
        listed = f"<name>{name}</name>\n    <description>{description}</description>"
        assert listed in system, name
        assert body_line not in everything, f"{name}'s body is in the first request"


def test_the_skill_tool_delivers_the_body_in_the_next_request(
    session: tuple[Path, Record],
) -> None:
    project, record = session
    conversation = record.conversation()
    for index, (name, (_, body_line)) in enumerate(rendered_skills(project, SKILL_DIRS).items()):
        answer = conversation[index + 1]["body"]["messages"][-2]
        assert answer["tool_calls"][0]["function"]["name"] == "skill", answer
        assert f'<skill_content name="{name}">' in last_tool_result(conversation[index + 1])
        assert body_line in last_tool_result(conversation[index + 1]), name
        assert body_line not in everything_in(conversation[index]), name


@pytest.fixture(scope="module")
def hooks_project(default_project: Path) -> Path:
    """The default answers: OpenCode among the agents, with the guardrail plugin."""
    assert (default_project / ".opencode/plugins/guard.js").is_file()
    return default_project


def edit(path: Path, old: str, new: str) -> dict[str, Any]:
    return {"tool": "edit", "input": {"filePath": str(path), "oldString": old, "newString": new}}


def test_the_plugin_tells_the_model_at_once_but_cannot_block_the_finish(
    agent_bin: Path, hooks_project: Path, tmp_path: Path
) -> None:
    bad, clean = hooks_project / "app/repos/invoice.py", hooks_project / "app/repos/receipt.py"
    turns = [
        {"tool": "write", "input": {"filePath": str(bad), "content": BAD}},
        {"tool": "write", "input": {"filePath": str(clean), "content": CLEAN}},
        {"tool": "read", "input": {"filePath": str(bad)}},  # `edit` wants a read first
        edit(bad, "commit()", "flush()"),
        edit(bad, "flush()", "commit()"),
        {"text": "Finished."},  # accepted although invoice.py commits again
    ]
    try:
        record = opencode.run(agent_bin, hooks_project, tmp_path / "home", turns, "Write repos.")
        assert bad.read_text() == BAD
    finally:
        restore(hooks_project)
    conversation = record.conversation()
    assert len(conversation) == len(turns), record.explain()  # the finish was not refused
    after_bad, after_clean, _, after_fix, after_break = map(last_tool_result, conversation[1:])
    for heard in (after_bad, after_break):
        assert f"app/repos/invoice.py:12: [{RULE}]" in heard, heard
        assert GUARD_SAID in heard, heard
    for heard in (after_clean, after_fix):
        assert "successfully" in heard, heard
        assert GUARD_SAID not in heard, heard
