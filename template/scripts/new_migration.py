"""Write a migration from the models: `uv run python -m scripts.new_migration "add invoices"`.

The models are compared with a database migrated to the current heads, and the
difference is written to `migrations/versions/`, already passing `ruff check` and
`ruff format` (the post-write hooks in `alembic.ini`). With `DATABASE_URL` unset the
comparison runs on a scratch database of the embedded PostgreSQL (the server
`scripts.dev` uses), made for this run and dropped after it; with `DATABASE_URL` set,
that database is used and must already be at heads.

The new revision continues the service's own chain; a tier's branch (such as the
outbox's) keeps its own head. Read the file before committing it: autogenerate
cannot tell a rename from a drop and an add, and it never writes data migrations.
"""

import argparse
import os
import sys
import uuid

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from scripts.local_postgres import PROJECT_ROOT, create_database, drop_database, start_embedded


def own_head(scripts: ScriptDirectory) -> str:
    """The head of the service's own chain: the only head, or the only unlabelled one."""
    heads = scripts.get_revisions("heads")
    unlabelled = [head for head in heads if not head.branch_labels]
    candidates = heads if len(heads) == 1 else unlabelled
    if len(candidates) != 1:
        listed = ", ".join(sorted(head.revision for head in heads))
        raise SystemExit(
            f"cannot tell which head to extend (heads: {listed}); "
            "pass --head REVISION, or run `uv run alembic merge heads` first"
        )
    return candidates[0].revision


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("message", help='what the migration does, e.g. "add invoices"')
    parser.add_argument("--head", help="revision to extend (default: the service's own head)")
    args = parser.parse_args(argv)

    config = Config(PROJECT_ROOT / "alembic.ini")
    head = args.head or own_head(ScriptDirectory.from_config(config))
    if os.environ.get("DATABASE_URL"):
        written = command.revision(config, message=args.message, autogenerate=True, head=head)
    else:
        server = start_embedded("dev")
        scratch = f"migration_{uuid.uuid4().hex[:8]}"
        url = create_database(server, scratch, replace=True)
        try:
            config.attributes["database_url"] = url.render_as_string(hide_password=False)
            command.upgrade(config, "heads")
            written = command.revision(config, message=args.message, autogenerate=True, head=head)
        finally:
            drop_database(server, scratch)
    if not written:
        print("The models match the migrations: nothing to write.", file=sys.stderr)
        return 1
    print("Read the new file in migrations/versions/ before you commit it.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
