"""Gemini CLI against the scripted model: what it sends, which skill bodies it loads on
request, and what its guardrail hooks tell the model (issue 11).

Gemini CLI is not in the default answers, so it runs in the everything render (hooks
on), in one session: the model activates every skill in turn (`activate_skill`), then
writes a repository that commits, a clean one, tries to finish, fixes the first and
finishes.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.agents import BAD_REPOSITORY, CLEAN_REPOSITORY, RULE, Record, gemini_cli, rendered_skills
from tests.conftest import restore

pytestmark = pytest.mark.agents

SKILL_DIRS = (".agents/skills", ".gemini/skills")  # where Gemini CLI discovers project skills


def write_file(path: str, content: str) -> dict[str, Any]:
    return {"tool": "write_file", "input": {"file_path": path, "content": content}}


HOOK_TURNS: list[dict[str, Any]] = [
    write_file("app/repos/ledger.py", BAD_REPOSITORY),
    write_file("app/repos/clean_ledger.py", CLEAN_REPOSITORY),
    {"text": "The ledger repository is written."},
    write_file("app/repos/ledger.py", CLEAN_REPOSITORY),
    {"text": "Fixed: the service commits."},
]


def activations(project: Path) -> list[dict[str, Any]]:
    names = rendered_skills(project, SKILL_DIRS)
    return [{"tool": "activate_skill", "input": {"name": name}} for name in names]


@pytest.fixture(scope="module")
def hooks_project(everything_project: Path) -> Path:
    return everything_project


@pytest.fixture(scope="module")
def hooks_session(
    agent_bin: Path, hooks_project: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Record]:
    home = tmp_path_factory.mktemp("gemini-hooks") / "home"
    turns = activations(hooks_project) + HOOK_TURNS
    record = gemini_cli.run(agent_bin, hooks_project, home, turns, "Add a ledger repository.")
    try:
        yield record
    finally:
        restore(hooks_project)


@pytest.fixture
def session(hooks_project: Path, hooks_session: Record) -> tuple[Path, Record]:
    return hooks_project, hooks_session


def test_first_request_has_instructions_and_skill_names_but_no_bodies(
    session: tuple[Path, Record],
) -> None:
    project, record = session
    conversation = record.conversation()
    assert record.returncode == 0, record.explain()
    assert conversation, record.explain()
    first = conversation[0]
    agents_md = (project / "AGENTS.md").read_text()
    assert (project / "GEMINI.md").read_text().strip() == "@AGENTS.md"
    always_on = [line for line in agents_md.splitlines() if len(line) > 40][:3]
    assert always_on
    for line in always_on:
        assert gemini_cli.says(first, line), f"AGENTS.md line missing: {line!r}"
    skills = rendered_skills(project, SKILL_DIRS)
    assert len(skills) >= 10
    for name, (description, line) in skills.items():
        assert gemini_cli.says(first, f"<name>{name}</name>"), f"skill {name} not advertised"
        assert gemini_cli.says(first, description), f"description of {name} missing"
        assert not gemini_cli.says(first, line), f"body of {name} sent up front: {line!r}"


def test_activated_skill_body_arrives_in_the_next_request(session: tuple[Path, Record]) -> None:
    project, record = session
    conversation = record.conversation()
    skills = rendered_skills(project, SKILL_DIRS)
    assert len(conversation) > len(skills), record.explain()
    for turn, (name, (_, line)) in enumerate(skills.items()):
        results = gemini_cli.tool_results(conversation[turn + 1])
        assert len(results) == 1, record.explain()
        assert f'<activated_skill name="{name}">' in results[0], results[0][:500]
        assert line in results[0], f"body of {name} not delivered"


def test_hooks_feed_the_guard_back_and_refuse_to_finish_once(
    hooks_project: Path, hooks_session: Record
) -> None:
    record, first = hooks_session, len(rendered_skills(hooks_project, SKILL_DIRS))
    conversation = record.conversation()
    assert len(conversation) == first + len(HOOK_TURNS), record.explain()
    after_bad, after_clean, after_finish, after_fix = conversation[first + 1 : first + 5]

    # After the write that commits: the guard's finding is appended to the tool result.
    (bad_result,) = gemini_cli.tool_results(after_bad)
    hook_context = bad_result.partition("<hook_context>")[2]
    assert RULE in hook_context, bad_result[-800:]
    assert "app/repos/ledger.py" in hook_context
    # A clean write: nothing appended.
    (clean_result,) = gemini_cli.tool_results(after_clean)
    assert "<hook_context>" not in clean_result, clean_result
    # Finishing with the bad file present: refused, the findings are the next prompt.
    assert not gemini_cli.tool_results(after_finish)
    refusal = gemini_cli.last_user_text(after_finish)
    assert RULE in refusal, refusal
    assert "app/repos/ledger.py" in refusal
    # The fix is clean, and finishing with it is let through: no request after the last turn.
    (fix_result,) = gemini_cli.tool_results(after_fix)
    assert "<hook_context>" not in fix_result, fix_result
    assert record.stderr.count("Agent execution blocked") == 1, record.stderr[-2000:]
    assert record.returncode == 0, record.explain()
