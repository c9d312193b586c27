"""Skills reach exactly the agents that were chosen, in the places each agent reads."""

from pathlib import Path

import pytest

from bench.context_budget import ALL_AGENTS, TARGET_CHARS, measure, render_everything
from tests.rendering import render
from tests.skill_catalogue import SKILLS_DIR, catalogue, split_skill, written_skills

SKILLS = written_skills()
TIERS_ON = {"outbox": True, "pure_domain": True, "auth": "local"}  # every skill needs its tier
AGENT_PATHS = (".agents/", ".claude/", ".cursor/", ".github/instructions/", ".github/hooks/")
AGENT_PATHS += (".codex/", ".gemini/", ".opencode/", "scripts/hooks/")
AGENT_FILES = {"AGENTS.md", "CLAUDE.md", "GEMINI.md", ".github/copilot-instructions.md"}
# With `agent_hooks`: each agent's hook settings and its adapter in scripts/hooks/.
HOOK_FILES = {
    "claude-code": {".claude/settings.json", "scripts/hooks/claude_code.py"},
    "codex": {".codex/hooks.json", "scripts/hooks/codex.py"},
    "opencode": {".opencode/plugins/guard.js", "scripts/hooks/opencode.py"},
    "cursor": {".cursor/hooks.json", "scripts/hooks/cursor.py"},
    "copilot": {".github/hooks/guard.json", "scripts/hooks/copilot.py"},
    "gemini-cli": {".gemini/settings.json", "scripts/hooks/gemini_cli.py"},
}


def agent_files(project: Path) -> set[str]:
    found = set()
    for path in project.rglob("*"):
        rel = path.relative_to(project).as_posix()
        if path.is_file() and (rel in AGENT_FILES or rel.startswith(AGENT_PATHS)):
            found.add(rel)
    return found


def skill_tree(skill: str, folder: str) -> set[str]:
    source = SKILLS_DIR / skill
    return {
        f"{folder}/{skill}/{p.relative_to(source).as_posix()}"
        for p in source.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def expected_files(agents: list[str], skills: list[str], *, hooks: bool) -> set[str]:
    expected: set[str] = set()
    if agents:
        expected.add("AGENTS.md")
    if agents and hooks:
        expected.add("scripts/hooks/__init__.py")
        expected |= {f for agent in agents for f in HOOK_FILES[agent]}
    if set(agents) - {"claude-code"}:
        expected |= {f for s in skills for f in skill_tree(s, ".agents/skills")}
    if "claude-code" in agents:
        expected.add("CLAUDE.md")
        expected |= {f for s in skills for f in skill_tree(s, ".claude/skills")}
    if "gemini-cli" in agents:
        expected.add("GEMINI.md")
    if "cursor" in agents:
        expected |= {f".cursor/rules/{s}.mdc" for s in skills}
    if "copilot" in agents:
        expected.add(".github/copilot-instructions.md")
        expected |= {f".github/instructions/{s}.instructions.md" for s in skills}
    return expected


CASES = {f"only-{a}": ([a], True) for a in ALL_AGENTS} | {
    "all": (ALL_AGENTS, True),
    "all-without-hooks": (ALL_AGENTS, False),
    "none": ([], True),
}


@pytest.mark.parametrize(("agents", "hooks"), CASES.values(), ids=CASES.keys())
def test_exactly_the_chosen_agents_get_files(
    tmp_path: Path, agents: list[str], hooks: bool
) -> None:
    answers = {"agents": agents, "agent_hooks": hooks, "skills": SKILLS, **TIERS_ON}
    project = render(tmp_path / "svc", **answers)
    assert agent_files(project) == expected_files(agents, SKILLS, hooks=hooks)
    if len(agents) == 1:  # the budget holds for each agent with every skill and tier on
        budget = measure(project, agents[0])
        assert budget.skills == len(SKILLS)
        assert budget.total <= TARGET_CHARS, budget


@pytest.fixture(scope="module")
def everything(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_everything(tmp_path_factory.mktemp("all") / "svc")


def test_every_copy_equals_its_source(everything: Path) -> None:
    for skill in SKILLS:
        for folder in (".agents/skills", ".claude/skills"):
            for rel in skill_tree(skill, folder):
                source = SKILLS_DIR / skill / rel.split(f"{skill}/", 1)[1]
                assert (everything / rel).read_bytes() == source.read_bytes(), rel


def test_claude_and_gemini_import_agents_md(everything: Path) -> None:
    for name in ("CLAUDE.md", "GEMINI.md"):
        assert "@AGENTS.md" in (everything / name).read_text().splitlines()


def test_agents_md_indexes_every_skill_with_a_real_path(everything: Path) -> None:
    text = (everything / "AGENTS.md").read_text()
    for skill in SKILLS:
        row = next(line for line in text.splitlines() if line.startswith(f"| {skill} |"))
        assert catalogue()[skill]["summary"] in row
        path = row.split("`")[-2]
        assert (everything / path).is_file(), path
    assert "## Rules" not in text, "AGENTS.md must index skills, not repeat their bodies"


def pointer_files(project: Path) -> list[Path]:
    return sorted(project.glob(".cursor/rules/*.mdc")) + sorted(
        project.glob(".github/instructions/*.instructions.md")
    )


def test_pointer_frontmatter_has_what_each_tool_reads(everything: Path) -> None:
    for pointer in pointer_files(everything):
        front, body = split_skill(pointer.read_text())
        skill = pointer.name.split(".")[0]
        if pointer.suffix == ".mdc":
            assert set(front) == {"description", "globs", "alwaysApply"}
            assert front["alwaysApply"] is False
            assert isinstance(front["globs"], str)
        else:
            assert set(front) == {"description", "applyTo"}
            assert isinstance(front["applyTo"], str)
        assert front["description"] == catalogue()[skill]["summary"]
        assert f".agents/skills/{skill}/SKILL.md" in body
        assert len(body.splitlines()) <= 3, "pointers point; they never repeat the skill"


def test_a_deselected_skill_leaves_no_trace(tmp_path: Path) -> None:
    dropped = SKILLS[:2]
    project = render(tmp_path / "svc", agents=ALL_AGENTS, skills=SKILLS[2:], **TIERS_ON)
    for path in project.rglob("*"):
        assert not any(skill in path.as_posix() for skill in dropped), path
    # The index and the pointers never mention it (other skills may still cite it by name).
    for wiring_file in [project / "AGENTS.md", *pointer_files(project)]:
        text = wiring_file.read_text()
        assert not any(skill in text for skill in dropped), wiring_file
