"""Rendered projects pass their own lint, format, type and test checks on the first try."""

import re
from pathlib import Path

import pytest

from bench.context_budget import ALL_AGENTS
from tests.rendering import PROJECT_CHECKS, assert_check_passes, render, sync

VARIANTS = {
    "default": {},  # the example on, both tiers off
    "outbox": {"outbox": True},
    "pure-domain": {"pure_domain": True},
    "both-tiers": {"outbox": True, "pure_domain": True},
    # The example off, with each tier combination. The last one also wires every agent,
    # so the project's own skill check sees every pointer file without the example.
    "no-example": {"example_slice": False},
    "no-example-outbox": {"example_slice": False, "outbox": True},
    "no-example-pure-domain": {"example_slice": False, "pure_domain": True},
    "no-example-everything": {
        "example_slice": False,
        "outbox": True,
        "pure_domain": True,
        "agents": ALL_AGENTS,
    },
    "python-3.12": {"python_version": "3.12"},
    # The auth tier, each choice alone and with the other tiers (oidc also without the example).
    "auth-local": {"auth": "local"},
    "auth-local-tiers": {"auth": "local", "outbox": True, "pure_domain": True},
    "auth-oidc": {"auth": "oidc"},
    "auth-oidc-tiers-no-example": {
        "auth": "oidc",
        "outbox": True,
        "pure_domain": True,
        "example_slice": False,
    },
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
