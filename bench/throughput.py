"""Service throughput: the rendered service against a minimal FastAPI + asyncpg ceiling.

Renders and syncs the default project, starts its embedded PostgreSQL
(`scripts/local_postgres.py` in the project's venv) with two migrated
databases, and serves, each with the project's uvicorn (one worker,
127.0.0.1, a free port, uvicorn's access log off):

- the service: `app.main:create_app`, as generated (its own JSON request log
  included; it goes to a file);
- the ceiling: a FastAPI app written here into a temp folder that does the
  same SQL with asyncpg and nothing else: insert an order and its line in one
  transaction, and select the order back with its lines.

A separate process (`bench.loadgen`) loads one operation at a time at fixed
concurrency for a bounded time: `POST /orders`, `GET /orders/{id}` and
`GET /orders?limit=20` (twenty orders with their lines), each against the
service and then the ceiling, for `--rounds` rounds. Per operation the table
gives the median req/s of the rounds, the median of the per-round ratios,
p50 / p99 (all rounds) and the server's CPU time per request (user + system
time of the uvicorn process over the run, divided by the requests it finished).
It also times, in the project's own environment, the service's one access-log line
per request (what logging costs on the hot path) and the service layer alone, with
no HTTP: `OrderService.create` and `OrderReads.get` called by concurrent tasks. The
ceiling's CPU per request over that call's CPU is the best ratio the service could
reach if everything around the call (HTTP, routing, validation) cost nothing.
Targets, service / ceiling req/s: POST >= 0.30, GET >= 0.40, list >= 0.40.

    uv run python -m bench.throughput                            # 3 rounds of 10 s each
    uv run python -m bench.throughput --rounds 1 --duration 2    # tiny setting
    uv run python -m bench.throughput --project ../my-service    # a project you changed
"""

import argparse
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bench._support import (
    Figure,
    Server,
    add_project_argument,
    asyncpg_dsn,
    embedded_databases,
    exit_code,
    median,
    percentile,
    prepare_project,
    print_table,
    project_python,
    scratch_dir,
    service_env,
    uvicorn_server,
)
from tests.rendering import REPO_ROOT, project_env

# operation -> (what the loadgen calls it, its row label, target of service / ceiling req/s)
OPERATIONS = {
    "post": ("POST /orders", 0.30),
    "get": ("GET /orders/{id}", 0.40),
    "list": ("GET /orders?limit=20", 0.40),
}

CEILING_APP = '''"""Throughput ceiling: the service's two operations in FastAPI + asyncpg only."""

import os
import uuid
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import asyncpg
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

INSERT_ORDER = (
    "INSERT INTO orders (id, customer_ref, status, version, created_at, updated_at)"
    " VALUES ($1, $2, 'draft', 1, $3, $3)"
)
INSERT_LINE = (
    "INSERT INTO order_lines (id, order_id, sku, quantity, unit_price_cents)"
    " VALUES ($1, $2, $3, $4, $5)"
)
SELECT_ORDER = (
    "SELECT id, customer_ref, status, tracking_number, cancel_reason, version,"
    " created_at, updated_at FROM orders WHERE id = $1"
)
SELECT_LINES = (
    "SELECT sku, quantity, unit_price_cents FROM order_lines WHERE order_id = $1 ORDER BY sku"
)
SELECT_PAGE = (
    "SELECT id, customer_ref, status, tracking_number, cancel_reason, version,"
    " created_at, updated_at FROM orders ORDER BY created_at DESC, id LIMIT $1 OFFSET $2"
)
SELECT_LINES_OF = (
    "SELECT order_id, sku, quantity, unit_price_cents FROM order_lines"
    " WHERE order_id = ANY($1) ORDER BY order_id, sku"
)


class LineIn(BaseModel):
    sku: str
    quantity: int
    unit_price_cents: int


class OrderIn(BaseModel):
    customer_ref: str
    lines: list[LineIn] = []


class LineOut(LineIn):
    subtotal_cents: int


class OrderOut(BaseModel):
    id: uuid.UUID
    customer_ref: str
    status: str
    lines: list[LineOut]
    total_cents: int
    tracking_number: str | None
    cancel_reason: str | None
    version: int
    created_at: datetime
    updated_at: datetime


@asynccontextmanager
async def lifespan(app: FastAPI):
    # The same pool bounds as the service's defaults (10, no overflow).
    app.state.pool = await asyncpg.create_pool(os.environ["CEILING_DSN"], min_size=10, max_size=10)
    yield
    await app.state.pool.close()


app = FastAPI(lifespan=lifespan)


def order_out(order, lines) -> OrderOut:
    out_lines = [
        LineOut(
            sku=line["sku"],
            quantity=line["quantity"],
            unit_price_cents=line["unit_price_cents"],
            subtotal_cents=line["quantity"] * line["unit_price_cents"],
        )
        for line in lines
    ]
    return OrderOut(
        **order, lines=out_lines, total_cents=sum(line.subtotal_cents for line in out_lines)
    )


@app.post("/orders", status_code=201)
async def create_order(data: OrderIn) -> OrderOut:
    order_id, now = uuid.uuid4(), datetime.now(UTC)
    rows = [(uuid.uuid4(), order_id, l.sku, l.quantity, l.unit_price_cents) for l in data.lines]
    async with app.state.pool.acquire() as connection, connection.transaction():
        await connection.execute(INSERT_ORDER, order_id, data.customer_ref, now)
        await connection.executemany(INSERT_LINE, rows)
    order = {
        "id": order_id, "customer_ref": data.customer_ref, "status": "draft",
        "tracking_number": None, "cancel_reason": None, "version": 1,
        "created_at": now, "updated_at": now,
    }
    names = ("sku", "quantity", "unit_price_cents")
    return order_out(order, [dict(zip(names, row[2:])) for row in rows])


@app.get("/orders/{order_id}")
async def get_order(order_id: uuid.UUID) -> OrderOut:
    async with app.state.pool.acquire() as connection:
        order = await connection.fetchrow(SELECT_ORDER, order_id)
        if order is None:
            raise HTTPException(404)
        lines = await connection.fetch(SELECT_LINES, order_id)
    return order_out(dict(order), lines)


class OrderPage(BaseModel):
    items: list[OrderOut]
    limit: int
    offset: int


@app.get("/orders")
async def list_orders(limit: int = 50, offset: int = 0) -> OrderPage:
    async with app.state.pool.acquire() as connection:
        orders = await connection.fetch(SELECT_PAGE, limit, offset)
        lines = await connection.fetch(SELECT_LINES_OF, [order["id"] for order in orders])
    by_order: dict[uuid.UUID, list] = {}
    for line in lines:
        by_order.setdefault(line["order_id"], []).append(line)
    items = [order_out(dict(order), by_order.get(order["id"], [])) for order in orders]
    return OrderPage(items=items, limit=limit, offset=offset)
'''


# Runs in the project's venv: the middleware's access line, JSON, with a bound correlation id.
LOG_LINE_COST = """
import os, sys, time, structlog
from app.common.logging import configure_logging
sys.stdout = open(os.devnull, "w")
configure_logging("INFO", json_output=True)
log = structlog.get_logger("app.access")
structlog.contextvars.bind_contextvars(correlation_id="0123456789abcdef0123456789abcdef")
started = time.perf_counter()
for _ in range(20_000):
    log.info("request", method="GET", path="/orders/x", status=200, duration_ms=1.23)
sys.__stdout__.write(str((time.perf_counter() - started) / 20_000 * 1e6))
"""


# Runs in the project's venv beside the served service, on its database: the service
# layer alone, with no HTTP or FastAPI, called by as many concurrent tasks as the load
# has connections: what one create (aggregate, unit of work, commit) and one read
# (views query, OrderGet) cost in CPU. The least of three batches: noise only adds.
SERVICE_CALL_COST = """
import asyncio, json, os, sys, time, uvloop
from app.config import Settings
from app.deps.db import get_read_connections
from app.deps.orders import get_order_reads, get_order_service
from app.resources import open_resources
from app.schemas.order import OrderCreate

sys.stdout = open(os.devnull, "w")
TASKS, BATCH = int(sys.argv[1]), 800
DATA = OrderCreate.model_validate(
    {"customer_ref": "cost", "lines": [{"sku": "SKU-1", "quantity": 2, "unit_price_cents": 1250}]}
)

async def cpu_ms(call):
    async def task():
        for _ in range(BATCH // TASKS):
            await call()
    batches = []
    for _ in range(4):  # the first batch warms up
        started = time.process_time()
        await asyncio.gather(*(task() for _ in range(TASKS)))
        batches.append((time.process_time() - started) * 1000 / (BATCH // TASKS * TASKS))
    return min(batches[1:])

async def main():
    async with open_resources(Settings()) as resources:
        async def create():
            service = await get_order_service(resources.sessionmaker(), resources.carrier)
            return await service.create(DATA)
        order_id = (await create()).id
        reads = await get_order_reads(await get_read_connections(resources))
        created, read = await cpu_ms(create), await cpu_ms(lambda: reads.get(order_id))
    sys.__stdout__.write(json.dumps({"create": created, "read": read}))

uvloop.run(main())
"""


def run_in_project(project: Path, code: str, *args: str, env: dict[str, str] | None = None) -> str:
    """Run `code` with the project's Python, in the project; return what it printed."""
    result = subprocess.run(
        [project_python(project), "-c", code, *args],
        cwd=project,
        env={**project_env(), **(env or {}), "PYTHONPATH": str(project)},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"a timing in the project failed:\n{result.stderr[-3000:]}")
    return result.stdout


@dataclass
class Load:
    """What the load generator saw for one operation against one server, over all rounds."""

    rates: list[float] = field(default_factory=list)
    ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)  # server CPU per finished request
    errors: int = 0
    first_error: str = ""

    def add(self, result: dict, cpu_s: float) -> None:
        self.rates.append(len(result["ms"]) / result["seconds"])
        self.ms += result["ms"]
        self.cpu_ms.append(cpu_s * 1000 / max(result["finished"], 1))
        self.errors += result["errors"]
        self.first_error = self.first_error or result["first_error"]

    @property
    def rate(self) -> float:
        return median(self.rates)

    def latency(self) -> str:
        if not self.ms:
            return "n/a"
        return f"{percentile(self.ms, 50):.1f} / {percentile(self.ms, 99):.1f} ms"


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load(server: Server, operation: str, args: argparse.Namespace) -> tuple[dict, float]:
    """Load `server` with `operation` from the load generator's own process.

    Returns its JSON and the server's CPU seconds over the run.
    """
    command = [sys.executable, "-m", "bench.loadgen", "--port", str(server.port)]
    command += ["--operation", operation, "--concurrency", str(args.concurrency)]
    command += ["--warmup", str(args.warmup), "--duration", str(args.duration)]
    timeout = args.warmup + args.duration + 120
    before = cpu_seconds(server.process.pid)
    result = subprocess.run(
        command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )
    used = cpu_seconds(server.process.pid) - before
    if result.returncode != 0:
        raise RuntimeError(f"load generator failed:\n{result.stderr[-3000:]}\n{server.log_tail()}")
    return json.loads(result.stdout), used


def figures_for(operation: str, service: Load, ceiling: Load) -> list[Figure]:
    label, target = OPERATIONS[operation]
    # Each round loads the service and then the ceiling: their ratio within a round is
    # steadier than a ratio of medians when other work shares the machine.
    ratios = [s / c if c else 0.0 for s, c in zip(service.rates, ceiling.rates, strict=True)]
    ratio = median(ratios)
    return [
        Figure(
            f"{label}: service / ceiling req/s", f"{ratio:.2f}", f">= {target:.2f}", ratio >= target
        ),
        Figure(f"{label}: req/s service, ceiling", f"{service.rate:.0f}, {ceiling.rate:.0f}"),
        Figure(f"{label}: ratio per round", ", ".join(f"{r:.2f}" for r in ratios)),
        Figure(f"{label}: service p50 / p99", service.latency()),
        Figure(f"{label}: ceiling p50 / p99", ceiling.latency()),
        Figure(
            f"{label}: server CPU per request, service / ceiling",
            f"{median(service.cpu_ms):.2f} / {median(ceiling.cpu_ms):.2f} ms",
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="service/ceiling rounds (3)")
    parser.add_argument("--duration", type=float, default=10.0, help="counted seconds (10)")
    parser.add_argument("--warmup", type=float, default=1.0, help="uncounted seconds (1)")
    parser.add_argument("--concurrency", type=int, default=8, help="connections (8)")
    parser.add_argument(
        "--operations",
        default=",".join(OPERATIONS),
        help=f"comma-separated, from {', '.join(OPERATIONS)} (all); list needs post first",
    )
    add_project_argument(parser, "benchmark")
    args = parser.parse_args(argv)
    if args.rounds < 1 or not 0 < args.duration <= 120 or not 1 <= args.concurrency <= 64:
        parser.error("need --rounds >= 1, 0 < --duration <= 120, 1 <= --concurrency <= 64")
    asked = set(args.operations.split(","))
    operations = [name for name in OPERATIONS if name in asked]  # post first, as listed above
    if asked - set(OPERATIONS) or ("list" in asked and "post" not in asked):
        parser.error(f"--operations: any of {', '.join(OPERATIONS)}; list needs post")
    load_average = os.getloadavg()[0]

    service = {operation: Load() for operation in operations}
    ceiling = {operation: Load() for operation in operations}
    with scratch_dir("throughput") as base:
        project = prepare_project(base, args.project)
        ceiling_dir = base / "ceiling"
        ceiling_dir.mkdir()
        (ceiling_dir / "ceiling_app.py").write_text(CEILING_APP)
        with (
            embedded_databases(project, "bench_service", "bench_ceiling") as urls,
            uvicorn_server(
                project,
                "app.main:create_app",
                factory=True,
                env=service_env(urls["bench_service"]),
                log_path=base / "service.log",
                ready_path="/readyz",
            ) as service_server,
            uvicorn_server(
                project,
                "ceiling_app:app",
                app_dir=ceiling_dir,
                env={"CEILING_DSN": asyncpg_dsn(urls["bench_ceiling"])},
                log_path=base / "ceiling.log",
            ) as ceiling_server,
        ):
            for _ in range(args.rounds):
                for operation in operations:  # post first: the list needs orders to show
                    service[operation].add(*load(service_server, operation, args))
                    ceiling[operation].add(*load(ceiling_server, operation, args))
            env = service_env(urls["bench_service"])
            calls = json.loads(
                run_in_project(project, SERVICE_CALL_COST, str(args.concurrency), env=env)
            )
        log_us = float(run_in_project(project, LOG_LINE_COST))

    figures = [
        f
        for operation in operations
        for f in figures_for(operation, service[operation], ceiling[operation])
    ]
    # What the service layer alone costs bounds the ratio: with HTTP, routing and
    # validation free, the service could go no faster than ceiling CPU / call CPU.
    for operation, call in (("post", "create"), ("get", "read")):
        if operation in operations:
            label = OPERATIONS[operation][0]
            call_ms = calls[call]
            request_ms = median(service[operation].cpu_ms)
            figures.append(
                Figure(
                    f"{label}: service call alone, no HTTP (CPU), share of the request",
                    f"{call_ms:.2f} ms, {call_ms / request_ms:.0%}",
                )
            )
            figures.append(
                Figure(
                    f"{label}: ratio if HTTP cost nothing (ceiling CPU / call CPU)",
                    f"{median(ceiling[operation].cpu_ms) / call_ms:.2f}",
                )
            )
    shown = "get" if "get" in operations else operations[0]
    cpu_us = median(service[shown].cpu_ms) * 1000
    label = OPERATIONS[shown][0]
    figures.append(
        Figure(
            "one access-log line (JSON)",
            f"{log_us:.1f} us, {log_us / cpu_us:.1%} of the server CPU of {label}",
        )
    )
    errors = sum(load.errors for load in (*service.values(), *ceiling.values()))
    figures.append(Figure("unexpected responses", str(errors), "0", errors == 0))
    print_table(
        f"service throughput: {args.rounds} round(s), {args.concurrency} connections, "
        f"{args.duration:g} s counted after {args.warmup:g} s warm-up per operation, "
        f"load average {load_average:.2f} at start",
        figures,
    )
    for name, loads in (("service", service), ("ceiling", ceiling)):
        for operation, tally in loads.items():
            if tally.first_error:
                print(f"first unexpected {name} {operation} response: {tally.first_error}")
    return exit_code(figures)


if __name__ == "__main__":
    raise SystemExit(main())
