"""A generated repository through a team's life, in one throw-away repo of real copier runs.

The team copies release 1.0.0 with the default answers, adds its own aggregate by the
generated README's recipe (its migration written by the documented command), edits a
template skill and a template file, drops the worked example by answer, switches the
tiers on and off, and updates to release 1.1.0, which revises that skill and that file.
After every step, and committed as a team would:

- no conflict markers, no `*.rej` files, no unmerged paths;
- the team's own files byte-identical, and its edits to template files still there;
- every citation and example import of the rendered skills resolving;
- the project's ruff check, ruff format --check, ty and pytest green.

`pytest -s` prints each step's time and counts.
"""

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from copier import VcsRef

from tests.rendering import PROJECT_CHECKS, assert_check_passes, run_in, sync, uv
from tests.template_repo import (
    TemplateRepo,
    commit_all,
    copy_project,
    git,
    snapshot,
    update_project,
)

pytestmark = pytest.mark.slow

TEAM_SOURCE = Path(__file__).with_name("team_service")
MARKER_LINE = re.compile(rb"^(<<<<<<<|>>>>>>>)( |$)", re.M)
EDITED_SKILL = "python-aggregate-and-repo"
SKILL_NOTE = "- Team note: invoices keep their own audit trail.\n"
TEAM_ERROR = """

class PaymentRequiredError(AppException):
    status_code = 402
    code = "payment_required"
"""
TEAM_VARIABLE = "INVOICES_PAYMENT_TERMS_DAYS=30\n"
RELEASE_DOCSTRING = '"""Typed application errors, one class per HTTP outcome (revised in 1.1.0).'
COUNT_DEAD = (
    "import json; from tests.architecture import test_skills as t; skills = t.template_skills(); "
    "print(json.dumps([sum(len(list(f(s))) for s in skills) "
    "for f in (t.missing_citations, t.missing_imports)]))"
)


@dataclass
class Team:
    """The project, what the team owns in it, and what each step measured."""

    project: Path
    files: dict[str, bytes] = field(default_factory=dict)  # wholly the team's
    edits: dict[str, list[str]] = field(default_factory=dict)  # its lines in template files
    report: list[tuple[str, float, int, int, int]] = field(default_factory=list)

    def write(self, rel: str, text: str) -> None:
        path = self.project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        self.files[rel] = text.encode()

    def insert(self, rel: str, after: str, lines: str) -> None:
        """Insert the team's `lines` after the first line equal to `after` in a template file."""
        path = self.project / rel
        text = path.read_text()
        assert f"\n{after}\n" in text, f"{after!r} is not a line of {rel}"
        path.write_text(text.replace(f"\n{after}\n", f"\n{after}\n{lines}", 1))
        self.edits.setdefault(rel, []).append(lines)

    def step(self, label: str, action: Callable[[], None]) -> None:
        started = time.perf_counter()
        action()
        conflicted, dead_citations, dead_imports = self.check(label)
        self.report.append(
            (label, time.perf_counter() - started, conflicted, dead_citations, dead_imports)
        )
        commit_all(self.project, label)

    def check(self, label: str) -> tuple[int, int, int]:
        project = self.project
        listed = git(project, "ls-files", "--cached", "--others", "--exclude-standard").split()
        tracked = [rel for rel in listed if (project / rel).is_file()]  # not deleted by the step
        marked = [rel for rel in tracked if MARKER_LINE.search((project / rel).read_bytes())]
        rejects = [rel for rel in tracked if rel.endswith(".rej")]
        unmerged = git(project, "diff", "--name-only", "--diff-filter=U").split()
        conflicted = sorted({*marked, *rejects, *unmerged})
        assert conflicted == [], f"{label}: conflicts in {conflicted}"
        for rel, data in self.files.items():
            assert (project / rel).read_bytes() == data, f"{label}: the team's {rel} changed"
        for rel, lines in self.edits.items():
            text = (project / rel).read_text()
            assert all(line in text for line in lines), f"{label}: the team's edit to {rel} is lost"
        sync(project)
        probe = run_in(project, uv(), "run", "--no-sync", "python", "-c", COUNT_DEAD)
        assert probe.returncode == 0, probe.stderr
        dead_citations, dead_imports = json.loads(probe.stdout)
        assert (dead_citations, dead_imports) == (0, 0), f"{label}: dead skill references"
        for check in PROJECT_CHECKS:
            assert_check_passes(project, check)
        return len(conflicted), dead_citations, dead_imports


@pytest.fixture(scope="module")
def releases(workdir: Path) -> TemplateRepo:
    """This checkout as release 1.0.0, then 1.1.0 revising a skill and a skeleton file."""
    repo = snapshot(workdir / "lifecycle-template", "1.0.0")
    skill_md = repo.skill_md(EDITED_SKILL)
    title = next(line for line in skill_md.read_text().splitlines() if line.startswith("# "))
    repo.revise_skill(
        EDITED_SKILL,
        {title: f"{title}, revised"},
        append="\n## Revised in 1.1.0\n\nA closing line only the new release has.\n",
    )
    exceptions = repo.path / "template/app/common/exceptions.py"
    text = exceptions.read_text()
    first_line = text.splitlines()[0]
    exceptions.write_text(text.replace(first_line, RELEASE_DOCSTRING, 1))
    repo.release("1.1.0")
    return repo


def add_own_aggregate(team: Team) -> None:
    """The generated README's recipe, followed to the letter."""
    project = team.project
    for source in sorted(TEAM_SOURCE.rglob("*.py")):
        rel = source.relative_to(TEAM_SOURCE).as_posix()
        team.write(rel, source.read_text())
    config = (project / "app/config.py").read_text()
    config = config.replace(
        "from app.common.settings import ServiceSettings\n",
        "from pydantic import BaseModel, Field\n\nfrom app.common.settings import ServiceSettings"
        "\n\n\nclass InvoiceSettings(BaseModel):\n"
        "    payment_terms_days: int = Field(default=30, ge=1, le=365)\n",
    )
    config = config.replace(
        'plus yours."""\n', 'plus yours."""\n\n    invoices: InvoiceSettings = InvoiceSettings()\n'
    )
    team.write("app/config.py", config)
    env_example = (project / ".env.example").read_text()
    (project / ".env.example").write_text(env_example + TEAM_VARIABLE)
    team.edits[".env.example"] = [TEAM_VARIABLE]

    sync(project)
    before = set((project / "migrations/versions").glob("*.py"))
    made = run_in(
        project, uv(), "run", "--no-sync", "python", "-m", "scripts.new_migration", "add invoices"
    )
    assert made.returncode == 0, made.stdout + made.stderr
    (migration,) = set((project / "migrations/versions").glob("*.py")) - before
    assert 'op.create_table(\n        "invoices",' in migration.read_text()
    team.files[migration.relative_to(project).as_posix()] = migration.read_bytes()


def edit_template_files(team: Team) -> None:
    for folder in (".agents", ".claude"):
        team.insert(f"{folder}/skills/{EDITED_SKILL}/SKILL.md", "## Use when", SKILL_NOTE)
    exceptions = team.project / "app/common/exceptions.py"
    exceptions.write_text(exceptions.read_text() + TEAM_ERROR)
    team.edits["app/common/exceptions.py"] = [TEAM_ERROR]


def toggle(team: Team, **answers: bool | str) -> Callable[[], None]:
    label = ", ".join(f"{name}={value}" for name, value in answers.items())
    return lambda: update_project(team.project, VcsRef.CURRENT, label=label, **answers)


def test_a_repo_stays_coherent_through_a_teams_life(workdir: Path, releases: TemplateRepo) -> None:
    team = Team(workdir / "lifecycle-service")
    example = ["app/models/order.py", "app/clients/carrier.py", "tests/fixtures/carrier.py"]

    team.step("copy 1.0.0", lambda: copy_project(releases, team.project))
    team.step("add own aggregate", lambda: add_own_aggregate(team))
    team.step("edit a skill and a template file", lambda: edit_template_files(team))
    team.step("drop the example", toggle(team, example_slice=False))
    assert not any((team.project / rel).exists() for rel in example)
    tiers: dict[str, bool | str] = {"outbox": False, "pure_domain": False, "auth": "none"}
    tier_files = {
        "outbox": "app/worker.py",
        "pure_domain": "app/domain/__init__.py",
        "auth": "app/auth/__init__.py",
    }
    for label, tier, on in [
        ("outbox on", "outbox", True),
        ("outbox off", "outbox", False),
        ("outbox on again", "outbox", True),
        ("pure_domain on", "pure_domain", True),
        ("pure_domain off", "pure_domain", False),
        ("auth=local", "auth", "local"),
        ("auth=oidc", "auth", "oidc"),
        ("auth=none", "auth", "none"),
    ]:
        tiers[tier] = on
        team.step(label, toggle(team, **{tier: on}))
        for name, path in tier_files.items():
            wanted = tiers[name] not in (False, "none")
            assert (team.project / path).exists() is wanted, (tier, on, path)
    team.step("update to 1.1.0", lambda: update_project(team.project, "1.1.0"))

    for folder in (".agents", ".claude"):
        skill = (team.project / folder / "skills" / EDITED_SKILL / "SKILL.md").read_text()
        assert ", revised\n" in skill
        assert skill.endswith("only the new release has.\n")
    assert (team.project / "app/common/exceptions.py").read_text().startswith(RELEASE_DOCSTRING)

    print(
        "\n\nstep                               seconds  conflicted  dead citations  dead imports"
    )
    for label, seconds, conflicted, citations, imports in team.report:
        print(f"{label:<34} {seconds:7.1f}  {conflicted:10d}  {citations:14d}  {imports:12d}")
