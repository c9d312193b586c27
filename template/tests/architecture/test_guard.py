"""scripts/guard.py: quiet on this codebase, and each rule fires on a file that breaks it."""

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts import guard

PROJECT_ROOT = guard.PROJECT_ROOT


def test_the_codebase_passes_the_guard() -> None:
    files = [
        p for folder in ("app", "tests", "scripts") for p in (PROJECT_ROOT / folder).rglob("*.py")
    ]
    assert guard.check(files) == []


@pytest.fixture
def sample() -> Iterator[Path]:
    """A scratch module inside app/repos/, removed afterwards."""
    path = PROJECT_ROOT / "app" / "repos" / "guard_sample.py"
    yield path
    path.unlink(missing_ok=True)


def rules_on(path: Path, source: str) -> set[str]:
    path.write_text(source)
    return {v.rule for v in guard.check([path])}


def test_a_repository_that_commits_breaks_the_transaction_rule(sample: Path) -> None:
    sample.write_text("async def save(session) -> None:\n    await session.commit()\n")
    (violation,) = guard.check([sample])
    assert (violation.rule, violation.line) == ("transactions-in-services", 2)
    assert violation.skill == "python-service-and-schema-cohesion"


@pytest.mark.parametrize(
    ("source", "rule"),
    [
        (
            "async def undo(session) -> None:\n    await session.rollback()\n",
            "transactions-in-services",
        ),
        ("import pydantic\n\nMODEL = pydantic.BaseModel\n", "forbidden-import"),
        ("from fastapi import Depends\n\nDEPENDS = Depends\n", "forbidden-import"),
        ("from app.services import orders\n\nMODULE = orders\n", "layers"),
        ("from ..api import errors\n\nMODULE = errors\n", "layers"),
        ("import os\n", "ruff F401"),
        ("VALUE = {  'a':1 }\n", "ruff format"),
    ],
)
def test_each_rule_fires(sample: Path, source: str, rule: str) -> None:
    assert rule in rules_on(sample, source)


def test_an_unformatted_file_is_named_with_its_first_unformatted_line(sample: Path) -> None:
    sample.write_text('"""A sample."""\n\nVALUE = {  "a": 1 }\n')
    (violation,) = guard.check([sample])
    assert (violation.rule, violation.path, violation.line) == (
        "ruff format",
        "app/repos/guard_sample.py",
        3,
    )
    assert violation.message == "not formatted: run `uv run ruff format app/repos/guard_sample.py`"


def test_a_flush_in_a_repository_is_fine(sample: Path) -> None:
    assert (
        rules_on(sample, "async def save(session) -> None:\n    await session.flush()\n") == set()
    )


def test_hook_payloads_name_files_in_any_shape(sample: Path) -> None:
    sample.write_text("")
    relative = "app/repos/guard_sample.py"
    payloads = [
        {"tool_input": {"file_path": str(sample)}},
        {"toolArgs": f'{{"path": "{relative}"}}'},
        {"patch": f"*** Begin Patch\n*** Update File: {relative}\n@@\n*** End Patch"},
        {"edits": [{"file": "/elsewhere/outside.py"}, {"file": relative}]},
    ]
    for payload in payloads:
        assert guard.files_in(payload) == [sample], payload


def test_the_command_line_names_rule_and_skill_and_fails(sample: Path) -> None:
    sample.write_text("async def save(session) -> None:\n    await session.commit()\n")
    result = subprocess.run(
        [sys.executable, "-m", "scripts.guard", str(sample)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "app/repos/guard_sample.py:2: [transactions-in-services]" in result.stdout
    assert "read skill python-service-and-schema-cohesion" in result.stdout


def test_changed_files_are_edited_and_new_python_files(tmp_path: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    (tmp_path / "kept.py").write_text("")
    (tmp_path / "edited.py").write_text("")
    git("init", "--quiet")
    git("add", "--all")
    git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "--quiet", "-m", "x")
    (tmp_path / "edited.py").write_text("VALUE = 1\n")
    (tmp_path / "new.py").write_text("")
    (tmp_path / "notes.txt").write_text("")
    changed = guard.changed_files(tmp_path)
    assert changed == [tmp_path / "edited.py", tmp_path / "new.py"]
