"""Each skill in `skills/` is a valid Agent Skill that follows the catalogue's house rules."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.skill_catalogue import (
    SKILLS_DIR,
    catalogue,
    copier_config,
    read_skill,
    written_skills,
)

AGENTSKILLS = str(Path(sys.executable).with_name("agentskills"))
ALLOWED_FIELDS = {"name", "description", "license", "metadata", "compatibility"}
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)

SKILLS = written_skills()


def test_the_catalogue_and_the_folders_agree() -> None:
    listed = set(catalogue())
    choices = set(copier_config()["skills"]["choices"])
    assert listed == choices
    assert set(SKILLS) == listed


@pytest.mark.parametrize("skill", SKILLS)
def test_agentskills_validate(skill: str) -> None:
    result = subprocess.run(
        [AGENTSKILLS, "validate", str(SKILLS_DIR / skill)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("skill", SKILLS)
def test_frontmatter_holds_only_spec_fields(skill: str) -> None:
    front, body = read_skill(skill)
    assert set(front) <= ALLOWED_FIELDS, set(front) - ALLOWED_FIELDS
    assert front["name"] == skill
    assert 0 < len(front["description"]) <= 600
    assert re.fullmatch(r"\d+", str(front["metadata"]["revision"]))
    assert len(body.splitlines()) < 500


@pytest.mark.parametrize("skill", SKILLS)
def test_relative_links_resolve_one_level_deep(skill: str) -> None:
    _, body = read_skill(skill)
    prose = CODE.sub("", body)
    targets = [t for t in LINK.findall(prose) if "://" not in t]
    for target in targets:
        assert target.count("/") <= 1, f"{target} is nested deeper than one level"
        assert (SKILLS_DIR / skill / target).is_file(), f"{skill} links to missing {target}"


@pytest.mark.parametrize("skill", SKILLS)
def test_every_skill_has_runnable_examples(skill: str) -> None:
    examples = sorted((SKILLS_DIR / skill / "examples").glob("*.py"))
    assert examples, f"{skill} has no examples/*.py"
    _, body = read_skill(skill)
    for example in examples:
        assert f"examples/{example.name}" in body, f"SKILL.md does not link {example.name}"
