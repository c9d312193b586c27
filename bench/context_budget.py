"""Always-on context per agent: what each agent loads before it reads any skill body.

For each agent, the estimate: the characters of its always-loaded files plus the
name and description of every skill it discovers (counted once per name).
Target: at most 8,000 characters per agent with every skill and tier on, in a
render with that agent alone. With every agent on, some agents also read the
others' files (Copilot reads CLAUDE.md and the AGENTS.md it imports): that
figure is shown beside it.

Next to it, the measured cost: the real agent CLI (tests/agents/) runs one turn
against the scripted model in the rendered project and in an empty git folder;
the difference in bytes of the first request's body (compact JSON) is what the
project adds, including what the agent itself adds about a project (paths,
a file tree). Cursor's agent is not installable here, so it has no measurement.

    uv run python -m bench.context_budget
    uv run python -m bench.context_budget --estimate-only   # no agent CLIs
"""

import argparse
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench._support import Figure, exit_code, print_table
from tests.agents import claude_code, codex, copilot, gemini_cli, installed_clis, opencode
from tests.rendering import render
from tests.skill_catalogue import catalogue, split_skill

TARGET_CHARS = 8_000
ALL_AGENTS = ["claude-code", "codex", "opencode", "cursor", "copilot", "gemini-cli"]


@dataclass(frozen=True)
class AgentView:
    always_on: tuple[str, ...]  # files loaded into every conversation
    skill_dirs: tuple[str, ...]  # folders whose skills it lists by name and description
    rule_descriptions: str | None = None  # glob of rule files whose description is always shown
    resolves_imports_in: tuple[str, ...] = ()  # files whose `@file` lines it loads as well


AGENT_VIEWS = {
    "claude-code": AgentView(("CLAUDE.md", "AGENTS.md"), (".claude/skills",)),
    "codex": AgentView(("AGENTS.md",), (".agents/skills",)),
    "opencode": AgentView(("AGENTS.md",), (".agents/skills", ".claude/skills")),
    "cursor": AgentView(
        ("AGENTS.md",), (".agents/skills", ".claude/skills"), ".cursor/rules/*.mdc"
    ),
    # Copilot also loads CLAUDE.md and GEMINI.md when they exist (`copilot instruction list`),
    # and resolves CLAUDE.md's import: beside Claude Code it reads AGENTS.md twice.
    "copilot": AgentView(
        (".github/copilot-instructions.md", "AGENTS.md", "CLAUDE.md", "GEMINI.md"),
        (".agents/skills", ".claude/skills"),
        resolves_imports_in=("CLAUDE.md",),
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
    files = [f for f in view.always_on if (project / f).is_file()]
    for importer in set(view.resolves_imports_in) & set(files):
        lines = (project / importer).read_text().splitlines()
        files += [line[1:] for line in lines if line.startswith("@")]
    files_chars = sum(len((project / f).read_text()) for f in files)
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
    """All agents with their hooks, every tier (auth as local accounts) and every skill."""
    return render(
        destination,
        agents=ALL_AGENTS,
        agent_hooks=True,
        skills=list(catalogue()),
        outbox=True,
        pure_domain=True,
        auth="local",
    )


def render_alone(destination: Path, agent: str) -> Path:
    """One agent, with every skill and every tier (auth as local accounts)."""
    return render(
        destination,
        agents=[agent],
        skills=list(catalogue()),
        outbox=True,
        pure_domain=True,
        auth="local",
    )


OK = [{"text": "ok"}]  # a one-turn session: the model answers at once


def measured_bytes(project: Path, empty: Path, work: Path) -> dict[str, tuple[int, int]]:
    """agent -> (first-request bytes in the project, in the empty folder)."""
    drivers = {"claude-code": claude_code, "codex": codex, "opencode": opencode,
               "copilot": copilot, "gemini-cli": gemini_cli}  # fmt: skip
    agent_bin = installed_clis()
    return {
        agent: (
            driver.run(agent_bin, project, work / agent / "project", OK).first_request_bytes(),
            driver.run(agent_bin, empty, work / agent / "empty", OK).first_request_bytes(),
        )
        for agent, driver in drivers.items()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--estimate-only", action="store_true", help="skip the agent CLIs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        everything = render_everything(Path(tmp) / "svc")
        together = {agent: measure(everything, agent) for agent in ALL_AGENTS}
        alone = {agent: measure(render_alone(Path(tmp) / agent, agent), agent)
                 for agent in ALL_AGENTS}  # fmt: skip
        measured: dict[str, tuple[int, int]] = {}
        if not args.estimate_only:
            empty = Path(tmp) / "empty"
            empty.mkdir()
            for folder in (everything, empty):
                subprocess.run(["git", "init", "--quiet"], cwd=folder, check=True)
            measured = measured_bytes(everything, empty, Path(tmp))
    figures = []
    for agent in ALL_AGENTS:
        b = alone[agent]
        figures.append(Figure(f"{agent}: always-on characters, alone", f"{b.total:,}",
                              f"<= {TARGET_CHARS:,}", b.total <= TARGET_CHARS))  # fmt: skip
        figures.append(Figure(f"{agent}: with all agents", f"{together[agent].total:,}"))
        if agent in measured:
            with_project, without = measured[agent]
            growth = f"{with_project:,} - {without:,} = {with_project - without:,}"
            figures.append(Figure(f"{agent}: first request, bytes project - empty", growth))
    print_table("Always-on context per agent (every skill and tier on)", figures)
    return exit_code(figures)


if __name__ == "__main__":
    raise SystemExit(main())
