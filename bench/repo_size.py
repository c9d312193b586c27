"""Repository size: the service's own code should be the biggest thing in a generated repo.

Renders two projects: the default answers (the example on, tiers off, ten skills) and
everything on (all agents, every tier, all thirteen skills), and counts lines (`wc -l`)
of `app/`, `tests/`, one skills folder (`.agents/skills/`, what an agent reads; Claude
Code's `.claude/skills/` is an identical copy) and of SKILL.md files alone.
Target: one skills folder has fewer lines than `app/` in the default render.

    uv run python -m bench.repo_size
"""

import argparse
from pathlib import Path

from bench._support import Figure, exit_code, print_table, scratch_dir
from bench.context_budget import render_everything
from tests.rendering import render


def lines(root: Path, pattern: str) -> int:
    return sum(len(p.read_text().splitlines()) for p in root.glob(pattern) if p.is_file())


def measure(project: Path, label: str, *, target: bool) -> list[Figure]:
    app = lines(project, "app/**/*.py")
    skills = lines(project, ".agents/skills/**/*")
    ratio = skills / app
    return [
        Figure(f"{label}: app/ lines", str(app)),
        Figure(f"{label}: tests/ lines", str(lines(project, "tests/**/*.py"))),
        Figure(f"{label}: one skills folder, lines", str(skills)),
        Figure(f"{label}: of which SKILL.md", str(lines(project, ".agents/skills/*/SKILL.md"))),
        Figure(
            f"{label}: skills folder / app/",
            f"{ratio:.2f}",
            "< 1.00" if target else "",
            ratio < 1 if target else None,
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    with scratch_dir("size") as base:
        figures = measure(render(base / "default"), "default", target=True)
        figures += measure(render_everything(base / "everything"), "everything on", target=False)
    print_table("repository size: lines per folder of a fresh render", figures)
    return exit_code(figures)


if __name__ == "__main__":
    raise SystemExit(main())
