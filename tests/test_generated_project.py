"""Rendered projects pass their own lint, format, type and test checks on the first try."""

import re
from pathlib import Path

import pytest

from tests.rendering import PROJECT_CHECKS, assert_check_passes, render, sync

VARIANTS = {
    "default": {},  # both tiers off
    "outbox": {"outbox": True},
    "pure-domain": {"pure_domain": True},
    "both-tiers": {"outbox": True, "pure_domain": True},
    "no-example-both-tiers": {"example_slice": False, "outbox": True, "pure_domain": True},
    "python-3.12": {"python_version": "3.12"},
}


@pytest.fixture(scope="module", params=list(VARIANTS), ids=list(VARIANTS))
def project(request: pytest.FixtureRequest, workdir: Path) -> Path:
    answers = VARIANTS[request.param]
    project = render(workdir / request.param, **answers)
    sync(project)
    return project


@pytest.mark.slow
@pytest.mark.parametrize("check", list(PROJECT_CHECKS))
def test_check_passes(project: Path, check: str) -> None:
    result = assert_check_passes(project, check)
    if check == "pytest":
        summary = result.stdout.strip().splitlines()[-1]
        assert re.search(r"\d+ passed", summary), summary
        assert not re.search(r"failed|error|skipped", summary), summary
