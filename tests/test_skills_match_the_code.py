"""Skills describe the generated code as it is: cited paths and names exist, examples run.

Two projects are rendered with the example slice and every skill on: one with
the tiers off (the code the broad and app skills describe) and one with both
tiers on (for the opt-in skills). In the project that matches each skill:
- every `app/...` or `tests/...` path the skill cites exists, and every
  `path:Name.attr` citation names something defined there;
- the skill's examples are copied into the project's tests and pass its
  ruff, ty and pytest (real PostgreSQL included).
"""

import ast
import re
import shutil
from pathlib import Path

import pytest

from tests.rendering import assert_check_passes, render, run_in, sync, uv
from tests.skill_catalogue import SKILLS_DIR, read_skill, written_skills

SKILLS = written_skills()
TIER_SKILLS = {"python-message-bus-outbox", "python-pure-domain-layer"}
CITATION = re.compile(r"`((?:app|tests)/[\w./-]+?)(?::([\w.]+))?`")


@pytest.fixture(scope="module")
def projects(workdir: Path) -> dict[bool, Path]:
    """Keyed by "tiers on": the project each skill describes."""
    plain = render(workdir / "skills-plain")
    tiers = render(workdir / "skills-tiers", outbox=True, pure_domain=True)
    for project in (plain, tiers):
        sync(project)
    return {False: plain, True: tiers}


def skills_of(tiers_on: bool) -> list[str]:
    return [s for s in SKILLS if (s in TIER_SKILLS) == tiers_on]


def defines(source: str, dotted: str) -> bool:
    """Whether `dotted` (e.g. `OrderService.ship`) is defined at module or class level."""
    scope: list[ast.stmt] = ast.parse(source).body
    for part in dotted.split("."):
        node = next((n for n in scope if part in names_defined_by(n)), None)
        if node is None:
            return False
        scope = node.body if isinstance(node, ast.ClassDef) else []
    return True


def names_defined_by(node: ast.stmt) -> set[str]:
    if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
        return {node.name}
    if isinstance(node, ast.Assign):
        return {t.id for t in node.targets if isinstance(t, ast.Name)}
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return {node.target.id}
    return set()


@pytest.mark.parametrize(
    ("source", "dotted", "found"),
    [
        ("class A:\n    def run(self): ...\n", "A.run", True),
        ("class A:\n    x: int = 1\n", "A.x", True),
        ("LIMIT = 3\n", "LIMIT", True),
        ("class A:\n    def run(self): ...\n", "A.walk", False),
        ("def run(): ...\n", "run.inner", False),
    ],
)
def test_citation_resolver(source: str, dotted: str, found: bool) -> None:
    assert defines(source, dotted) is found


@pytest.mark.slow
@pytest.mark.parametrize("skill", SKILLS)
def test_cited_paths_and_names_exist(projects: dict[bool, Path], skill: str) -> None:
    project = projects[skill in TIER_SKILLS]
    texts = [read_skill(skill)[1]]
    texts += [p.read_text() for p in (SKILLS_DIR / skill / "references").glob("*.md")]
    citations = {m for text in texts for m in CITATION.findall(text)}
    assert citations, f"{skill} cites nothing of the generated code"
    missing = []
    for path, dotted in sorted(citations):
        target = project / path.rstrip("/")
        if not target.exists():
            missing.append(path)
        elif dotted and not (target.is_file() and defines(target.read_text(), dotted)):
            missing.append(f"{path}:{dotted}")
    assert missing == []


@pytest.mark.slow
@pytest.mark.parametrize("tiers_on", [False, True], ids=["tiers-off", "tiers-on"])
def test_examples_pass_the_generated_projects_checks(
    projects: dict[bool, Path], tiers_on: bool
) -> None:
    project, skills = projects[tiers_on], skills_of(tiers_on)
    examples_root = project / "tests" / "skill_examples"
    examples_root.mkdir()
    (examples_root / "__init__.py").touch()
    for skill in skills:
        target = examples_root / skill.replace("-", "_")
        shutil.copytree(SKILLS_DIR / skill / "examples", target)
        (target / "__init__.py").touch()

    for check in ("ruff check", "ruff format", "ty"):
        assert_check_passes(project, check)
    pytest_args = ["-o", "python_files=*.py", "tests/skill_examples"]
    collected = run_in(
        project, uv(), "run", "--no-sync", "pytest", "--collect-only", "-q", *pytest_args
    )
    for skill in skills:
        assert f"tests/skill_examples/{skill.replace('-', '_')}/" in collected.stdout, skill
    result = run_in(
        project, uv(), "run", "--no-sync", "pytest", "-q", "-p", "no:cacheprovider", *pytest_args
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    # The project's own suite, architecture rules included, still passes beside them.
    assert_check_passes(project, "pytest")
