"""Each benchmark runs on its tiny setting and prints its table.

These tests check that the scripts work, not the figures: a missed target
exits 1 and is fine here; a crash, or a table without its figures, is not.
"""

import subprocess
import sys

import pytest

from tests.rendering import REPO_ROOT, project_env

# script -> (tiny arguments, figure names its table must show)
BENCHMARKS = {
    "copy_time": (
        ["--runs", "1"],
        ["copy time, default answers (median)", "copy time, all answers on (median)"],
    ),
    "test_suite_time": (
        ["--runs", "1"],
        ["first run (fresh project)", "cold run, median", "warm run, median"],
    ),
    "db_test_cost": (
        ["--tests", "10"],
        ["per-test database cost", "DB test, mean", "plain test, mean"],
    ),
    "throughput": (
        ["--rounds", "1", "--duration", "2", "--warmup", "0.5", "--concurrency", "4"],
        [
            "POST /orders: service / ceiling req/s",
            "GET /orders/{id}: req/s service, ceiling",
            "GET /orders?limit=20: service p50 / p99",
            "GET /orders?limit=20: server CPU per request, service / ceiling",
            "POST /orders: ratio if HTTP cost nothing (ceiling CPU / call CPU)",
            "GET /orders/{id}: service call alone, no HTTP (CPU), share of the request",
            "unexpected responses",
        ],
    ),
    "context_budget": (
        [],
        [
            "claude-code: always-on characters, alone",
            "copilot: with all agents",
            "gemini-cli: first request, bytes project - empty",
        ],
    ),
    "guard_time": (
        ["--files", "3"],
        ["guard time per file, median", "guard time per file, slowest"],
    ),
    "repo_size": ([], ["default: app/ lines", "default: skills folder / app/"]),
    "faults": (
        ["--outage", "1"],
        [
            "database stopped: status codes",
            "database frozen: p99 latency",
            "relay worker across a database restart",
            "POST /ship, carrier trickling 1 byte/s",
            "memory after 4 x 22 MB bodies",
            "25 ships racing 25 cancels",
        ],
    ),
    "fuzz": (
        ["--max-examples", "2", "--timeout", "300"],
        ["operations tested", "server errors", "schema violations"],
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("script", list(BENCHMARKS))
def test_benchmark_prints_its_table(script: str) -> None:
    arguments, figures = BENCHMARKS[script]
    result = subprocess.run(
        [sys.executable, "-m", f"bench.{script}", *arguments],
        cwd=REPO_ROOT,
        env=project_env(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    # 0: every target met; 1: a target missed. Anything else (or a traceback) is a crash.
    assert result.returncode in (0, 1), output
    assert "Traceback" not in result.stderr, output
    for heading in ("figure", "measured", "target", "verdict", *figures):
        assert heading in result.stdout, f"{heading!r} missing from the table:\n{output}"
