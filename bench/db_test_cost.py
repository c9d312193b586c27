"""Per-test database cost: what the `session` fixture adds to one test of a generated project.

Writes two groups of `--tests` trivial async tests into a rendered default
project's `tests/bench_cost/`: one takes the `session` fixture and runs
`SELECT 1`, the other asserts on its parameter only. Each group runs in its
own `pytest` process; a small conftest records every test's setup + call +
teardown time at full precision. A warm-up test first and a cool-down test
last (not counted) absorb the session-wide work: starting PostgreSQL,
migrating, creating and disposing of the engine and the event loop.

Figure: (sum over DB tests - sum over plain tests) / N. Target: at most 5 ms.

    uv run python -m bench.db_test_cost               # 200 tests per group
    uv run python -m bench.db_test_cost --tests 20    # tiny setting
"""

import argparse
import json
import os
import time
from pathlib import Path

from bench._support import Figure, exit_code, print_table, rendered_project, scratch_dir
from tests.rendering import run_in, uv

TARGET_MS = 5.0
FOLDER = "tests/bench_cost"

RECORDER = '''"""Records each test's setup + call + teardown seconds in $BENCH_DURATIONS."""

import json
import os
from pathlib import Path

_seconds: dict[str, float] = {}


def pytest_runtest_logreport(report):
    _seconds[report.nodeid] = _seconds.get(report.nodeid, 0.0) + report.duration


def pytest_sessionfinish(session):
    Path(os.environ["BENCH_DURATIONS"]).write_text(json.dumps(_seconds))
'''

DB_TESTS = """import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


async def test_0_warm_up(session: AsyncSession) -> None:
    assert await session.scalar(text("SELECT 1")) == 1


@pytest.mark.parametrize("i", range({n}))
async def test_measured(session: AsyncSession, i: int) -> None:
    assert await session.scalar(text("SELECT 1")) == 1


async def test_z_cool_down(session: AsyncSession) -> None:
    assert await session.scalar(text("SELECT 1")) == 1
"""

PLAIN_TESTS = """import pytest


async def test_0_warm_up() -> None:
    assert True


@pytest.mark.parametrize("i", range({n}))
async def test_measured(i: int) -> None:
    assert i >= 0


async def test_z_cool_down() -> None:
    assert True
"""


def run_group(project: Path, test_file: str, n: int) -> tuple[list[float], float]:
    """Run one test file; return (seconds of each measured test, wall seconds of pytest)."""
    record = project / f".bench-{Path(test_file).stem}.json"
    started = time.perf_counter()
    result = run_in(
        project,
        "env",
        f"BENCH_DURATIONS={record}",
        uv(),
        "run",
        "--no-sync",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        f"{FOLDER}/{test_file}",
        timeout=600,
    )
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{test_file} failed:\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}")
    seconds = json.loads(record.read_text())
    measured = [s for nodeid, s in seconds.items() if "::test_measured[" in nodeid]
    assert len(measured) == n, f"expected {n} measured tests, found {len(measured)}"
    return measured, wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", type=int, default=200, help="tests per group (default 200)")
    args = parser.parse_args(argv)
    if args.tests < 1:
        parser.error("--tests must be at least 1")
    n = args.tests
    load = os.getloadavg()[0]

    with scratch_dir("dbcost") as base:
        project = rendered_project(base)
        folder = project / FOLDER
        folder.mkdir()
        (folder / "__init__.py").write_text("")
        (folder / "conftest.py").write_text(RECORDER)
        (folder / "test_db_cost.py").write_text(DB_TESTS.format(n=n))
        (folder / "test_plain_cost.py").write_text(PLAIN_TESTS.format(n=n))
        db, db_wall = run_group(project, "test_db_cost.py", n)
        plain, plain_wall = run_group(project, "test_plain_cost.py", n)

    db_ms = sum(db) / n * 1000
    plain_ms = sum(plain) / n * 1000
    cost_ms = (sum(db) - sum(plain)) / n * 1000
    figures = [
        Figure(
            "per-test database cost",
            f"{cost_ms:.2f} ms",
            f"<= {TARGET_MS:.0f} ms",
            cost_ms <= TARGET_MS,
        ),
        Figure("DB test, mean (setup+call+teardown)", f"{db_ms:.2f} ms"),
        Figure("plain test, mean (setup+call+teardown)", f"{plain_ms:.2f} ms"),
        Figure("DB group, pytest wall clock", f"{db_wall:.2f} s"),
        Figure("plain group, pytest wall clock", f"{plain_wall:.2f} s"),
    ]
    print_table(
        f"per-test database cost: {n} DB tests vs {n} plain tests, "
        f"load average {load:.2f} at start",
        figures,
    )
    return exit_code(figures)


if __name__ == "__main__":
    raise SystemExit(main())
