"""Skills are true in every state a generated repo can be in.

The generated project checks its own skills (`tests/architecture/test_skills.py`: what they
cite, what their examples import, what their pointer globs match), and
`tests/test_generated_project.py` runs that check with every answer set, example on and off;
the project's ruff and ty also check the skill examples in place. What only the template can
check is here:

- every skill's examples run, on real PostgreSQL, in a project with the worked example and
  in one without it (every tier on, so the tier skills are there too; auth `local`), and
  without it with auth `oidc`;
- no skill names code that only the worked example defines;
- the generated check fails, and says what to do, when a team renames code a skill cites.
"""

import ast
import re
import shutil
from pathlib import Path

import pytest

from tests.rendering import PROJECT_CHECKS, render, run_in, sync, uv
from tests.skill_catalogue import SKILLS_DIR, written_skills

SKILLS = written_skills()
TIERS = {"outbox": True, "pure_domain": True}
STATES = {
    "with-example": {"auth": "local"},
    "without-example": {"example_slice": False, "auth": "local"},
    "without-example-oidc": {"example_slice": False, "auth": "oidc"},
}


@pytest.fixture(scope="module")
def projects(workdir: Path) -> dict[str, Path]:
    rendered = {
        name: render(workdir / f"skills-{name}", **TIERS, **answers)
        for name, answers in STATES.items()
    }
    for project in rendered.values():
        sync(project)
    return rendered


@pytest.mark.slow
@pytest.mark.parametrize("state", list(STATES))
def test_every_example_runs(projects: dict[str, Path], state: str) -> None:
    project = projects[state]
    examples_root = project / "tests" / "skill_examples"
    shutil.rmtree(examples_root, ignore_errors=True)
    examples_root.mkdir()
    (examples_root / "__init__.py").touch()
    for skill in SKILLS:
        target = examples_root / skill.replace("-", "_")
        shutil.copytree(SKILLS_DIR / skill / "examples", target)
        (target / "__init__.py").touch()

    args = ["-rA", "-o", "python_files=*.py", "tests/skill_examples"]
    result = run_in(project, uv(), "run", "--no-sync", *PROJECT_CHECKS["pytest"], *args)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    passed = re.findall(r"^PASSED tests/skill_examples/(\w+)/", result.stdout, re.M)
    assert sorted(set(passed)) == sorted(skill.replace("-", "_") for skill in SKILLS)


def top_level_names(paths: list[Path]) -> set[str]:
    names: set[str] = set()
    for path in paths:
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                names.add(node.name)
            elif isinstance(node, ast.Assign):
                names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
    return {name for name in names if not name.startswith("_")}


def code_of(project: Path, folders: tuple[str, ...]) -> dict[str, Path]:
    return {
        p.relative_to(project).as_posix(): p
        for folder in folders
        for p in (project / folder).rglob("*.py")
    }


@pytest.mark.slow
def test_no_skill_names_code_only_the_example_has(projects: dict[str, Path]) -> None:
    with_example, without = projects["with-example"], projects["without-example"]
    example_code = code_of(with_example, ("app", "tests/fixtures"))
    everything_else = code_of(without, ("app", "tests", "scripts", "migrations"))
    only_example = [path for rel, path in example_code.items() if rel not in everything_else]
    assert only_example, "the example slice should add code of its own"
    example_names = top_level_names(only_example) - top_level_names(list(everything_else.values()))

    found = {}
    for skill in SKILLS:
        examples = sorted((SKILLS_DIR / skill / "examples").glob("*.py"))
        code = re.findall(
            r"```.*?```|`[^`\n]+`", (SKILLS_DIR / skill / "SKILL.md").read_text(), re.S
        )
        words = set(re.findall(r"[A-Za-z_]\w*", " ".join(code)))
        words |= {w for e in examples for w in re.findall(r"[A-Za-z_]\w*", e.read_text())}
        if hits := (words & example_names) - top_level_names(examples):
            found[skill] = sorted(hits)
    assert found == {}


@pytest.mark.slow
def test_the_project_says_what_to_do_when_cited_code_is_renamed(workdir: Path) -> None:
    project = render(workdir / "skills-renamed-code", example_slice=False)
    sync(project)
    for path in (project / "app").rglob("*.py"):  # a team renames a constant everywhere
        text = path.read_text()
        path.write_text(text.replace("NAMING_CONVENTION", "CONSTRAINT_NAMES"))

    pytest_command = PROJECT_CHECKS["pytest"]
    result = run_in(
        project, uv(), "run", "--no-sync", *pytest_command, "tests/architecture/test_skills.py"
    )

    assert result.returncode != 0
    assert "cites `app/db/base.py:NAMING_CONVENTION`" in result.stdout
    assert "imports NAMING_CONVENTION from app.db.base" in result.stdout
    assert "--data skills=" in result.stdout
