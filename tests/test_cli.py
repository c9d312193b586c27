"""The copier command line renders the template without --trust (no tasks, no extensions)."""

import subprocess
import sys
from pathlib import Path

from tests.rendering import REPO_ROOT

COPIER = str(Path(sys.executable).with_name("copier"))


def copier_copy(destination: Path, *data: str) -> subprocess.CompletedProcess[str]:
    data_args = [arg for item in data for arg in ("--data", item)]
    return subprocess.run(
        [COPIER, "copy", "--defaults", "--vcs-ref=HEAD", *data_args, str(REPO_ROOT), destination],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_copy_from_the_command_line(tmp_path: Path) -> None:
    result = copier_copy(tmp_path / "svc", "project_name=Cli Service")

    assert result.returncode == 0, result.stderr
    assert "unsafe" not in result.stderr.lower()  # copier names --trust features "unsafe"
    assert 'name = "cli-service"' in (tmp_path / "svc/pyproject.toml").read_text()


def test_a_bad_answer_on_the_command_line_is_refused(tmp_path: Path) -> None:
    result = copier_copy(tmp_path / "svc", "project_slug=Not A Slug")

    assert result.returncode != 0
    assert "lowercase letters, digits and single hyphens" in result.stderr
    assert not (tmp_path / "svc/pyproject.toml").exists()
