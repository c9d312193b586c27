import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.rendering import project_env, uv

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
