"""Import rules, checked by import-linter with the contracts in pyproject.toml."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [LINT_IMPORTS, "--config", PROJECT_ROOT / "pyproject.toml", "--no-cache"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_code_keeps_every_contract() -> None:
    result = lint_imports(PROJECT_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


# Each contract must fire on a module that breaks it.
@pytest.mark.parametrize(
    ("module", "source", "contract"),
    [
        ("app/models/bad_sample.py", "import app.services\n", "Layers"),
        ("app/repos/bad_sample.py", "import app.schemas\n", "Layers"),
        ("app/services/bad_sample.py", "import app.api\n", "Layers"),
        ("app/models/bad_sample.py", "import pydantic\n", "Persistence stays free"),
        ("app/repos/bad_sample.py", "from fastapi import Depends\n", "Persistence stays free"),
        ("app/repos/bad_sample.py", "from app.config import Settings\n", "Persistence stays free"),
    ],
)
def test_a_broken_contract_is_reported(
    tmp_path: Path, module: str, source: str, contract: str
) -> None:
    shutil.copytree(PROJECT_ROOT / "app", tmp_path / "app")
    (tmp_path / module).write_text(source)

    result = lint_imports(tmp_path)

    assert result.returncode != 0
    broken = [line for line in result.stdout.splitlines() if "BROKEN" in line]
    assert any(line.startswith(contract) for line in broken), result.stdout
