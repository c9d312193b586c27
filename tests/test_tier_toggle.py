"""Tiers switched on and off with `copier update` in a repo that has code of its own.

The project gets its own model and its own migration first, as a team's repo
would. Each tier is then switched on and off again with
`copier update --defaults --vcs-ref=:current: --data <tier>=...`; after every
step the project's own ruff, ty and pytest must pass, the team's files must be
untouched, and the tier's files, migration branch and skill must come and go.
"""

import shutil
from pathlib import Path

import pytest
from copier import VcsRef

from tests.rendering import PROJECT_CHECKS, assert_check_passes, sync
from tests.template_repo import TemplateRepo, commit_all, copy_project, snapshot, update_project
from tests.test_render import DOMAIN_FILES, OUTBOX_FILES

pytestmark = pytest.mark.slow

TEAM_MODEL = '''"""The team's own aggregate, added after generation."""

import uuid

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base


class Invoice(Base):
    __tablename__ = "invoices"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    number: Mapped[str] = mapped_column(String(32), unique=True)
'''

TEAM_MIGRATION = '''"""invoices

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "invoices",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoices")),
        sa.UniqueConstraint("number", name=op.f("uq_invoices_number")),
    )


def downgrade() -> None:
    op.drop_table("invoices")
'''

TEAM_FILES = {
    "app/models/invoice.py": TEAM_MODEL,
    "migrations/versions/0002_invoices.py": TEAM_MIGRATION,
}


def checks_pass(project: Path) -> None:
    sync(project)
    for check in PROJECT_CHECKS:
        assert_check_passes(project, check)
    commit_all(project, "checks pass")  # keeps uv.lock, as a team would


def team_files_untouched(project: Path) -> None:
    for rel, text in TEAM_FILES.items():
        assert (project / rel).read_text() == text, rel
    assert (
        "from app.models.invoice import Invoice" in (project / "app/models/__init__.py").read_text()
    )


@pytest.fixture(scope="module")
def release(workdir: Path) -> TemplateRepo:
    return snapshot(workdir / "toggle-template", "1.0.0")


@pytest.fixture(scope="module")
def team_project(workdir: Path, release: TemplateRepo) -> Path:
    """A default project (tiers off) with the team's own model and migration, checks green."""
    project = copy_project(release, workdir / "team-project")
    for rel, text in TEAM_FILES.items():
        (project / rel).write_text(text)
    models_init = project / "app/models/__init__.py"
    text = models_init.read_text()
    text = text.replace(
        "from app.db.base import Base\n",
        "from app.db.base import Base\nfrom app.models.invoice import Invoice\n",
    )
    text = text.replace('    "Base",\n', '    "Base",\n    "Invoice",\n')
    models_init.write_text(text)
    commit_all(project, "our own invoices")
    checks_pass(project)
    return project


@pytest.mark.parametrize(
    ("tier", "tier_files"), [("outbox", OUTBOX_FILES), ("pure_domain", DOMAIN_FILES)]
)
def test_a_tier_switches_on_and_off_in_a_repo_with_its_own_code(
    workdir: Path, team_project: Path, tier: str, tier_files: list[str]
) -> None:
    project = workdir / f"toggle-{tier}"
    shutil.copytree(
        team_project, project, symlinks=True, ignore=shutil.ignore_patterns(".venv", ".postgres")
    )

    update_project(project, VcsRef.CURRENT, label=f"{tier} on", **{tier: True})
    assert [f for f in tier_files if not (project / f).is_file()] == []
    assert "<<<<<<<" not in (project / "app/models/__init__.py").read_text()
    team_files_untouched(project)
    checks_pass(project)

    update_project(project, VcsRef.CURRENT, label=f"{tier} off", **{tier: False})
    assert [f for f in tier_files if (project / f).exists()] == []
    skill = tier_files[-1].split("/")[2]
    assert skill not in (project / "AGENTS.md").read_text()
    team_files_untouched(project)
    checks_pass(project)
