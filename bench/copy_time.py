"""Copy time: how long `copier copy` takes, through copier's API as the tests call it.

Two answer sets: the defaults, and everything on (all six agents, both tiers,
every skill: `bench.context_budget.render_everything`). Each is copied
`--runs` times into a fresh folder (git HEAD of this checkout plus its
uncommitted edits, `defaults=True`); the table shows the median, min and max.
Target: median at most 1.0 s with the defaults.

    uv run python -m bench.copy_time            # 7 runs each
    uv run python -m bench.copy_time --runs 1   # tiny setting
"""

import argparse
import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from bench._support import Figure, exit_code, median, print_table, scratch_dir
from bench.context_budget import render_everything
from tests.rendering import REPO_ROOT, render

TARGET_S = 1.0


def time_copies(copy: Callable[[Path], Path], base: Path, label: str, runs: int) -> list[float]:
    seconds = []
    for run in range(runs):
        destination = base / f"{label}-{run}"
        started = time.perf_counter()
        copy(destination)
        seconds.append(time.perf_counter() - started)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="copies per answer set (default 7)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    load = os.getloadavg()[0]
    # Copier copies uncommitted edits by committing them in its clone: a little slower.
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )
    checkout = "uncommitted edits" if status.stdout.strip() else "clean"

    with scratch_dir("copy") as base:
        default = time_copies(render, base, "default", args.runs)
        everything = time_copies(render_everything, base, "all-on", args.runs)

    def spread(values: list[float]) -> str:
        return f"min {min(values):.3f} s, max {max(values):.3f} s"

    figures = [
        Figure(
            "copy time, default answers (median)",
            f"{median(default):.3f} s",
            f"<= {TARGET_S:.1f} s",
            median(default) <= TARGET_S,
        ),
        Figure("copy time, default answers (spread)", spread(default)),
        Figure("copy time, all answers on (median)", f"{median(everything):.3f} s"),
        Figure("copy time, all answers on (spread)", spread(everything)),
        Figure("template checkout", checkout),
    ]
    print_table(
        f"copy time: copier API, vcs_ref=HEAD, {args.runs} run(s) each, "
        f"load average {load:.2f} at start",
        figures,
    )
    return exit_code(figures)


if __name__ == "__main__":
    raise SystemExit(main())
