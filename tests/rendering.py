"""Render the template and run a rendered project's own checks."""

import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import copier

REPO_ROOT = Path(__file__).resolve().parents[1]

# The generated project's checks, in the order its README and CI run them.
PROJECT_CHECKS: dict[str, list[str]] = {
    "ruff check": ["ruff", "check"],
    "ruff format": ["ruff", "format", "--check"],
    "ty": ["ty", "check"],
    "pytest": ["pytest", "-q", "-p", "no:cacheprovider"],
}


def render(dst: Path, **answers: Any) -> Path:
    """Copy the template's working tree to `dst` with default answers plus `answers`."""
    copier.run_copy(
        str(REPO_ROOT),
        dst,
        data=answers,
        defaults=True,
        unsafe=False,
        vcs_ref="HEAD",
        quiet=True,
    )
    return dst


def uv() -> str:
    found = os.environ.get("UV") or shutil.which("uv")
    if not found:
        raise RuntimeError("uv is not on PATH; install it (see README.md)")
    return found


def project_env() -> dict[str, str]:
    """Environment for commands in a rendered project: its own venv, no interpreter downloads."""
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH"}}
    env.setdefault("UV_PYTHON_DOWNLOADS", "never")
    return env


def run_in(project: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args,
        cwd=project,
        env=project_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def sync(project: Path) -> float:
    """`uv sync` the project (dev group included); return the seconds it took."""
    started = time.perf_counter()
    result = run_in(project, uv(), "sync")
    assert result.returncode == 0, f"uv sync failed:\n{result.stdout}\n{result.stderr}"
    return time.perf_counter() - started


def run_check(project: Path, name: str) -> subprocess.CompletedProcess[str]:
    return run_in(project, uv(), "run", "--no-sync", *PROJECT_CHECKS[name])


def assert_check_passes(project: Path, name: str) -> subprocess.CompletedProcess[str]:
    result = run_check(project, name)
    assert result.returncode == 0, (
        f"`{name}` failed in {project}:\n{result.stdout[-6000:]}\n{result.stderr[-3000:]}"
    )
    return result
