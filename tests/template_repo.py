"""Throw-away git repositories of this template, for tests that release and update it.

`snapshot()` copies the working tree of this checkout (tracked files plus untracked files
that are not ignored, so a dirty tree works too) into a new git repository and tags it.
The `TemplateRepo` methods then make the kind of change a release makes — revise, rename
or retire a skill — so a test can tag a second version and update a project to it.
"""

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import copier
import yaml
from copier import VcsRef

from tests.rendering import REPO_ROOT
from tests.skill_catalogue import split_skill

# Commits in throw-away repositories must not depend on the machine's git identity.
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "stackcraft tests",
    "GIT_AUTHOR_EMAIL": "tests@stackcraft.invalid",
    "GIT_COMMITTER_NAME": "stackcraft tests",
    "GIT_COMMITTER_EMAIL": "tests@stackcraft.invalid",
}


def git(cwd: Path, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=cwd,
        env=os.environ | GIT_IDENTITY,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"git {' '.join(args)} failed in {cwd}:\n{result.stderr}"
    return result.stdout


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "--allow-empty", "-m", message)


def source_files(root: Path = REPO_ROOT) -> list[str]:
    """Files of this checkout as a release would contain them (deleted files left out)."""
    listed = git(root, "ls-files", "--cached", "--others", "--exclude-standard", "-z")
    paths = {p for p in listed.split("\0") if p}
    return sorted(p for p in paths if (root / p).is_symlink() or (root / p).is_file())


def skill_revision(skill_md_text: str) -> int:
    front, _ = split_skill(skill_md_text)
    return int(front["metadata"]["revision"])


def snapshot(destination: Path, tag: str) -> "TemplateRepo":
    """A git repository holding this checkout's template files, committed and tagged `tag`."""
    destination.mkdir(parents=True)
    for rel in source_files():
        source, target = REPO_ROOT / rel, destination / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        # Skill folders under template/ are links into skills/; keep them links.
        shutil.copy2(source, target, follow_symlinks=False)
    git(destination, "init", "--quiet")
    repo = TemplateRepo(destination)
    repo.release(tag)
    return repo


def walk(root: Path) -> Iterator[Path]:
    """Every entry below `root`, without descending into folder links."""
    for folder, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            yield Path(folder, name)


@dataclass(frozen=True)
class TemplateRepo:
    path: Path

    def release(self, tag: str) -> None:
        commit_all(self.path, f"release {tag}")
        git(self.path, "tag", tag)

    # ---- copier.yml ----

    def config(self) -> dict[str, Any]:
        return yaml.safe_load((self.path / "copier.yml").read_text())

    def write_config(self, config: dict[str, Any]) -> None:
        # Key order is kept: later questions' defaults refer to earlier answers.
        text = yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=1000)
        (self.path / "copier.yml").write_text(text)

    # ---- skills ----

    def skill_md(self, skill: str) -> Path:
        return self.path / "skills" / skill / "SKILL.md"

    def revise_skill(self, skill: str, replace: dict[str, str], append: str = "") -> int:
        """Edit a skill's SKILL.md the way a release does, bumping `metadata.revision`."""
        path = self.skill_md(skill)
        text = path.read_text()
        for old, new in replace.items():
            assert text.count(old) == 1, f"{old!r} must occur exactly once in {path}"
            text = text.replace(old, new)
        revision = skill_revision(text)
        line = f'revision: "{revision}"'
        assert text.count(line) == 1, f"{path} must state its revision as {line}"
        path.write_text(text.replace(line, f'revision: "{revision + 1}"') + append)
        return revision + 1

    def template_paths(self, skill: str) -> list[Path]:
        """The entries under template/ that render `skill` (folder links and pointer files)."""
        found = [p for p in walk(self.path / "template") if skill in p.name]
        # Deepest first, so renaming or deleting an entry never moves another one.
        return sorted(found, key=lambda p: len(p.parts), reverse=True)

    def rename_skill(self, old: str, new: str) -> None:
        """Rename a skill the way ARCHITECTURE.md says a release renames one."""
        # The skill's own folder and every file that names it (its frontmatter, pointers,
        # other skills' cross-references).
        (self.path / "skills" / old).rename(self.path / "skills" / new)
        for path in self._text_files():
            text = path.read_text()
            if old in text:
                path.write_text(text.replace(old, new))
        for path in self.template_paths(old):
            renamed = path.with_name(path.name.replace(old, new))
            if path.is_symlink():
                target = os.readlink(path).replace(old, new)
                path.unlink()
                renamed.symlink_to(target)
            else:
                path.rename(renamed)
        config = self.config()
        config["skills"]["choices"].append(new)  # the old name stays a valid answer
        config["skills"]["default"] = config["skills"]["default"].replace(old, new)
        catalogue = config["skill_catalogue"]["default"]
        config["skill_catalogue"]["default"] = {
            (new if name == old else name): entry for name, entry in catalogue.items()
        }
        config["skill_renames"]["default"] = {
            **(config["skill_renames"]["default"] or {}),
            old: new,
        }
        self.write_config(config)

    def retire_skill(self, skill: str) -> None:
        """Retire a skill: its files go, its name stays a valid (ignored) answer."""
        shutil.rmtree(self.path / "skills" / skill)
        for path in self.template_paths(skill):
            path.unlink()
        config = self.config()
        default = config["skills"]["default"]
        assert f"{skill}, " in default
        config["skills"]["default"] = default.replace(f"{skill}, ", "")
        del config["skill_catalogue"]["default"][skill]
        self.write_config(config)

    def _text_files(self) -> Iterator[Path]:
        for folder in ("skills", "template"):
            for path in walk(self.path / folder):
                if path.is_file() and not path.is_symlink():
                    yield path


# ---- Copying and updating projects from such a repository ----


@contextmanager
def timed(label: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    print(f"\n[timing] {label}: {time.perf_counter() - started:.1f} s", end="")


def copy_project(repo: TemplateRepo, destination: Path, ref: str = "1.0.0", **answers: Any) -> Path:
    """Render `repo` at `ref` from its absolute path, then commit the result."""
    with timed(f"copy {ref}"):
        copier.run_copy(
            str(repo.path.resolve()),
            destination,
            data=answers,
            defaults=True,
            vcs_ref=ref,
            unsafe=False,
            quiet=True,
        )
    git(destination, "init", "--quiet")
    commit_all(destination, f"service from stackcraft {ref}")
    return destination


def update_project(
    project: Path, ref: str | VcsRef = "1.1.0", label: str = "", **answers: Any
) -> None:
    with timed(label or f"update to {ref}"):
        copier.run_update(
            project,
            data=answers,
            defaults=True,
            overwrite=True,
            vcs_ref=ref,
            unsafe=False,
            quiet=True,
        )


# ---- The skill revision rule, checked against a repository's release tags ----

_REVISION_LINE = re.compile(r'^(\s*revision:\s*)"\d+"', re.M)


def release_tags(repo: Path) -> list[str]:
    return git(repo, "tag", "--list").split()


def skill_blobs(repo: Path, ref: str | None) -> dict[str, dict[str, str]]:
    """skill -> {path inside its folder: git blob id}, at tag `ref` or in the working tree."""
    if ref is None:
        paths = [p for p in source_files(repo) if p.startswith("skills/")]
        blobs = git(repo, "hash-object", "--stdin-paths", stdin="\n".join(paths)).split()
        pairs = list(zip(paths, blobs, strict=True))
    else:
        pairs = []
        for entry in git(repo, "ls-tree", "-r", "-z", ref, "--", "skills/").split("\0"):
            if entry:
                meta, path = entry.split("\t", 1)
                pairs.append((path, meta.split()[2]))
    skills: dict[str, dict[str, str]] = {}
    for path, blob in pairs:
        parts = path.split("/", 2)
        if len(parts) == 3:
            skills.setdefault(parts[1], {})[parts[2]] = blob
    return {name: files for name, files in skills.items() if "SKILL.md" in files}


def revision_rule_violations(repo: Path) -> tuple[list[str], list[str]]:
    """Check the working tree of `repo` against each of its release tags.

    A skill whose files differ from a tag must carry a higher `metadata.revision` than at
    that tag, the difference must be more than the revision line, and CHANGELOG.md must
    have a `| skill | revision |` row for the revision it carries now. Returns (tags, problems).
    """
    tags = release_tags(repo)
    now = skill_blobs(repo, None)
    changelog = (repo / "CHANGELOG.md").read_text()
    problems: set[str] = set()
    for tag in tags:
        then = skill_blobs(repo, tag)
        for skill, files in sorted(now.items()):
            if files == then.get(skill):
                continue
            text = (repo / "skills" / skill / "SKILL.md").read_text()
            revision = skill_revision(text)
            if skill in then:
                old_text = git(repo, "show", f"{tag}:skills/{skill}/SKILL.md")
                old_revision = skill_revision(old_text)
                others_equal = {k: v for k, v in files.items() if k != "SKILL.md"} == {
                    k: v for k, v in then[skill].items() if k != "SKILL.md"
                }
                if revision <= old_revision:
                    problems.add(
                        f"{skill} changed since {tag} but its revision is {revision} "
                        f"(it was {old_revision} at {tag}): bump metadata.revision"
                    )
                elif others_equal and _REVISION_LINE.sub(r"\1", text) == _REVISION_LINE.sub(
                    r"\1", old_text
                ):
                    problems.add(f"{skill}: revision bumped since {tag} without a text change")
            row = rf"^\|\s*{re.escape(skill)}\s*\|\s*{revision}\s*\|"
            if not re.search(row, changelog, re.M):
                problems.add(
                    f"{skill} changed since {tag}: CHANGELOG.md lists no '| {skill} | {revision} |'"
                )
    return tags, sorted(problems)
