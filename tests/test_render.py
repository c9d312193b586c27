"""What a render produces, for the answers that shape the file tree."""

from pathlib import Path

import pytest
import yaml

from tests.rendering import render

EXAMPLE_FILES = [
    "app/models/order.py",
    "app/repos/order.py",
    "app/services/orders.py",
    "app/schemas/order.py",
    "app/clients/carrier.py",
    "app/api/orders.py",
    "app/deps/orders.py",
    "tests/fixtures/carrier.py",
    "tests/integration/test_concurrency.py",
]

ALWAYS = [
    "README.md",
    "pyproject.toml",
    ".python-version",
    ".env.example",
    ".gitignore",
    ".pre-commit-config.yaml",
    ".github/workflows/ci.yml",
    "Dockerfile",
    "compose.yaml",
    "alembic.ini",
    "migrations/env.py",
    "migrations/versions/0001_initial.py",
    "app/main.py",
    "app/config.py",
    "app/resources.py",
    "app/common/settings.py",
    "app/common/resources.py",
    "app/common/exceptions.py",
    "app/db/base.py",
    "app/api/errors.py",
    "app/api/system.py",
    "scripts/dev.py",
    "scripts/new_migration.py",
    "tests/conftest.py",
    "tests/fixtures/__init__.py",
    "tests/architecture/test_skills.py",
    "tests/architecture/test_layers.py",
    "tests/architecture/test_conventions.py",
    "tests/integration/test_migrations.py",
]


@pytest.fixture(scope="module")
def default_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render(tmp_path_factory.mktemp("default") / "svc", project_name="Order Desk")


def test_default_render_has_the_skeleton_and_the_example(default_project: Path) -> None:
    missing = [f for f in ALWAYS + EXAMPLE_FILES if not (default_project / f).is_file()]
    assert missing == []


def test_no_real_env_file_is_written(default_project: Path) -> None:
    assert not (default_project / ".env").exists()
    assert ".env" in (default_project / ".gitignore").read_text().splitlines()


def test_answers_are_recorded_for_updates(default_project: Path) -> None:
    answers = yaml.safe_load((default_project / ".copier-answers.yml").read_text())
    assert answers["project_slug"] == "order-desk"
    assert answers["example_slice"] is True
    assert answers["outbox"] is False
    assert answers["_src_path"].startswith("/") or "://" in answers["_src_path"]


def test_slug_and_python_version_reach_the_project(tmp_path: Path) -> None:
    project = render(tmp_path / "svc", project_slug="billing-api", python_version="3.12")
    pyproject = (project / "pyproject.toml").read_text()
    assert 'name = "billing-api"' in pyproject
    assert 'requires-python = ">=3.12"' in pyproject
    assert (project / ".python-version").read_text().strip() == "3.12"


def test_example_slice_off_leaves_no_example_behind(tmp_path: Path) -> None:
    project = render(tmp_path / "svc", example_slice=False)
    leftovers = [f for f in EXAMPLE_FILES if (project / f).exists()]
    assert leftovers == []
    code = [
        p
        for folder in ("app", "tests", "scripts", "migrations")
        for p in (project / folder).rglob("*.py")
    ]
    texts = "\n".join(p.read_text() for p in code)
    assert "carrier" not in texts.lower()
    assert "order" not in (project / "app/main.py").read_text().lower()


OUTBOX_FILES = [
    "app/events/__init__.py",
    "app/events/orders.py",
    "app/outbox/relay.py",
    "app/outbox/store.py",
    "app/outbox/bus.py",
    "app/handlers/__init__.py",
    "app/handlers/orders.py",
    "app/models/outbox.py",
    "app/worker.py",
    "migrations/versions/outbox_0001_tables.py",
    "tests/integration/test_outbox.py",
    ".agents/skills/python-message-bus-outbox/SKILL.md",
]
AUTH_FILES = [
    "app/common/auth.py",
    "app/deps/auth.py",
    "app/auth/__init__.py",
    ".agents/skills/python-auth-and-permissions/SKILL.md",
]
LOCAL_AUTH_FILES = ["app/auth/tokens.py", "migrations/versions/auth_0001_tables.py"]
OIDC_AUTH_FILES = ["app/auth/jwt.py", "app/clients/jwks.py"]
DOMAIN_FILES = [
    "app/domain/__init__.py",
    "app/domain/order.py",
    "tests/unit/test_order_domain.py",
    "tests/integration/test_order_mapping.py",
    ".agents/skills/python-pure-domain-layer/SKILL.md",
]


def test_tiers_are_off_by_default(default_project: Path) -> None:
    tier_files = OUTBOX_FILES + DOMAIN_FILES + AUTH_FILES + LOCAL_AUTH_FILES + OIDC_AUTH_FILES
    assert [f for f in tier_files if (default_project / f).exists()] == []
    assert "relay:" not in (default_project / "compose.yaml").read_text()


TIER_FILES = {
    "outbox": ({"outbox": True}, OUTBOX_FILES),
    "pure_domain": ({"pure_domain": True}, DOMAIN_FILES),
    "auth=local": ({"auth": "local"}, LOCAL_AUTH_FILES + AUTH_FILES),
    "auth=oidc": ({"auth": "oidc"}, OIDC_AUTH_FILES + AUTH_FILES),
}


@pytest.mark.parametrize("tier", list(TIER_FILES))
def test_a_tier_brings_its_code_tests_and_skill(tmp_path: Path, tier: str) -> None:
    answers, files = TIER_FILES[tier]
    project = render(tmp_path / "svc", **answers)
    assert [f for f in files if not (project / f).is_file()] == []
    agents_md = (project / "AGENTS.md").read_text()
    skill = files[-1].split("/")[2]
    assert f"| {skill} |" in agents_md


def test_the_outbox_tier_runs_its_relay_as_a_separate_service(tmp_path: Path) -> None:
    project = render(tmp_path / "svc", outbox=True)
    compose = (project / "compose.yaml").read_text()
    assert 'command: ["python", "-m", "app.worker"]' in compose
    assert "app.worker" not in (project / "app/main.py").read_text()
