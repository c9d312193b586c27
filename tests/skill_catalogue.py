"""The skill catalogue as the template sees it: `skills/` folders and `copier.yml` entries."""

import re
from typing import Any

import yaml

from tests.rendering import REPO_ROOT

SKILLS_DIR = REPO_ROOT / "skills"
_FRONTMATTER = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.S)


def copier_config() -> dict[str, Any]:
    return yaml.safe_load((REPO_ROOT / "copier.yml").read_text())


def catalogue() -> dict[str, dict[str, Any]]:
    return copier_config()["skill_catalogue"]["default"]


def written_skills() -> list[str]:
    return sorted(p.name for p in SKILLS_DIR.iterdir() if (p / "SKILL.md").is_file())


def split_skill(text: str) -> tuple[dict[str, Any], str]:
    """Return (frontmatter, body) of a SKILL.md text."""
    match = _FRONTMATTER.match(text)
    if match is None:
        raise ValueError("SKILL.md must start with a --- frontmatter block ---")
    return yaml.safe_load(match.group(1)), match.group(2)


def read_skill(name: str) -> tuple[dict[str, Any], str]:
    return split_skill((SKILLS_DIR / name / "SKILL.md").read_text())
