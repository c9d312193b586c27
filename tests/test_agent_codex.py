"""Codex against the scripted model: what it sends, loads and hears back.

One session per render reads every skill's SKILL.md with the shell tool, one after
another (Codex's own way to load a skill): its first request shows AGENTS.md and the
skill listing, and each later request must carry the body of the skill read just
before. The everything render (it has `agent_hooks`) then shows the guard's findings
reaching the model after an `apply_patch` and at Stop.

Run alone with `uv run pytest tests/test_agent_codex.py -m agents`.
"""

from pathlib import Path
from typing import Any

import pytest

from tests.agents import BAD_REPOSITORY as BAD
from tests.agents import CLEAN_REPOSITORY as CLEAN
from tests.agents import RULE, Record, codex, rendered_skills
from tests.conftest import restore

pytestmark = pytest.mark.agents

SKILL_DIRS = (".agents/skills",)  # the folder Codex reads skills from

HOOK_SAID = "problem(s). Fix them"  # the last lines of every guard report


def read_skill(name: str) -> dict[str, Any]:
    return {"tool": "exec_command", "input": {"cmd": f"cat .agents/skills/{name}/SKILL.md"}}


def load_every_skill(agent_bin: Path, project: Path, home: Path) -> Record:
    turns = [read_skill(name) for name in rendered_skills(project, SKILL_DIRS)]
    record = codex.run(agent_bin, project, home, turns)  # reads files only: writes nothing
    assert len(record.conversation()) == len(turns) + 1, record.explain()
    return record


@pytest.fixture(scope="module", params=["default", "everything"])
def session(
    request: pytest.FixtureRequest, agent_bin: Path, tmp_path_factory: pytest.TempPathFactory
) -> Any:
    project = request.getfixturevalue(f"{request.param}_project")
    home = tmp_path_factory.mktemp(f"codex-{request.param}") / "home"
    return project, load_every_skill(agent_bin, project, home)


def test_first_request_carries_agents_md(session: Any) -> None:
    project, record = session
    first = record.conversation()[0]
    user_texts = [
        text
        for item in first["body"]["input"]
        if item.get("role") == "user"
        for text in codex.item_texts(item)
    ]
    agents_md = next(t for t in user_texts if t.startswith("# AGENTS.md instructions for"))
    assert str(project) in agents_md.splitlines()[0]
    assert (project / "AGENTS.md").read_text().strip() in agents_md


def test_first_request_lists_every_skill_without_its_body(session: Any) -> None:
    project, record = session
    first = record.conversation()[0]
    listing, everything = codex.skill_listing(first), codex.all_text(first)
    skills = rendered_skills(project, SKILL_DIRS)
    assert len(skills) >= 10
    for name, (description, body_line) in skills.items():
        assert f"- {name}: {description} (file: " in listing, name
        assert body_line not in everything, f"{name}'s body is in the first request"


def test_reading_skill_md_delivers_the_body_in_the_next_request(session: Any) -> None:
    project, record = session
    conversation = record.conversation()
    skills = rendered_skills(project, SKILL_DIRS)
    for index, (name, (_, body_line)) in enumerate(skills.items()):
        items = conversation[index + 1]["body"]["input"]
        call = [item for item in items if item.get("type") == "function_call"][-1]
        assert f".agents/skills/{name}/SKILL.md" in call["arguments"]
        assert body_line in codex.since_last_answer(conversation[index + 1]), name
        assert body_line not in codex.all_text(conversation[index]), name


@pytest.fixture
def hooks_project(everything_project: Path) -> Any:
    """The everything render (agent_hooks on), put back as it was after the test."""
    assert (everything_project / ".codex/hooks.json").is_file()
    assert (everything_project / "scripts/hooks/codex.py").is_file()
    yield everything_project
    restore(everything_project)


def patch(*lines: str) -> dict[str, Any]:
    """An `apply_patch` call (a free-form tool: its input is the patch text)."""
    return {"tool": "apply_patch", "input": "\n".join(["*** Begin Patch", *lines, "*** End Patch"])}


def add_file(name: str, content: str) -> dict[str, Any]:
    return patch(f"*** Add File: {name}", *[f"+{line}" for line in content.splitlines()])


def test_hooks_tell_the_model_at_once_and_block_the_finish_once(
    agent_bin: Path, hooks_project: Path, tmp_path: Path
) -> None:
    fix = patch(
        "*** Update File: app/repos/invoice.py",
        "@@",
        "         self.session.add(invoice)",
        "-        await self.session.commit()",
        "+        await self.session.flush()",
    )
    turns = [
        add_file("app/repos/invoice.py", BAD),
        {"text": "Finished."},  # the Stop hook refuses: the bad file is still there
        fix,
        {"text": "Fixed."},  # let through (a repeated finish always is: stop_hook_active)
    ]
    record = codex.run(agent_bin, hooks_project, tmp_path / "home", turns)
    assert (hooks_project / "app/repos/invoice.py").read_text() == CLEAN
    conversation = record.conversation()
    assert len(conversation) == 4, record.explain()
    after_write, after_finish, after_fix = map(codex.since_last_answer, conversation[1:])
    for said in ("app/repos/invoice.py:12:", f"[{RULE}]", HOOK_SAID):
        assert said in after_write, after_write
    for said in ("<hook_prompt", f"[{RULE}]", HOOK_SAID):
        assert said in after_finish, after_finish
    assert "Success. Updated the following files" in after_fix, after_fix
    assert HOOK_SAID not in after_fix, after_fix


def test_a_clean_write_hears_nothing_and_finishes_at_once(
    agent_bin: Path, hooks_project: Path, tmp_path: Path
) -> None:
    turns = [add_file("app/repos/receipt.py", CLEAN), {"text": "Finished."}]
    record = codex.run(agent_bin, hooks_project, tmp_path / "home", turns)
    assert (hooks_project / "app/repos/receipt.py").read_text() == CLEAN
    conversation = record.conversation()
    assert len(conversation) == 2, record.explain()  # the first finish was accepted
    after_write = codex.since_last_answer(conversation[1])
    assert "Success. Updated the following files" in after_write, after_write
    assert HOOK_SAID not in after_write, after_write
