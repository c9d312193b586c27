"""`copier update` on generated services, with the real Copier and real git.

Each scenario builds a throw-away git repository of this template (tests/template_repo.py),
tags it 1.0.0, makes one release's worth of change, tags 1.1.0, renders a service at 1.0.0
from the repository's absolute path, commits it, lets the team edit it, and updates it.
`pytest -s` prints how long each copy, update and answer change took.
"""

import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
import yaml
from copier import VcsRef

from bench.context_budget import ALL_AGENTS
from tests.rendering import REPO_ROOT, project_env, sync, uv
from tests.skill_catalogue import split_skill
from tests.template_repo import (
    TemplateRepo,
    commit_all,
    copy_project,
    git,
    revision_rule_violations,
    skill_revision,
    snapshot,
    timed,
    update_project,
)
from tests.test_skill_wiring import (
    AGENT_FILES,
    AGENT_PATHS,
    HOOK_FILES,
    agent_files,
    expected_files,
)

COPIER = str(Path(sys.executable).with_name("copier"))
CONFLICT_START, CONFLICT_END = "<<<<<<< before updating", ">>>>>>> after updating"
MARKER_LINE = re.compile(rb"^(<<<<<<<|>>>>>>>)( |$)", re.M)  # as the pre-commit hook looks
HOOK_LINE = re.compile(r"^(?P<hook>.+?)\.{3,}(\(.*\))?(?P<verdict>Passed|Failed|Skipped)$")

# What a team adds in the places the template never writes (README "Your own guidance").
TEAM_FILES = {
    "TEAM.md": "# Team notes\n\nWe deploy on Tuesdays. Money is always integer cents.\n",
    ".agents/skills/team-x/SKILL.md": (
        "---\nname: team-x\ndescription: Our on-call runbook. Use when paging.\n---\n\n"
        "# On call\n\nPage the owner in #svc-orders first.\n"
    ),
}
TEAM_FILES[".claude/skills/team-x/SKILL.md"] = TEAM_FILES[".agents/skills/team-x/SKILL.md"]

# A rename and a retirement, as release 1.1.0 of the `renamed` repository makes them.
RENAMED, RENAMED_TO, RETIRED = "python-value-objects", "python-value-types", "python-stdlib-idioms"


# ---- building blocks ----


def add_team_guidance(project: Path) -> None:
    for rel, text in TEAM_FILES.items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text(text)


def assert_team_guidance_untouched(project: Path) -> None:
    for rel, text in TEAM_FILES.items():
        assert (project / rel).read_bytes() == text.encode(), rel


def files(project: Path) -> dict[str, bytes]:
    return {
        p.relative_to(project).as_posix(): p.read_bytes()
        for p in project.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(project).parts
    }


def answers(project: Path) -> dict[str, Any]:
    return yaml.safe_load((project / ".copier-answers.yml").read_text())


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} must occur once in {path}"
    path.write_text(text.replace(old, new))


def title(path: Path) -> str:
    """The first `# ` heading of a SKILL.md body."""
    _, body = split_skill(path.read_text())
    return next(line for line in body.splitlines() if line.startswith("# "))


def third_section(path: Path) -> str:
    """The third `## ` heading: far from the title and from the end of the file."""
    return [line for line in path.read_text().splitlines() if line.startswith("## ")][2]


def is_agent_path(rel: str) -> bool:
    return rel in AGENT_FILES or rel.startswith(AGENT_PATHS)


def unmerged(project: Path) -> set[str]:
    return set(git(project, "diff", "--name-only", "--diff-filter=U").split())


# ---- releases ----

# Release 1.1.0 of the `revised` repository: two skills get new text and a new revision.
VALUE_OBJECTS_MD = "skills/python-value-objects/SKILL.md"
# The revision the value-objects skill carries in this checkout (release 1.0.0), and the next.
RELEASED = skill_revision((REPO_ROOT / VALUE_OBJECTS_MD).read_text())
NEXT = RELEASED + 1
TYPING_MD = "skills/python-typing-idioms/SKILL.md"
APPENDED = "\n## Revised in 1.1.0\n\nA closing note that only the new release has.\n"


@pytest.fixture(scope="module")
def revised(workdir: Path) -> TemplateRepo:
    repo = snapshot(workdir / "template-revised", "1.0.0")
    old_title = title(repo.path / VALUE_OBJECTS_MD)
    repo.revise_skill(
        "python-value-objects", {old_title: f"{old_title} (1.1.0 wording)"}, append=APPENDED
    )
    old_title = title(repo.path / TYPING_MD)
    repo.revise_skill("python-typing-idioms", {old_title: f"{old_title} (1.1.0 wording)"})
    repo.release("1.1.0")
    return repo


@pytest.fixture(scope="module")
def renamed(workdir: Path) -> TemplateRepo:
    repo = snapshot(workdir / "template-renamed", "1.0.0")
    repo.rename_skill(RENAMED, RENAMED_TO)
    repo.retire_skill(RETIRED)
    repo.release("1.1.0")
    return repo


# ---- 1. a revised skill arrives; the team's edits survive or are marked ----


@pytest.fixture(scope="module")
def revised_project(workdir: Path, revised: TemplateRepo) -> Path:
    project = copy_project(revised, workdir / "revised-svc", agents=ALL_AGENTS)
    for folder in (".agents", ".claude"):
        # An edit far from the lines the release changes, in both copies of the skill.
        skill_md = project / folder / "skills/python-value-objects/SKILL.md"
        section = third_section(skill_md)
        edit(skill_md, section, f"Team: our money type lives in app/money.py.\n\n{section}")
    # An edit on the very line the release changes, in one copy only.
    typing_md = project / ".agents/skills/python-typing-idioms/SKILL.md"
    edit(typing_md, title(typing_md), "# Typing, the way this team writes it")
    add_team_guidance(project)
    commit_all(project, "team edits")
    update_project(project)
    return project


def test_a_revised_skill_arrives_everywhere_and_a_team_edit_elsewhere_survives(
    revised: TemplateRepo, revised_project: Path
) -> None:
    new_title = title(revised.path / VALUE_OBJECTS_MD)
    for folder in (".agents", ".claude"):
        text = (revised_project / folder / "skills/python-value-objects/SKILL.md").read_text()
        front, _ = split_skill(text)
        assert front["metadata"]["revision"] == str(NEXT)
        assert new_title in text.splitlines()
        assert text.endswith(APPENDED)
        assert "Team: our money type lives in app/money.py." in text
        assert CONFLICT_START not in text
    # The copy the team did not touch takes the other revised skill cleanly.
    claude_typing = revised_project / ".claude/skills/python-typing-idioms/SKILL.md"
    assert claude_typing.read_bytes() == (revised.path / TYPING_MD).read_bytes()


def test_an_edit_on_the_same_lines_is_marked_inline(
    revised: TemplateRepo, revised_project: Path
) -> None:
    conflicted = ".agents/skills/python-typing-idioms/SKILL.md"
    lines = (revised_project / conflicted).read_text().splitlines()
    start, middle, end = (lines.index(m) for m in (CONFLICT_START, "=======", CONFLICT_END))
    assert lines[start + 1 : middle] == ["# Typing, the way this team writes it"]  # the team's
    assert lines[middle + 1 : end] == [title(revised.path / TYPING_MD)]  # the release's
    assert unmerged(revised_project) == {conflicted}
    # Nothing else conflicted, and no rejected hunks were left behind.
    marked = [rel for rel, data in files(revised_project).items() if MARKER_LINE.search(data)]
    assert marked == [conflicted]
    assert not list(revised_project.rglob("*.rej"))


# ---- 2. renamed and retired skills leave nothing behind ----


@pytest.fixture(scope="module")
def renamed_project(workdir: Path, renamed: TemplateRepo) -> Path:
    project = copy_project(renamed, workdir / "renamed-svc", agents=ALL_AGENTS)
    # The team had edited the skill that is later retired: it goes all the same.
    retired_md = project / f".agents/skills/{RETIRED}/SKILL.md"
    section = third_section(retired_md)
    edit(retired_md, section, f"Team: we like itertools.\n\n{section}")
    add_team_guidance(project)
    commit_all(project, "team edits")
    update_project(project)
    return project


def test_a_renamed_and_a_retired_skill_leave_nothing_stale(renamed_project: Path) -> None:
    for path in renamed_project.rglob("*"):
        rel = path.relative_to(renamed_project).as_posix()
        if rel.startswith(".git/"):
            continue
        for old in (RENAMED, RETIRED):
            assert old not in rel, rel
            if path.is_file() and rel != ".copier-answers.yml":  # the answer keeps old names
                assert old.encode() not in path.read_bytes(), rel


def test_a_renamed_skill_appears_under_its_new_name_everywhere(renamed_project: Path) -> None:
    before = answers(renamed_project)["skills"]
    assert {RENAMED, RETIRED} <= set(before)  # saved answers still hold the old names
    expected = {
        rel.replace(RENAMED, RENAMED_TO)
        for rel in expected_files(ALL_AGENTS, before, hooks=answers(renamed_project)["agent_hooks"])
        if RETIRED not in rel
    }
    team = {rel for rel in TEAM_FILES if rel != "TEAM.md"}
    assert agent_files(renamed_project) == expected | team
    index = (renamed_project / "AGENTS.md").read_text()
    assert f"| {RENAMED_TO} |" in index
    assert f"`.agents/skills/{RENAMED_TO}/SKILL.md`" in index
    for pointer in (
        f".cursor/rules/{RENAMED_TO}.mdc",
        f".github/instructions/{RENAMED_TO}.instructions.md",
    ):
        assert f".agents/skills/{RENAMED_TO}/SKILL.md" in (renamed_project / pointer).read_text()
    front, _ = split_skill((renamed_project / f".claude/skills/{RENAMED_TO}/SKILL.md").read_text())
    assert front["name"] == RENAMED_TO


@pytest.mark.parametrize("release", ["revised", "renamed"])
def test_team_guidance_survives_updates_byte_for_byte(
    request: pytest.FixtureRequest, release: str
) -> None:
    project: Path = request.getfixturevalue(f"{release}_project")
    assert_team_guidance_untouched(project)
    rendered = {p.name for p in project.glob(".*/skills/*") if p.name != "team-x"}
    assert all(name.startswith("python-") for name in rendered), rendered


def test_renames_chain_and_a_skill_is_rendered_once(workdir: Path) -> None:
    """Two releases rename one skill twice; answers holding old and new names render it once."""
    repo = snapshot(workdir / "template-chain", "1.0.0")
    repo.rename_skill(RENAMED, RENAMED_TO)
    repo.release("1.1.0")
    repo.rename_skill(RENAMED_TO, "python-value-kinds")
    repo.release("1.2.0")

    old = copy_project(repo, workdir / "chain-old", agents=["codex"])
    update_project(old, "1.2.0")
    assert sorted(p.name for p in (old / ".agents/skills").iterdir()) == sorted(
        s.replace(RENAMED, "python-value-kinds") for s in answers(old)["skills"]
    )

    both = [RENAMED, RENAMED_TO, "python-value-kinds", "python-typing-idioms"]
    fresh = copy_project(repo, workdir / "chain-fresh", "1.2.0", agents=["codex"], skills=both)
    assert sorted(p.name for p in (fresh / ".agents/skills").iterdir()) == [
        "python-typing-idioms",
        "python-value-kinds",
    ]
    index = (fresh / "AGENTS.md").read_text().splitlines()
    assert [line.split(" |")[0] for line in index if "python-value" in line] == [
        "| python-value-kinds"
    ]


# ---- 3. an old copy updated equals a fresh copy of the new release ----


@pytest.mark.parametrize("release", ["revised", "renamed"])
def test_an_updated_copy_equals_a_fresh_copy_of_the_new_release(
    request: pytest.FixtureRequest, workdir: Path, release: str
) -> None:
    repo: TemplateRepo = request.getfixturevalue(release)
    updated = copy_project(repo, workdir / f"{release}-updated", agents=ALL_AGENTS)
    update_project(updated)
    same_answers = {k: v for k, v in answers(updated).items() if not k.startswith("_")}
    fresh = copy_project(repo, workdir / f"{release}-fresh", "1.1.0", **same_answers)

    def comparable(project: Path) -> dict[str, bytes]:
        found = files(project)
        saved = found[".copier-answers.yml"].splitlines()
        found[".copier-answers.yml"] = b"\n".join(x for x in saved if not x.startswith(b"_commit:"))
        return found

    assert comparable(updated) == comparable(fresh)


# ---- 5. agents added and removed later ----


def test_adding_and_removing_agents_touches_only_their_files(
    workdir: Path, revised: TemplateRepo
) -> None:
    project = copy_project(revised, workdir / "agents-svc")
    add_team_guidance(project)
    commit_all(project, "team guidance")
    agents: list[str] = answers(project)["agents"]
    skills: list[str] = answers(project)["skills"]
    added = [*agents, "copilot", "gemini-cli"]
    steps = {
        "add copilot and gemini-cli": added,
        "remove claude-code and cursor": [a for a in added if a not in {"claude-code", "cursor"}],
    }
    for label, chosen in steps.items():
        before = files(project)
        # The API spells the command line's `--vcs-ref=:current:` as VcsRef.CURRENT.
        update_project(project, VcsRef.CURRENT, label=f"agents: {label}", agents=chosen)
        after = files(project)
        assert answers(project)["agents"] == chosen
        assert answers(project)["_commit"] == "1.0.0"  # same release, new answer
        team = {rel for rel in TEAM_FILES if rel != "TEAM.md"}
        hooks = answers(project)["agent_hooks"]
        assert agent_files(project) == expected_files(chosen, skills, hooks=hooks) | team, label
        # Files come and go only among the agents' own; of the rest, only the README's
        # agent paragraph and the saved answers change.
        assert all(map(is_agent_path, before.keys() ^ after.keys())), label
        changed = {rel for rel in before.keys() & after.keys() if before[rel] != after[rel]}
        assert changed <= {"README.md", ".copier-answers.yml"}, (label, changed)
        assert_team_guidance_untouched(project)
        commit_all(project, label)


def test_agent_hooks_off_and_on_touch_only_the_hook_files(
    workdir: Path, revised: TemplateRepo
) -> None:
    project = copy_project(revised, workdir / "hooks-svc", agents=ALL_AGENTS, agent_hooks=True)
    hook_files = {"scripts/hooks/__init__.py"} | set().union(*HOOK_FILES.values())
    assert hook_files <= files(project).keys()
    for hooks in (False, True):
        before = files(project)
        update_project(project, VcsRef.CURRENT, label=f"agent_hooks={hooks}", agent_hooks=hooks)
        after = files(project)
        assert answers(project)["agent_hooks"] is hooks
        assert before.keys() ^ after.keys() == hook_files, hooks
        changed = {rel for rel in before.keys() & after.keys() if before[rel] != after[rel]}
        # AGENTS.md and the README say where the hooks are while they exist.
        assert changed == {"AGENTS.md", "README.md", ".copier-answers.yml"}, (hooks, changed)
        commit_all(project, f"agent_hooks={hooks}")


# ---- 6. the copier command line, without --trust ----


def copier_cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [COPIER, *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=300
    )
    assert "unsafe" not in result.stderr.lower(), result.stderr  # how copier names --trust
    assert "--trust" not in result.stderr, result.stderr
    return result


def test_copy_check_update_and_restore_from_the_command_line(
    workdir: Path, revised: TemplateRepo
) -> None:
    project = workdir / "cli-svc"
    with timed("copier copy (command line)"):
        result = copier_cli(
            workdir,
            "copy",
            "--defaults",
            "--vcs-ref=1.0.0",
            str(revised.path.resolve()),
            str(project),
        )
    assert result.returncode == 0, result.stderr
    git(project, "init", "--quiet")
    commit_all(project, "service")
    # The team deletes one copy of a skill that the next release revises.
    shutil.rmtree(project / ".claude/skills/python-value-objects")
    commit_all(project, "we do not want this skill for Claude")

    assert copier_cli(project, "check-update", "--quiet").returncode == 2  # 2: a newer release
    with timed("copier update (command line)"):
        result = copier_cli(project, "update", "--defaults")  # exactly as the README says
    assert result.returncode == 0, result.stderr
    assert answers(project)["_commit"] == "1.1.0"
    revised_md = (project / ".agents/skills/python-value-objects/SKILL.md").read_text()
    assert split_skill(revised_md)[0]["metadata"]["revision"] == str(NEXT)
    assert not (project / ".claude/skills/python-value-objects").exists()  # deleted stays deleted
    commit_all(project, "stackcraft 1.1.0")
    assert copier_cli(project, "check-update", "--quiet").returncode == 0

    # The generated README's recipe brings the deleted skill back, at the current release.
    readme = (project / "README.md").read_text()
    recipe = readme.split("```sh\nfresh=$(mktemp -d)\n", 1)[1].split("```", 1)[0]
    script = "fresh=$(mktemp -d)\n" + recipe.replace("python-test-pyramid", "python-value-objects")
    env = project_env() | {"PATH": f"{Path(COPIER).parent}:{project_env()['PATH']}"}
    with timed("restore a deleted skill (README recipe)"):
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
    assert result.returncode == 0, result.stderr
    restored = project / ".claude/skills/python-value-objects"
    assert {p.relative_to(restored) for p in restored.rglob("*")} == {
        p.relative_to(project / ".agents/skills/python-value-objects")
        for p in (project / ".agents/skills/python-value-objects").rglob("*")
    }
    assert (restored / "SKILL.md").read_text() == revised_md


# ---- pre-commit refuses conflict markers and *.rej files ----


def test_pre_commit_refuses_conflict_markers_and_rej_files(
    workdir: Path, revised_project: Path
) -> None:
    project = workdir / "pre-commit-svc"
    shutil.copytree(revised_project, project, symlinks=True)
    conflicted = ".agents/skills/python-typing-idioms/SKILL.md"
    git(project, "add", conflicted)  # a careless "resolution" that keeps the markers
    (project / "app/main.py.rej").write_text("@@ -1 +1 @@\n-old\n+new\n")
    with timed("uv sync (for pre-commit)"):
        sync(project)

    def pre_commit(*paths: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [uv(), "run", "--no-sync", "pre-commit", "run", "--color=never", "--files", *paths],
            cwd=project,
            env=project_env(),
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )

    refused = pre_commit(conflicted, "app/main.py.rej")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    verdicts = {
        found["hook"]: found["verdict"]
        for found in map(HOOK_LINE.match, refused.stdout.splitlines())
        if found
    }
    assert verdicts["no merge conflict markers (git merge, copier update)"] == "Failed", verdicts
    assert verdicts["no leftover *.rej files from copier update"] == "Failed", verdicts
    assert f"{conflicted}:" in refused.stdout

    # Resolved for real (the release's version kept, markers gone, .rej deleted): accepted.
    shutil.copyfile(project / ".claude/skills/python-typing-idioms/SKILL.md", project / conflicted)
    (project / "app/main.py.rej").unlink()
    git(project, "add", "--all")
    accepted = pre_commit(conflicted)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr


# ---- the skill revision rule, against this repository's release tags ----


def test_a_skill_changed_since_a_release_has_a_higher_revision_and_a_changelog_row() -> None:
    tags, problems = revision_rule_violations(REPO_ROOT)
    assert problems == []
    if not tags:
        warnings.warn(
            "no release tag in this repository yet, so the skill revision rule had nothing "
            "to compare against (test_the_revision_rule_catches_each_kind_of_slip checks "
            "the rule itself)",
            stacklevel=1,
        )


def test_the_revision_rule_catches_each_kind_of_slip(workdir: Path) -> None:
    repo = snapshot(workdir / "template-revisions", "1.0.0")
    skill_md = repo.path / VALUE_OBJECTS_MD
    assert revision_rule_violations(repo.path) == (["1.0.0"], [])

    edit(skill_md, third_section(skill_md), f"A new sentence.\n\n{third_section(skill_md)}")
    _, problems = revision_rule_violations(repo.path)
    assert any("bump metadata.revision" in p for p in problems), problems

    bump = (f'revision: "{RELEASED}"', f'revision: "{NEXT}"')
    skill_md.write_text(skill_md.read_text().replace(*bump, 1))
    _, problems = revision_rule_violations(repo.path)
    assert problems == [
        "python-value-objects changed since 1.0.0: "
        f"CHANGELOG.md lists no '| python-value-objects | {NEXT} |'"
    ]

    changelog = repo.path / "CHANGELOG.md"
    changelog.write_text(changelog.read_text() + f"| python-value-objects | {NEXT} |\n")
    assert revision_rule_violations(repo.path)[1] == []

    git(repo.path, "checkout", "--quiet", "--", VALUE_OBJECTS_MD)  # back to the released text
    skill_md.write_text(skill_md.read_text().replace(*bump, 1))
    _, problems = revision_rule_violations(repo.path)
    assert problems == ["python-value-objects: revision bumped since 1.0.0 without a text change"]
