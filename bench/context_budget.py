"""Always-on context per agent: what each agent loads before it reads any skill body.

For each agent: the characters of its always-loaded files plus the name and
description of every skill it discovers (counted once per name). Target: at
most 8,000 characters per agent with every agent, skill and tier on.

    uv run python -m bench.context_budget
"""

import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.rendering import render
from tests.skill_catalogue import catalogue, split_skill

TARGET_CHARS = 8_000
ALL_AGENTS = ["claude-code", "codex", "opencode", "cursor", "copilot", "gemini-cli"]


@dataclass(frozen=True)
class AgentView:
    always_on: tuple[str, ...]  # files loaded into every conversation
    skill_dirs: tuple[str, ...]  # folders whose skills it lists by name and description
    rule_descriptions: str | None = None  # glob of rule files whose description is always shown


AGENT_VIEWS = {
    "claude-code": AgentView(("CLAUDE.md", "AGENTS.md"), (".claude/skills",)),
    "codex": AgentView(("AGENTS.md",), (".agents/skills",)),
    "opencode": AgentView(("AGENTS.md",), (".agents/skills", ".claude/skills")),
    "cursor": AgentView(
        ("AGENTS.md",), (".agents/skills", ".claude/skills"), ".cursor/rules/*.mdc"
    ),
    # Copilot also loads CLAUDE.md and GEMINI.md when they exist (`copilot instruction list`).
    "copilot": AgentView(
        (".github/copilot-instructions.md", "AGENTS.md", "CLAUDE.md", "GEMINI.md"),
        (".agents/skills", ".claude/skills"),
    ),
    "gemini-cli": AgentView(("GEMINI.md", "AGENTS.md"), (".agents/skills",)),
}


@dataclass(frozen=True)
class Budget:
    agent: str
    files_chars: int
    skills: int
    skill_chars: int

    @property
    def total(self) -> int:
        return self.files_chars + self.skill_chars


def measure(project: Path, agent: str) -> Budget:
    view = AGENT_VIEWS[agent]
    files_chars = sum(
        len((project / f).read_text()) for f in view.always_on if (project / f).is_file()
    )
    if view.rule_descriptions:
        for rule in project.glob(view.rule_descriptions):
            front, _ = split_skill(rule.read_text())
            files_chars += len(front.get("description", ""))
    discovered: dict[str, str] = {}
    for folder in view.skill_dirs:
        for skill_md in sorted((project / folder).glob("*/SKILL.md")):
            front, _ = split_skill(skill_md.read_text())
            discovered.setdefault(front["name"], front["description"])
    skill_chars = sum(len(name) + len(text) for name, text in discovered.items())
    return Budget(agent, files_chars, len(discovered), skill_chars)


def render_everything(destination: Path) -> Path:
    """All agents, both tiers and every skill."""
    return render(
        destination, agents=ALL_AGENTS, skills=list(catalogue()), outbox=True, pure_domain=True
    )


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        project = render_everything(Path(tmp) / "svc")
        budgets = [measure(project, agent) for agent in ALL_AGENTS]
    print(f"{'agent':<12} {'files':>7} {'skills':>7} {'skill chars':>12} {'total':>7}  target")
    for b in budgets:
        verdict = "ok" if b.total <= TARGET_CHARS else "OVER"
        print(
            f"{b.agent:<12} {b.files_chars:>7} {b.skills:>7} {b.skill_chars:>12} {b.total:>7}"
            f"  <= {TARGET_CHARS:,} {verdict}"
        )
    return 0 if all(b.total <= TARGET_CHARS for b in budgets) else 1


if __name__ == "__main__":
    raise SystemExit(main())
