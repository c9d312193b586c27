"""Generated test suite: wall time of `uv run pytest` in a freshly rendered default project.

The project is rendered and synced once (not timed). Then:

- first run: the very first `uv run pytest` (no `.postgres/`, no `__pycache__`);
- cold: `.postgres/` deleted before each run, so the embedded PostgreSQL is
  initialised and started again (median of `--runs`; the first run is cold
  run 1);
- warm: `.postgres/` kept from the previous run, so the server only restarts
  (median of `--runs`).

Target: at most 15 s for the first run and for the cold median.

`uv sync` does not byte-compile the venv by default, so the first run compiles
every imported module; with PYTHONDONTWRITEBYTECODE set (the table says), every
run does. The table shows the setting.

    uv run python -m bench.test_suite_time            # 3 cold and 3 warm runs
    uv run python -m bench.test_suite_time --runs 1   # tiny setting
"""

import argparse
import os
import re
import shutil
import time
from pathlib import Path

from bench._support import Figure, exit_code, median, print_table, rendered_project, scratch_dir
from tests.rendering import run_in, uv

TARGET_S = 15.0


def timed_pytest(project: Path, *, cold: bool) -> tuple[float, str]:
    """One `uv run pytest` (as the generated README says); return (seconds, summary line)."""
    if cold:
        shutil.rmtree(project / ".postgres", ignore_errors=True)
    started = time.perf_counter()
    result = run_in(project, uv(), "run", "pytest", "-q", timeout=900)
    seconds = time.perf_counter() - started
    lines = result.stdout.strip().splitlines()
    summary = lines[-1] if lines else ""
    if result.returncode != 0:
        raise RuntimeError(
            f"the generated test suite failed (exit {result.returncode}):\n"
            f"{result.stdout[-4000:]}\n{result.stderr[-2000:]}"
        )
    return seconds, summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="cold and warm runs (default 3)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    load = os.getloadavg()[0]

    with scratch_dir("suite") as base:
        project = rendered_project(base)
        first, summary = timed_pytest(project, cold=True)
        cold = [first] + [timed_pytest(project, cold=True)[0] for _ in range(args.runs - 1)]
        warm = [timed_pytest(project, cold=False)[0] for _ in range(args.runs)]

    passed = re.search(r"(\d+) passed", summary)
    figures = [
        Figure("tests in the suite", passed.group(1) if passed else summary),
        Figure(
            "first run (fresh project)", f"{first:.2f} s", f"<= {TARGET_S:.0f} s", first <= TARGET_S
        ),
        Figure(
            "cold run, median (no .postgres/)",
            f"{median(cold):.2f} s",
            f"<= {TARGET_S:.0f} s",
            median(cold) <= TARGET_S,
        ),
        Figure("warm run, median (.postgres/ kept)", f"{median(warm):.2f} s"),
        Figure(
            "PYTHONDONTWRITEBYTECODE",
            "set: no run caches .pyc" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "unset",
        ),
        Figure("cold runs", ", ".join(f"{s:.2f}" for s in cold) + " s"),
        Figure("warm runs", ", ".join(f"{s:.2f}" for s in warm) + " s"),
    ]
    print_table(
        f"generated test suite: `uv run pytest`, {args.runs} cold + {args.runs} warm run(s), "
        f"load average {load:.2f} at start",
        figures,
    )
    return exit_code(figures)


if __name__ == "__main__":
    raise SystemExit(main())
