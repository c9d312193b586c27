"""Faults: what the rendered service does while its dependencies fail, measured from outside.

Renders a project with the outbox tier (the example on) and serves it with uvicorn on
127.0.0.1 against an embedded PostgreSQL that this script stops, freezes and restarts,
with the service's default timeouts. It measures:

- requests during a stopped database (4 clients reading `GET /orders/{id}`, 4 creating
  with `POST /orders`: reads and writes use separate pools): status codes, p99 latency,
  and seconds from the restart until both a read and a write have succeeded;
- the same while the database is frozen (SIGSTOP on every server process);
- the relay worker across a database restart: still running, and delivering afterwards;
- `POST /orders/{id}/ship` against a carrier that trickles one byte a second;
- the server's memory before and after 4 concurrent 22 MB bodies;
- 25 ships racing 25 cancels on one order: the order's status and the bookings left.

Targets: no 500 and p99 <= 15 s while the database is stopped or frozen; recovery
<= 10 s; the worker survives; `/ship` <= CARRIER_DEADLINE_S + 2 s; memory grows by
<= 20 MB; a cancelled order has no booking.

    uv run python -m bench.faults                 # 4 s outages
    uv run python -m bench.faults --outage 1      # tiny setting
"""

import argparse
import contextlib
import json
import math
import os
import queue
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO, Any

from bench._support import (
    LOOPBACK,
    FakeCarrierHandler,
    Figure,
    exit_code,
    fake_carrier,
    percentile,
    print_table,
    project_python,
    rendered_project,
    scratch_dir,
    uvicorn_server,
)
from tests.rendering import project_env

# Runs in the project's venv: a throw-away embedded server with a migrated database that
# obeys `stop`, `start`, `freeze` and `thaw` on stdin (answering `ok`), deleted at the end.
_CONTROLLED_DATABASE = """
import json, signal, sys
from alembic import command
from tests.conftest import alembic_config
from scripts.local_postgres import PROJECT_ROOT, create_database, embedded_server, server_url

server = embedded_server(PROJECT_ROOT / ".postgres" / "bench-faults", throwaway=True)
url = create_database(server_url(server), "faults", replace=True)
url = url.render_as_string(hide_password=False)
command.upgrade(alembic_config(url), "heads")
print(json.dumps(url), flush=True)
paused = []
for line in sys.stdin:
    command_name = line.strip()
    if command_name == "stop":
        server.stop()
    elif command_name == "start":
        server.start()
    elif command_name == "freeze":
        postmaster = server.get_postmaster_info().process
        paused = [postmaster, *postmaster.children(recursive=True)]
        for process in paused:
            process.send_signal(signal.SIGSTOP)
    elif command_name == "thaw":
        for process in paused:
            process.send_signal(signal.SIGCONT)
    print("ok", flush=True)
server.cleanup()
"""


class Database:
    def __init__(self, process: subprocess.Popen[str]) -> None:
        assert process.stdin is not None
        assert process.stdout is not None
        self._stdin, self._stdout = process.stdin, process.stdout
        self.url: str = json.loads(self._stdout.readline())

    def __call__(self, command_name: str) -> None:
        self._stdin.write(command_name + "\n")
        self._stdin.flush()
        assert self._stdout.readline().strip() == "ok"


@contextlib.contextmanager
def controlled_database(project: Path) -> Iterator[Database]:
    process = subprocess.Popen(
        [project_python(project), "-c", _CONTROLLED_DATABASE],
        cwd=project,
        env=project_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        yield Database(process)
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=60)


def request(url: str, method: str = "GET", body: bytes | None = None) -> tuple[int, bytes]:
    headers = {"Content-Type": "application/json"} if method == "POST" else {}
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, data=body, method=method, headers=headers), timeout=60
        ) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError:
        return 0, b""


def under_load(
    order_url: str, seconds: float, during: list[tuple[float, str]], db: Database
) -> list:
    """For `seconds`, 4 clients read the order at `order_url` (200) and 4 create orders
    (201); `during` says when to send which database command."""
    samples: list[tuple[float, int, float]] = []
    started = time.monotonic()

    def client(*call: Any) -> None:
        while (at := time.monotonic() - started) < seconds:
            status, _ = request(*call)
            samples.append((at, status, time.monotonic() - started - at))

    calls = [(order_url,), (order_url.rsplit("/", 1)[0], "POST", ORDER)] * 4
    threads = [threading.Thread(target=client, args=call) for call in calls]
    for thread in threads:
        thread.start()
    for at, command_name in during:
        time.sleep(max(0.0, at - (time.monotonic() - started)))
        db(command_name)
    for thread in threads:
        thread.join()
    return samples


def outage_figures(label: str, samples: list, start: float, end: float) -> list[Figure]:
    inside = [(status, took) for at, status, took in samples if start <= at < end]
    statuses = Counter(status for status, _ in inside)
    p99 = percentile([took for _, took in inside], 99) if inside else 0.0
    # The first read (200) and the first write (201) after the repair: each has its own pool.
    firsts = [
        min(
            (at + took for at, got, took in samples if got == status and at >= end),
            default=math.inf,
        )
        for status in (200, 201)
    ]
    recovery = max(firsts) - end
    return [
        Figure(
            f"{label}: status codes", ", ".join(f"{k} x{v}" for k, v in sorted(statuses.items()))
        ),
        Figure(
            f"{label}: no 500 or failed connection",
            str(not {0, 500} & statuses.keys()),
            "True",
            not {0, 500} & statuses.keys(),
        ),
        Figure(f"{label}: p99 latency", f"{p99:.2f} s", "<= 15 s", p99 <= 15),
        Figure(
            f"{label}: a read and a write served again after it is back",
            f"{recovery:.2f} s",
            "<= 10 s",
            recovery <= 10,
        ),
    ]


class Trickling(BaseHTTPRequestHandler):
    """A carrier that answers one byte a second."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "60")
        self.end_headers()
        with contextlib.suppress(OSError):
            for _ in range(60):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(1)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def trickling_carrier() -> Iterator[str]:
    server = ThreadingHTTPServer((LOOPBACK, 0), Trickling)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://{LOOPBACK}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def rss_mb(pid: int) -> float:
    pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


ORDER = json.dumps(
    {"customer_ref": "bench", "lines": [{"sku": "SKU-1", "quantity": 1, "unit_price_cents": 1}]}
).encode()


def new_order(base: str, placed: bool = True) -> str:
    status, body = request(f"{base}/orders", "POST", ORDER)
    assert status == 201, body
    order_id = json.loads(body)["id"]
    if placed:
        assert request(f"{base}/orders/{order_id}/place", "POST")[0] == 200
    return order_id


def lines_of(stream: IO[str]) -> "queue.Queue[str]":
    """The stream's lines, read on a thread so that the caller can wait with a timeout."""
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        for line in stream:
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    return lines


def wait_for_event(lines: "queue.Queue[str]", event: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            return False
        with contextlib.suppress(json.JSONDecodeError, AttributeError):
            if json.loads(line).get("event") == event:
                return True
    return False


def in_parallel(*calls: tuple[Any, ...]) -> None:
    """Run each `(function, *args)` on a thread of its own; return when all have finished."""
    threads = [threading.Thread(target=call[0], args=call[1:]) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def measure_outages(base_url: str, db: Database, outage: float) -> list[Figure]:
    order_url = f"{base_url}/orders/{new_order(base_url, placed=False)}"
    figures = []
    for label, fault, repair in (("stopped", "stop", "start"), ("frozen", "freeze", "thaw")):
        samples = under_load(order_url, 2 * outage + 2, [(1, fault), (1 + outage, repair)], db)
        figures += outage_figures(f"database {label}", samples, 1, 1 + outage)
    return figures


def measure_bodies(base_url: str, pid: int) -> Figure:
    before = rss_mb(pid)
    body = b"{" + b" " * (22 * 2**20) + b"}"
    in_parallel(*[(request, f"{base_url}/orders", "POST", body)] * 4)
    grown = rss_mb(pid) - before
    return Figure(
        "memory after 4 x 22 MB bodies",
        f"{before:.0f} -> {before + grown:.0f} MB",
        "<= +20 MB",
        grown <= 20,
    )


def measure_race(base_url: str) -> Figure:
    order = f"{base_url}/orders/{new_order(base_url)}"
    ship = (request, f"{order}/ship", "POST")
    cancel = (request, f"{order}/cancel", "POST", b'{"reason": "race"}')
    in_parallel(*[ship, cancel] * 25)
    final = json.loads(request(order)[1])["status"]
    booked = int(order.rsplit("/", 1)[1] in FakeCarrierHandler.bookings)
    ok = (final, booked) in {("cancelled", 0), ("shipped", 1)}
    return Figure("25 ships racing 25 cancels", f"{final}, bookings {booked}", "cancelled: 0", ok)


def measure_worker(project: Path, env: dict[str, str], db: Database, outage: float) -> Figure:
    worker = subprocess.Popen(
        [project_python(project), "-m", "app.worker"],
        cwd=project,
        env={**project_env(), **env, "OUTBOX_POLL_INTERVAL_S": "0.2"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert worker.stdout is not None
    try:
        lines = lines_of(worker.stdout)
        started = wait_for_event(lines, "relay.started", 30)
        db("stop")
        time.sleep(outage)
        db("start")
        recovered = wait_for_event(lines, "relay.recovered", 60)
        alive = started and recovered and worker.poll() is None
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    return Figure(
        "relay worker across a database restart",
        "running, recovered" if alive else "died or stuck",
        "running",
        alive,
    )


def measure_trickling_ship(base_url: str) -> Figure:
    order_id = new_order(base_url)
    started = time.monotonic()
    status, _ = request(f"{base_url}/orders/{order_id}/ship", "POST")
    took = time.monotonic() - started
    return Figure(
        "POST /ship, carrier trickling 1 byte/s",
        f"{took:.1f} s ({status})",
        "503 in <= 12 s",
        took <= 12 and status == 503,
    )


@contextlib.contextmanager
def serve(project: Path, log: Path, db: Database, carrier_url: str) -> Iterator[Any]:
    env = {"DATABASE_URL": db.url, "CARRIER_BASE_URL": carrier_url}
    with uvicorn_server(
        project, "app.main:create_app", factory=True, env=env, log_path=log, ready_path="/readyz"
    ) as server:
        yield server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outage", type=float, default=4.0, help="seconds each fault lasts")
    args = parser.parse_args(argv)
    figures: list[Figure] = []
    with scratch_dir("faults") as base:
        project = rendered_project(base, outbox=True)
        with controlled_database(project) as db, fake_carrier() as carrier_url:
            with serve(project, base / "service.log", db, carrier_url) as server:
                figures += measure_outages(server.base_url, db, args.outage)
                figures.append(measure_bodies(server.base_url, server.process.pid))
                FakeCarrierHandler.bookings.clear()
                figures.append(measure_race(server.base_url))
            env = {"DATABASE_URL": db.url, "CARRIER_BASE_URL": carrier_url}
            figures.append(measure_worker(project, env, db, args.outage))
        with (
            controlled_database(project) as db,
            trickling_carrier() as carrier_url,
            serve(project, base / "trickle.log", db, carrier_url) as server,
        ):
            figures.append(measure_trickling_ship(server.base_url))
    print_table(f"faults: {args.outage:g} s outages, service defaults, 127.0.0.1 only", figures)
    return exit_code(figures)


if __name__ == "__main__":
    raise SystemExit(main())
