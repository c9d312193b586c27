import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.context_budget import render_everything
from tests.agents import InstallError, installed_clis
from tests.rendering import project_env, render, sync, uv
from tests.template_repo import commit_all, git

# The team's own service code for the lifecycle test: copied into a generated project and
# tested there by that project's pytest, never collected here.
collect_ignore = ["team_service"]


@pytest.fixture(scope="session", autouse=True)
def interpreters_are_findable() -> None:
    """Rendered projects pin Python 3.12 or 3.13; uv must find them without downloading."""
    for version in ("3.12", "3.13"):
        result = subprocess.run(
            [uv(), "python", "find", version],
            env=project_env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            pytest.fail(
                f"uv cannot find Python {version}: put a python{version} on PATH "
                f"(.ci/run shows how). uv said: {result.stderr.strip()}",
                pytrace=False,
            )


@pytest.fixture(scope="session")
def workdir() -> Iterator[Path]:
    """Where rendered projects live, outside pytest's own temp tree.

    As root, the embedded PostgreSQL runs as a separate system user and needs
    to traverse the project's parent folders; the generated project's own
    pytest run resets `/tmp/pytest-of-<user>` to mode 700, which would lock
    that user out of a project rendered below it.
    """
    base = Path(tempfile.mkdtemp(prefix="stackcraft-"))
    yield base
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def agent_bin() -> Path:
    """The pinned agent CLIs (tests.agents), installed once into a cache folder."""
    try:
        return installed_clis()
    except InstallError as error:
        pytest.fail(str(error), pytrace=False)


def agent_ready(project: Path) -> Path:
    """A rendered project as an agent finds it: a git repo with one commit and a synced venv."""
    sync(project)  # first, so uv.lock is committed and restore() keeps it
    git(project, "init", "--quiet")
    commit_all(project, "rendered")
    return project


@pytest.fixture(scope="session")
def default_project(workdir: Path) -> Path:
    """The default answers, ready for agents. Tests that let an agent write must restore it."""
    return agent_ready(render(workdir / "agents-default"))


@pytest.fixture(scope="session")
def everything_project(workdir: Path) -> Path:
    """All agents, skills and tiers, ready for agents. Tests that write must restore it."""
    return agent_ready(render_everything(workdir / "agents-everything"))


def restore(project: Path) -> None:
    """Undo what an agent wrote into a shared project (ignored files such as .venv stay)."""
    git(project, "checkout", "--quiet", "--", ".")
    git(project, "clean", "-fdq")
