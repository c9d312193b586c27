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

A separate process (`bench.loadgen`) loads each with `POST /orders` then
`GET /orders/{id}` at fixed concurrency for a bounded time, alternating
service and ceiling for `--rounds` rounds. The table gives the median req/s
of the rounds, p50 and p99 per operation (all rounds), and the median of the
per-round ratios.
Target: the service makes at least 0.7 x the ceiling's req/s.

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
    scratch_dir,
    service_env,
    uvicorn_server,
)
from tests.rendering import REPO_ROOT

TARGET_RATIO = 0.7

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
    # The same pool bounds as the service's defaults (5 + 5 overflow).
    app.state.pool = await asyncpg.create_pool(os.environ["CEILING_DSN"], min_size=5, max_size=10)
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
'''


@dataclass
class Load:
    """What the load generator saw against one server, over all rounds."""

    rates: list[float] = field(default_factory=list)
    post_ms: list[float] = field(default_factory=list)
    get_ms: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""

    def add(self, result: dict) -> None:
        self.rates.append((len(result["post_ms"]) + len(result["get_ms"])) / result["seconds"])
        self.post_ms += result["post_ms"]
        self.get_ms += result["get_ms"]
        self.errors += result["errors"]
        self.first_error = self.first_error or result["first_error"]

    @property
    def rate(self) -> float:
        return median(self.rates)

    def latency(self, kind: str) -> str:
        values = self.post_ms if kind == "post" else self.get_ms
        if not values:
            return "n/a"
        return f"{percentile(values, 50):.1f} / {percentile(values, 99):.1f} ms"


def load(server: Server, args: argparse.Namespace) -> dict:
    """Run the load generator in its own process against `server`; return its JSON."""
    command = [sys.executable, "-m", "bench.loadgen", "--port", str(server.port)]
    command += ["--concurrency", str(args.concurrency), "--warmup", str(args.warmup)]
    command += ["--duration", str(args.duration)]
    timeout = args.warmup + args.duration + 120
    result = subprocess.run(
        command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"load generator failed:\n{result.stderr[-3000:]}\n{server.log_tail()}")
    return json.loads(result.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="service/ceiling rounds (3)")
    parser.add_argument("--duration", type=float, default=10.0, help="counted seconds (10)")
    parser.add_argument("--warmup", type=float, default=1.0, help="uncounted seconds (1)")
    parser.add_argument("--concurrency", type=int, default=8, help="connections (8)")
    add_project_argument(parser, "benchmark")
    args = parser.parse_args(argv)
    if args.rounds < 1 or not 0 < args.duration <= 120 or not 1 <= args.concurrency <= 64:
        parser.error("need --rounds >= 1, 0 < --duration <= 120, 1 <= --concurrency <= 64")
    load_average = os.getloadavg()[0]

    service, ceiling = Load(), Load()
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
                service.add(load(service_server, args))
                ceiling.add(load(ceiling_server, args))

    # Each round loads the service and then the ceiling: their ratio within a round is
    # steadier than a ratio of medians when other work shares the machine.
    ratio = median([s / c if c else 0.0 for s, c in zip(service.rates, ceiling.rates, strict=True)])
    figures = [
        Figure("service req/s (median of rounds)", f"{service.rate:.0f}"),
        Figure("ceiling req/s (median of rounds)", f"{ceiling.rate:.0f}"),
        Figure(
            "service / ceiling req/s (median of rounds)",
            f"{ratio:.2f}",
            f">= {TARGET_RATIO} x ceiling",
            ratio >= TARGET_RATIO,
        ),
        Figure("service POST /orders p50 / p99", service.latency("post")),
        Figure("service GET /orders/{id} p50 / p99", service.latency("get")),
        Figure("ceiling POST /orders p50 / p99", ceiling.latency("post")),
        Figure("ceiling GET /orders/{id} p50 / p99", ceiling.latency("get")),
        Figure("service req/s per round", ", ".join(f"{r:.0f}" for r in service.rates)),
        Figure("ceiling req/s per round", ", ".join(f"{r:.0f}" for r in ceiling.rates)),
        Figure("unexpected responses (service, ceiling)", f"{service.errors}, {ceiling.errors}"),
    ]
    print_table(
        f"service throughput: {args.rounds} round(s), {args.concurrency} connections, "
        f"{args.duration:g} s counted after {args.warmup:g} s warm-up, "
        f"load average {load_average:.2f} at start",
        figures,
    )
    for name, tally in (("service", service), ("ceiling", ceiling)):
        if tally.first_error:
            print(f"first unexpected {name} response: {tally.first_error}")
    return exit_code(figures)


if __name__ == "__main__":
    raise SystemExit(main())
