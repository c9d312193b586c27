"""Run the service locally: `uv run python -m scripts.dev`.

With `DATABASE_URL` unset, an embedded PostgreSQL starts with its data in
`.postgres/dev` (kept between runs). Migrations are applied, then uvicorn
serves the app with reload on http://127.0.0.1:8000 (`PORT` changes the port).
"""

import os

import uvicorn
from alembic import command
from alembic.config import Config

from scripts.local_postgres import PROJECT_ROOT, use_dev_database


def main() -> None:
    if os.environ.get("DATABASE_URL"):
        command.upgrade(Config(PROJECT_ROOT / "alembic.ini"), "heads")
    else:
        url = use_dev_database()
        print(f"embedded PostgreSQL: {url.render_as_string(hide_password=True)}")
    port = int(os.environ.get("PORT", "8000"))
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host="127.0.0.1",
        port=port,
        reload=True,
        access_log=False,  # the app logs each request itself, with its correlation id
        log_config=None,  # the app's JSON logging applies to uvicorn's lines too
        server_header=False,
    )


if __name__ == "__main__":
    main()
