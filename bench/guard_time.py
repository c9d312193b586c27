"""Guard time: how long an agent waits for `scripts.guard` after editing one file.

Renders the default project (or takes `--project`), then runs
the command an agent hook runs, `uv run --offline --quiet python -m scripts.guard FILE`,
once per Python file of `app/`, and reports the median and the slowest wall time,
uv's start-up and ruff's two runs included. Target: under 2 s per file
(median under 1 s).

    uv run python -m bench.guard_time
    uv run python -m bench.guard_time --project ../my-service
"""

import argparse
import subprocess
import time
from pathlib import Path

from bench._support import (
    Figure,
    add_project_argument,
    exit_code,
    median,
    prepare_project,
    print_table,
    scratch_dir,
)
from tests.rendering import project_env, uv


def time_guard(project: Path, file: Path) -> float:
    command = [uv(), "run", "--offline", "--quiet", "python", "-m", "scripts.guard", str(file)]
    started = time.perf_counter()
    subprocess.run(command, cwd=project, env=project_env(), capture_output=True, check=False)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_project_argument(parser, "time the guard in")
    parser.add_argument("--files", type=int, default=0, help="time only the first N files")
    args = parser.parse_args()
    with scratch_dir("guard") as base:
        project = prepare_project(base, args.project)
        files = sorted((project / "app").rglob("*.py"))[: args.files or None]
        time_guard(project, files[0])  # warm the file system cache and uv's
        times = [time_guard(project, file) for file in files]
    slowest = max(times)
    figures = [
        Figure("files checked one at a time", str(len(times))),
        Figure("guard time per file, median", f"{median(times):.2f} s", "< 1 s",
               median(times) < 1),
        Figure("guard time per file, slowest", f"{slowest:.2f} s", "< 2 s", slowest < 2),
    ]  # fmt: skip
    print_table("Guard time per edited file (uv run + ruff + per-file rules)", figures)
    return exit_code(figures)


if __name__ == "__main__":
    raise SystemExit(main())
